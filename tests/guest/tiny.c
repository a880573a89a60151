/*
 * tiny.img: the probe's boot path with nothing in between.  probe-head.S
 * (Linux boot protocol 2.15 header, real -> 32-bit mode as qboot's
 * pm16_boot_linux hands over) calls this, then triple-faults: the
 * lifecycle benchmark (bench/lifecycle) times firmware + VMM, not a guest.
 */

void probe_main(void *boot_params);

void probe_main(void *boot_params)
{
    (void)boot_params;
}
