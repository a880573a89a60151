#!/usr/bin/env python3
"""Command-line conformance: bad input must fail exactly as QEMU 7.2 does.

Each case runs under our binary and under the real QEMU 7.2
(/usr/bin/qemu-system-x86_64); the exit status and the first line of stderr
(program name normalised) must be equal. The line recorded beside each case
is what QEMU 7.2 (Debian 1:7.2+dfsg-7) printed on the development machine;
it is documentation only, the comparison is always live.

Usage: conformance.py OUR_BINARY [--qemu PATH] [--microvm-qemu PATH]
                      [--filter SUBSTR] [--reference] [--jobs N]
--reference prints the real QEMU's lines only (to refresh the table).
Exit status: 0 all match, 1 mismatches, 77 the real QEMU is absent (skip).
"""

import argparse
import concurrent.futures
import difflib
import os
import shutil
import struct
import subprocess
import sys
import tempfile

QEMU = '/usr/bin/qemu-system-x86_64'
QEMU_MICROVM = '/usr/bin/qemu-system-x86_64-microvm'

# Prepended to every case so that nothing opens a window, reads a config
# file or creates default devices that could block.
BASE = ['-display', 'none', '-nodefaults', '-no-user-config']

# A microvm on KVM. -cpu host avoids the "host doesn't support requested
# feature" warnings that the default qemu64 model prints on this emulated
# KVM, which would otherwise be every case's first line.
K = ['-M', 'microvm', '-enable-kvm', '-cpu', 'host']

# Ends a run that got through option parsing and machine creation, so a
# case can prove that everything before it was accepted without booting.
NOBIOS = ['-bios', '/nonexistent']

# The block cases: ACPI off (microqemu's ACPI is another issue), a drive
# on the 1 MiB image, and a firmware that exits at once through
# isa-debug-exit (status 1) once the board and devices are built.
KA = ['-M', 'microvm,acpi=off', '-enable-kvm', '-cpu', 'host']
D = ['-drive', 'if=none,id=d0,file={tmp}/disk.img,format=raw']
DV = ['-drive', 'if=none,id=d0,file={tmp}/disk.img,format=raw,'
      'file.locking=off']
EXIT = ['-bios', '{tmp}/exit.rom', '-device', 'isa-debug-exit']


class Case:
    def __init__(self, name, args, qemu_line, status=1, base=True):
        self.name = name
        self.args = args
        self.qemu_line = qemu_line    # documentation: what QEMU 7.2 printed
        self.status = status          # documentation: QEMU's exit status
        self.base = base


def netdev_json_case(name, json, error):
    """A JSON -netdev refused at parse time, as QEMU 7.2 refuses it."""
    return Case(name, K + ['-netdev', json],
                P + '-netdev ' + json + ': ' + error)


class Deliberate:
    """A case where microqemu differs from qemu-system-x86_64 on purpose.

    Not compared with the full QEMU. With ref='microvm' it is compared with
    Debian's reduced qemu-system-x86_64-microvm (KVM only, no pc machines),
    whose behaviour is the one microqemu adopts; otherwise our binary must
    give exactly (status, line), or when line is None status and some
    error line.
    """

    def __init__(self, name, args, reason, ref=None, status=1, line=None):
        self.name = name
        self.args = args
        self.reason = reason
        self.ref = ref
        self.status = status
        self.line = line
        self.base = True


P = 'PROG: '


def machine_case(name, props, extra=()):
    """-M microvm,PROPS (+ extra) on KVM, accepted up to the firmware."""
    return Case(name, ['-M', 'microvm,' + props, '-enable-kvm', '-cpu',
                       'host'] + list(extra) + NOBIOS,
                "qemu: could not load PC BIOS '/nonexistent'")


CASES = [
    # --- option names and arguments (vl.c lookup_opt) ---
    Case('unknown-option', ['-nosuch'],
         P + '-nosuch: invalid option'),
    Case('unknown-option-2dash', ['--nosuch'],
         P + '--nosuch: invalid option'),
    Case('three-dashes', K + ['---m', '128'],
         P + '---m: invalid option'),
    Case('lone-dash', ['-'],
         P + '-: invalid option'),
    Case('double-dash', ['--'],
         P + '--: invalid option'),
    Case('option-with-equals', ['-machine=microvm'],
         P + '-machine=microvm: invalid option'),
    Case('option-case', ['-Machine', 'microvm'],
         P + '-Machine: invalid option'),
    # -h is an entry of its own in vl.c's qemu_options[] ("h" first), so
    # -h, --h, -help and --help all print the help and exit 0; vl.c's
    # first pass looks every option up before any acts, so a bad option
    # after -h or -version still fails.
    Case('h', ['-h'], '', status=0),
    Case('h-2dash', ['--h'], '', status=0),
    Case('help', ['-help'], '', status=0),
    Case('help-2dash', ['--help'], '', status=0),
    Case('h-then-invalid', ['-h', '-nosuch'],
         P + '-nosuch: invalid option'),
    Case('h-then-missing-arg', ['-h', '-m'],
         P + '-m: requires an argument'),
    Case('version-then-invalid', ['-version', '-nosuch'],
         P + '-nosuch: invalid option'),
    Case('h-then-other-target', ['-h', '-g', '800x600'], '', status=0),
    Case('other-target-then-h', ['-g', '800x600', '-h'],
         P + '-g 800x600: Option not supported for this target'),
    Case('m-at-end', ['-m'],
         P + '-m: requires an argument'),
    Case('m-at-end-2dash', ['--m'],
         P + '--m: requires an argument'),
    Case('machine-at-end', ['-machine'],
         P + '-machine: requires an argument'),
    Case('M-at-end', ['-M'],
         P + '-M: requires an argument'),
    Case('kernel-at-end', ['-kernel'],
         P + '-kernel: requires an argument'),
    Case('smp-at-end', ['-smp'],
         P + '-smp: requires an argument'),
    Case('cpu-at-end', ['-cpu'],
         P + '-cpu: requires an argument'),
    Case('device-at-end', ['-device'],
         P + '-device: requires an argument'),
    Case('chardev-at-end', ['-chardev'],
         P + '-chardev: requires an argument'),
    Case('serial-at-end', ['-serial'],
         P + '-serial: requires an argument'),
    Case('semihosting', ['-semihosting'],
         P + '-semihosting: Option not supported for this target'),
    Case('g-other-target', ['-g', '800x600'],
         P + '-g 800x600: Option not supported for this target'),
    Case('g-at-end', ['-g'],
         P + '-g: requires an argument'),
    Case('prom-env', ['-prom-env', 'x=y'],
         P + '-prom-env x=y: Option not supported for this target'),
    Case('old-param', ['-old-param'],
         P + '-old-param: Option not supported for this target'),

    # --- -machine (microvm properties are OnOffAuto or bool) ---
    Case('machine-unknown', ['-M', 'nosuch', '-enable-kvm'],
         P + 'unsupported machine type'),
    Case('machine-type-unknown', ['-machine', 'type=nosuch'],
         P + 'unsupported machine type'),
    Case('machine-last-wins', ['-M', 'microvm', '-M', 'nosuch'],
         P + 'unsupported machine type'),
    Case('machine-pit-maybe', ['-M', 'microvm,pit=maybe', '-enable-kvm'],
         P + "Parameter 'pit' does not accept value 'maybe'"),
    Case('machine-pic-2', ['-M', 'microvm,pic=2', '-enable-kvm'],
         P + "Parameter 'pic' does not accept value '2'"),
    Case('machine-rtc-yes', ['-M', 'microvm,rtc=yes', '-enable-kvm'],
         P + "Parameter 'rtc' does not accept value 'yes'"),
    Case('machine-ioapic2-bad', ['-M', 'microvm,ioapic2=bad', '-enable-kvm'],
         P + "Parameter 'ioapic2' does not accept value 'bad'"),
    Case('machine-pcie-sure', ['-M', 'microvm,pcie=sure', '-enable-kvm'],
         P + "Parameter 'pcie' does not accept value 'sure'"),
    Case('machine-acpi-x', ['-M', 'microvm,acpi=x', '-enable-kvm'],
         P + "Parameter 'acpi' does not accept value 'x'"),
    Case('machine-isa-serial-maybe',
         ['-M', 'microvm,isa-serial=maybe', '-enable-kvm'],
         P + "Parameter 'isa-serial' expects 'on' or 'off'"),
    Case('machine-option-roms-2',
         ['-M', 'microvm,x-option-roms=2', '-enable-kvm'],
         P + "Parameter 'x-option-roms' expects 'on' or 'off'"),
    Case('machine-auto-cmdline-x',
         ['-M', 'microvm,auto-kernel-cmdline=x', '-enable-kvm'],
         P + "Parameter 'auto-kernel-cmdline' expects 'on' or 'off'"),
    Case('machine-unknown-prop', ['-M', 'microvm,foo=1', '-enable-kvm'],
         P + "Property 'microvm-machine.foo' not found"),
    Case('machine-comma-escape', ['-M', 'microvm,acpi=off,,x', '-enable-kvm'],
         P + "Parameter 'acpi' does not accept value 'off,x'"),
    Case('machine-empty-key', ['-M', 'microvm,=on', '-enable-kvm'],
         P + "-M microvm,=on: Invalid parameter ''"),
    # -machine is keyval (util/keyval.c): no "key" or "nokey" flags
    Case('machine-key-without-value', ['-M', 'microvm,acpi', '-enable-kvm'],
         P + "-M microvm,acpi: Expected '=' after parameter 'acpi'"),
    Case('machine-key-without-value-first',
         ['-M', 'microvm,acpi,pit=off', '-enable-kvm'],
         P + "-M microvm,acpi,pit=off: Expected '=' after parameter 'acpi'"),
    Case('machine-no-prefix', ['-M', 'microvm,noacpi', '-enable-kvm'],
         P + "-M microvm,noacpi: Expected '=' after parameter 'noacpi'"),
    Case('machine-bool-key-without-value',
         ['-M', 'microvm,x-option-roms', '-enable-kvm'],
         P + "-M microvm,x-option-roms: Expected '=' after parameter "
         "'x-option-roms'"),
    Case('machine-type-key-without-value', ['-M', 'microvm,type'],
         P + "-M microvm,type: Expected '=' after parameter 'type'"),
    Case('machine-dotted-key-without-value', ['-M', 'microvm,smp.cpus'],
         P + "-M microvm,smp.cpus: Expected '=' after parameter 'smp.cpus'"),
    Case('machine-empty-param', ['-M', 'microvm,,acpi=off', '-enable-kvm'],
         P + "-M microvm,,acpi=off: Invalid parameter ''"),
    Case('machine-dump-guest-core',
         ['-M', 'microvm,dump-guest-core=maybe', '-enable-kvm'],
         P + "Parameter 'dump-guest-core' expects 'on' or 'off'"),
    Case('machine-memory-backend',
         ['-M', 'microvm,memory-backend=nosuch', '-enable-kvm'],
         P + "Memory backend 'nosuch' not found"),
    Case('machine-accel-nosuch', ['-M', 'microvm,accel=nosuch'],
         P + 'invalid accelerator nosuch'),
    Case('machine-accel-and-accel',
         ['-M', 'microvm,accel=kvm', '-accel', 'kvm'],
         P + 'The -accel and "-machine accel=" options are incompatible'),

    # --- -m ---
    Case('m-foo', K + ['-m', 'foo'],
         P + "-m foo: Parameter 'size' expects a non-negative number below "
         '2^64'),
    Case('m-12x', K + ['-m', '12x'],
         P + "-m 12x: Parameter 'size' expects a non-negative number below "
         '2^64'),
    Case('m-negative', K + ['-m', '-1'],
         P + "-m -1: Parameter 'size' expects a non-negative number below "
         '2^64'),
    Case('m-empty-accepted', K + ['-m', ''] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('m-unknown-param', K + ['-m', '128,foo=1'],
         P + "-m 128,foo=1: Invalid parameter 'foo'"),
    Case('m-maxmem-below', K + ['-m', '256,maxmem=128'],
         P + 'invalid value of maxmem: maximum memory size (0x80) must be '
         'at least the initial memory size (0x10000000)'),
    Case('m-slots-no-maxmem', K + ['-m', '128,slots=2'],
         P + 'slots specified but no max-size'),
    Case('m-1T', K + ['-m', '1T'] + NOBIOS,
         P + "cannot set up guest memory 'microvm.ram': Cannot allocate "
         'memory'),
    Case('m-0-accepted', K + ['-m', '0'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('m-suffix-accepted', K + ['-m', '64M'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),

    # --- -smp (microvm: sockets/cores/threads only) ---
    Case('smp-0-accepted', K + ['-smp', '0'] + NOBIOS,
         P + 'warning: Deprecated CPU topology (considered invalid): CPU '
         'topology parameters must be greater than zero'),
    Case('smp-foo', K + ['-smp', 'foo'],
         P + "Parameter 'smp.cpus' expects integer"),
    Case('smp-maxcpus-below', K + ['-smp', 'cpus=2,maxcpus=1'],
         P + 'Invalid CPU topology: maxcpus must be equal to or greater '
         'than smp: sockets (1) * cores (1) * threads (1) == maxcpus (1) < '
         'smp_cpus (2)'),
    Case('smp-sockets-mismatch', K + ['-smp', '4,sockets=3'],
         P + 'Invalid CPU topology: product of the hierarchy must match '
         'maxcpus: sockets (3) * cores (1) * threads (1) != maxcpus (4)'),
    Case('smp-topology-product', K + ['-smp', '2,sockets=2,cores=2,threads=2'],
         P + 'Invalid CPU topology: product of the hierarchy must match '
         'maxcpus: sockets (2) * cores (2) * threads (2) != maxcpus (2)'),
    Case('smp-cores-0-accepted', K + ['-smp', '2,cores=0'] + NOBIOS,
         P + 'warning: Deprecated CPU topology (considered invalid): CPU '
         'topology parameters must be greater than zero'),
    Case('smp-dies', K + ['-smp', '2,dies=2'],
         P + "dies not supported by this machine's CPU topology"),
    Case('smp-clusters', K + ['-smp', '2,clusters=2'],
         P + "clusters not supported by this machine's CPU topology"),
    Case('smp-unknown-param', K + ['-smp', '2,nosuch=1'],
         P + "Parameter 'smp.nosuch' is unexpected"),
    Case('smp-too-many', K + ['-smp', '1000'],
         P + 'Invalid SMP CPUs 1000. The max CPUs supported by machine '
         "'microvm' is 288"),
    Case('smp-accepted', K + ['-smp', '2,sockets=1,cores=2'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    # SMPConfiguration's members are int64s that machine_parse_smp_config
    # stores in unsigned ints: 2^32 + 1 is 1, -1 is 4294967295 (printed
    # with %d), only what overflows an int64 is refused.
    Case('smp-cores-2p32-plus-1-accepted',
         K + ['-smp', 'cores=4294967297'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('smp-cpus-2p32-accepted', K + ['-smp', 'cpus=4294967296'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('smp-cpus-2p32-plus-2-accepted',
         K + ['-smp', 'cpus=0x100000002,maxcpus=2'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('smp-sockets-2p32-accepted',
         K + ['-smp', 'sockets=4294967296,cpus=2'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('smp-int64-min-accepted',
         K + ['-smp', 'cpus=-9223372036854775808'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('smp-negative', K + ['-smp', 'cpus=-1'],
         P + "Invalid SMP CPUs -1. The max CPUs supported by machine "
         "'microvm' is 288"),
    Case('smp-int64-max', K + ['-smp', 'cpus=9223372036854775807'],
         P + "Invalid SMP CPUs -1. The max CPUs supported by machine "
         "'microvm' is 288"),
    Case('smp-int64-overflow', K + ['-smp', 'cpus=9223372036854775808'],
         P + "Parameter 'smp.cpus' expects integer"),
    Case('smp-uint64-max', K + ['-smp', 'cpus=18446744073709551615'],
         P + "Parameter 'smp.cpus' expects integer"),
    # -smp is keyval: a key needs '=' after the implied first one
    Case('smp-key-without-value', K + ['-smp', '2,cores'],
         P + "-smp 2,cores: Expected '=' after parameter 'cores'"),

    # --- -cpu ---
    Case('cpu-unknown', ['-M', 'microvm', '-enable-kvm', '-cpu', 'nosuch'],
         P + "unable to find CPU model 'nosuch'"),
    Case('cpu-bad-prop',
         ['-M', 'microvm', '-enable-kvm', '-cpu', 'host,nosuchprop=on'],
         P + "can't apply global host-x86_64-cpu.nosuchprop=on: Property "
         "'host-x86_64-cpu.nosuchprop' not found"),
    Case('cpu-bad-flag-value',
         ['-M', 'microvm', '-enable-kvm', '-cpu', 'host,sse2=maybe'],
         P + "can't apply global host-x86_64-cpu.sse2=maybe: Parameter "
         "'sse2' expects 'on' or 'off'"),

    # --- -accel ---
    Case('accel-unknown', ['-M', 'microvm', '-accel', 'nosuch'],
         P + '-accel nosuch: invalid accelerator nosuch'),
    Case('accel-bad-prop', ['-M', 'microvm', '-accel', 'kvm,nosuch=1'],
         P + "-accel kvm,nosuch=1: Property 'kvm-accel.nosuch' not found"),
    Case('accel-irqchip-maybe',
         ['-M', 'microvm', '-accel', 'kvm,kernel-irqchip=maybe'],
         P + "-accel kvm,kernel-irqchip=maybe: Parameter 'kernel-irqchip' "
         "does not accept value 'maybe'"),
    Case('accel-empty-lists', ['-M', 'microvm', '-accel', ''],
         '', status=0),

    # --- -kernel / -initrd / -append / -bios / -L ---
    Case('kernel-missing', K + ['-kernel', '/nonexistent'],
         "qemu: could not open kernel file '/nonexistent': No such file or "
         'directory'),
    Case('kernel-not-a-kernel', K + ['-kernel', '{tmp}/text'],
         'qemu: invalid kernel header'),
    Case('kernel-empty-file', K + ['-kernel', '{tmp}/empty'],
         "qemu: could not load kernel '{tmp}/empty': Argument list too long"),
    Case('initrd-without-kernel', K + ['-initrd', '/nonexistent'],
         P + '-initrd only allowed with -kernel option'),
    Case('append-without-kernel', K + ['-append', 'console=ttyS0'],
         P + '-append only allowed with -kernel option'),
    Case('dtb-without-kernel-accepted', K + ['-dtb', '/nonexistent'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('bios-missing', K + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('bios-empty', K + ['-bios', '/dev/null'],
         "qemu: could not load PC BIOS '/dev/null'"),
    Case('bios-directory', K + ['-bios', '/'],
         "qemu: could not load PC BIOS '/'"),
    # Firmware: any multiple of 64 KiB below 2 GiB (QEMU's int size); a
    # non-regular file has size 0 or none.
    Case('bios-dev-zero', K + ['-bios', '/dev/zero'],
         "qemu: could not load PC BIOS '/dev/zero'"),
    Case('bios-17m-accepted',
         K + ['-bios', '{tmp}/bios-17m.rom', '-device', 'isa-debug-exit'],
         ''),
    Case('bios-2g', K + ['-bios', '{tmp}/bios-2g.rom'],
         "qemu: could not load PC BIOS '{tmp}/bios-2g.rom'"),
    Case('bios-not-64k-multiple', K + ['-bios', '{tmp}/text'],
         "qemu: could not load PC BIOS '{tmp}/text'"),
    # A kernel file of 2 GiB or more: QEMU's int size is negative.
    Case('kernel-3g', K + ['-kernel', '{tmp}/kernel-3g'],
         'qemu: invalid kernel header'),
    Case('kernel-3g-bzimage', K + ['-kernel', '{tmp}/kernel-3g-bzimage'],
         'qemu: invalid kernel header'),
    # Multiboot a.out: load_end_addr past the end of the file
    Case('multiboot-load-end-past-eof', KA + ['-kernel', '{tmp}/mb-eof'],
         P + 'fread() failed'),
    # PVH ELF kernels: load_elf's size in an int, then QEMU's ROM overlap
    # check once the machine is done (ELF segments and the firmware).
    Case('pvh-memsz-4g', KA + ['-kernel', '{tmp}/pvh-memsz-4g'],
         P + 'Error while loading elf kernel'),
    Case('pvh64-memsz-4g', KA + ['-kernel', '{tmp}/pvh64-memsz-4g'],
         P + 'Error while loading elf kernel'),
    Case('pvh-overlap', KA + ['-kernel', '{tmp}/pvh-overlap'],
         P + 'Some ROM regions are overlapping'),
    Case('pvh-over-firmware', KA + ['-kernel', '{tmp}/pvh-over-firmware'],
         P + 'Some ROM regions are overlapping'),
    Case('pvh-bss-over-firmware',
         KA + ['-kernel', '{tmp}/pvh-bss-over-firmware'],
         P + 'Some ROM regions are overlapping'),
    Case('pvh-wrap-4g', KA + ['-kernel', '{tmp}/pvh-wrap-4g'],
         P + 'Some ROM regions are overlapping'),
    Case('pvh-memsz-4g-high', KA + ['-kernel', '{tmp}/pvh-memsz-4g-high'],
         P + 'Some ROM regions are overlapping'),
    Case('pvh-overlap-device-error-first',
         KA + ['-kernel', '{tmp}/pvh-overlap', '-device', 'nosuch'],
         P + "-device nosuch: 'nosuch' is not a valid device model name"),
    # ... and those QEMU boots (the kernel exits through isa-debug-exit:
    # status 11)
    Case('pvh-bss-only-accepted',
         KA + ['-kernel', '{tmp}/pvh-bss-only', '-device', 'isa-debug-exit'],
         '', status=11),
    Case('pvh-bss-overlap-accepted',
         KA + ['-kernel', '{tmp}/pvh-bss-overlap', '-device',
               'isa-debug-exit'], '', status=11),
    Case('pvh64-paddr-2p64-accepted',
         KA + ['-kernel', '{tmp}/pvh64-paddr-2p64', '-device',
               'isa-debug-exit'], '', status=11),
    Case('L-nonexistent', K + ['-L', '/nonexistent'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('L-nonexistent-named-bios',
         K + ['-L', '/nonexistent', '-bios', 'nosuch.bin'],
         "qemu: could not load PC BIOS 'nosuch.bin'"),

    # --- -chardev ---
    Case('chardev-no-id', K + ['-chardev', 'null'],
         P + '-chardev null: chardev: no id specified'),
    Case('chardev-unknown-backend', K + ['-chardev', 'nosuch,id=c0'],
         P + "-chardev nosuch,id=c0: 'nosuch' is not a valid char driver "
         'name'),
    Case('chardev-duplicate-id',
         K + ['-chardev', 'null,id=c0', '-chardev', 'null,id=c0'],
         P + "-chardev null,id=c0: Duplicate ID 'c0' for chardev"),
    Case('chardev-bad-id', K + ['-chardev', 'null,id=1c'],
         P + "-chardev null,id=1c: Parameter 'id' expects an identifier"),
    Case('chardev-unknown-param', K + ['-chardev', 'null,id=c0,foo=1'],
         P + "-chardev null,id=c0,foo=1: Invalid parameter 'foo'"),
    Case('chardev-file-bad-path',
         K + ['-chardev', 'file,id=c0,path=/nonexistent/x'],
         P + '-chardev file,id=c0,path=/nonexistent/x: Could not open '
         "'/nonexistent/x': No such file or directory"),
    Case('chardev-file-no-path', K + ['-chardev', 'file,id=c0'],
         P + '-chardev file,id=c0: chardev: file: no filename given'),
    Case('chardev-socket-no-host', K + ['-chardev', 'socket,id=c0'],
         P + '-chardev socket,id=c0: Unable to parse FD number '),
    Case('chardev-pipe-bad-path',
         K + ['-chardev', 'pipe,id=c0,path=/nonexistent/x'],
         P + '-chardev pipe,id=c0,path=/nonexistent/x: Could not open '
         "'/nonexistent/x': No such file or directory"),
    Case('chardev-stdio-signal-maybe',
         K + ['-chardev', 'stdio,id=c0,signal=maybe'],
         P + "-chardev stdio,id=c0,signal=maybe: Parameter 'signal' expects "
         "'on' or 'off'"),
    Case('chardev-empty-backend', K + ['-chardev', ',id=c0'],
         P + "-chardev ,id=c0: '' is not a valid char driver name"),

    # --- -serial ---
    Case('serial-unknown', K + ['-serial', 'nosuch'],
         P + "-serial nosuch: 'nosuch' is not a valid char driver"),
    Case('serial-file-bad-path', K + ['-serial', 'file:/nonexistent/x'],
         P + "-serial file:/nonexistent/x: Could not open '/nonexistent/x': "
         'No such file or directory'),
    Case('serial-tcp-empty', K + ['-serial', 'tcp:'],
         P + '-serial tcp:: could not connect serial device to character '
         "backend 'tcp:'"),
    Case('serial-chardev-prefix', K + ['-serial', 'chardev:nosuch'],
         P + '-serial chardev:nosuch: could not connect serial device to '
         "character backend 'chardev:nosuch'"),
    Case('serial-mon-bad', K + ['-serial', 'mon:nosuch'],
         P + "-serial mon:nosuch: 'nosuch' is not a valid char driver"),
    Case('serial-five-accepted', K + ['-serial', 'null'] * 5 + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),

    # --- -device ---
    Case('device-unknown', K + ['-device', 'nosuch'],
         P + "-device nosuch: 'nosuch' is not a valid device model name"),
    Case('device-serial-no-chardev',
         K + ['-device', 'isa-serial,chardev=nosuch'],
         P + "-device isa-serial,chardev=nosuch: Property 'serial.chardev' "
         "can't find value 'nosuch'"),
    Case('device-serial-iobase-foo', K + ['-device', 'isa-serial,iobase=foo'],
         P + "-device isa-serial,iobase=foo: Parameter 'iobase' expects "
         'integer'),
    Case('device-serial-unknown-prop', K + ['-device', 'isa-serial,nosuch=1'],
         P + "-device isa-serial,nosuch=1: Property 'isa-serial.nosuch' not "
         'found'),
    Case('device-serial-index-9', K + ['-device', 'isa-serial,index=9'],
         P + '-device isa-serial,index=9: Max. supported number of ISA '
         'serial ports is 4.'),
    Case('device-serial-bad-id', K + ['-device', 'isa-serial,id=1x'],
         P + "-device isa-serial,id=1x: Parameter 'id' expects an identifier"),
    Case('device-duplicate-id',
         K + ['-device', 'isa-debug-exit,id=d0', '-device',
          'isa-debug-exit,id=d0'],
         P + "-device isa-debug-exit,id=d0: Duplicate ID 'd0' for device"),
    Case('device-debugexit-iosize-x',
         K + ['-device', 'isa-debug-exit,iosize=x'],
         P + "-device isa-debug-exit,iosize=x: Parameter 'iosize' expects "
         'integer'),
    Case('device-debugexit-iobase-big',
         K + ['-device', 'isa-debug-exit,iobase=-1'],
         P + "-device isa-debug-exit,iobase=-1: Parameter 'iobase' expects "
         'uint32_t'),
    # bus=: QEMU's qbus_find and the bus-type check (qdev_device_add)
    Case('device-bus-not-found', K + ['-device', 'isa-debug-exit,bus=foo'],
         P + "-device isa-debug-exit,bus=foo: Bus 'foo' not found"),
    Case('device-bus-wrong-type',
         K + ['-device', 'isa-debug-exit,bus=virtio-mmio-bus.0'],
         P + "-device isa-debug-exit,bus=virtio-mmio-bus.0: Device "
         "'isa-debug-exit' can't go on virtio-mmio-bus bus"),
    Case('device-bus-isa',
         K + ['-device', 'isa-debug-exit,bus=isa.0', '-device', 'nosuch'],
         P + "-device nosuch: 'nosuch' is not a valid device model name"),
    Case('device-bus-isa-dup-id',
         K + ['-device', 'isa-debug-exit,bus=isa.0,id=x', '-device',
              'isa-debug-exit,bus=isa.0,id=x'],
         P + "-device isa-debug-exit,bus=isa.0,id=x: Duplicate ID 'x' for "
         "device"),
    Case('device-ioapic', K + ['-device', 'ioapic'],
         P + "-device ioapic: Parameter 'driver' expects a pluggable device "
         "type"),
    Case('device-isa-pit', K + ['-device', 'isa-pit'],
         P + "-device isa-pit: Parameter 'driver' expects a pluggable device "
         "type"),
    Case('device-no-driver', K + ['-device', 'id=d0'],
         P + "-device id=d0: Parameter 'driver' is missing"),
    Case('device-virtio-blk-no-drive', K + ['-device', 'virtio-blk-device'],
         P + '-device virtio-blk-device: drive property not set'),
    Case('device-virtio-net-bad-netdev',
         K + ['-device', 'virtio-net-device,netdev=nosuch'],
         P + '-device virtio-net-device,netdev=nosuch: Property '
         "'virtio-net-device.netdev' can't find value 'nosuch'"),
    Case('device-pci-on-microvm', K + ['-device', 'virtio-net-pci'],
         P + "-device virtio-net-pci: No 'PCI' bus found for device "
         "'virtio-net-pci'"),
    # virtio-serial: the bus a port needs, port numbering, properties
    Case('device-virtconsole-no-bus', K + ['-device', 'virtconsole'],
         P + "-device virtconsole: No 'virtio-serial-bus' bus found for "
         "device 'virtconsole'"),
    Case('device-virtio-serial-max-ports-0',
         K + ['-device', 'virtio-serial-device,max_ports=0'],
         P + '-device virtio-serial-device,max_ports=0: Maximum number of '
         'serial ports not specified'),
    Case('device-virtio-serial-max-ports-512',
         K + ['-device', 'virtio-serial-device,max_ports=512'],
         P + '-device virtio-serial-device,max_ports=512: maximum ports '
         'supported: 511'),
    Case('device-virtserialport-nr-0',
         K + ['-device', 'virtio-serial-device',
              '-device', 'virtserialport,nr=0'],
         P + '-device virtserialport,nr=0: Port number 0 on virtio-serial '
         'devices reserved for virtconsole devices for backward '
         'compatibility.'),
    Case('device-virtserialport-nr-out-of-range',
         K + ['-device', 'virtio-serial-device,max_ports=4',
              '-device', 'virtserialport,nr=4'],
         P + '-device virtserialport,nr=4: virtio-serial-bus: Out-of-range '
         'port id specified, max. allowed: 3'),
    Case('device-virtserialport-same-nr',
         K + ['-device', 'virtio-serial-device',
              '-device', 'virtconsole,nr=3', '-device', 'virtserialport,nr=3'],
         P + '-device virtserialport,nr=3: virtio-serial-bus: A port already '
         'exists at id 3'),
    Case('device-virtserialport-same-name',
         K + ['-device', 'virtio-serial-device',
              '-device', 'virtconsole,name=a',
              '-device', 'virtserialport,name=a'],
         P + '-device virtserialport,name=a: virtio-serial-bus: A port '
         'already exists by name a'),
    Case('device-virtconsole-no-chardev',
         K + ['-device', 'virtio-serial-device',
              '-device', 'virtconsole,chardev=nosuch'],
         P + "-device virtconsole,chardev=nosuch: Property "
         "'virtconsole.chardev' can't find value 'nosuch'"),
    Case('device-virtserialport-chardev-in-use',
         K + ['-chardev', 'null,id=c0', '-device', 'virtio-serial-device',
              '-device', 'virtconsole,chardev=c0',
              '-device', 'virtserialport,chardev=c0'],
         P + "-device virtserialport,chardev=c0: Property "
         "'virtserialport.chardev' can't take value 'c0': Device 'c0' is in "
         "use"),
    Case('device-virtio-serial-bus-by-id-accepted',
         K + ['-device', 'virtio-serial-device,id=vs',
              '-device', 'virtconsole,bus=vs.0',
              '-device', 'virtserialport,bus=vs.0,name=x'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),

    # Overlapping port ranges: the later region is in front, as QEMU's
    # subregions of equal priority; an ISA serial port or RTC at a base
    # already in the device tree fails there (machine done). COM1 exists
    # with a -serial backend; the firmware exits through port 0x501.
    Case('overlap-debug-exit-twice-accepted',
         K + ['-serial', 'null'] + EXIT + ['-device', 'isa-debug-exit'], ''),
    Case('overlap-debug-exit-fw-cfg-accepted',
         K + ['-serial', 'null'] + EXIT +
         ['-device', 'isa-debug-exit,iobase=0x510,iosize=4'], ''),
    Case('overlap-debug-exit-com1-accepted',
         K + ['-serial', 'null'] + EXIT +
         ['-device', 'isa-debug-exit,iobase=0x3f8'], ''),
    Case('overlap-debug-exit-pic-accepted',
         K + ['-serial', 'null'] + EXIT +
         ['-device', 'isa-debug-exit,iobase=0x20'], ''),
    Case('overlap-debug-exit-pit-accepted',
         K + ['-serial', 'null'] + EXIT +
         ['-device', 'isa-debug-exit,iobase=0x40'], ''),
    Case('overlap-debug-exit-across-accepted',
         K + ['-serial', 'null'] + EXIT +
         ['-device', 'isa-debug-exit,iobase=0x500,iosize=4'], ''),
    Case('overlap-debug-exit-top-accepted',
         K + ['-serial', 'null'] + EXIT +
         ['-device', 'isa-debug-exit,iobase=0xfffe,iosize=4'], ''),
    # iosize=0x10000 covers every port (not cut to 16 bits)
    Case('overlap-debug-exit-64k-accepted',
         K + ['-serial', 'null'] + EXIT +
         ['-device', 'isa-debug-exit,iobase=0,iosize=0x10000'], ''),
    Case('overlap-serial-pic-accepted',
         K + ['-serial', 'null'] + EXIT +
         ['-device', 'isa-serial,iobase=0x20'], ''),
    Case('overlap-serial-fw-cfg-accepted',
         K + ['-serial', 'null'] + EXIT +
         ['-device', 'isa-serial,iobase=0x510'], ''),
    Case('overlap-rtc-com1-accepted',
         K + ['-serial', 'null'] + EXIT +
         ['-device', 'mc146818rtc,iobase=0x3f8'], ''),
    Case('overlap-rtc-accepted', K + EXIT + ['-device', 'mc146818rtc'], ''),
    Case('overlap-serial-com1', K + ['-serial', 'null'] + EXIT +
         ['-device', 'isa-serial,iobase=0x3f8'],
         P + 'qemu_fdt_add_subnode: Failed to create subnode /serial@3f8: '
         'FDT_ERR_EXISTS'),
    Case('overlap-serial-twice', K + EXIT +
         ['-device', 'isa-serial,iobase=0x2f8', '-device',
          'isa-serial,iobase=0x2f8'],
         P + 'qemu_fdt_add_subnode: Failed to create subnode /serial@2f8: '
         'FDT_ERR_EXISTS'),
    Case('overlap-rtc-twice', K + EXIT +
         ['-device', 'mc146818rtc', '-device', 'mc146818rtc'],
         P + 'qemu_fdt_add_subnode: Failed to create subnode /rtc@70: '
         'FDT_ERR_EXISTS'),
    Case('overlap-rtc-board-rtc',
         KA + EXIT + ['-M', 'microvm,rtc=on', '-device', 'mc146818rtc'],
         P + 'qemu_fdt_add_subnode: Failed to create subnode /rtc@70: '
         'FDT_ERR_EXISTS'),
    Case('overlap-rtc-board-rtc-acpi',
         ['-M', 'microvm,rtc=on', '-enable-kvm', '-cpu', 'host'] + EXIT +
         ['-device', 'mc146818rtc'],
         P + 'qemu_fdt_add_subnode: Failed to create subnode /rtc@70: '
         'FDT_ERR_EXISTS'),

    # --- -name and friends ---
    Case('name-unknown-param', K + ['-name', 'g,nosuch=1'],
         P + "-name g,nosuch=1: Invalid parameter 'nosuch'"),
    Case('name-debug-threads-maybe', K + ['-name', 'g,debug-threads=maybe'],
         P + "-name g,debug-threads=maybe: Parameter 'debug-threads' "
         "expects 'on' or 'off'"),
    Case('name-accepted', K + ['-name', 'guest=vm0,process=vm0'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    # The IOAPIC, PIC and PIT are devices -global reaches, as in QEMU
    Case('global-ioapic-bad-version', K + ['-global', 'ioapic.version=0x12'],
         P + 'IOAPIC only supports version 0x11 or 0x20 (default: 0x20).'),
    Case('global-ioapic-v11', K + ['-global', 'ioapic.version=0x11',
                                   '-device', 'nosuch'],
         P + "-device nosuch: 'nosuch' is not a valid device model name"),
    Case('global-i8259-bad-value', K + ['-global', 'isa-i8259.elcr_mask=foo'],
         P + "can't apply global isa-i8259.elcr_mask=foo: Parameter "
         "'elcr_mask' expects uint64"),
    Case('global-pit-bad-value', K + ['-global', 'isa-pit.iobase=foo'],
         P + "can't apply global isa-pit.iobase=foo: Parameter 'iobase' "
         "expects uint64"),
    Case('global-unknown-driver', K + ['-global', 'nosuch.prop=1'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('global-bad-value',
         K + ['-global', 'isa-serial.iobase=foo', '-device', 'isa-serial'],
         P + "-device isa-serial: can't apply global isa-serial.iobase=foo: "
         "Parameter 'iobase' expects uint64"),
    Case('uuid-bad', K + ['-uuid', 'nosuch'],
         P + '-uuid nosuch: failed to parse UUID string: wrong format'),
    Case('rtc-bad-base', K + ['-rtc', 'base=nosuch'],
         P + 'invalid datetime format'),
    Case('display-unknown', K + ['-display', 'nosuch'],
         P + "-display nosuch: Parameter 'type' does not accept value "
         "'nosuch'"),
    Case('icount-with-kvm', K + ['-icount', '1'],
         P + '-icount is not allowed with hardware virtualization'),
    Case('action-bad', K + ['-action', 'reboot=nosuch'],
         P + "-action reboot=nosuch: Parameter 'reboot' does not accept "
         "value 'nosuch'"),
    Case('object-unknown', K + ['-object', 'nosuch,id=o0'],
         P + "-object nosuch,id=o0: Parameter 'qom-type' does not accept "
         "value 'nosuch'"),
    Case('pidfile-bad-path', K + ['-pidfile', '/nonexistent/x'],
         P + "cannot create PID file: Could not create '/nonexistent/x': No "
         'such file or directory'),
    Case('msg-bad', K + ['-msg', 'timestamp=maybe'],
         P + "-msg timestamp=maybe: Parameter 'timestamp' expects 'on' or "
         "'off'"),

    # --- more accepted combinations and backend failures ---
    Case('machine-prop-kernel-missing',
         K + ['-M', 'microvm,kernel=/nonexistent'],
         "qemu: could not open kernel file '/nonexistent': No such file or "
         'directory'),
    Case('machine-prop-firmware-missing',
         K + ['-M', 'microvm,firmware=/nonexistent'],
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('machine-merge-accepted', K + ['-machine', 'pit=off'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('enable-kvm-and-accel', K + ['-accel', 'kvm'],
         P + 'The -accel and "-machine accel=" options are incompatible'),
    Case('cpu-plus-unknown-flag',
         ['-M', 'microvm', '-enable-kvm', '-cpu', 'host,+nosuch'] + NOBIOS,
         P + "Property 'host-x86_64-cpu.nosuch' not found"),
    Case('m-hotplug-accepted', K + ['-m', '4G,maxmem=8G,slots=1'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('m-fraction-accepted', K + ['-m', '3.5G'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('smp-maxcpus-above-kvm', K + ['-smp', '2,maxcpus=4'] + NOBIOS,
         P + 'warning: Number of hotpluggable cpus requested (4) exceeds '
         'the recommended cpus supported by KVM (2)'),
    Case('name-empty-accepted', K + ['-name', ''] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('L-at-end', ['-L'],
         P + '-L: requires an argument'),
    Case('bios-at-end', ['-bios'],
         P + '-bios: requires an argument'),
    Case('global-at-end', ['-global'],
         P + '-global: requires an argument'),
    Case('kernel-and-initrd-missing',
         K + ['-kernel', '/nonexistent', '-initrd', '/nonexistent'],
         "qemu: could not open kernel file '/nonexistent': No such file or "
         'directory'),
    Case('chardev-stdio-twice',
         K + ['-chardev', 'stdio,id=a', '-chardev', 'stdio,id=b'],
         P + '-chardev stdio,id=b: cannot use stdio by multiple character '
         'devices'),
    Case('chardev-file-directory', K + ['-chardev', 'file,id=c0,path={tmp}'],
         P + "-chardev file,id=c0,path={tmp}: Could not open '{tmp}': Is a "
         'directory'),
    Case('chardev-socket-bind-fail',
         K + ['-chardev',
          'socket,id=c0,path=/nonexistent/x,server=on,' 'wait=off'],
         P + '-chardev socket,id=c0,path=/nonexistent/x,server=on,wait=off: '
         'Failed to bind socket to /nonexistent/x: No such file or directory'),
    Case('chardev-socket-connect-refused',
         K + ['-chardev', 'socket,id=c0,host=127.0.0.1,port=1'],
         P + '-chardev socket,id=c0,host=127.0.0.1,port=1: Failed to '
         "connect to '127.0.0.1:1': Connection refused"),
    Case('chardev-defined-after-device-accepted',
         K + ['-device', 'isa-serial,chardev=c0', '-chardev',
          'null,id=c0'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('serial-stdio-twice', K + ['-serial', 'stdio', '-serial', 'stdio'],
         P + '-serial stdio: cannot use stdio by multiple character devices'),
    Case('serial-unix-bad-path', K + ['-serial', 'unix:/nonexistent/x'],
         P + '-serial unix:/nonexistent/x: Failed to connect to '
         "'/nonexistent/x': No such file or directory"),
    Case('serial-none-accepted', K + ['-serial', 'none'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('serial-with-isa-serial-off-accepted',
         K + ['-M', 'microvm,isa-serial=off', '-serial', 'stdio'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('nographic-accepted', K + ['-nographic'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('nographic-serial-stdio-accepted',
         K + ['-nographic', '-serial', 'stdio'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('device-serial-five', K + ['-device', 'isa-serial'] * 5,
         P + '-device isa-serial: Max. supported number of ISA serial ports '
         'is 4.'),
    Case('device-serial-index-4', K + ['-device', 'isa-serial,index=4'],
         P + '-device isa-serial,index=4: Max. supported number of ISA '
         'serial ports is 4.'),
    Case('device-serial-two-accepted',
         K + ['-device', 'isa-serial'] * 2 + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('device-debugexit-iosize-0-accepted',
         K + ['-device', 'isa-debug-exit,iosize=0'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('display-none-gl', K + ['-display', 'none,gl=on'] + NOBIOS,
         P + 'OpenGL is not supported by the display'),
    # --- issue 4: process, logging, boot and run-state options ---
    Case('global-short-form', K + ['-global', 'nosuch'],
         P + "-global nosuch: warning: short-form boolean option 'nosuch' "
         'deprecated'),
    Case('global-no-dot', K + ['-global', 'a=b'],
         P + "-global a=b: Invalid parameter 'a'"),
    Case('global-empty-driver', K + ['-global', '.b=c'],
         P + "-global .b=c: Invalid parameter '.b'"),
    Case('global-unknown-prop',
         K + ['-global', 'isa-serial.nosuch=1', '-device', 'isa-serial'],
         P + "-device isa-serial: can't apply global isa-serial.nosuch=1: "
         "Property 'isa-serial.nosuch' not found"),
    Case('global-missing-value',
         K + ['-global', 'driver=isa-serial,property=x'],
         P + "-global driver=isa-serial,property=x: options 'driver', "
         "'property', and 'value' are required"),
    Case('global-long-form-accepted',
         K + ['-global', 'driver=isa-serial,property=iobase,value=0x2f8']
         + NOBIOS, "qemu: could not load PC BIOS '/nonexistent'"),
    Case('global-accepted', K + ['-global', 'isa-serial.iobase=0x3f8']
         + NOBIOS, "qemu: could not load PC BIOS '/nonexistent'"),
    Case('global-debugexit-bad',
         K + ['-global', 'isa-debug-exit.iosize=x', '-device',
              'isa-debug-exit'],
         P + "-device isa-debug-exit: can't apply global "
         "isa-debug-exit.iosize=x: Parameter 'iosize' expects uint32_t"),
    Case('uuid-no-dashes', K + ['-uuid', '123456781234123412341234567890ab'],
         P + '-uuid 123456781234123412341234567890ab: failed to parse UUID '
         'string: wrong format'),
    Case('uuid-braces', K + ['-uuid',
                             '{12345678-1234-1234-1234-123456789abc}'],
         P + '-uuid {12345678-1234-1234-1234-123456789abc}: failed to parse '
         'UUID string: wrong format'),
    Case('uuid-empty', K + ['-uuid', ''],
         P + '-uuid : failed to parse UUID string: wrong format'),
    Case('uuid-bad-hex', K + ['-uuid', '1234567g-1234-1234-1234-123456789abc'],
         P + '-uuid 1234567g-1234-1234-1234-123456789abc: failed to parse '
         'UUID string: wrong format'),
    Case('uuid-at-end', ['-uuid'], P + '-uuid: requires an argument'),
    Case('uuid-accepted',
         K + ['-uuid', '12345678-1234-1234-1234-123456789ABC'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('rtc-bad-clock', K + ['-rtc', 'clock=nosuch'],
         P + "invalid option value 'nosuch'"),
    Case('rtc-bad-driftfix', K + ['-rtc', 'driftfix=nosuch'],
         P + "invalid option value 'nosuch'"),
    Case('rtc-unknown-param', K + ['-rtc', 'nosuch=1'],
         P + "-rtc nosuch=1: Invalid parameter 'nosuch'"),
    Case('rtc-short-form', K + ['-rtc', 'utc'],
         P + "-rtc utc: warning: short-form boolean option 'utc' deprecated"),
    Case('rtc-bad-date-time', K + ['-rtc', 'base=2006-06'],
         P + 'invalid datetime format'),
    Case('rtc-at-end', ['-rtc'], P + '-rtc: requires an argument'),
    Case('rtc-utc-accepted', K + ['-rtc', 'base=utc'] + NOBIOS, "qemu: could not load PC BIOS '/nonexistent'"),
    Case('rtc-localtime-accepted', K + ['-rtc', 'base=localtime,clock=vm']
         + NOBIOS, "qemu: could not load PC BIOS '/nonexistent'"),
    Case('rtc-date-accepted', K + ['-rtc', 'base=2006-06-17T16:01:21,'
                                   'clock=rt,driftfix=slew'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('rtc-day-accepted', K + ['-rtc', 'base=2006-06-17,clock=host,'
                                  'driftfix=none'] + NOBIOS, "qemu: could not load PC BIOS '/nonexistent'"),
    Case('rtc-merge-accepted', K + ['-rtc', 'base=utc', '-rtc',
                                    'clock=host'] + NOBIOS, "qemu: could not load PC BIOS '/nonexistent'"),
    Case('action-shutdown-bad', K + ['-action', 'shutdown=nosuch'],
         P + "-action shutdown=nosuch: Parameter 'shutdown' does not accept "
         "value 'nosuch'"),
    Case('action-panic-bad', K + ['-action', 'panic=nosuch'],
         P + "-action panic=nosuch: Parameter 'panic' does not accept value "
         "'nosuch'"),
    Case('action-watchdog-bad', K + ['-action', 'watchdog=nosuch'],
         P + "-action watchdog=nosuch: Parameter 'watchdog' does not accept "
         "value 'nosuch'"),
    Case('action-unknown-param', K + ['-action', 'nosuch=1'],
         P + "-action nosuch=1: Invalid parameter 'nosuch'"),
    Case('action-short-form', K + ['-action', 'reboot'],
         P + "-action reboot: warning: short-form boolean option 'reboot' "
         'deprecated'),
    Case('action-accepted', K + ['-action', 'reboot=shutdown,'
                                 'shutdown=pause,panic=exit-failure,'
                                 'watchdog=inject-nmi'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('watchdog-action-bad', K + ['-watchdog-action', 'nosuch'],
         P + "-watchdog-action nosuch: Parameter 'watchdog' does not accept "
         "value 'nosuch'"),
    Case('watchdog-action-accepted', K + ['-watchdog-action', 'pause']
         + NOBIOS, "qemu: could not load PC BIOS '/nonexistent'"),
    Case('msg-unknown-param', K + ['-msg', 'nosuch=1'],
         P + "-msg nosuch=1: Invalid parameter 'nosuch'"),
    Case('msg-guest-name-bad', K + ['-msg', 'guest-name=x'],
         P + "-msg guest-name=x: Parameter 'guest-name' expects 'on' or "
         "'off'"),
    Case('msg-short-form', K + ['-msg', 'timestamp'] + NOBIOS,
         P + "-msg timestamp: warning: short-form boolean option "
         "'timestamp' deprecated"),
    Case('msg-guest-name-error',
         K + ['-name', 'vm7', '-msg', 'guest-name=on', '-M',
              'microvm,foo=1'],
         "vm7 PROG: Property 'microvm-machine.foo' not found"),
    Case('msg-accepted', K + ['-msg', 'timestamp=off,guest-name=on']
         + NOBIOS, "qemu: could not load PC BIOS '/nonexistent'"),
    Case('overcommit-mem-lock-on-fault', K + ['-overcommit',
                                              'mem-lock=on-fault'],
         P + "-overcommit mem-lock=on-fault: Parameter 'mem-lock' expects "
         "'on' or 'off'"),
    Case('overcommit-cpu-pm-bad', K + ['-overcommit', 'cpu-pm=x'],
         P + "-overcommit cpu-pm=x: Parameter 'cpu-pm' expects 'on' or "
         "'off'"),
    Case('overcommit-unknown-param', K + ['-overcommit', 'nosuch=1'],
         P + "-overcommit nosuch=1: Invalid parameter 'nosuch'"),
    Case('overcommit-mem-lock-accepted', K + ['-overcommit', 'mem-lock=on']
         + NOBIOS, "qemu: could not load PC BIOS '/nonexistent'"),
    Case('overcommit-off-accepted', K + ['-overcommit',
                                        'mem-lock=off,cpu-pm=off'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('boot-key-without-value', K + ['-boot', 'once=c,strict'],
         P + "-boot once=c,strict: Expected '=' after parameter 'strict'"),
    Case('boot-bad-device', K + ['-boot', 'order=z'],
         P + "Invalid boot device 'z'"),
    Case('boot-device-twice', K + ['-boot', 'order=cc'],
         P + "Boot device 'c' was given twice"),
    Case('boot-upper-case', K + ['-boot', 'A'],
         P + "Invalid boot device 'A'"),
    Case('boot-once-bad', K + ['-boot', 'once=z'],
         P + "Invalid boot device 'z'"),
    Case('boot-menu-bad', K + ['-boot', 'menu=x'],
         P + "Parameter 'boot.menu' expects 'on' or 'off'"),
    Case('boot-strict-bad', K + ['-boot', 'strict=x'],
         P + "Parameter 'boot.strict' expects 'on' or 'off'"),
    Case('boot-splash-time-bad', K + ['-boot', 'splash-time=x'],
         P + "Parameter 'boot.splash-time' expects integer"),
    Case('boot-splash-time-range', K + ['-boot', 'splash-time=99999999'],
         P + 'splash-time is invalid,it should be a value between 0 and '
         '65535'),
    Case('boot-reboot-timeout-bad', K + ['-boot', 'reboot-timeout=x'],
         P + "Parameter 'boot.reboot-timeout' expects integer"),
    Case('boot-reboot-timeout-range', K + ['-boot', 'reboot-timeout=70000'],
         P + 'reboot timeout is invalid,it should be a value between -1 '
         'and 65535'),
    Case('boot-reboot-timeout-minus-2', K + ['-boot', 'reboot-timeout=-2'],
         P + 'reboot timeout is invalid,it should be a value between -1 '
         'and 65535'),
    Case('boot-unknown-param', K + ['-boot', 'nosuch=1'],
         P + "Parameter 'boot.nosuch' is unexpected"),
    Case('boot-splash-missing', K + ['-boot', 'splash=/nonexistent.jpg']
         + NOBIOS, P + "failed to find file '/nonexistent.jpg'"),
    Case('boot-splash-not-image', K + ['-boot', 'splash={tmp}/text']
         + NOBIOS, P + "splash file '{tmp}/text' format not recognized; "
         'must be JPEG or 24 bit BMP'),
    Case('boot-at-end', ['-boot'], P + '-boot: requires an argument'),
    Case('boot-accepted', K + ['-boot', 'order=cdn,once=d,menu=on,'
                               'splash-time=5000,reboot-timeout=-1,'
                               'strict=on'] + NOBIOS, "qemu: could not load PC BIOS '/nonexistent'"),
    Case('boot-legacy-accepted', K + ['-boot', 'c'] + NOBIOS, "qemu: could not load PC BIOS '/nonexistent'"),
    Case('boot-last-wins-accepted', K + ['-boot', 'order=z', '-boot',
                                         'order=c'] + NOBIOS, "qemu: could not load PC BIOS '/nonexistent'"),
    Case('d-unknown', K + ['-d', 'nosuch'], ''),
    Case('d-help', ['-d', 'help'], ''),
    Case('d-empty-item', K + ['-d', 'guest_errors,,unimp'], ''),
    Case('d-accepted', K + ['-d', 'guest_errors,unimp'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('D-bad-path', K + ['-D', '/nonexistent/x'],
         P + 'Error opening logfile /nonexistent/x: No such file or '
         'directory'),
    Case('D-accepted', K + ['-D', '{tmp}/log', '-d', 'guest_errors']
         + NOBIOS, "qemu: could not load PC BIOS '/nonexistent'"),
    Case('d-at-end', ['-d'], P + '-d: requires an argument'),
    Case('trace-help', ['-trace', 'help'], '', status=0),
    Case('trace-unknown-event', K + ['-trace', 'nosuch'] + NOBIOS,
         P + "-trace nosuch: warning: trace event 'nosuch' does not exist"),
    Case('trace-enable-unknown', K + ['-trace', 'enable=nosuch'] + NOBIOS,
         P + "-trace enable=nosuch: warning: trace event 'nosuch' does not "
         'exist'),
    Case('trace-events-missing', K + ['-trace', 'events=/nonexistent'],
         'PROG:/nonexistent: No such file or directory'),
    Case('trace-unknown-param', K + ['-trace', 'nosuch=1'],
         P + "-trace nosuch=1: Invalid parameter 'nosuch'"),
    Case('trace-pattern-accepted', K + ['-trace', 'nosuch*'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('trace-file-accepted', K + ['-trace', 'file={tmp}/trace']
         + NOBIOS, "qemu: could not load PC BIOS '/nonexistent'"),
    Case('sandbox-bad', K + ['-sandbox', 'x'],
         P + "-sandbox x: Parameter 'enable' expects 'on' or 'off'"),
    Case('sandbox-unknown-param', K + ['-sandbox', 'on,nosuch=1'],
         P + "-sandbox on,nosuch=1: Invalid parameter 'nosuch'"),
    Case('sandbox-bad-obsolete', K + ['-sandbox', 'on,obsolete=x'],
         P + '-sandbox on,obsolete=x: invalid argument for obsolete'),
    Case('sandbox-bad-elevate', K + ['-sandbox',
                                     'on,elevateprivileges=x'],
         P + '-sandbox on,elevateprivileges=x: invalid argument for '
         'elevateprivileges'),
    Case('sandbox-bad-spawn', K + ['-sandbox', 'on,spawn=x'],
         P + '-sandbox on,spawn=x: invalid argument for spawn'),
    Case('sandbox-off-accepted', K + ['-sandbox', 'off'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('sandbox-on', K + ['-sandbox', 'on'] + NOBIOS, "qemu: could not load PC BIOS '/nonexistent'"),
    Case('runas-unknown-user', K + ['-runas', 'nosuchuser'],
         P + '-runas nosuchuser: User "nosuchuser" doesn\'t exist (and is '
         'not <uid>:<gid>)'),
    Case('runas-uid-only', K + ['-runas', '1000'],
         P + '-runas 1000: User "1000" doesn\'t exist (and is not '
         '<uid>:<gid>)'),
    Case('runas-bad-gid', K + ['-runas', '1000:x'],
         P + '-runas 1000:x: User "1000:x" doesn\'t exist (and is not '
         '<uid>:<gid>)'),
    Case('runas-accepted', K + ['-runas', '1000:1000'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('chroot-accepted', K + ['-chroot', '/nonexistent'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('pidfile-directory', K + ['-pidfile', '{tmp}'],
         P + "cannot create PID file: Could not create '{tmp}': Is a "
         'directory'),
    Case('pidfile-accepted', K + ['-pidfile', '{tmp}/pid'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('daemonize-bios-missing', K + ['-daemonize'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('daemonize-serial-stdio', K + ['-daemonize', '-serial', 'stdio'],
         P + '-serial stdio: cannot use stdio with -daemonize'),
    Case('daemonize-chardev-stdio', K + ['-daemonize', '-chardev',
                                         'stdio,id=c0'],
         P + '-chardev stdio,id=c0: cannot use stdio with -daemonize'),
    Case('daemonize-nographic-defaults',
         ['-display', 'none', '-no-user-config'] + K +
         ['-daemonize', '-nographic'],
         P + '-nographic cannot be used with -daemonize', base=False),
    Case('icount-bad-shift', K + ['-icount', 'shift=x'],
         P + '-icount shift=x: icount: Invalid shift value'),
    Case('icount-bad-align', K + ['-icount', '1,align=x'],
         P + "-icount 1,align=x: Parameter 'align' expects 'on' or 'off'"),
    Case('icount-unknown-param', K + ['-icount', 'nosuch=1'],
         P + "-icount nosuch=1: Invalid parameter 'nosuch'"),
    Case('no-acpi-accepted', K + ['-no-acpi'] + NOBIOS, "qemu: could not load PC BIOS '/nonexistent'"),
    # --- ACPI and the machine properties that depend on it ---
    machine_case('machine-acpi-on-accepted', 'acpi=on'),
    machine_case('machine-acpi-auto-accepted', 'acpi=auto'),
    machine_case('machine-ioapic2-off-accepted', 'ioapic2=off'),
    machine_case('machine-ioapic2-on-accepted', 'ioapic2=on'),
    machine_case('machine-acpi-off-ioapic2-on-accepted',
                 'acpi=off,ioapic2=on'),
    machine_case('machine-acpi-off-pcie-on-accepted', 'acpi=off,pcie=on'),
    machine_case('machine-acpi-off-usb-on-accepted', 'acpi=off,usb=on'),
    machine_case('machine-pcie-off-usb-off-accepted', 'pcie=off,usb=off'),
    machine_case('machine-acpi-on-rtc-on-accepted',
                 'acpi=on,rtc=on,ioapic2=off'),
    machine_case('machine-acpi-on-legacy-off-accepted',
                 'acpi=on,pic=off,pit=off,rtc=off,isa-serial=off'),
    machine_case('machine-no-acpi-ioapic2-on-accepted',
                 'ioapic2=on', ['-no-acpi']),
    machine_case('machine-acpi-on-no-acpi-accepted', 'acpi=on', ['-no-acpi']),
    machine_case('machine-pcie-on', 'pcie=on'),
    machine_case('machine-pcie-on-ioapic2-off', 'pcie=on,ioapic2=off'),
    machine_case('machine-usb-on', 'usb=on'),
    Case('S-without-monitor', K + ['-S'] + NOBIOS, "qemu: could not load PC BIOS '/nonexistent'"),
    Case('cpu-help', ['-cpu', 'help'], '', status=0),
    Case('machine-help', ['-M', 'help'], '', status=0),
    Case('boot-help', ['-boot', 'help'], '', status=0),
    Case('netdev-help', ['-netdev', 'help'], '', status=0),

    # --- -object and memory backends (issue 4: hostmem) ---
    # Parse-time errors carry the option (QEMU's opts visitor); errors
    # from creating the object (after the machine, for memory backends)
    # carry none. Never a mem-path that could be created outside {tmp}.
    Case('object-no-id', K + ['-object', 'memory-backend-ram'],
         P + "-object memory-backend-ram: Parameter 'id' is missing"),
    Case('object-no-size', K + ['-object', 'memory-backend-ram,id=m0'],
         P + "-object memory-backend-ram,id=m0: Parameter 'size' is "
         'missing'),
    Case('object-no-qom-type', K + ['-object', 'id=m0'],
         P + "-object id=m0: Parameter 'qom-type' is missing"),
    Case('object-empty', K + ['-object', ''],
         P + "-object : Parameter 'qom-type' is missing"),
    Case('object-abstract-type', K + ['-object', 'memory-backend,id=x'],
         P + "-object memory-backend,id=x: Parameter 'qom-type' does not "
         "accept value 'memory-backend'"),
    Case('object-qom-type-twice',
         K + ['-object', 'memory-backend-ram,id=m0,size=1M,qom-type=foo'],
         P + '-object memory-backend-ram,id=m0,size=1M,qom-type=foo: '
         "Parameter 'qom-type' does not accept value 'foo'"),
    Case('object-unknown-prop',
         K + ['-object', 'memory-backend-ram,id=m0,size=1M,foo=1'],
         P + "-object memory-backend-ram,id=m0,size=1M,foo=1: Invalid "
         "parameter 'foo'"),
    Case('object-duplicate-id',
         K + ['-object', 'iothread,id=i0', '-object', 'iothread,id=i0'],
         P + "-object iothread,id=i0: Duplicate ID 'i0' for object"),
    Case('object-bad-id', K + ['-object', 'memory-backend-ram,id=0m,size=1M'],
         P + "-object memory-backend-ram,id=0m,size=1M: Parameter 'id' "
         'expects an identifier'),
    Case('object-size-foo',
         K + ['-object', 'memory-backend-ram,id=m0,size=foo'],
         P + "-object memory-backend-ram,id=m0,size=foo: Parameter 'size' "
         'expects a size value'),
    Case('object-size-negative',
         K + ['-object', 'memory-backend-ram,id=m0,size=-1'],
         P + "-object memory-backend-ram,id=m0,size=-1: Parameter 'size' "
         'expects a size value'),
    Case('object-size-zero', K + ['-object', 'memory-backend-ram,id=m0,size=0'],
         P + "property 'size' of memory-backend-ram doesn't take value '0'"),
    Case('object-share-maybe',
         K + ['-object', 'memory-backend-ram,id=m0,size=1M,share=maybe'],
         P + '-object memory-backend-ram,id=m0,size=1M,share=maybe: '
         "Parameter 'share' expects 'on' or 'off'"),
    Case('object-prealloc-threads-x',
         K + ['-object', 'memory-backend-ram,id=m0,size=1M,'
              'prealloc-threads=x'],
         P + '-object memory-backend-ram,id=m0,size=1M,prealloc-threads=x: '
         "Parameter 'prealloc-threads' expects a uint64 value"),
    Case('object-prealloc-threads-big',
         K + ['-object', 'memory-backend-ram,id=m0,size=1M,'
              'prealloc-threads=5000000000'],
         P + '-object memory-backend-ram,id=m0,size=1M,'
         "prealloc-threads=5000000000: Parameter 'prealloc-threads' "
         'expects uint32_t'),
    Case('object-prealloc-threads-zero',
         K + ['-object', 'memory-backend-ram,id=m0,size=1M,'
              'prealloc-threads=0'],
         P + "property 'prealloc-threads' of memory-backend-ram doesn't "
         "take value '0'"),
    Case('object-policy-foo',
         K + ['-object', 'memory-backend-ram,id=m0,size=1M,policy=foo'],
         P + '-object memory-backend-ram,id=m0,size=1M,policy=foo: '
         "Parameter 'policy' does not accept value 'foo'"),
    Case('object-host-nodes-x',
         K + ['-object', 'memory-backend-ram,id=m0,size=1M,host-nodes=x'],
         P + '-object memory-backend-ram,id=m0,size=1M,host-nodes=x: '
         "Parameter 'host-nodes' expects a uint64 value or range"),
    Case('object-host-nodes-70000',
         K + ['-object', 'memory-backend-ram,id=m0,size=1M,'
              'host-nodes=70000,policy=bind'],
         P + '-object memory-backend-ram,id=m0,size=1M,host-nodes=70000,'
         "policy=bind: Parameter 'null' expects uint16_t"),
    Case('object-host-nodes-200',
         K + ['-object', 'memory-backend-ram,id=m0,size=1M,'
              'host-nodes=200,policy=bind'],
         P + 'Invalid host-nodes value: 200'),
    Case('object-host-nodes-default-policy',
         K + ['-object', 'memory-backend-ram,id=m0,size=1M,host-nodes=0'],
         P + 'host-nodes must be empty for policy default, or you should '
         'explicitly specify a policy other than default'),
    Case('object-policy-bind-no-nodes',
         K + ['-object', 'memory-backend-ram,id=m0,size=1M,policy=bind'],
         P + 'host-nodes must be set for policy bind'),
    Case('object-prealloc-reserve-off',
         K + ['-object', 'memory-backend-ram,id=m0,size=1M,reserve=off,'
              'prealloc=on'],
         P + "'prealloc=on' and 'reserve=off' are incompatible"),
    Case('object-prealloc-context-nosuch',
         K + ['-object', 'memory-backend-ram,id=m0,size=1M,'
              'prealloc-context=nosuch'],
         P + "Device 'nosuch' not found"),
    Case('object-file-no-mem-path',
         K + ['-object', 'memory-backend-file,id=m0,size=1M'],
         P + "-object memory-backend-file,id=m0,size=1M: Parameter "
         "'mem-path' is missing"),
    Case('object-file-bad-path',
         K + ['-object', 'memory-backend-file,id=m0,size=1M,'
              'mem-path=/nonexistent/x'],
         P + "can't open backing store /nonexistent/x for guest RAM: No such "
         'file or directory'),
    Case('object-file-align-3',
         K + ['-object', 'memory-backend-file,id=m0,size=1M,mem-path={tmp},'
              'align=3'],
         P + 'alignment 0x3 must be multiples of page size 0x1000'),
    Case('object-file-align-12k',
         K + ['-object', 'memory-backend-file,id=m0,size=1M,mem-path={tmp},'
              'align=12k'],
         P + 'alignment 0x3000 must be a power of two'),
    Case('object-file-too-small',
         K + ['-object', 'memory-backend-file,id=m0,size=1M,'
              'mem-path={tmp}/text'],
         P + "backing store size 0x540 does not match 'size' option "
         '0x100000'),
    Case('object-memfd-hugetlbsize-0',
         K + ['-object', 'memory-backend-memfd,id=m0,size=1M,hugetlbsize=0'],
         P + "Property 'memory-backend-memfd.hugetlbsize' doesn't take "
         "value '0'"),
    Case('object-memfd-hugetlbsize-3M',
         K + ['-object', 'memory-backend-memfd,id=m0,size=1M,hugetlb=on,'
              'hugetlbsize=3M'],
         P + 'Hugepage size must be a power of 2'),
    Case('object-memfd-hugetlb-1M',
         K + ['-object', 'memory-backend-memfd,id=m0,size=1M,hugetlb=on'],
         P + 'failed to resize memfd to 1048576: Invalid argument'),
    Case('object-memfd-seal-x',
         K + ['-object', 'memory-backend-memfd,id=m0,size=1M,seal=x'],
         P + "-object memory-backend-memfd,id=m0,size=1M,seal=x: Parameter "
         "'seal' expects 'on' or 'off'"),
    Case('object-iothread-poll-x',
         K + ['-object', 'iothread,id=i0,poll-max-ns=x'],
         P + "-object iothread,id=i0,poll-max-ns=x: Parameter 'poll-max-ns' "
         'expects an int64 value'),
    Case('object-iothread-poll-negative',
         K + ['-object', 'iothread,id=i0,poll-max-ns=-1'],
         P + 'poll-max-ns value must be in range [0, 9223372036854775807]'),
    Case('object-iothread-pool-bad',
         K + ['-object', 'iothread,id=i0,thread-pool-min=5,'
              'thread-pool-max=4'],
         P + 'bad thread-pool-min/thread-pool-max values'),
    Case('object-rng-random-missing',
         K + ['-object', 'rng-random,id=r0,filename=/nonexistent'],
         P + "Could not open '/nonexistent': No such file or directory"),
    Case('object-rng-opened', K + ['-object', 'rng-builtin,id=r0,opened=on'],
         P + "Property 'rng-builtin.opened' is not writable"),
    Case('object-rng-builtin-unknown-prop',
         K + ['-object', 'rng-builtin,id=r0,foo=1'],
         P + "-object rng-builtin,id=r0,foo=1: Invalid parameter 'foo'"),
    Case('object-reserved-ram-id', K + ['-object', 'iothread,id=microvm.ram'],
         P + "object name 'microvm.ram' is reserved for the default RAM "
         "backend, it can't be used for any other purposes. Change the "
         "object's 'id' to something else"),
    Case('machine-memory-backend-empty',
         ['-M', 'microvm,memory-backend=', '-enable-kvm'],
         P + "Memory backend '' not found"),
    Case('machine-memory-backend-not-memory',
         K + ['-M', 'memory-backend=i0', '-object', 'iothread,id=i0'],
         P + "Memory backend 'i0' not found"),
    Case('machine-memory-backend-size-mismatch',
         K + ['-M', 'memory-backend=m0', '-object',
              'memory-backend-ram,id=m0,size=64M', '-m', '128M'],
         P + 'Machine memory size does not match the size of the memory '
         'backend'),
    Case('mem-path-and-memory-backend',
         K + ['-M', 'memory-backend=m0', '-mem-path', '{tmp}'],
         P + "'-mem-path' can't be used together with'-machine "
         "memory-backend'"),
    Case('mem-path-bad', K + ['-mem-path', '/nonexistent/x'],
         P + "can't open backing store /nonexistent/x for guest RAM: No such "
         'file or directory'),
    Case('mem-prealloc-and-reserve-off',
         K + ['-M', 'memory-backend=m0', '-object',
              'memory-backend-ram,id=m0,size=16M,reserve=off',
              '-mem-prealloc'],
         P + "'prealloc=on' and 'reserve=off' are incompatible"),
    Case('object-short-bool-warning',
         K + ['-object', 'memory-backend-ram,id=m0,size=1M,share'] + NOBIOS,
         P + "-object memory-backend-ram,id=m0,size=1M,share: warning: "
         "short-form boolean option 'share' deprecated"),
    Case('object-ram-accepted',
         K + ['-object', 'memory-backend-ram,id=m0,size=1M,share=on,merge=off,'
              'dump=off,prealloc=on,prealloc-threads=2,reserve=on,'
              'x-use-canonical-path-for-ramblock-id=off'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('object-file-accepted',
         K + ['-object', 'memory-backend-file,id=m0,size=1M,mem-path={tmp},'
              'share=on,align=2M,discard-data=on'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('object-memfd-accepted',
         K + ['-object', 'memory-backend-memfd,id=m0,size=1M,seal=off,'
              'share=off'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('object-iothread-accepted',
         K + ['-object', 'iothread,id=i0,poll-max-ns=100,poll-grow=2,'
              'poll-shrink=2,aio-max-batch=3,thread-pool-min=1,'
              'thread-pool-max=4'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('object-rng-accepted',
         K + ['-object', 'rng-random,id=r0,filename=/dev/urandom',
              '-object', 'rng-builtin,id=r1'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('machine-memory-backend-accepted',
         K + ['-M', 'memory-backend=m0', '-object',
              'memory-backend-ram,id=m0,size=64M'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('machine-memory-backend-m-accepted',
         K + ['-M', 'memory-backend=m0', '-object',
              'memory-backend-memfd,id=m0,size=64M', '-m', '64'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('machine-memory-backend-default-id-accepted',
         K + ['-M', 'memory-backend=microvm.ram', '-object',
              'memory-backend-ram,id=microvm.ram,size=32M'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('mem-path-accepted', K + ['-mem-path', '{tmp}', '-m', '16M'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('mem-prealloc-accepted', K + ['-mem-prealloc', '-m', '16M'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('object-help', ['-object', 'help'], '', status=0),
    Case('object-type-help', ['-object', 'memory-backend-file,help'], '',
         status=0),
    # --- -readconfig (util/qemu-config.c; config files from make_fixtures) ---
    Case('readconfig-missing', ['-readconfig', '{tmp}/nosuch.cfg'],
         P + "-readconfig {tmp}/nosuch.cfg: Could not open "
         "'{tmp}/nosuch.cfg': No such file or directory"),
    Case('readconfig-directory', ['-readconfig', '{tmp}'],
         P + '-readconfig {tmp}: Cannot read config file: Is a directory'),
    Case('readconfig-empty-accepted',
         K + ['-readconfig', '{tmp}/empty'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('readconfig-no-group', ['-readconfig', 'cfg/no-group.cfg'],
         'PROG:cfg/no-group.cfg:2: no group defined'),
    Case('readconfig-parse-error', ['-readconfig', 'cfg/parse-error.cfg'],
         'PROG:cfg/parse-error.cfg:3: parse error'),
    Case('readconfig-bare-word', ['-readconfig', 'cfg/bare-word.cfg'],
         "PROG:cfg/bare-word.cfg:2: Invalid parameter 'bogus'"),
    Case('readconfig-unknown-group', ['-readconfig', 'cfg/unknown-group.cfg'],
         "PROG:cfg/unknown-group.cfg:4: There is no option group 'foo'"),
    Case('readconfig-unknown-group-no-line',
         ['-readconfig', 'cfg/unknown-group-first.cfg'],
         "PROG: There is no option group 'foo'"),
    Case('readconfig-empty-brackets', ['-readconfig', 'cfg/brackets.cfg'],
         "PROG:cfg/brackets.cfg:2: There is no option group ']'"),
    Case('readconfig-bad-key', ['-readconfig', 'cfg/bad-key.cfg'],
         "PROG:cfg/bad-key.cfg:2: Invalid parameter 'foo'"),
    Case('readconfig-name-id', ['-readconfig', 'cfg/name-id.cfg'],
         "PROG:cfg/name-id.cfg:2: Invalid parameter 'id'"),
    Case('readconfig-device-no-driver',
         K + ['-readconfig', 'cfg/device-no-driver.cfg'],
         "PROG:cfg/device-no-driver.cfg:2: Parameter 'driver' is missing"),
    Case('readconfig-device-no-driver-no-line',
         K + ['-readconfig', 'cfg/device-id-only.cfg'],
         "PROG: Parameter 'driver' is missing"),
    Case('readconfig-device-unknown',
         K + ['-readconfig', 'cfg/device-unknown.cfg'],
         "PROG:cfg/device-unknown.cfg:3: 'nosuch' is not a valid device "
         "model name"),
    Case('readconfig-device-duplicate-id',
         K + ['-readconfig', 'cfg/device-dup.cfg'],
         "PROG:cfg/device-dup.cfg:4: Duplicate ID 'a' for device"),
    Case('readconfig-chardev-no-id',
         K + ['-readconfig', 'cfg/chardev-no-id.cfg'] + NOBIOS,
         'PROG:cfg/chardev-no-id.cfg:2: chardev: no id specified'),
    Case('readconfig-chardev-backend',
         K + ['-readconfig', 'cfg/chardev-bad.cfg'] + NOBIOS,
         "PROG:cfg/chardev-bad.cfg:2: 'nosuch' is not a valid char driver "
         "name"),
    Case('readconfig-twice-duplicate-chardev',
         K + ['-readconfig', 'cfg/chardev.cfg',
              '-readconfig', 'cfg/chardev.cfg'] + NOBIOS,
         "PROG:cfg/chardev.cfg:2: Duplicate ID 'c' for chardev"),
    Case('readconfig-after-chardev-duplicate',
         K + ['-chardev', 'null,id=c', '-readconfig', 'cfg/chardev.cfg'] +
         NOBIOS,
         "PROG:cfg/chardev.cfg:2: Duplicate ID 'c' for chardev"),
    Case('readconfig-before-chardev-duplicate',
         K + ['-readconfig', 'cfg/chardev.cfg', '-chardev', 'null,id=c'] +
         NOBIOS,
         "PROG: -chardev null,id=c: Duplicate ID 'c' for chardev"),
    Case('readconfig-chardev-serial-accepted',
         K + ['-readconfig', 'cfg/chardev.cfg', '-serial', 'chardev:c'] +
         NOBIOS, "qemu: could not load PC BIOS '/nonexistent'"),
    Case('readconfig-machine-accepted',
         ['-cpu', 'host', '-readconfig', 'cfg/machine.cfg'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('readconfig-machine-type', ['-readconfig', 'cfg/machine-bad.cfg'],
         'PROG: unsupported machine type'),
    Case('readconfig-machine-property',
         ['-readconfig', 'cfg/machine-prop.cfg'] + NOBIOS,
         "PROG: Property 'microvm-machine.foo' not found"),
    Case('readconfig-machine-id', ['-readconfig', 'cfg/machine-id.cfg'],
         "PROG: Property 'microvm-machine.id' not found"),
    Case('readconfig-machine-accel-conflict',
         ['-cpu', 'host', '-readconfig', 'cfg/machine.cfg', '-accel', 'kvm'],
         'PROG: The -accel and "-machine accel=" options are incompatible'),
    Case('readconfig-accel-unknown',
         ['-M', 'microvm', '-cpu', 'host', '-readconfig', 'cfg/accel.cfg'],
         'PROG:cfg/accel.cfg:2: invalid accelerator nosuch'),
    Case('readconfig-memory', K + ['-readconfig', 'cfg/memory.cfg'],
         "PROG:cfg/memory.cfg:2: Parameter 'size' expects a non-negative "
         "number below 2^64"),
    Case('readconfig-memory-huge', K + ['-readconfig', 'cfg/memory-huge.cfg'],
         "PROG: Parameter 'memory.size' expects size"),
    Case('readconfig-smp', K + ['-readconfig', 'cfg/smp.cfg'],
         "PROG: Parameter 'smp.cpus' expects integer"),
    Case('readconfig-smp-id', K + ['-readconfig', 'cfg/smp-id.cfg'],
         "PROG: Parameter 'smp.id' is unexpected"),
    Case('readconfig-boot', K + ['-readconfig', 'cfg/boot.cfg'],
         "PROG: Parameter 'boot.foo' is unexpected"),
    Case('readconfig-object-no-id', K + ['-readconfig', 'cfg/object.cfg'],
         "PROG:cfg/object.cfg:2: Parameter 'id' is missing"),
    Case('readconfig-object-type', K + ['-readconfig', 'cfg/object-bad.cfg'],
         "PROG:cfg/object-bad.cfg:2: Parameter 'qom-type' does not accept "
         "value 'nosuch'"),
    Case('readconfig-rtc', K + ['-readconfig', 'cfg/rtc.cfg'],
         'PROG: invalid datetime format'),
    Case('readconfig-msg', K + ['-readconfig', 'cfg/msg.cfg'],
         "PROG:cfg/msg.cfg:2: Parameter 'timestamp' expects 'on' or 'off'"),
    Case('readconfig-msg-inert',
         K + ['-readconfig', 'cfg/msg-on.cfg', '-device', 'nosuch'],
         "PROG: -device nosuch: 'nosuch' is not a valid device model name"),
    Case('readconfig-name-not-msg-guest-name',
         K + ['-msg', 'guest-name=on', '-readconfig', 'cfg/name.cfg',
              '-device', 'nosuch'],
         "PROG: -device nosuch: 'nosuch' is not a valid device model name"),
    Case('readconfig-action', K + ['-readconfig', 'cfg/action.cfg'],
         "PROG:cfg/action.cfg:2: Parameter 'reboot' does not accept value "
         "'x'"),
    Case('readconfig-icount', K + ['-readconfig', 'cfg/icount.cfg'],
         'PROG:cfg/icount.cfg:2: icount: Invalid shift value'),
    Case('readconfig-overcommit', K + ['-readconfig', 'cfg/overcommit.cfg'],
         "PROG:cfg/overcommit.cfg:2: Parameter 'mem-lock' expects 'on' or "
         "'off'"),
    Case('readconfig-trace-inert-accepted',
         K + ['-readconfig', 'cfg/trace.cfg'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('readconfig-all-accepted',
         ['-cpu', 'host', '-readconfig', 'cfg/all.cfg'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('readconfig-drive', K + ['-readconfig', 'cfg/drive.cfg'],
         "PROG:cfg/drive.cfg:2: Could not open 'x': No such file or "
         "directory"),
    Case('readconfig-sandbox-on', K + ['-readconfig', 'cfg/sandbox.cfg'] +
         NOBIOS, "qemu: could not load PC BIOS '/nonexistent'"),

    # --- chardev backends and the mux (chardev/, issue 4 point 2) ---
    Case('chardev-help', ['-chardev', 'help'], '', status=0),
    Case('chardev-ringbuf-size-3', K + ['-chardev', 'ringbuf,id=r,size=3'],
         P + '-chardev ringbuf,id=r,size=3: size of ringbuf chardev must be '
         'power of two'),
    Case('chardev-memory-size-5', K + ['-chardev', 'memory,id=r,size=5'],
         P + '-chardev memory,id=r,size=5: size of ringbuf chardev must be '
         'power of two'),
    Case('chardev-ringbuf-size-abc', K + ['-chardev', 'ringbuf,id=r,size=abc'],
         P + "-chardev ringbuf,id=r,size=abc: Parameter 'size' expects a "
         'non-negative number below 2^64'),
    Case('chardev-ringbuf-accepted',
         K + ['-chardev', 'ringbuf,id=r,size=4k'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('chardev-memory-default-size-accepted',
         K + ['-chardev', 'memory,id=r,size=0'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('chardev-udp-no-port', K + ['-chardev', 'udp,id=u'],
         P + '-chardev udp,id=u: chardev: udp: remote port not specified'),
    Case('chardev-udp-empty-port', K + ['-chardev', 'udp,id=u,port='],
         P + '-chardev udp,id=u,port=: chardev: udp: remote port not '
         'specified'),
    Case('chardev-udp-bad-localport',
         K + ['-chardev', 'udp,id=u,port=1,localport=abc'],
         P + '-chardev udp,id=u,port=1,localport=abc: address resolution '
         'failed for (null):abc: Servname not supported for ai_socktype'),
    Case('chardev-udp-accepted',
         K + ['-chardev', 'udp,id=u,host=127.0.0.1,port=9'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('serial-udp-local-accepted',
         K + ['-serial', 'udp:127.0.0.1:9@:0'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('serial-udp-no-port', K + ['-serial', 'udp:127.0.0.1'],
         P + '-serial udp:127.0.0.1: could not connect serial device to '
         "character backend 'udp:127.0.0.1'"),
    Case('chardev-pipe-no-path', K + ['-chardev', 'pipe,id=p'],
         P + '-chardev pipe,id=p: chardev: pipe: no device path given'),
    Case('chardev-pipe-directory', K + ['-chardev', 'pipe,id=p,path={tmp}'],
         P + "-chardev pipe,id=p,path={tmp}: Could not open '{tmp}': Is a "
         'directory'),
    Case('serial-pipe-bad-path', K + ['-serial', 'pipe:/nonexistent/x'],
         P + "-serial pipe:/nonexistent/x: Could not open '/nonexistent/x': "
         'No such file or directory'),
    Case('chardev-pipe-file-accepted',
         K + ['-chardev', 'pipe,id=p,path={tmp}/text'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('chardev-pty-accepted', K + ['-chardev', 'pty,id=p'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('serial-pty-accepted', K + ['-serial', 'pty'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('chardev-socket-no-port', K + ['-chardev', 'socket,id=s,host=h'],
         P + '-chardev socket,id=s,host=h: chardev: socket: no port given'),
    Case('chardev-socket-path-and-host',
         K + ['-chardev', 'socket,id=s,path=/x,host=h'],
         P + "-chardev socket,id=s,path=/x,host=h: None or one of 'path', "
         "'fd' or 'host' option required."),
    Case('chardev-socket-delay-nodelay',
         K + ['-chardev', 'socket,id=s,path=/x,delay=on,nodelay=on'],
         P + '-chardev socket,id=s,path=/x,delay=on,nodelay=on: \'delay\' '
         "and 'nodelay' are mutually exclusive"),
    Case('chardev-socket-server-reconnect',
         K + ['-chardev', 'socket,id=s,path=/x,server=on,reconnect=1'],
         P + '-chardev socket,id=s,path=/x,server=on,reconnect=1: '
         "'reconnect' option is incompatible with socket in server listen "
         'mode'),
    Case('chardev-socket-client-wait',
         K + ['-chardev', 'socket,id=s,path=/x,wait=off'],
         P + "-chardev socket,id=s,path=/x,wait=off: 'wait' option is "
         'incompatible with socket in client connect mode'),
    Case('chardev-socket-fd-abc', K + ['-chardev', 'socket,id=s,fd=abc'],
         P + '-chardev socket,id=s,fd=abc: Unable to parse FD number abc'),
    Case('chardev-socket-fd-reconnect',
         K + ['-chardev', 'socket,id=s,fd=3,reconnect=1'],
         P + "-chardev socket,id=s,fd=3,reconnect=1: 'reconnect' option is "
         "incompatible with 'fd' address type"),
    Case('chardev-socket-fd-not-socket',
         K + ['-chardev', 'socket,id=s,fd=0'],
         P + "-chardev socket,id=s,fd=0: File descriptor '0' is not a "
         'socket'),
    Case('chardev-socket-tls-creds',
         K + ['-chardev', 'socket,id=s,path=/x,tls-creds=t0'],
         P + "-chardev socket,id=s,path=/x,tls-creds=t0: No TLS credentials "
         "with id 't0'"),
    Case('chardev-socket-tls-authz',
         K + ['-chardev', 'socket,id=s,path=/x,tls-authz=a0'],
         P + "-chardev socket,id=s,path=/x,tls-authz=a0: 'tls_authz' option "
         "requires 'tls_creds' option"),
    Case('chardev-socket-websocket-client',
         K + ['-chardev', 'socket,id=s,host=127.0.0.1,port=1,websocket=on'],
         P + '-chardev socket,id=s,host=127.0.0.1,port=1,websocket=on: '
         'Websocket client is not implemented'),
    Case('chardev-socket-unix-refused',
         K + ['-chardev', 'socket,id=s,path={tmp}/text'],
         P + "-chardev socket,id=s,path={tmp}/text: Failed to connect to "
         "'{tmp}/text': Connection refused"),
    Case('chardev-socket-path-too-long',
         K + ['-chardev', 'socket,id=s,path=/' + 'x' * 120],
         P + '-chardev socket,id=s,path=/' + 'x' * 120 + ": UNIX socket "
         "path '/" + 'x' * 120 + "' is too long"),
    Case('chardev-socket-tcp-bind-fail',
         K + ['-chardev', 'socket,id=s,host=192.0.2.1,port=4000,server=on,'
              'wait=off'],
         P + '-chardev socket,id=s,host=192.0.2.1,port=4000,server=on,'
         'wait=off: Failed to bind socket: Cannot assign requested address'),
    Case('chardev-socket-bad-logfile',
         K + ['-chardev', 'socket,id=s,path={tmp}/s,server=on,wait=off,'
              'logfile=/nonexistent/x'],
         P + '-chardev socket,id=s,path={tmp}/s,server=on,wait=off,'
         "logfile=/nonexistent/x: Could not create '/nonexistent/x': No such "
         'file or directory'),
    Case('chardev-socket-parse-before-logfile',
         K + ['-chardev', 'socket,id=s,host=h,logfile=/nonexistent/x'],
         P + '-chardev socket,id=s,host=h,logfile=/nonexistent/x: chardev: '
         'socket: no port given'),
    Case('chardev-socket-server-nowait-accepted',
         K + ['-chardev', 'socket,id=s,path={tmp}/s,server=on,wait=off'] +
         NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('chardev-socket-tcp-server-accepted',
         K + ['-chardev', 'socket,id=s,host=127.0.0.1,port=0,server=on,'
              'wait=off,nodelay=on'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('chardev-socket-reconnect-accepted',
         K + ['-chardev', 'socket,id=s,host=127.0.0.1,port=1,reconnect=1'] +
         NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('serial-tcp-refused', K + ['-serial', 'tcp:127.0.0.1:1'],
         P + "-serial tcp:127.0.0.1:1: Failed to connect to '127.0.0.1:1': "
         'Connection refused'),
    Case('serial-tcp-no-port', K + ['-serial', 'tcp:127.0.0.1'],
         P + '-serial tcp:127.0.0.1: could not connect serial device to '
         "character backend 'tcp:127.0.0.1'"),
    Case('serial-tcp-bad-option', K + ['-serial', 'tcp:127.0.0.1:1,foo=1'],
         P + "-serial tcp:127.0.0.1:1,foo=1: Invalid parameter 'foo'"),
    Case('serial-tcp-any-host-server-accepted',
         K + ['-serial', 'tcp::0,server=on,wait=off'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('serial-unix-server-bind-fail',
         K + ['-serial', 'unix:/nonexistent/x,server=on,wait=off'],
         P + '-serial unix:/nonexistent/x,server=on,wait=off: Failed to bind '
         'socket to /nonexistent/x: No such file or directory'),
    Case('serial-unix-server-accepted',
         K + ['-serial', 'unix:{tmp}/s,server=on,wait=off'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('serial-mon-tcp-refused', K + ['-serial', 'mon:tcp:127.0.0.1:1'],
         P + "-serial mon:tcp:127.0.0.1:1: Failed to connect to "
         "'127.0.0.1:1': Connection refused"),
    Case('serial-mon-stdio-accepted', K + ['-serial', 'mon:stdio'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('serial-mon-null-accepted', K + ['-serial', 'mon:null'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('chardev-mux-no-chardev', K + ['-chardev', 'mux,id=m'],
         P + '-chardev mux,id=m: chardev: mux: no chardev given'),
    Case('chardev-mux-base-missing', K + ['-chardev', 'mux,id=m,chardev=zz'],
         P + '-chardev mux,id=m,chardev=zz: mux: base chardev zz not found'),
    Case('chardev-mux-base-in-use',
         K + ['-chardev', 'null,id=a', '-chardev', 'mux,id=m,chardev=a',
              '-chardev', 'mux,id=n,chardev=a'],
         P + "-chardev mux,id=n,chardev=a: Device 'a' is in use"),
    Case('chardev-stdio-mux-twice',
         K + ['-chardev', 'stdio,id=u,mux=on', '-chardev', 'stdio,id=v,mux=on'],
         P + '-chardev stdio,id=v,mux=on: cannot use stdio by multiple '
         'character devices'),
    Case('chardev-mux-base-id-taken',
         K + ['-chardev', 'null,id=a-base', '-chardev', 'null,id=a,mux=on'],
         P + "-chardev null,id=a,mux=on: Duplicate ID 'a-base' for chardev"),
    Case('chardev-mux-shared-accepted',
         K + ['-chardev', 'null,id=m,mux=on', '-serial', 'chardev:m',
              '-device', 'isa-serial,chardev=m'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('chardev-mux-five-users',
         K + ['-chardev', 'null,id=m,mux=on'] +
         ['-device', 'isa-serial,chardev=m'] * 4 +
         ['-device', 'isa-serial,chardev=m,index=0'],
         P + '-device isa-serial,chardev=m,index=0: Max. supported number of '
         'ISA serial ports is 4.'),
    Case('serial-telnet-server-accepted-later',
         K + ['-serial', 'telnet::0,server=on,wait=off'] + NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),
    Case('chardev-mux-logfile-accepted',
         K + ['-chardev', 'null,id=m,mux=on,logfile={tmp}/log,logappend=on'] +
         NOBIOS,
         "qemu: could not load PC BIOS '/nonexistent'"),

    # --- -drive and -blockdev (block/, issue 10 point 3) ---
    # {tmp}/disk.img is 1 MiB of zeroes, {tmp}/qcow2.img a qcow2 header;
    # EXIT boots a firmware that leaves through isa-debug-exit (status 1,
    # nothing printed), so a case gets past the board as QEMU's orphan
    # check needs.
    # virtio-net-device and its backend (issue 11): a NIC alone warns as
    # QEMU's net_check_clients; with its netdev nothing is said
    Case('virtio-net-no-peer', KA + ['-device', 'virtio-net-device'] + EXIT,
         P + 'warning: nic virtio-net-device.0 has no peer'),
    Case('virtio-net-user-accepted', KA + ['-netdev', 'user,id=u',
         '-device', 'virtio-net-device,netdev=u'] + EXIT, ''),
    Case('netdev-tap-vnet-hdr-bad', K + ['-netdev', 'tap,id=t,vnet_hdr=maybe'],
         P + "-netdev tap,id=t,vnet_hdr=maybe: Parameter 'vnet_hdr' expects "
         "'on' or 'off'"),
    Case('netdev-tap-queues-bad', K + ['-netdev', 'tap,id=t,queues=abc'],
         P + "-netdev tap,id=t,queues=abc: Parameter 'queues' expects a "
         'uint64 value'),
    Case('netdev-stream-json-bad-type', K + ['-netdev',
         '{"type":"stream","id":"s","addr":{"type":"bogus"}}'],
         P + '-netdev {"type":"stream","id":"s","addr":{"type":"bogus"}}: '
         "Parameter 'type' does not accept value 'bogus'"),
    Case('drive-accepted', KA + D + EXIT, ''),
    # an empty drive (no file=, no medium): accepted alone, read-only too,
    # refused by a device; other node options need a file
    Case('drive-empty-accepted', KA + ['-drive', 'if=none,id=d0'] + EXIT, ''),
    Case('drive-empty-readonly-accepted',
         KA + ['-drive', 'if=none,id=d0,readonly=on,werror=stop'] + EXIT, ''),
    Case('drive-empty-virtio-blk', KA + ['-drive', 'if=none,id=d0',
         '-device', 'virtio-blk-device,drive=d0'],
         P + '-device virtio-blk-device,drive=d0: Device needs media, but '
         'drive is empty'),
    Case('drive-empty-cache', KA + ['-drive', 'if=none,id=d0,cache=none'],
         P + '-drive if=none,id=d0,cache=none: Must specify either driver '
         'or file'),
    Case('drive-empty-readonly-bad', KA + ['-drive',
         'if=none,id=d0,readonly=foo'],
         P + "-drive if=none,id=d0,readonly=foo: Parameter 'read-only' "
         "expects 'on' or 'off'"),
    # virtio-blk-device on it (issue 10 point 4); without the image
    # locks, which would make parallel cases fail each other
    Case('virtio-blk-accepted', KA + DV + ['-device',
         'virtio-blk-device,drive=d0,serial=abc,num-queues=2,queue-size=128,'
         'write-cache=off,werror=report,rerror=ignore,discard=off,'
         'logical_block_size=512,physical_block_size=4096'] + EXIT, ''),
    # iothread= (the data plane): accepted, and QEMU 7.2's refusals
    Case('virtio-blk-iothread-accepted', KA + DV + ['-object',
         'iothread,id=io0', '-device',
         'virtio-blk-device,drive=d0,iothread=io0'] + EXIT, ''),
    Case('virtio-blk-iothread-no-ioeventfd', KA + DV + ['-object',
         'iothread,id=io0', '-global', 'virtio-mmio.ioeventfd=off',
         '-device', 'virtio-blk-device,drive=d0,iothread=io0'] + EXIT,
         P + '-device virtio-blk-device,drive=d0,iothread=io0: ioeventfd '
         'is required for iothread'),
    Case('virtio-blk-iothread-unknown', KA + DV + ['-device',
         'virtio-blk-device,drive=d0,iothread=io0'] + EXIT,
         P + "-device virtio-blk-device,drive=d0,iothread=io0: Device 'io0' "
         "not found"),
    Case('virtio-blk-iothread-not-iothread', KA + DV + ['-object',
         'memory-backend-ram,id=m0,size=1M', '-device',
         'virtio-blk-device,drive=d0,iothread=m0'] + EXIT,
         P + "-device virtio-blk-device,drive=d0,iothread=m0: Invalid "
         "parameter type for 'iothread', expected: iothread"),
    Case('virtio-blk-readonly-accepted', KA + ['-drive',
         'if=none,id=d0,file={tmp}/disk.img,format=raw,readonly=on,'
         'file.locking=off',
         '-device', 'virtio-blk-device,drive=d0'] + EXIT, ''),
    Case('virtio-blk-no-such-drive', KA + DV + ['-device',
         'virtio-blk-device,drive=nosuch'] + EXIT,
         P + "-device virtio-blk-device,drive=nosuch: Property "
         "'virtio-blk-device.drive' can't find value 'nosuch'"),
    Case('virtio-blk-drive-in-use', KA + DV + ['-device',
         'virtio-blk-device,drive=d0', '-device',
         'virtio-blk-device,drive=d0'] + EXIT,
         P + "-device virtio-blk-device,drive=d0: Drive 'd0' is already in "
         "use by another device"),
    Case('virtio-blk-queue-size', KA + DV + ['-device',
         'virtio-blk-device,drive=d0,queue-size=100'] + EXIT,
         P + '-device virtio-blk-device,drive=d0,queue-size=100: invalid '
         'queue-size property (100), must be a power of 2 (max 1024)'),
    Case('virtio-blk-num-queues-0', KA + DV + ['-device',
         'virtio-blk-device,drive=d0,num-queues=0'] + EXIT,
         P + '-device virtio-blk-device,drive=d0,num-queues=0: num-queues '
         'property must be larger than 0'),
    Case('virtio-blk-heads', KA + DV + ['-device',
         'virtio-blk-device,drive=d0,cyls=10'] + EXIT,
         P + '-device virtio-blk-device,drive=d0,cyls=10: heads must be '
         'between 1 and 255'),
    Case('virtio-blk-block-size', KA + DV + ['-device',
         'virtio-blk-device,drive=d0,logical_block_size=4096'] + EXIT,
         P + '-device virtio-blk-device,drive=d0,logical_block_size=4096: '
         'logical_block_size > physical_block_size not supported'),
    Case('virtio-blk-max-discard', KA + DV + ['-device',
         'virtio-blk-device,drive=d0,max-discard-sectors=0'] + EXIT,
         P + '-device virtio-blk-device,drive=d0,max-discard-sectors=0: '
         'invalid max-discard-sectors property (0), must be between 1 and '
         '4194303'),
    Case('virtio-blk-scsi-modern', KA + DV + ['-global',
         'virtio-mmio.force-legacy=off', '-device',
         'virtio-blk-device,drive=d0,scsi=on'] + EXIT,
         P + '-device virtio-blk-device,drive=d0,scsi=on: Please set '
         'scsi=off for virtio-blk devices in order to use virtio 1.0'),
    # virtio-net-device (issue 11): its own checks, before any backend
    Case('virtio-net-bad-mac', KA + ['-device',
         'virtio-net-device,mac=52:54:00:12:34'] + EXIT,
         P + "-device virtio-net-device,mac=52:54:00:12:34: Property "
         "'virtio-net-device.mac' doesn't take value '52:54:00:12:34'"),
    Case('virtio-net-rx-queue-size', KA + ['-device',
         'virtio-net-device,rx_queue_size=128'] + EXIT,
         P + '-device virtio-net-device,rx_queue_size=128: Invalid '
         'rx_queue_size (= 128), must be a power of 2 between 256 and '
         '1024.'),
    Case('virtio-net-tx-queue-size', KA + ['-device',
         'virtio-net-device,tx_queue_size=2048'] + EXIT,
         P + '-device virtio-net-device,tx_queue_size=2048: Invalid '
         'tx_queue_size (= 2048), must be a power of 2 between 256 and '
         '1024'),
    Case('virtio-net-duplex', KA + ['-device',
         'virtio-net-device,duplex=quarter'] + EXIT,
         P + "-device virtio-net-device,duplex=quarter: 'duplex' must be "
         "'half' or 'full'"),
    Case('virtio-net-speed', KA + ['-device',
         'virtio-net-device,speed=-2,duplex=half'] + EXIT,
         P + "-device virtio-net-device,speed=-2,duplex=half: 'speed' must "
         "be between 0 and INT_MAX"),
    Case('drive-probe-warning', KA + ['-drive', 'if=none,file={tmp}/disk.img']
         + EXIT, "WARNING: Image format was not specified for "
         "'{tmp}/disk.img' and probing guessed raw."),
    Case('drive-probe-readonly-no-warning',
         KA + ['-drive', 'if=none,file={tmp}/disk.img,readonly=on'] + EXIT,
         ''),
    Case('drive-default-if-none', KA + ['-drive',
         'file={tmp}/disk.img,format=raw'] + EXIT, ''),
    Case('drive-all-options-accepted', KA + ['-drive',
         'if=none,id=d0,file={tmp}/disk.img,format=raw,readonly=off,'
         'cache=writethrough,aio=threads,discard=unmap,detect-zeroes=unmap,'
         'werror=stop,rerror=ignore,media=disk,index=3'] + EXIT, ''),
    Case('drive-cache-none-aio-native', KA + ['-drive',
         'if=none,file={tmp}/disk.img,format=raw,cache=none,aio=native']
         + EXIT, ''),
    Case('drive-cache-modes', KA + ['-drive',
         'if=none,file={tmp}/disk.img,format=raw,cache=directsync',
         '-drive', 'if=none,file={tmp}/disk.img,format=raw,cache=unsafe',
         '-drive', 'if=none,file={tmp}/disk.img,format=raw,cache=writeback']
         + EXIT, ''),
    Case('drive-io-uring-accepted', KA + ['-drive',
         'if=none,file={tmp}/disk.img,format=raw,aio=io_uring'] + EXIT, ''),
    Case('drive-offset-size', KA + ['-drive', 'if=none,file={tmp}/disk.img,'
         'format=raw,offset=512,size=4096,file.locking=off'] + EXIT, ''),
    Case('drive-media-cdrom', KA + ['-drive', 'if=none,file={tmp}/disk.img,'
         'format=raw,media=cdrom'] + EXIT, ''),
    Case('drive-format-file', KA + ['-drive', 'if=none,file={tmp}/disk.img,'
         'format=file'] + EXIT, ''),
    Case('drive-char-device-probed', KA + ['-drive', 'if=none,'
         'file=/dev/null'] + EXIT,
         "WARNING: Image format was not specified for '/dev/null' and "
         "probing guessed raw."),
    Case('drive-format-host-device-on-file', KA + ['-drive', 'if=none,'
         'file={tmp}/disk.img,format=host_device'],
         P + "-drive if=none,file={tmp}/disk.img,format=host_device: "
         "'host_device' driver requires '{tmp}/disk.img' to be either a "
         "character or block device"),
    Case('drive-unknown-option', KA + ['-drive', 'if=none,file={tmp}/'
         'disk.img,format=raw,foo=1'],
         P + "-drive if=none,file={tmp}/disk.img,format=raw,foo=1: Block "
         "format 'raw' does not support the option 'foo'"),
    Case('drive-unknown-file-option', KA + ['-drive', 'if=none,file={tmp}/'
         'disk.img,format=raw,file.foo=1'],
         P + "-drive if=none,file={tmp}/disk.img,format=raw,file.foo=1: "
         "Block protocol 'file' doesn't support the option 'foo'"),
    Case('drive-cache-bad', KA + ['-drive', 'if=none,file=x,cache=bogus'],
         P + '-drive if=none,file=x,cache=bogus: invalid cache option'),
    Case('drive-aio-bad', KA + ['-drive', 'if=none,file=x,aio=bogus'],
         P + '-drive if=none,file=x,aio=bogus: invalid aio option'),
    Case('drive-aio-native-needs-direct', KA + ['-drive', 'if=none,file='
         '{tmp}/disk.img,format=raw,aio=native'],
         P + '-drive if=none,file={tmp}/disk.img,format=raw,aio=native: '
         'aio=native was specified, but it requires cache.direct=on, which '
         'was not specified.'),
    Case('drive-werror-bad', KA + ['-drive', 'if=none,file=x,werror=bogus'],
         P + "-drive if=none,file=x,werror=bogus: 'bogus' invalid write "
         "error action"),
    Case('drive-rerror-enospc', KA + ['-drive', 'if=none,file=x,'
         'rerror=enospc'],
         P + "-drive if=none,file=x,rerror=enospc: 'enospc' invalid read "
         "error action"),
    Case('drive-discard-bad', KA + ['-drive', 'if=none,file={tmp}/disk.img,'
         'format=raw,discard=bogus'],
         P + '-drive if=none,file={tmp}/disk.img,format=raw,discard=bogus: '
         'Invalid discard option'),
    Case('drive-detect-zeroes-bad', KA + ['-drive', 'if=none,file=x,'
         'detect-zeroes=bogus'],
         P + '-drive if=none,file=x,detect-zeroes=bogus: invalid parameter '
         'value: bogus'),
    Case('drive-readonly-bad', KA + ['-drive', 'if=none,file=x,readonly=x'],
         P + "-drive if=none,file=x,readonly=x: Parameter 'read-only' "
         "expects 'on' or 'off'"),
    Case('drive-readonly-alias-twice', KA + ['-drive', 'if=none,file=x,'
         'readonly=on,read-only=on'],
         P + "-drive if=none,file=x,readonly=on,read-only=on: 'read-only' "
         "and its alias 'readonly' can't be used at the same time"),
    Case('drive-media-bad', KA + ['-drive', 'if=none,file=x,media=x'],
         P + "-drive if=none,file=x,media=x: 'x' invalid media"),
    Case('drive-if-bad', KA + ['-drive', 'if=foo,file=x'],
         P + "-drive if=foo,file=x: unsupported bus type 'foo'"),
    Case('drive-index-and-bus', KA + ['-drive', 'if=none,file=x,index=0,'
         'bus=1'],
         P + '-drive if=none,file=x,index=0,bus=1: index cannot be used '
         'with bus and unit'),
    Case('drive-unit-taken', KA + ['-drive', 'file={tmp}/disk.img,'
         'format=raw,unit=0', '-drive', 'file={tmp}/disk.img,format=raw,'
         'unit=0'],
         P + '-drive file={tmp}/disk.img,format=raw,unit=0: drive with '
         'bus=0, unit=0 (index=-1) exists'),
    Case('drive-duplicate-id', KA + ['-drive', 'id=a,file=x', '-drive',
         'id=a,file=x'],
         P + "-drive id=a,file=x: Duplicate ID 'a' for drive"),
    Case('drive-no-file', KA + ['-drive', 'if=none,format=raw'],
         P + '-drive if=none,format=raw: A block device must be specified '
         'for "file"'),
    Case('drive-help', KA + ['-drive', 'help'],
         P + '-drive help: Must specify either driver or file'),
    Case('drive-missing-file', KA + ['-drive', 'if=none,file=/nonexistent,'
         'format=raw'],
         P + "-drive if=none,file=/nonexistent,format=raw: Could not open "
         "'/nonexistent': No such file or directory"),
    Case('drive-directory', KA + ['-drive', 'if=none,file={tmp},format=raw'],
         P + "-drive if=none,file={tmp},format=raw: 'file' driver requires "
         "'{tmp}' to be a regular file"),
    Case('drive-unknown-format', KA + ['-drive', 'if=none,file={tmp}/'
         'disk.img,format=foo'],
         P + "-drive if=none,file={tmp}/disk.img,format=foo: Unknown "
         "driver 'foo'"),
    Case('drive-window-too-big', KA + ['-drive', 'if=none,file={tmp}/'
         'disk.img,format=raw,offset=4096,size=1048576'],
         P + '-drive if=none,file={tmp}/disk.img,format=raw,offset=4096,'
         'size=1048576: The sum of offset (4096) and size (1048576) has to '
         'be smaller or equal to the  actual size of the containing file '
         '(1048576)'),
    Case('drive-offset-too-big', KA + ['-drive', 'if=none,file={tmp}/'
         'disk.img,format=raw,offset=2000000'],
         P + '-drive if=none,file={tmp}/disk.img,format=raw,offset=2000000: '
         'Offset (2000000) cannot be greater than size of the containing '
         'file (1048576)'),
    Case('drive-size-unaligned', KA + ['-drive', 'if=none,file={tmp}/'
         'disk.img,format=raw,size=1000'],
         P + '-drive if=none,file={tmp}/disk.img,format=raw,size=1000: '
         'Specified size is not multiple of 512'),
    Case('drive-if-ide', KA + ['-drive', 'if=ide,file={tmp}/disk.img,'
         'format=raw'] + EXIT,
         P + '-drive if=ide,file={tmp}/disk.img,format=raw: machine type '
         'does not support if=ide,bus=0,unit=0'),
    Case('drive-if-scsi-unit', KA + ['-drive', 'if=scsi,unit=3,file={tmp}/'
         'disk.img,format=raw'] + EXIT,
         P + '-drive if=scsi,unit=3,file={tmp}/disk.img,format=raw: machine '
         'type does not support if=scsi,bus=0,unit=3'),
    Case('drive-if-scsi-unit-too-big', KA + ['-drive', 'if=scsi,unit=7,'
         'file=x'],
         P + '-drive if=scsi,unit=7,file=x: unit 7 too big (max is 6)'),
    Case('drive-if-floppy', KA + ['-drive', 'if=floppy,file={tmp}/disk.img,'
         'format=raw'] + EXIT,
         P + '-drive if=floppy,file={tmp}/disk.img,format=raw: machine type '
         'does not support if=floppy,bus=0,unit=0'),
    Case('drive-if-pflash-werror', KA + ['-drive', 'if=pflash,file=x,'
         'werror=stop'],
         P + '-drive if=pflash,file=x,werror=stop: werror is not supported '
         'by this bus type'),
    Case('drive-if-virtio', KA + ['-drive', 'if=virtio,file={tmp}/disk.img,'
         'format=raw'] + EXIT,
         P + "-drive if=virtio,file={tmp}/disk.img,format=raw: No 'PCI' bus "
         "found for device 'virtio-blk-pci'"),
    Case('blockdev-accepted', KA + ['-blockdev', 'driver=file,node-name=f0,'
         'filename={tmp}/disk.img', '-blockdev', 'raw,node-name=r0,file=f0,'
         'offset=512,size=1024,read-only=on,cache.direct=on,'
         'cache.no-flush=on,discard=unmap,detect-zeroes=on'] + EXIT, ''),
    Case('blockdev-nested-accepted', KA + ['-blockdev', 'driver=raw,'
         'node-name=r0,file.driver=file,file.filename={tmp}/disk.img,'
         'file.locking=off,file.aio=threads'] + EXIT, ''),
    Case('blockdev-json-accepted', KA + ['-blockdev',
         '{"driver":"raw","node-name":"r0","read-only":true,"offset":512,'
         '"file":{"driver":"file","filename":"{tmp}/disk.img"}}'] + EXIT, ''),
    Case('blockdev-json-type', KA + ['-blockdev',
         '{"driver":"raw","node-name":"r0","read-only":"on"}'],
         P + '-blockdev {"driver":"raw","node-name":"r0","read-only":"on"}: '
         "Invalid parameter type for 'read-only', expected: boolean"),
    Case('blockdev-json-eoi', KA + ['-blockdev', '{"driver":"raw"'],
         P + '-blockdev {"driver":"raw": JSON parse error, premature EOI'),
    Case('blockdev-help', KA + ['-blockdev', 'help'],
         P + '-blockdev help: Help is not available for this option'),
    Case('blockdev-json-empty', KA + ['-blockdev', '{}'],
         P + "-blockdev {}: Parameter 'driver' is missing"),
    Case('blockdev-json-driver-type', KA + ['-blockdev', '{"driver":1}'],
         P + '-blockdev {"driver":1}: Invalid parameter type for \'driver\', '
         'expected: string'),
    Case('blockdev-nested-no-driver', KA + ['-blockdev', 'driver=raw,'
         'node-name=r,file.filename=x'],
         P + "-blockdev driver=raw,node-name=r,file.filename=x: Parameter "
         "'file.driver' is missing"),
    Case('blockdev-discard-on', KA + ['-blockdev', 'driver=file,'
         'node-name=a,filename=x,discard=on'],
         P + "-blockdev driver=file,node-name=a,filename=x,discard=on: "
         "Parameter 'discard' does not accept value 'on'"),
    Case('drive-locking-on-format', KA + ['-drive', 'if=none,file={tmp}/'
         'disk.img,format=raw,locking=off'],
         P + "-drive if=none,file={tmp}/disk.img,format=raw,locking=off: "
         "Block format 'raw' does not support the option 'locking'"),
    Case('drive-format-help', KA + ['-drive', 'format=help,file=x'], '',
         status=0),
    Case('blockdev-no-node-name', KA + ['-blockdev', 'driver=file,'
         'filename=x'],
         P + "-blockdev driver=file,filename=x: 'node-name' must be "
         "specified for the root node"),
    Case('blockdev-no-driver', KA + ['-blockdev', 'node-name=f0'],
         P + "-blockdev node-name=f0: Parameter 'driver' is missing"),
    Case('blockdev-bad-driver', KA + ['-blockdev', 'driver=bogus,'
         'node-name=f0'],
         P + "-blockdev driver=bogus,node-name=f0: Parameter 'driver' does "
         "not accept value 'bogus'"),
    Case('blockdev-no-filename', KA + ['-blockdev', 'driver=file,'
         'node-name=f0'],
         P + "-blockdev driver=file,node-name=f0: Parameter 'filename' is "
         "missing"),
    Case('blockdev-raw-no-file', KA + ['-blockdev', 'driver=raw,'
         'node-name=r0'],
         P + "-blockdev driver=raw,node-name=r0: Parameter 'file' is "
         "missing"),
    Case('blockdev-unexpected', KA + ['-blockdev', 'driver=file,'
         'node-name=f0,filename=x,foo=1'],
         P + "-blockdev driver=file,node-name=f0,filename=x,foo=1: Parameter "
         "'foo' is unexpected"),
    Case('blockdev-nested-unexpected', KA + ['-blockdev', 'driver=raw,'
         'node-name=r0,file.driver=file,file.filename=x,file.foo=1'],
         P + "-blockdev driver=raw,node-name=r0,file.driver=file,"
         "file.filename=x,file.foo=1: Parameter 'file.foo' is unexpected"),
    Case('blockdev-bool-bad', KA + ['-blockdev', 'driver=file,node-name=f0,'
         'filename=x,cache.direct=x'],
         P + "-blockdev driver=file,node-name=f0,filename=x,cache.direct=x: "
         "Parameter 'cache.direct' expects 'on' or 'off'"),
    Case('blockdev-locking-bad', KA + ['-blockdev', 'driver=file,'
         'node-name=f0,filename=x,locking=x'],
         P + "-blockdev driver=file,node-name=f0,filename=x,locking=x: "
         "Parameter 'locking' does not accept value 'x'"),
    Case('blockdev-discard-bad', KA + ['-blockdev', 'driver=file,'
         'node-name=f0,filename=x,discard=x'],
         P + "-blockdev driver=file,node-name=f0,filename=x,discard=x: "
         "Parameter 'discard' does not accept value 'x'"),
    Case('blockdev-offset-bad', KA + ['-blockdev', 'driver=raw,node-name=r0,'
         'file=f0,offset=x'],
         P + "-blockdev driver=raw,node-name=r0,file=f0,offset=x: Parameter "
         "'offset' expects integer"),
    Case('blockdev-file-not-found', KA + ['-blockdev', 'driver=raw,'
         'node-name=r0,file=f1'],
         P + "-blockdev driver=raw,node-name=r0,file=f1: Cannot find "
         "device='f1' nor node-name='f1'"),
    Case('blockdev-duplicate-node', KA + ['-blockdev', 'driver=file,'
         'node-name=f0,filename={tmp}/disk.img', '-blockdev', 'driver=raw,'
         'node-name=f0,file=f0'],
         P + "-blockdev driver=raw,node-name=f0,file=f0: Duplicate nodes "
         "with node-name='f0'"),
    Case('blockdev-bad-node-name', KA + ['-blockdev', 'driver=file,'
         'node-name=0bad,filename={tmp}/disk.img'],
         P + "-blockdev driver=file,node-name=0bad,filename={tmp}/disk.img: "
         "Invalid node-name: '0bad'"),
    Case('blockdev-node-name-too-long', KA + ['-blockdev', 'driver=file,'
         'node-name=' + 'a' * 32 + ',filename={tmp}/disk.img'],
         P + '-blockdev driver=file,node-name=' + 'a' * 32 + ',filename='
         '{tmp}/disk.img: Node name too long'),
    Case('blockdev-host-device-on-file', KA + ['-blockdev', 'driver='
         'host_device,node-name=h0,filename={tmp}/disk.img'],
         P + "-blockdev driver=host_device,node-name=h0,filename={tmp}/"
         "disk.img: 'host_device' driver requires '{tmp}/disk.img' to be "
         "either a character or block device"),
    Case('blockdev-then-drive-same-name', KA + ['-blockdev', 'driver=file,'
         'node-name=f0,filename={tmp}/disk.img', '-drive', 'if=none,id=f0,'
         'file={tmp}/disk.img,format=raw'],
         P + "-drive if=none,id=f0,file={tmp}/disk.img,format=raw: Device "
         "name 'f0' conflicts with an existing node name"),
    Case('blockdev-id', KA + ['-blockdev', 'driver=file,node-name=f0,'
         'filename=x,id=x'],
         P + "-blockdev driver=file,node-name=f0,filename=x,id=x: Parameter "
         "'id' is unexpected"),
    # --- -netdev, -nic, -net (issue 11: net/net-opts.c, net/hub.c) ---
    # Parse-time errors (QemuOpts, the modern form) and creation-time
    # ones (the opts visitor, net_client_init1) carry the option; the
    # warnings of net_check_clients come after the devices, before the
    # firmware runs (EXIT ends the accepted lines). Random "#netNN" ids
    # are kept out of first lines with id=.
    Case('netdev-no-id', K + ['-netdev', 'hubport,hubid=0'],
         P + "-netdev hubport,hubid=0: Parameter 'id' is missing"),
    Case('netdev-no-type', K + ['-netdev', 'id=x'],
         P + "-netdev id=x: Parameter 'type' is missing"),
    Case('netdev-unknown-type', K + ['-netdev', 'foo,id=x'],
         P + "-netdev foo,id=x: Parameter 'type' does not accept value "
         "'foo'"),
    Case('netdev-bad-id', K + ['-netdev', 'hubport,id=1x,hubid=0'],
         P + "-netdev hubport,id=1x,hubid=0: Parameter 'id' expects an "
         "identifier"),
    Case('netdev-duplicate-id', K + ['-netdev', 'hubport,id=h,hubid=0',
         '-netdev', 'hubport,id=h,hubid=1'],
         P + "-netdev hubport,id=h,hubid=1: Duplicate ID 'h' for netdev"),
    Case('netdev-nic', K + ['-netdev', 'nic,id=x'],
         P + "-netdev nic,id=x: network backend 'nic' is not compiled into "
         "this binary"),
    Case('netdev-none', K + ['-netdev', 'none,id=x'],
         P + "-netdev none,id=x: network backend 'none' is not compiled "
         "into this binary"),
    Case('netdev-hubport-no-hubid', K + ['-netdev', 'hubport,id=h'],
         P + "-netdev hubport,id=h: Parameter 'hubid' is missing"),
    Case('netdev-hubport-hubid-word', K + ['-netdev', 'hubport,id=h,hubid=x'],
         P + "-netdev hubport,id=h,hubid=x: Parameter 'hubid' expects an "
         "int64 value"),
    Case('netdev-hubport-hubid-big', K + ['-netdev',
         'hubport,id=h,hubid=99999999999'],
         P + "-netdev hubport,id=h,hubid=99999999999: Parameter 'hubid' "
         "expects int32_t"),
    Case('netdev-hubport-bad-key-no-hubid', K + ['-netdev',
         'hubport,id=h,bogus=1'],
         P + "-netdev hubport,id=h,bogus=1: Parameter 'hubid' is missing"),
    Case('netdev-hubport-bad-key', K + ['-netdev',
         'hubport,id=h,hubid=0,bogus=1'],
         P + "-netdev hubport,id=h,hubid=0,bogus=1: Invalid parameter "
         "'bogus'"),
    Case('netdev-hubport-no-netdev', K + ['-netdev',
         'hubport,id=h,hubid=0,netdev=nosuch'],
         P + "-netdev hubport,id=h,hubid=0,netdev=nosuch: netdev 'nosuch' "
         "not found"),
    Case('netdev-hubport-accepted', KA + ['-netdev', 'hubport,id=h,hubid=0']
         + EXIT, P + 'warning: hub port h has no peer'),
    Case('netdev-hubports-accepted', KA + ['-netdev', 'hubport,id=a,hubid=0',
         '-netdev', 'hubport,id=b,hubid=1'] + EXIT,
         P + 'warning: hub port b has no peer'),
    Case('netdev-hubport-negative-accepted', KA + ['-netdev',
         'hubport,id=h,hubid=-1'] + EXIT,
         P + 'warning: hub port h has no peer'),
    Case('netdev-json-accepted', KA + ['-netdev',
         '{"type":"hubport","id":"h","hubid":0}'] + EXIT,
         P + 'warning: hub port h has no peer'),
    Case('netdev-json-unexpected', K + ['-netdev',
         '{"type":"hubport","id":"h","hubid":0,"bogus":1}'],
         P + '-netdev {"type":"hubport","id":"h","hubid":0,"bogus":1}: '
         "Parameter 'bogus' is unexpected"),
    Case('netdev-json-no-type', K + ['-netdev', '{"id":"x"}'],
         P + '-netdev {"id":"x"}: Parameter \'type\' is missing'),
    Case('netdev-json-no-id', K + ['-netdev', '{"type":"hubport"}'],
         P + '-netdev {"type":"hubport"}: Parameter \'id\' is missing'),
    Case('netdev-json-unknown-type', K + ['-netdev',
         '{"type":"nosuch","id":"x"}'],
         P + '-netdev {"type":"nosuch","id":"x"}: Parameter \'type\' does '
         "not accept value 'nosuch'"),
    # JSON -netdev: lists of String (hostfwd, guestfwd, dnssearch) as
    # [{"str": ...}], and the visitor's type errors for their shapes
    Case('netdev-json-lists-accepted', KA + ['-netdev',
         '{"type":"user","id":"n0","dnssearch":[{"str":"a.org"},{"str":"b.'
         'org"}],"hostfwd":[{"str":"tcp:127.0.0.1:0-:22"},{"str":"udp:127.'
         '0.0.1:0-:53"}],"guestfwd":[{"str":"tcp:10.0.2.200:80-cmd:true"}]'
         '}'] + EXIT,
         P + 'warning: netdev n0 has no peer'),
    Case('netdev-json-list-empty-accepted', KA + ['-netdev',
         '{"type":"user","id":"n0","hostfwd":[]}'] + EXIT,
         P + 'warning: netdev n0 has no peer'),
    netdev_json_case('netdev-json-list-rule-bad',
                     '{"type":"user","id":"n0","hostfwd":[{"str":"tcp::99999-:'
                     '22"}]}',
                     "Invalid host forwarding rule 'tcp::99999-:22' (Bad host port)"),
    netdev_json_case('netdev-json-list-last-first',
                     '{"type":"user","id":"n0","hostfwd":[{"str":"a"},{"str":"'
                     'b"}]}',
                     "Invalid host forwarding rule 'b' (No : separators)"),
    netdev_json_case('netdev-json-list-both-rules-used',
                     '{"type":"user","id":"n0","hostfwd":[{"str":"tcp:127.0.0.'
                     '1:47123-:22"},{"str":"tcp:127.0.0.1:47123-:23"}]}',
                     "Could not set up host forwarding rule 'tcp:127.0.0.1:47123-:22'"),
    netdev_json_case('netdev-json-guestfwd-bad',
                     '{"type":"user","id":"n0","guestfwd":[{"str":"a"},{"str":'
                     '"b"}]}',
                     "Invalid guest forwarding rule 'b'"),
    netdev_json_case('netdev-json-list-not-array',
                     '{"type":"user","id":"n0","hostfwd":"tcp::1-:22"}',
                     "Invalid parameter type for 'hostfwd', expected: array"),
    netdev_json_case('netdev-json-list-object',
                     '{"type":"user","id":"n0","dnssearch":{"str":"a.org"}}',
                     "Invalid parameter type for 'dnssearch', expected: array"),
    netdev_json_case('netdev-json-list-null',
                     '{"type":"user","id":"n0","guestfwd":null}',
                     "Invalid parameter type for 'guestfwd', expected: array"),
    netdev_json_case('netdev-json-list-element-string',
                     '{"type":"user","id":"n0","hostfwd":["tcp::1-:22"]}',
                     "Invalid parameter type for 'hostfwd[0]', expected: object"),
    netdev_json_case('netdev-json-list-element-null',
                     '{"type":"user","id":"n0","hostfwd":[{"str":"a"},null]}',
                     "Invalid parameter type for 'hostfwd[1]', expected: object"),
    netdev_json_case('netdev-json-list-element-array',
                     '{"type":"user","id":"n0","hostfwd":[[]]}',
                     "Invalid parameter type for 'hostfwd[0]', expected: object"),
    netdev_json_case('netdev-json-list-str-missing',
                     '{"type":"user","id":"n0","hostfwd":[{}]}',
                     "Parameter 'hostfwd[0].str' is missing"),
    netdev_json_case('netdev-json-list-str-number',
                     '{"type":"user","id":"n0","hostfwd":[{"str":1}]}',
                     "Invalid parameter type for 'hostfwd[0].str', expected: string"),
    netdev_json_case('netdev-json-list-str-object',
                     '{"type":"user","id":"n0","hostfwd":[{"str":{"a":1}}]}',
                     "Invalid parameter type for 'hostfwd[0].str', expected: string"),
    netdev_json_case('netdev-json-list-element-extra',
                     '{"type":"user","id":"n0","hostfwd":[{"x":{"a":1},"str":"'
                     'a"}]}',
                     "Parameter 'hostfwd[0].x' is unexpected"),
    netdev_json_case('netdev-json-list-before-unexpected',
                     '{"type":"user","id":"n0","bogus":1,"hostfwd":[1]}',
                     "Invalid parameter type for 'hostfwd[0]', expected: object"),
    netdev_json_case('netdev-json-list-other-backend',
                     '{"type":"tap","id":"n0","hostfwd":[{"str":"x"}]}',
                     "Parameter 'hostfwd' is unexpected"),
    netdev_json_case('netdev-json-list-empty-unexpected',
                     '{"type":"user","id":"n0","x":[]}',
                     "Parameter 'x' is unexpected"),
    netdev_json_case('netdev-json-string-array',
                     '{"type":"user","id":"n0","net":["x"]}',
                     "Invalid parameter type for 'net', expected: string"),
    netdev_json_case('netdev-json-string-object',
                     '{"type":"user","id":"n0","net":{"a":1}}',
                     "Invalid parameter type for 'net', expected: string"),
    netdev_json_case('netdev-json-bool-string',
                     '{"type":"user","id":"n0","restrict":"on"}',
                     "Invalid parameter type for 'restrict', expected: boolean"),
    netdev_json_case('netdev-json-bool-null',
                     '{"type":"user","id":"n0","restrict":null}',
                     "Invalid parameter type for 'restrict', expected: boolean"),
    netdev_json_case('netdev-json-size-string',
                     '{"type":"tap","id":"n0","sndbuf":"1"}',
                     "Parameter 'sndbuf' expects uint64"),
    netdev_json_case('netdev-json-number-array',
                     '{"type":"tap","id":"n0","queues":[1]}',
                     "Parameter 'queues' expects uint64"),
    netdev_json_case('netdev-json-null-unexpected',
                     '{"type":"user","id":"n0","x":null}',
                     "Parameter 'x' is unexpected"),
    netdev_json_case('netdev-json-id-null',
                     '{"type":"user","id":null}',
                     "Invalid parameter type for 'id', expected: string"),
    netdev_json_case('netdev-json-type-array',
                     '{"type":["user"],"id":"n0"}',
                     "Invalid parameter type for 'type', expected: string"),
    netdev_json_case('netdev-json-list-separator',
                     '{"type":"user","id":"n0","hostfwd":[1 2]}',
                     'JSON parse error, expected separator in list'),
    netdev_json_case('netdev-json-list-trailing-comma',
                     '{"type":"user","id":"n0","hostfwd":[1,]}',
                     'JSON parse error, expecting value'),
    netdev_json_case('netdev-json-list-eoi',
                     '{"type":"user","id":"n0","hostfwd":[',
                     'JSON parse error, premature EOI'),
    Case('nic-none-accepted', KA + ['-nic', 'none'] + EXIT, ''),
    Case('nic-help', K + ['-nic', 'help'],
         P + "-nic help: Parameter 'type' does not accept value 'help'"),
    Case('nic-unknown-type', K + ['-nic', 'foo'],
         P + "-nic foo: Parameter 'type' does not accept value 'foo'"),
    Case('nic-hubport-no-hubid', K + ['-nic', 'hubport'],
         P + "-nic hubport: Parameter 'hubid' is missing"),
    Case('nic-hubport-accepted', KA + ['-nic', 'hubport,hubid=0,id=n,'
         'model=virtio-net-device,mac=52:54:00:12:34:99'] + EXIT,
         P + 'warning: hub port n has no peer'),
    Case('nic-bad-mac', K + ['-nic', 'hubport,hubid=0,mac=zz'],
         P + '-nic hubport,hubid=0,mac=zz: invalid syntax for ethernet '
         'address'),
    Case('nic-multicast-mac', K + ['-nic',
         'hubport,hubid=0,mac=01:00:00:00:00:00'],
         P + '-nic hubport,hubid=0,mac=01:00:00:00:00:00: NIC cannot have '
         'multicast MAC address'),
    Case('nic-bad-key', K + ['-nic', 'hubport,hubid=0,bogus=1'],
         P + "-nic hubport,hubid=0,bogus=1: Invalid parameter 'bogus'"),
    Case('net-none-accepted', KA + ['-net', 'none'] + EXIT, ''),
    Case('net-nic-accepted', KA + ['-net', 'nic'] + EXIT,
         P + 'warning: hub port hub0port0 has no peer'),
    Case('net-nic-model-help-accepted', KA + ['-net', 'nic,model=help']
         + EXIT, P + 'warning: hub port hub0port0 has no peer'),
    Case('net-nic-netdev-accepted', KA + ['-netdev', 'hubport,id=h,hubid=1',
         '-net', 'nic,netdev=h,id=n0'] + EXIT,
         P + 'warning: hub port h has no peer'),
    Case('net-hubport', K + ['-net', 'hubport,hubid=0'],
         P + "-net hubport,hubid=0: network backend 'hubport' is only "
         'supported with -netdev/-nic'),
    Case('net-unknown-type', K + ['-net', 'foo'],
         P + "-net foo: Parameter 'type' does not accept value 'foo'"),
    Case('net-nic-no-netdev', K + ['-net', 'nic,netdev=nosuch'],
         P + "-net nic,netdev=nosuch: netdev 'nosuch' not found"),
    Case('net-nic-bad-mac', K + ['-net', 'nic,macaddr=zz'],
         P + '-net nic,macaddr=zz: invalid syntax for ethernet address'),
    Case('net-nic-multicast-mac', K + ['-net',
         'nic,macaddr=01:00:00:00:00:00'],
         P + '-net nic,macaddr=01:00:00:00:00:00: NIC cannot have '
         'multicast MAC address (odd 1st byte)'),
    Case('net-nic-vectors-word', K + ['-net', 'nic,vectors=x'],
         P + "-net nic,vectors=x: Parameter 'vectors' expects a uint64 "
         'value'),
    Case('net-nic-vectors-big', K + ['-net', 'nic,vectors=999999999'],
         P + '-net nic,vectors=999999999: invalid # of vectors: 999999999'),
    # --- -netdev user (net/slirp.c, net/slirp-opts.c) ---
    Case('netdev-user-accepted', KA + ['-netdev', 'user,id=n0'] + EXIT,
         P + 'warning: netdev n0 has no peer'),
    Case('netdev-user-all-keys-accepted', KA + ['-netdev',
         'user,id=n0,net=10.1.0.0/16,host=10.1.0.1,dhcpstart=10.1.0.100,'
         'dns=10.1.0.53,restrict=off,hostname=g,domainname=example.org,'
         'dnssearch=a.org,dnssearch=b.org,tftp=/nonexistent,bootfile=b,'
         'tftp-server-name=t,ipv6-net=fd00::/64,ipv6-host=fd00::2,'
         'ipv6-dns=fd00::3,hostfwd=tcp:127.0.0.1:0-:22,'
         'hostfwd=udp:127.0.0.1:0-:53,guestfwd=tcp:10.1.0.200:80-cmd:true,'
         'guestfwd=tcp:10.1.0.201:81-null'] + EXIT,
         P + 'warning: netdev n0 has no peer'),
    Case('netdev-user-ip-accepted', KA + ['-netdev', 'user,id=n0,ip=10.9.9.0']
         + EXIT, P + 'warning: netdev n0 has no peer'),
    Case('netdev-user-ipv6-on-accepted', KA + ['-netdev',
         'user,id=n0,ipv6=on,restrict=y'] + EXIT,
         P + 'warning: netdev n0 has no peer'),
    Case('netdev-user-bad-key', K + ['-netdev', 'user,id=n0,bogus=1'],
         P + "-netdev user,id=n0,bogus=1: Invalid parameter 'bogus'"),
    Case('netdev-user-bad-bool-first', K + ['-netdev',
         'user,id=n0,bogus=1,ipv4=x,restrict=x'],
         P + "-netdev user,id=n0,bogus=1,ipv4=x,restrict=x: Parameter "
         "'restrict' expects 'on' or 'off'"),
    Case('netdev-user-prefixlen-word', K + ['-netdev',
         'user,id=n0,ipv6-prefixlen=abc'],
         P + "-netdev user,id=n0,ipv6-prefixlen=abc: Parameter "
         "'ipv6-prefixlen' expects an int64 value"),
    Case('netdev-user-prefixlen-range', K + ['-netdev',
         'user,id=n0,ipv6-prefixlen=127'],
         P + '-netdev user,id=n0,ipv6-prefixlen=127: Invalid IPv6 prefix '
         'provided (IPv6 prefix length must be between 0 and 126)'),
    Case('netdev-user-ipv6-net-empty', K + ['-netdev', 'user,id=n0,ipv6-net='],
         P + "-netdev user,id=n0,ipv6-net=: Parameter 'ipv6-net' expects a "
         'valid IPv6 prefix'),
    Case('netdev-user-ipv6-net-len', K + ['-netdev',
         'user,id=n0,ipv6-net=fec0::/x'],
         P + "-netdev user,id=n0,ipv6-net=fec0::/x: Parameter "
         "'ipv6-prefixlen' expects a number"),
    Case('netdev-user-both-off', K + ['-netdev',
         'user,id=n0,ipv4=off,ipv6=off'],
         P + '-netdev user,id=n0,ipv4=off,ipv6=off: IPv4 and IPv6 disabled'),
    Case('netdev-user-ipv4-off-net', K + ['-netdev',
         'user,id=n0,ipv6=on,net=10.0.0.0/8'],
         P + '-netdev user,id=n0,ipv6=on,net=10.0.0.0/8: IPv4 disabled but '
         'netmask/host/dns provided'),
    Case('netdev-user-netmask', K + ['-netdev', 'user,id=n0,net=10.0.0.0/33'],
         P + '-netdev user,id=n0,net=10.0.0.0/33: Invalid netmask provided '
         '(must be in range 4-32)'),
    Case('netdev-user-host-outside', K + ['-netdev',
         'user,id=n0,host=10.0.3.2'],
         P + "-netdev user,id=n0,host=10.0.3.2: Host doesn't belong to "
         'network'),
    Case('netdev-user-dhcp-is-dns', K + ['-netdev',
         'user,id=n0,dhcpstart=10.0.2.3'],
         P + '-netdev user,id=n0,dhcpstart=10.0.2.3: DHCP must be different '
         'from host and DNS'),
    Case('netdev-user-domainname-empty', K + ['-netdev',
         'user,id=n0,domainname='],
         P + "-netdev user,id=n0,domainname=: 'domainname' parameter cannot "
         'be empty'),
    Case('netdev-user-hostfwd-syntax', K + ['-netdev',
         'user,id=n0,hostfwd=tcp::99999-:22'],
         P + "-netdev user,id=n0,hostfwd=tcp::99999-:22: Invalid host "
         "forwarding rule 'tcp::99999-:22' (Bad host port)"),
    Case('netdev-user-hostfwd-last-first', K + ['-netdev',
         'user,id=n0,hostfwd=a,hostfwd=b'],
         P + "-netdev user,id=n0,hostfwd=a,hostfwd=b: Invalid host "
         "forwarding rule 'b' (No : separators)"),
    Case('netdev-user-hostfwd-bind', K + ['-netdev',
         'user,id=n0,hostfwd=tcp:1.2.3:1-:5'],
         P + "-netdev user,id=n0,hostfwd=tcp:1.2.3:1-:5: Could not set up "
         "host forwarding rule 'tcp:1.2.3:1-:5'"),
    Case('netdev-user-guestfwd-syntax', K + ['-netdev',
         'user,id=n0,guestfwd=udp:10.0.2.100:1-null'],
         P + "-netdev user,id=n0,guestfwd=udp:10.0.2.100:1-null: Invalid "
         "guest forwarding rule 'udp:10.0.2.100:1-null'"),
    Case('netdev-user-guestfwd-host', K + ['-netdev',
         'user,id=n0,guestfwd=tcp:10.0.2.2:1-null'],
         P + '-netdev user,id=n0,guestfwd=tcp:10.0.2.2:1-null: '
         "Conflicting/invalid host:port in guest forwarding rule "
         "'tcp:10.0.2.2:1-null'"),
    Case('netdev-user-guestfwd-bad-chardev', K + ['-netdev',
         'user,id=n0,guestfwd=tcp:10.0.2.100:1-nosuch:x'],
         P + "-netdev user,id=n0,guestfwd=tcp:10.0.2.100:1-nosuch:x: "
         "'nosuch:x' is not a valid char driver"),
    Case('netdev-user-guestfwd-no-chardev', K + ['-netdev',
         'user,id=n0,guestfwd=tcp:10.0.2.100:1-chardev:nosuch'],
         P + '-netdev user,id=n0,guestfwd=tcp:10.0.2.100:1-chardev:nosuch: '
         "Could not open guest forwarding device 'guestfwd.tcp.1'"),
    Case('netdev-user-smb', K + ['-netdev', 'user,id=n0,smb=/tmp'],
         P + "-netdev user,id=n0,smb=/tmp: Could not find '/usr/sbin/smbd', "
         'please install it'),
    Case('netdev-user-smbserver', K + ['-netdev',
         'user,id=n0,smbserver=x'],
         P + '-netdev user,id=n0,smbserver=x: Failed to parse SMB address'),
    Case('nic-user-accepted', KA + ['-nic',
         'user,id=u0,hostfwd=tcp:127.0.0.1:0-:22']
         + EXIT, ''),
    Case('net-user-accepted', KA + ['-net', 'user'] + EXIT,
         P + 'warning: hub 0 with no nics'),
    # libslirp's own GLib warning, printed the way QEMU's error_init() does
    Case('netdev-user-dnssearch-empty', KA + ['-netdev',
         'user,id=n0,dnssearch='] + EXIT,
         P + "-netdev user,id=n0,dnssearch=: warning: Slirp: failed to parse "
         "domain name ''"),
    Case('netdev-user-guestfwd-same-port', K + ['-netdev',
         'user,id=n0,guestfwd=tcp:10.0.2.100:1234-null,'
         'guestfwd=tcp:10.0.2.101:1234-null'],
         P + '-netdev user,id=n0,guestfwd=tcp:10.0.2.100:1234-null,'
         'guestfwd=tcp:10.0.2.101:1234-null: attempt to add duplicate '
         "property 'guestfwd.tcp.1234' to object (type 'container')"),
    Case('net-nic-bad-key', K + ['-net', 'nic,bogus=1'],
         P + "-net nic,bogus=1: Invalid parameter 'bogus'"),
    Case('net-too-many-nics', K + ['-net', 'nic'] * 9,
         P + '-net nic: too many NICs'),
    # Without -nodefaults nor a network option QEMU adds -net nic -net
    # user and does not check them: no warning (microqemu adds the NIC
    # request, which takes the first default MAC, and no user stack).
    Case('net-default-accepted', ['-display', 'none', '-no-user-config',
         '-serial', 'none'] + KA + EXIT, '', base=False),
    Case('net-nodefaults-checked-accepted', KA + ['-net', 'nic,id=n',
         '-nic', 'hubport,hubid=0,id=x'] + EXIT,
         P + 'warning: hub port hub0port1 has no peer'),
    # --- -netdev tap, socket, stream, dgram (issue 11 part 4: net/tap.c,
    # socket.c, stream.c, dgram.c); fd 0 is the run's stdin, no socket ---
] + [Case('netdev-' + name, K + ['-netdev', spec] + NOBIOS,
          P + '-netdev ' + spec + ': ' + line)
     for name, spec, line in [
    ('socket-none', 'socket,id=n0',
     'exactly one of listen=, connect=, mcast= or udp= is required'),
    ('socket-two', 'socket,id=n0,listen=:0,connect=:1',
     'exactly one of listen=, connect=, mcast= or udp= is required'),
    ('socket-no-colon', 'socket,id=n0,listen=foo',
     "host address 'foo' doesn't contain ':' separating host from port"),
    ('socket-bad-port', 'socket,id=n0,listen=:abc',
     "port number 'abc' is invalid"),
    ('socket-localaddr-listen', 'socket,id=n0,localaddr=1.2.3.4,listen=:1',
     'localaddr= is only valid with mcast= or udp='),
    ('socket-udp-no-localaddr', 'socket,id=n0,udp=127.0.0.1:5',
     'localaddr= is mandatory with udp='),
    ('socket-mcast-unicast', 'socket,id=n0,mcast=127.0.0.1:5',
     'specified mcastaddr 127.0.0.1 (0x7f000001) does not contain a '
     'multicast address'),
    ('socket-mcast-localaddr', 'socket,id=n0,mcast=230.0.0.1:5,localaddr=x',
     "localaddr 'x' is not a valid IPv4 address"),
    ('socket-fd-name', 'socket,id=n0,fd=x',
     "Invalid file descriptor number 'x'"),
    ('socket-bind', 'socket,id=n0,listen=1.2.3.4:5',
     "can't bind ip=1.2.3.4 to socket: Cannot assign requested address"),
    ('stream-no-addr', 'stream,id=n0', "Parameter 'addr' is missing"),
    ('stream-bad-type', 'stream,id=n0,addr.type=foo',
     "Parameter 'type' does not accept value 'foo'"),
    ('stream-no-type', 'stream,id=n0,addr.host=x',
     "Parameter 'addr.type' is missing"),
    ('stream-no-host', 'stream,id=n0,addr.type=inet',
     "Parameter 'addr.host' is missing"),
    ('stream-no-port', 'stream,id=n0,addr.type=inet,addr.host=x',
     "Parameter 'addr.port' is missing"),
    ('stream-no-path', 'stream,id=n0,addr.type=unix',
     "Parameter 'addr.path' is missing"),
    ('stream-no-str', 'stream,id=n0,addr.type=fd',
     "Parameter 'addr.str' is missing"),
    ('stream-unexpected', 'stream,id=n0,addr.type=inet,addr.host=h,'
     'addr.port=1,addr.path=x', "Parameter 'addr.path' is unexpected"),
    ('dgram-no-local', 'dgram,id=n0', 'dgram requires local= parameter'),
    ('dgram-no-remote', 'dgram,id=n0,local.type=inet,local.host=127.0.0.1,'
     'local.port=0', 'type=inet or type=unix requires remote parameter'),
    ('dgram-unix-bind', 'dgram,id=n0,local.type=unix,local.path=/nonexist/a,'
     'remote.type=unix,remote.path=/tmp/b',
     "can't bind unix=/nonexist/a to socket: No such file or directory"),
    ('dgram-fd-remote', 'dgram,id=n0,local.type=fd,local.str=0,'
     'remote.type=inet,remote.host=1.2.3.4,remote.port=1',
     "don't set remote with local.fd"),
    ('dgram-types', 'dgram,id=n0,local.type=inet,local.host=127.0.0.1,'
     'local.port=0,remote.type=unix,remote.path=/x',
     'remote and local types must be the same'),
    ('dgram-vsock', 'dgram,id=n0,local.type=vsock,local.cid=1,local.port=2,'
     'remote.type=vsock,remote.cid=1,remote.port=2',
     'only support inet or fd type for local'),
    ('tap-fd-name', 'tap,id=n0,fd=foo', "Invalid file descriptor number 'foo'"),
    ('tap-fd-and-ifname', 'tap,id=n0,fd=3,ifname=x',
     'ifname=, script=, downscript=, vnet_hdr=, helper=, queues=, fds=, '
     'and vhostfds= are invalid with fd='),
    ('tap-vhostfds', 'tap,id=n0,vhostfds=1',
     "vhostfds= is invalid if fds= wasn't specified"),
    ('tap-script', 'tap,id=n0,ifname=mqconf0,script=/nonexistent,'
     'downscript=no', 'network script /nonexistent failed with status 256'),
    ('tap-bad-ifname', 'tap,id=n0,ifname=a/b,script=no',
     'could not configure /dev/net/tun (a/b): Invalid argument'),
]]

DELIBERATE = [
    Deliberate('display-help', ['-display', 'help'],
               "Debian's qemu-system-x86_64 first says on stderr that the "
               'ui-ui-none module is missing (qemu-system-gui not '
               'installed); microqemu lists what it has, like '
               'qemu-system-x86_64-microvm', ref='microvm'),
    Deliberate('machine-pc', ['-M', 'pc', '-enable-kvm'],
               'qemu-system-x86_64 boots a pc machine; microqemu has '
               'microvm only and refuses like qemu-system-x86_64-microvm',
               ref='microvm'),
    Deliberate('machine-isapc', ['-M', 'isapc', '-enable-kvm'],
               'as machine-pc', ref='microvm'),
    Deliberate('machine-q35', ['-M', 'q35', '-enable-kvm'],
               'qemu-system-x86_64(-microvm) boots q35; microqemu has '
               'microvm only', line=P + 'unsupported machine type'),
    Deliberate('accel-tcg', ['-M', 'microvm', '-accel', 'tcg'],
               'QEMU runs TCG; microqemu is KVM only like '
               'qemu-system-x86_64-microvm', ref='microvm'),
    Deliberate('machine-accel-tcg', ['-M', 'microvm,accel=tcg'],
               'as accel-tcg', ref='microvm'),
    Deliberate('device-serial-irq-99', K + ['-device', 'isa-serial,irq=99'],
               'QEMU 7.2 aborts on an assertion (isa_get_irq); microqemu '
               'must fail cleanly: status 1 and an error line', line=None),
    Deliberate('smp-product-wraps', K + ['-smp', 'cpus=2,sockets=65536,'
                                         'threads=65536'],
               'QEMU 7.2 divides by sockets * threads, which wraps to 0 '
               '(SIGFPE, status 136); microqemu refuses the topology',
               line=P + 'Invalid CPU topology: product of the hierarchy '
               'must match maxcpus: sockets (65536) * cores (0) * threads '
               '(65536) != maxcpus (2)'),
    Deliberate('bios-fifo', K + ['-bios', '{tmp}/fifo'],
               "QEMU 7.2's open() waits for a writer on a fifo; microqemu "
               'opens non-blocking and refuses it at once',
               line="qemu: could not load PC BIOS '{tmp}/fifo'"),
    Deliberate('kernel-fifo', KA + ['-kernel', '{tmp}/fifo'],
               'as bios-fifo: QEMU 7.2 waits in open() (SIGTERM still '
               'ends it); microqemu refuses the fifo at once',
               line="qemu: could not load kernel '{tmp}/fifo': Illegal seek"),
    Deliberate('initrd-fifo', KA + ['-kernel', '{tmp}/pvh-bss-only',
                                    '-initrd', '{tmp}/fifo'],
               'as bios-fifo, for the initrd', line="qemu: error reading "
               "initrd {tmp}/fifo: Illegal seek"),
    Deliberate('multiboot-module-fifo', KA + ['-kernel', '{tmp}/mb-plain',
                                              '-initrd', '{tmp}/fifo arg'],
               'as bios-fifo, for a multiboot module',
               line=P + "Failed to open file '{tmp}/fifo'"),
    Deliberate('bios-32m', K + ['-bios', '{tmp}/bios-32m.rom'],
               'QEMU 7.2 maps up to 2 GiB - 64 KiB of firmware and lets the '
               'devices cover it; microqemu maps at most 17 MiB (up to the '
               'LAPIC window)',
               line="qemu: could not load PC BIOS '{tmp}/bios-32m.rom': "
               'larger than 17 MiB, which would cover the device windows '
               '(not supported by microqemu)'),
    Deliberate('multiboot-bss-4g', KA + ['-kernel', '{tmp}/mb-bss-4g'],
               'QEMU 7.2 allocates and zeroes the 4 GiB image; microqemu '
               'refuses an image that does not fit in RAM below 4 GiB',
               line=P + 'multiboot kernel does not fit in guest RAM: '
               '0xffefffff bytes at 0x100000, RAM below 4 GiB ends at '
               '0x8000000'),
    Deliberate('device-e1000', K + ['-device', 'e1000'],
               'QEMU knows e1000 and fails for want of a PCI bus; microqemu '
               'has no PCI devices, like qemu-system-x86_64-microvm',
               ref='microvm'),
    Deliberate('netdev-tap-vhost', K + ['-netdev', 'tap,id=n0,ifname=mqconf1,'
               'vhost=on,script=no,downscript=no'] + NOBIOS,
               'no vhost-net: refused with QEMU\'s vhost-net error, where '
               'QEMU 7.2 warns and then fails an assertion',
               line=P + '-netdev tap,id=n0,ifname=mqconf1,vhost=on,script=no,'
               'downscript=no: vhost-net requested but could not be '
               'initialized'),
    Deliberate('netdev-tap-queues-0', K + ['-netdev', 'tap,id=n0,queues=0,'
               'script=no,downscript=no'] + NOBIOS,
               'QEMU 7.2 creates no client and fails an assertion',
               line=P + '-netdev tap,id=n0,queues=0,script=no,downscript=no: '
               'tap: queues=0: a tap needs at least one queue'),
    Deliberate('netdev-vde', K + ['-netdev', 'vde,id=x'],
               'QEMU 7.2 has vde; microqemu refuses the types it does not '
               "build as QEMU's binaries without them do (the microvm "
               "binary's line for vde)", ref='microvm'),
    Deliberate('netdev-l2tpv3', K + ['-netdev', 'l2tpv3,id=x'],
               'QEMU 7.2 checks l2tpv3\'s keys first; microqemu has no '
               'l2tpv3 and refuses it by name',
               line=P + "-netdev l2tpv3,id=x: network backend 'l2tpv3' is "
               'not compiled into this binary'),
    Deliberate('netdev-vhost-user', K + ['-netdev', 'vhost-user,id=x'],
               'no vhost-user backend in microqemu: refused by name',
               line=P + "-netdev vhost-user,id=x: network backend "
               "'vhost-user' is not compiled into this binary"),
    Deliberate('netdev-hubport-loop', K + ['-netdev', 'hubport,id=h,hubid=0',
               '-netdev', 'hubport,id=g,hubid=0,netdev=h'],
               'QEMU 7.2 overflows its stack (two ports of one hub as '
               'peers); microqemu refuses the second port',
               line=P + "-netdev hubport,id=g,hubid=0,netdev=h: netdev 'h' "
               'is a port of hub 0 or of a hub linked to it'),
    Deliberate('netdev-hubport-loop-2', K + ['-netdev', 'hubport,id=a,hubid=0',
               '-netdev', 'hubport,id=b,hubid=1,netdev=a',
               '-netdev', 'hubport,id=c,hubid=0',
               '-netdev', 'hubport,id=d,hubid=1,netdev=c'],
               'QEMU 7.2 overflows its stack (a second link between hubs 0 '
               'and 1 closes a loop); microqemu refuses it',
               line=P + "-netdev hubport,id=d,hubid=1,netdev=c: netdev 'c' "
               'is a port of hub 1 or of a hub linked to it'),
]


# Cases whose feature belongs to a later issue (issue 4: the whole
# command-line surface; the virtio device issues). Until it lands, our
# binary must refuse them by name: status 1 and a first line saying the
# feature is not supported by microqemu. Remove a name here when its
# feature lands, and the case is compared with QEMU again.
LATER = {
    'serial-telnet-server-accepted-later': 'telnet sockets (issue 4)',
    'sandbox-on': '-sandbox on (seccomp issue)',
    'S-without-monitor': '-S needs the monitor (monitor issue)',
    'device-pci-on-microvm': 'PCI devices (pcie issue)',
    'readconfig-sandbox-on': '[sandbox] enable=on (seccomp issue)',
    'machine-pcie-on': 'the PCIe host (pcie issue)',
    'machine-pcie-on-ioapic2-off': 'the PCIe host (pcie issue)',
    'machine-usb-on': 'the XHCI controller (usb=on)',
}



# Help outputs: every name microqemu lists must be one QEMU 7.2 lists too
# (it may list fewer: only what is implemented), and the lists must not
# be empty. Machine, netdev and display lists are compared with
# qemu-system-x86_64-microvm when present (the full binary has pc machines
# and complains about missing display modules); the others with the full
# binary, whose build has isa-debug-exit and plugins as ours does.
def names_after_header(text):
    return [l.split()[0] for l in text.splitlines()[1:] if l.strip()]


def names_quoted(text):
    return [l.split('"')[1] for l in text.splitlines()
            if l.startswith('name "')]


def names_keys(text):
    return [l.split('=')[0].strip() for l in text.splitlines()
            if l.startswith('  ') and '=' in l]


def names_cpu(text):
    models, flags, in_flags = [], [], False
    for line in text.splitlines():
        if line.startswith('Recognized CPUID flags:'):
            in_flags = True
        elif in_flags:
            flags += ['flag ' + f for f in line.split()]
        elif line.startswith('x86 '):
            models.append(line.split()[1])
    return models + flags


def names_log(text):
    return [l.split()[0] for l in text.splitlines()[1:]
            if l and not l[0].isspace() and not l.startswith('Use ')]


def names_options(text):
    """-h: the option of each synopsis line, and the headings."""
    names = []
    for line in text.splitlines():
        if line.startswith('-'):
            names.append(line.split()[0])
        elif line.endswith(':') and not line[0].isspace():
            names.append('heading ' + line)
    return names


HELP = [
    ('options', ['-h'], names_options),
    ('options-help', ['--help'], names_options),
    ('machine', ['-M', 'help'], names_after_header),
    ('machine-props', ['-M', 'microvm,help'], names_keys),
    ('cpu', ['-cpu', 'help'], names_cpu),
    ('device', ['-device', 'help'], names_quoted),
    ('device-props', ['-device', 'isa-serial,help'], names_keys),
    ('ioapic-props', ['-device', 'ioapic,help'], names_keys),
    ('i8259-props', ['-device', 'isa-i8259,help'], names_keys),
    ('pit-props', ['-device', 'isa-pit,help'], names_keys),
    ('accel', ['-accel', 'help'], names_after_header),
    ('chardev', ['-chardev', 'help'], names_after_header),
    ('netdev', ['-netdev', 'help'], names_after_header),
    ('display', ['-display', 'help'], names_after_header),
    ('boot', ['-boot', 'help'], names_keys),
    ('log', ['-d', 'help'], names_log),
]
# Lists that may be empty by design (none now).
HELP_MAY_BE_EMPTY = set()


def help_names(binary, args):
    p = subprocess.run([binary] + args, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       timeout=30)
    return p.stdout.decode('utf-8', 'replace')


# Compared with Debian's reduced microvm binary. Not -netdev help: we have
# user networking (libslirp), which only the full binary lists.
HELP_MICROVM_REF = {'machine', 'display'}

# Help outputs that must be QEMU 7.2's byte for byte (the full binary's):
# -cpu help lists every QEMU model and flag name, whatever microqemu
# implements (target/i386/cpu-help.c says why).
HELP_EXACT = [
    ('cpu', ['-cpu', 'help']),
    ('virtio-blk-props', ['-M', 'microvm', '-device',
                          'virtio-blk-device,help']),
    ('virtio-net-props', ['-M', 'microvm', '-device',
                          'virtio-net-device,help']),
]


def compare_help_exact(opts):
    failures = 0
    for name, args in HELP_EXACT:
        ours = help_names(opts.binary, args)
        theirs = help_names(opts.qemu, args)
        if ours != theirs:
            failures += 1
            print('HELP %s (%s): not byte for byte QEMU 7.2\'s' %
                  (name, ' '.join(args)))
            for d in list(difflib.unified_diff(
                    theirs.splitlines(), ours.splitlines(), 'qemu', 'ours',
                    lineterm=''))[:40]:
                print('    ' + d)
    print('compared %d help outputs byte for byte with QEMU 7.2' %
          len(HELP_EXACT))
    return failures


def compare_help(opts):
    have_microvm = os.access(opts.microvm_qemu, os.X_OK)
    failures = 0
    for name, args, parse in HELP:
        ref = opts.microvm_qemu if name in HELP_MICROVM_REF and \
            have_microvm else opts.qemu
        ours = parse(help_names(opts.binary, args))
        theirs = set(parse(help_names(ref, args)))
        extra = [n for n in ours if n not in theirs]
        if extra or (not ours and name not in HELP_MAY_BE_EMPTY):
            failures += 1
            print('HELP %s (%s): names QEMU does not list: %s%s'
                  % (name, ' '.join(args), ' '.join(extra[:10]),
                     '' if ours else ' (our list is empty)'))
    print('compared %d help outputs by name with QEMU 7.2' % len(HELP))
    return failures


def normalise(line, binary, tmp):
    prog = os.path.basename(binary)
    if line.startswith(prog + ':'):
        line = 'PROG:' + line[len(prog) + 1:]
    return line.replace(tmp, '{tmp}')


def command(binary, case, tmp, real_qemu):
    args = [a.replace('{tmp}', tmp) for a in case.args]
    if real_qemu:
        # QEMU 7.2's -cpu host aborts on this host's KVM ("failed to set
        # MSR 0x10a"); microqemu must accept plain -cpu host.
        for i in range(1, len(args)):
            if args[i - 1] == '-cpu' and args[i].startswith('host'):
                args[i] = 'host,-arch-capabilities' + args[i][4:]
    return [binary] + (BASE if case.base else []) + args


def run(binary, case, tmp, timeout, real_qemu):
    cmd = command(binary, case, tmp, real_qemu)
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           timeout=timeout, cwd=tmp)
    except subprocess.TimeoutExpired:
        return ('timeout', '(no exit within %gs)' % timeout)
    except OSError as e:
        return ('cannot run', str(e))
    err = p.stderr.decode('utf-8', 'replace').splitlines()
    first = normalise(err[0], binary, tmp) if err else ''
    return (p.returncode, first)


def make_fixtures(tmp):
    with open(os.path.join(tmp, 'text'), 'w') as f:
        f.write('this is not a kernel\n' * 64)
    open(os.path.join(tmp, 'empty'), 'w').close()
    with open(os.path.join(tmp, 'disk.img'), 'wb') as f:
        f.truncate(1024 * 1024)
    # 64 KiB firmware: at the reset vector "mov al,0; mov dx,0x501;
    # out dx,al; hlt" (isa-debug-exit: exit status 1)
    rom = bytearray(b'\xf4' * 65536)
    rom[-16:-9] = bytes([0xb0, 0x00, 0xba, 0x01, 0x05, 0xee, 0xf4])
    with open(os.path.join(tmp, 'exit.rom'), 'wb') as f:
        f.write(rom)
    make_kernel_fixtures(tmp)
    # -readconfig files, named relative to {tmp} (the cases' directory)
    # so that the FILE:LINE of an error reads the same for both binaries
    os.mkdir(os.path.join(tmp, 'cfg'))
    for name, text in READCONFIG_FILES.items():
        with open(os.path.join(tmp, 'cfg', name), 'w') as f:
            f.write(text)


# Code at the entry of the test kernels: "mov al,5; mov edx,0x501;
# out dx,al; hlt", an exit through isa-debug-exit with status 11.
EXIT_CODE = bytes([0xb0, 0x05, 0xba, 0x01, 0x05, 0x00, 0x00, 0xee, 0xf4])


def pvh_elf(loads, is64=False, entry=0x100000):
    """An ELF PVH kernel: a PT_NOTE with the entry, then one PT_LOAD per
    (paddr, file bytes, memsz) in loads."""
    ehsize, phsize = (64, 56) if is64 else (52, 32)
    nph = len(loads) + 1
    desc = struct.pack('<Q' if is64 else '<I', entry)
    note = struct.pack('<III', 4, len(desc), 18) + b'Xen\0' + desc
    off = ehsize + nph * phsize
    phdrs = [(4, off, 0, len(note), len(note), 4, 4)]
    body = note
    off += len(note)
    for paddr, data, memsz in loads:
        phdrs.append((1, off, paddr, len(data), memsz, 7, 16))
        body += data
        off += len(data)
    ident = b'\x7fELF' + bytes([2 if is64 else 1, 1, 1]) + bytes(9)
    if is64:
        out = ident + struct.pack('<HHIQQQIHHHHHH', 2, 62, 1, entry, ehsize,
                                  0, 0, ehsize, phsize, nph, 0, 0, 0)
    else:
        out = ident + struct.pack('<HHIIIIIHHHHHH', 2, 3, 1, entry, ehsize,
                                  0, 0, ehsize, phsize, nph, 0, 0, 0)
    for t, o, pa, fs, ms, fl, al in phdrs:
        if is64:
            out += struct.pack('<IIQQQQQQ', t, fl, o, pa, pa, fs, ms, al)
        else:
            out += struct.pack('<IIIIIIII', t, o, pa, pa, fs, ms, fl, al)
    return out + body


def multiboot_aout(load_end=0, bss_end=0, size=8192):
    """A multiboot a.out-kludge kernel loaded at 1 MiB."""
    flags = 0x10000
    hdr = struct.pack('<IIIIIIII', 0x1badb002, flags,
                      -(0x1badb002 + flags) & 0xffffffff, 0x100000,
                      0x100000, load_end, bss_end, 0x100040)
    data = bytearray(size)
    data[:len(hdr)] = hdr
    data[0x40:0x40 + len(EXIT_CODE)] = EXIT_CODE
    return bytes(data)


def sparse_file(path, size, tail=b''):
    """size bytes, holes but for tail at the end (no disk space used)."""
    with open(path, 'wb') as f:
        f.truncate(size)
        f.seek(size - len(tail))
        f.write(tail)


def make_kernel_fixtures(tmp):
    def put(name, data):
        with open(os.path.join(tmp, name), 'wb') as f:
            f.write(data)

    with open(os.path.join(tmp, 'exit.rom'), 'rb') as f:
        exit_rom = f.read()
    sparse_file(os.path.join(tmp, 'bios-17m.rom'), 17 << 20, exit_rom)
    sparse_file(os.path.join(tmp, 'bios-32m.rom'), 32 << 20, exit_rom)
    sparse_file(os.path.join(tmp, 'bios-2g.rom'), 2 << 30, exit_rom)
    os.mkfifo(os.path.join(tmp, 'fifo'))
    sparse_file(os.path.join(tmp, 'kernel-3g'), 3 << 30)
    bz = bytearray(8192)
    bz[0x1f1] = 4
    bz[0x202:0x206] = b'HdrS'
    bz[0x206:0x208] = struct.pack('<H', 0x20f)
    bz[0x211] = 1
    with open(os.path.join(tmp, 'kernel-3g-bzimage'), 'wb') as f:
        f.write(bz)
        f.truncate(3 << 30)
    put('mb-eof', multiboot_aout(load_end=0x100000 + 65536))
    put('mb-bss-4g', multiboot_aout(bss_end=0xffffffff))
    put('mb-plain', multiboot_aout())
    code = (0x100000, EXIT_CODE, len(EXIT_CODE))
    nops = b'\x90' * 16
    put('pvh-memsz-4g', pvh_elf([(0x100000, EXIT_CODE, 0xffffffff)]))
    put('pvh64-memsz-4g', pvh_elf([(0x100000, EXIT_CODE, 0xffffffff)],
                                  is64=True))
    put('pvh-overlap', pvh_elf([(0x100000, EXIT_CODE + bytes(0x100), 0x200),
                                (0x100100, EXIT_CODE, len(EXIT_CODE))]))
    put('pvh-over-firmware', pvh_elf([code, (0xffff0000, nops, 16)]))
    put('pvh-bss-over-firmware', pvh_elf([code, (0xffff0000, b'', 0x100)]))
    put('pvh-wrap-4g', pvh_elf([code, (0xfffff000, nops, 0x2000)]))
    put('pvh-memsz-4g-high', pvh_elf([code, (0x1000000, b'', 0xffffffff)]))
    put('pvh-bss-only', pvh_elf([code, (0x200000, b'', 0x1000)]))
    # the first segment's zeros reach the second: cut to its file size
    put('pvh-bss-overlap', pvh_elf([(0x100000, EXIT_CODE, 0x1000),
                                    (0x100800, EXIT_CODE, len(EXIT_CODE))]))
    put('pvh64-paddr-2p64', pvh_elf([code, (0xfffffffffffff000, nops,
                                            0x2000)], is64=True))


READCONFIG_FILES = {
    'no-group.cfg': '# comment\nguest = "x"\n',
    'parse-error.cfg': '[name]\nguest = "x"\n   \n',
    'bare-word.cfg': '[name]\nbogus line\n',
    'unknown-group.cfg': '# c\n\n[foo]\na = "b"\n',
    'unknown-group-first.cfg': '[foo]\n[name]\n',
    'brackets.cfg': '[name]\nguest = "x"\n[]\n',
    'bad-key.cfg': '[name]\nfoo = "a"\n\n[rtc]\n',
    'name-id.cfg': '[name "x"]\nguest = "g"\n',
    'device-no-driver.cfg': '[device]\nid = "x"\n',
    'device-id-only.cfg': '[device "d"]\n',
    'device-unknown.cfg': '[device]\nid = "x"\ndriver = "nosuch"\n\n',
    'device-dup.cfg': '[device "a"]\ndriver = "isa-serial"\n'
                      '[device "a"]\ndriver = "isa-serial"\n',
    'chardev-no-id.cfg': '[chardev]\nbackend = "null"\n',
    'chardev-bad.cfg': '[chardev "c"]\nbackend = "nosuch"\n',
    'chardev.cfg': '[chardev "c"]\nbackend = "null"\n',
    'machine.cfg': '[machine]\ntype = "microvm"\naccel = "kvm"\n',
    'machine-bad.cfg': '[machine]\ntype = "nosuch"\n',
    'machine-prop.cfg': '[machine]\ntype = "microvm"\nfoo = "bar"\n',
    'machine-id.cfg': '[machine "x"]\ntype = "microvm"\n',
    'accel.cfg': '[accel]\naccel = "nosuch"\n',
    'memory.cfg': '[memory]\nsize = "foo"\n',
    'memory-huge.cfg': '[memory]\nsize = "18446744073709551615"\n',
    'smp.cfg': '[smp-opts]\ncpus = "x"\n',
    'smp-id.cfg': '[smp-opts "x"]\ncpus = "2"\n',
    'boot.cfg': '[boot-opts]\nfoo = "x"\n',
    'object.cfg': '[object]\nqom-type = "memory-backend-ram"\n',
    'object-bad.cfg': '[object "m"]\nqom-type = "nosuch"\n',
    'rtc.cfg': '[rtc]\nbase = "bad"\n',
    'msg.cfg': '[msg]\ntimestamp = "x"\n',
    'msg-on.cfg': '[msg]\ntimestamp = "on"\n',
    'name.cfg': '[name]\nguest = "g"\n',
    'action.cfg': '[action]\nreboot = "x"\n',
    'icount.cfg': '[icount]\nshift = "x"\n',
    'overcommit.cfg': '[overcommit]\nmem-lock = "x"\n',
    'trace.cfg': '[trace]\nenable = "nosuch"\n',
    'drive.cfg': '[drive]\nfile = "x"\n',
    'sandbox.cfg': '[sandbox]\nenable = "on"\n',
    # every accepted group at once, ids and a comma in a value included
    'all.cfg': '# a VM from a file\n'
               '[machine]\ntype = "microvm"\naccel = "kvm"\n'
               'acpi = "off"\n\n'
               '[memory]\nsize = "64"\n'
               '[smp-opts]\ncpus = "1"\n'
               '[boot-opts]\nstrict = "on"\n'
               '[name]\nguest = "a,b"\nprocess = "p"\n'
               '[rtc]\nbase = "utc"\n'
               '[chardev "c"]\nbackend = "null"\n'
               '[device "s"]\ndriver = "isa-serial"\nchardev = "c"\n'
               '[object "m"]\nqom-type = "memory-backend-ram"\n'
               'size = "1M"\n'
               '[global]\ndriver = "isa-serial"\nproperty = "index"\n'
               'value = "0"\n'
               '[action]\nreboot = "shutdown"\n'
               '[msg]\ntimestamp = "off"\n'
               '[overcommit]\nmem-lock = "off"\n'
               '[trace]\nenable = "nosuch"\n',
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('binary', nargs='?')
    ap.add_argument('--qemu', default=QEMU)
    ap.add_argument('--microvm-qemu', default=QEMU_MICROVM)
    ap.add_argument('--filter', default='')
    ap.add_argument('--timeout', type=float, default=20.0)
    ap.add_argument('--jobs', type=int, default=4)
    ap.add_argument('--reference', action='store_true')
    opts = ap.parse_args()

    if not os.access(opts.qemu, os.X_OK):
        print('SKIP: %s not found; install qemu-system-x86 (QEMU 7.2) to '
              'run the command-line conformance suite' % opts.qemu)
        return 77
    if not opts.reference and not opts.binary:
        ap.error('the path of our binary is required')
    if opts.binary:
        # the cases run in a scratch directory
        opts.binary = os.path.abspath(opts.binary)

    cases = [c for c in CASES if opts.filter in c.name]
    delib = [d for d in DELIBERATE if opts.filter in d.name]
    tmp = tempfile.mkdtemp(prefix='mq-cmdline-')
    try:
        make_fixtures(tmp)
        if opts.reference:
            return reference(cases, opts, tmp)
        return compare(cases, delib, opts, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def reference(cases, opts, tmp):
    with concurrent.futures.ThreadPoolExecutor(opts.jobs) as pool:
        res = list(pool.map(lambda c: run(opts.qemu, c, tmp, opts.timeout,
                                          True), cases))
    for c, (status, line) in zip(cases, res):
        print('%-40s %-8s %s' % (c.name, status, line))
    return 0


def compare(cases, delib, opts, tmp):
    def both(c):
        return (run(opts.binary, c, tmp, opts.timeout, False),
                run(opts.qemu, c, tmp, opts.timeout, True))

    with concurrent.futures.ThreadPoolExecutor(opts.jobs) as pool:
        res = list(pool.map(both, cases))
        dres = list(pool.map(lambda d: run(opts.binary, d, tmp,
                                           opts.timeout, False), delib))
        have_microvm = os.access(opts.microvm_qemu, os.X_OK)
        dref = list(pool.map(
            lambda d: run(opts.microvm_qemu, d, tmp, opts.timeout, True)
            if d.ref == 'microvm' and have_microvm else None, delib))

    failures = 0
    later = 0
    bad_input = 0
    for c, (ours, qemu) in zip(cases, res):
        # bad input: QEMU fails it, and the case is not an accepted line
        # that only a missing -bios ends
        if 'accepted' not in c.name and qemu[0] not in (0, 'timeout'):
            bad_input += c.name not in LATER
        if c.name in LATER:
            later += 1
            if ours[0] != 1 or 'not supported by microqemu' not in ours[1]:
                failures += 1
                print('NOT REFUSED %s (%s): %s' % (c.name, LATER[c.name],
                      ' '.join(command('PROG', c, '{tmp}', False))))
                print('    ours: status %s: %s' % ours)
            continue
        if ours != qemu:
            failures += 1
            print('MISMATCH %s: %s' % (c.name, ' '.join(
                command('PROG', c, '{tmp}', False))))
            print('    ours: status %s: %s' % ours)
            print('    qemu: status %s: %s' % qemu)
    print('compared %d cases (%d of them bad input), %d mismatches; %d '
          'refused until a later issue' % (len(cases) - later, bad_input,
                                            failures, later))

    checked = 0
    for d, ours, ref in zip(delib, dres, dref):
        if d.ref == 'microvm':
            if ref is None:
                print('deliberate %s: not checked (%s absent)'
                      % (d.name, opts.microvm_qemu))
                continue
            want = ref
        else:
            want = (d.status, d.line)
        checked += 1
        if d.line is None and ours[0] == d.status and ours[1]:
            continue            # any error line will do
        if ours != want:
            failures += 1
            print('DELIBERATE DIFFERENCE NOT MET %s (%s)' % (d.name, d.reason))
            print('    ours: status %s: %s' % ours)
            print('    want: status %s: %s' % want)
    print('checked %d deliberate differences (not compared with %s)'
          % (checked, opts.qemu))
    if not opts.filter:
        failures += compare_help(opts)
        failures += compare_help_exact(opts)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
