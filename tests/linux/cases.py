# The real-Linux cases (tests/linux/README.md): the command lines the
# project must boot today, and every command line of
# /work/shared/USER-COMMAND-LINES.md with the user's files replaced by
# the harness's images (placed in the run's folder under the user's file
# names, so the lines stay as the users wrote them).
#
# A case: the VMM ('qemu-system-x86_64' or its '-microvm' build, which
# names QEMU's reference binary), its arguments, the images it needs
# (user's file name -> image), the guest checks (mq.checks=), how the
# guest ends (mq.end=: reboot needs -no-reboot, poweroff needs ACPI), and
# for a feature not built yet the issue that brings it (an expected
# failure: the suite fails when it starts passing, so it gets moved).

import os

# Fact lines that may differ between microqemu and QEMU 7.2, each with
# the reason (regex over the "F:<kind>: ..." line).
ALLOWANCES_ALL = [
    # (none today: the XSAVE lines were the last ones; since microqemu
    # builds CPUID leaf 0xD as QEMU 7.2, both L2 kernels print the same
    # "XSAVE consistency problem" warning, which is the environment's:
    # TCG does not pass L2's XSETBV to L1's KVM, REAL-LINUX.md)
]

# Flags QEMU's guest has and microqemu's lacks, each a known microqemu bug:
# removed from QEMU's lines only, so that the case fails the day
# microqemu's guest has them (and this entry must go).
REF_ONLY_FLAGS = [
    # (none today: leaf 0x8000000A's npt/vmcb_clean/vgif and CmpLegacy
    # were the last ones, fixed with the CPUID work of issue 7)
]

# Not facts of the machine but of time under emulation: numbers the
# kernel measured (or the clocksource watchdog's verdict under a loaded
# host) are masked or dropped on both sides before comparing. Each entry:
# (regex, replacement or None to drop the line, reason).
NORMALISE = [
    (r'using sched offset of \d+ cycles', 'using sched offset of N cycles',
     'kvm-clock: time the VMM took before the guest ran'),
    (r'max_cycles: 0x[0-9a-f]+, max_idle_ns: \d+ ns',
     'max_cycles: N, max_idle_ns: N ns',
     'derived from the measured TSC frequency'),
    (r'^F:dmesg: clocksource: (timekeeping watchdog|\s+\'|\s+No current)',
     None, 'the watchdog marks TSC unstable when the emulated L1 stalls'),
    (r'^F:dmesg: clocksource: Long readout interval', None,
     'the watchdog skips a check when the emulated L1 stalls'),
    (r'^F:dmesg: clocksource: wd-\S+ read-back delay of \d+ns', None,
     'the watchdog skips its skew test when a read-back is slow under '
     'emulation'),
    (r'^F:dmesg: CPU: \d+ PID: \d+ Comm: ', None,
     'the header of a backtrace: its taint flags follow the warnings the '
     'kernel printed before it (an RCU stall under a loaded L1 taints W)'),
    (r'^F:dmesg: tsc: Marking TSC unstable', None,
     'the watchdog marks TSC unstable when the emulated L1 stalls'),
    (r'^F:meminfo: DirectMap(4k|2M):', None,
     'how much of the direct map is split into 4 KiB pages follows '
     'run-time code patching and module loading (set_memory_*: seen '
     'varying run to run under both VMMs, 24-32 MiB of 4 KiB pages); '
     'MemTotal, e820 and iomem stay compared'),
    (r'^F:dmesg: (sched_clock: Marking unstable|clocksource: Switched to '
     r'clocksource tsc|clocksource: tsc: mask: )', None,
     'follows from the watchdog\'s verdict (the TSC clocksource is '
     'registered only if TSC was not marked unstable before)'),
]

# Lines whose place in the boot log follows timing, not the machine: they
# are compared as present or not (moved to the end of the facts, sorted).
# Each entry: (regex, reason).
UNORDERED = [
    (r'^F:dmesg: printk: console \[hvc\d+\] enabled',
     'the virtio console registers hvc0 when the device\'s control queue '
     'answers the driver (a worker, beside the other virtio probes): seen '
     'before or after virtio_blk\'s lines under either VMM'),
]

# An RCU stall report: the nested guest starved while the emulated L1
# was (seen under QEMU 7.2 at load 13 and at load 5 while a build ran
# beside it, 2026-12-06). The report is a block of lines the facts' grep
# keeps piecemeal (the stall lines, then backtraces whose function names
# hold "irq", "cpu", "rtc"...), so when either run reports a stall
# (STALL_START), every line of STALL_REPORT's shapes is dropped from both
# runs; the machine's facts around it stay compared.
STALL_START = r'^F:dmesg: rcu: INFO: rcu_\w+ (self-)?detected stalls?'
STALL_REPORT = (
    r'^F:dmesg: (rcu: |\t\(detected by \d+|\t\(t=\d+ jiffies |'
    r'CPU: \d+ PID: \d+ Comm: |Hardware name: |RIP: |Code: |RSP: |'
    r'R[A-Z0-9]{2}: |CR2: |FS: |CS: |DR[0-7]: |NMI backtrace for cpu|'
    r'Sending NMI from CPU|Task dump for CPU|task:|Call Trace:|'
    r'\s*</?(IRQ|TASK|NMI)>|\s+\? |\s+[\w.]+\+0x[0-9a-f]+/0x[0-9a-f]+)')


# The L2 kernel's checks: append these to the case's -append.
NET_TAP = 'mq.ip=10.0.3.2/24 mq.server=10.0.3.1:8080'
NET_USER = 'mq.server=10.0.2.2:8080'


class Case:
    def __init__(self, name, vmm, args, files, checks, end, xfail=None,
                 kernel='debian', allow=(), taps=(), daemon=None,
                 hostfwd=None, peer=None):
        self.name = name
        self.vmm = vmm
        self.args = args
        self.files = files          # name in the run folder -> image key
        self.checks = checks
        self.end = end
        self.xfail = xfail
        self.kernel = kernel        # 'debian' or 'custom'
        self.allow = ALLOWANCES_ALL + list(allow)
        self.taps = list(taps)
        self.daemon = daemon        # a peer started first in L1
        self.hostfwd = hostfwd      # L1's port forwarded to the guest's 22
        # a second guest wired to this one: (its VMM arguments, the TCP
        # port it listens on first)
        self.peer = peer


def _acpi_off_serial(name, image, smp, quiet, kernel='debian'):
    # The shape microvm users run without ACPI: ISA serial console,
    # -kernel/-initrd/-append, reboot=t so that the guest's reboot is a
    # triple fault and -no-reboot makes it the end of the run (status 0).
    append = 'console=ttyS0 reboot=t' + (' quiet' if quiet else '')
    return Case(name, 'qemu-system-x86_64',
                ['-M', 'microvm,acpi=off', '-enable-kvm', '-cpu', 'host',
                 '-m', '512m', '-smp', str(smp), '-nodefaults',
                 '-no-user-config', '-nographic', '-serial', 'stdio',
                 '-no-reboot', '-kernel', 'kernel', '-initrd', 'initrd',
                 '-append', append],
                {'kernel': image, 'initrd': 'initramfs'},
                ['console'], 'reboot', kernel=kernel)


def _virtio_devices(name, machine, iothread=False):
    """A virtconsole on stdio as the console, virtio-rng behind
    /dev/hwrng, a writable disk (a file written, the image clean after
    the run; with iothread, served by an -object iothread's data plane)
    and a read-only one the guest cannot write. Without ACPI the guest's
    reboot (reboot=t: a triple fault) ends the run, with ACPI its
    poweroff (the GED)."""
    acpi = 'acpi=off' not in machine
    rw_disk = ['-device', 'virtio-blk-device,drive=rw']
    if iothread:
        rw_disk = ['-object', 'iothread,id=io0',
                   '-device', 'virtio-blk-device,drive=rw,iothread=io0']
    return Case(name, 'qemu-system-x86_64',
                ['-M', machine, '-enable-kvm', '-cpu', 'host', '-m', '512m',
                 '-smp', '2', '-nodefaults', '-no-user-config', '-nographic',
                 '-no-reboot', '-kernel', 'kernel', '-initrd', 'initrd',
                 '-append', 'console=hvc0 quiet' + ('' if acpi else
                                                    ' reboot=t'),
                 '-chardev', 'stdio,id=con0',
                 '-device', 'virtio-serial-device',
                 '-device', 'virtconsole,chardev=con0',
                 '-device', 'virtio-rng-device',
                 '-drive', 'id=rw,file=rw.img,format=raw,if=none'] +
                rw_disk +
                ['-drive', 'id=ro,file=ro.img,format=raw,if=none,readonly=on',
                 '-device', 'virtio-blk-device,drive=ro'],
                {'kernel': 'vmlinux', 'initrd': 'initramfs',
                 'rw.img': 'rootfs', 'ro.img': 'rootfs'},
                ['console', 'disk', 'rng', 'ro'],
                'poweroff' if acpi else 'reboot', kernel='custom')


CASES = [
    _acpi_off_serial('serial-bzimage-smp1', 'bzimage', 1, False),
    _acpi_off_serial('serial-bzimage-smp2', 'bzimage', 2, True),
    _acpi_off_serial('serial-pvh-smp1', 'vmlinux', 1, True),
    _acpi_off_serial('serial-pvh-smp2', 'vmlinux', 2, True),
    # The harness's own kernel (microvm.config: what users' kernels have),
    # which the users' acpi=off lines with virtio devices need.
    _acpi_off_serial('serial-custom-pvh-smp2', 'vmlinux', 2, False,
                     kernel='custom'),

    # The default machine (ACPI, bios-microvm.bin, the GED) with two
    # vCPUs: the guest's poweroff through the GED's sleep registers ends
    # the run with status 0. (Its reboot never ended the run, under QEMU
    # 7.2 as under microqemu: "reboot: machine restart", then nothing
    # until the 420 s limit; docs/status.md.)
    Case('acpi-serial-poweroff-smp2', 'qemu-system-x86_64',
         ['-M', 'microvm', '-enable-kvm', '-cpu', 'host', '-m', '512m',
          '-smp', '2', '-nodefaults', '-no-user-config', '-nographic',
          '-serial', 'stdio', '-no-reboot', '-kernel', 'kernel',
          '-initrd', 'initrd', '-append', 'console=ttyS0 quiet'],
         {'kernel': 'bzimage', 'initrd': 'initramfs'},
         ['console'], 'poweroff'),

    # The virtio devices a real kernel drives, the harness's kernel:
    # found from virtio_mmio.device= on the command line with ACPI off,
    # from the DSDT on the default machine, there with the written disk
    # on an iothread.
    _virtio_devices('virtio-devices-acpi-off', 'microvm,acpi=off'),
    _virtio_devices('virtio-devices-acpi-iothread', 'microvm', iothread=True),

    # USER-COMMAND-LINES.md, in its order.
    Case('user1-acpi-blk-tap', 'qemu-system-x86_64',
         ['-M', 'microvm', '-enable-kvm', '-cpu', 'host', '-m', '512m',
          '-smp', '2', '-kernel', 'vmlinux', '-append',
          'earlyprintk=ttyS0 console=ttyS0 root=/dev/vda',
          '-nodefaults', '-no-user-config', '-nographic', '-serial', 'stdio',
          '-drive', 'id=test,file=test.img,format=raw,if=none',
          '-device', 'virtio-blk-device,drive=test',
          '-netdev', 'tap,id=tap0,script=no,downscript=no',
          '-device', 'virtio-net-device,netdev=tap0'],
         {'vmlinux': 'vmlinux', 'test.img': 'rootfs'},
         ['disk', 'net'], 'poweroff', kernel='custom', taps=['tap0']),
    Case('user2-virtconsole-blk-tap', 'qemu-system-x86_64',
         ['-M', 'microvm,x-option-roms=off,pit=off,pic=off,isa-serial=off,'
          'rtc=off', '-enable-kvm', '-cpu', 'host', '-m', '512m',
          '-smp', '2', '-kernel', 'vmlinux', '-append',
          'console=hvc0 root=/dev/vda',
          '-nodefaults', '-no-user-config', '-nographic',
          '-chardev', 'stdio,id=virtiocon0',
          '-device', 'virtio-serial-device',
          '-device', 'virtconsole,chardev=virtiocon0',
          '-drive', 'id=test,file=test.img,format=raw,if=none',
          '-device', 'virtio-blk-device,drive=test',
          '-netdev', 'tap,id=tap0,script=no,downscript=no',
          '-device', 'virtio-net-device,netdev=tap0'],
         {'vmlinux': 'vmlinux', 'test.img': 'rootfs'},
         ['console', 'disk', 'net'], 'poweroff', kernel='custom',
         taps=['tap0']),
    Case('user3-virtconsole-initrd-blk-user', 'qemu-system-x86_64',
         ['-M', 'microvm,x-option-roms=off,pit=off,pic=off,isa-serial=off,'
          'rtc=off', '-enable-kvm', '-cpu', 'host', '-m', '512m',
          '-smp', '1', '-kernel', 'vmlinux-virt', '-initrd',
          'initramfs-virt', '-append', 'console=hvc0 root=/dev/vda rw',
          '-nodefaults', '-no-user-config', '-nographic',
          '-chardev', 'stdio,id=virtiocon0',
          '-device', 'virtio-serial-device',
          '-device', 'virtconsole,chardev=virtiocon0',
          '-drive', 'id=rootfs,file=alpine.rootfs.ext4,format=raw,if=none',
          '-device', 'virtio-blk-device,drive=rootfs',
          '-netdev', 'user,id=net0,hostfwd=tcp::10022-:22',
          '-device', 'virtio-net-device,netdev=net0'],
         {'vmlinux-virt': 'vmlinux', 'initramfs-virt': 'initramfs',
          'alpine.rootfs.ext4': 'rootfs'},
         ['console', 'disk', 'net-user'], 'poweroff', hostfwd=10022),
    Case('user4-acpi-serial-initrd-blk', 'qemu-system-x86_64',
         ['-M', 'microvm', '-enable-kvm', '-cpu', 'host', '-m', '512m',
          '-smp', '1', '-kernel', 'vmlinuz-virt', '-initrd',
          'initramfs-virt', '-append',
          'earlyprintk=ttyS0 console=ttyS0 rootfstype=ext4 root=/dev/vda',
          '-nodefaults', '-no-user-config', '-nographic', '-serial', 'stdio',
          '-drive', 'id=rootfs,file=alpine.rootfs.ext4,format=raw,if=none',
          '-device', 'virtio-blk-device,drive=rootfs'],
         {'vmlinuz-virt': 'bzimage', 'initramfs-virt': 'initramfs',
          'alpine.rootfs.ext4': 'rootfs'},
         ['console', 'disk'], 'poweroff'),
    # The user's kernel had nothing to run: -initrd is added (the one
    # argument not in the user's line) so that userspace reports.
    Case('user5-microvm-bios', 'qemu-system-x86_64-microvm',
         ['-M', 'microvm', '-bios', '/usr/share/qemu/bios-microvm.bin',
          '-kernel', 'vmlinuz', '-append',
          'earlyprintk=ttyS0 console=ttyS0,115200,8n1',
          '-enable-kvm', '-cpu', 'host', '-m', '1G', '-smp', '1',
          '-nodefaults', '-no-user-config', '-nographic',
          '-serial', 'mon:stdio', '-initrd', 'initrd'],
         {'vmlinuz': 'bzimage', 'initrd': 'initramfs'},
         ['console'], 'poweroff'),
]

# The virtio-fs fragment of USER-COMMAND-LINES.md ("virtiofsd started
# beforehand" and "..."): virtiofsd as the user starts it, and the rest of
# the line as user 4's, plus what vhost-user needs and the fragment
# leaves to the "...": guest RAM shared with virtiofsd (a memfd backend
# with share=on) and the modern virtio-mmio transport (virtiofsd's
# libvhost-user refuses legacy devices: "virtio legacy devices aren't
# supported by libvhost-user", and microvm's transports are legacy by
# default). L1's /tmp is the host's, read-only: the user's /tmp paths are
# under /run (a tmpfs) instead.
VIRTIOFSD = {
    'argv': ['/usr/lib/qemu/virtiofsd', '--socket-path=/run/myvhostqemu',
             '-o', 'source=/run/testdir', '-o', 'cache=always'],
    'ready': '/run/myvhostqemu',
    'files': {'/run/testdir/mq-token': '@TOKEN@\n'},
}
CASES.append(
    Case('user6-virtiofs', 'qemu-system-x86_64',
         ['-M', 'microvm,memory-backend=mem', '-enable-kvm', '-cpu', 'host',
          '-m', '512m', '-smp', '1',
          '-object', 'memory-backend-memfd,id=mem,size=512m,share=on',
          '-global', 'virtio-mmio.force-legacy=false',
          '-kernel', 'vmlinuz-virt', '-initrd', 'initramfs-virt',
          '-append', 'console=ttyS0',
          '-nodefaults', '-no-user-config', '-nographic', '-serial', 'stdio',
          '-chardev', 'socket,id=char0,path=/run/myvhostqemu',
          '-device', 'vhost-user-fs-device,queue-size=1024,chardev=char0,'
          'tag=myfs'],
         {'vmlinuz-virt': 'bzimage', 'initramfs-virt': 'initramfs'},
         ['fs'], 'poweroff', daemon=VIRTIOFSD,
         xfail='vhost-user-fs-device (vhost-user: no issue yet)'))

# Two guests wired by -netdev stream (QEMU 7.2's, issue 11): the server
# side starts first (l1-runner waits for its port), the client connects;
# each pings the other. Default machine (ACPI), Debian's kernel with its
# virtio modules.
def _stream_guest(ip, peer_ip, stream):
    return ['-M', 'microvm', '-enable-kvm', '-cpu', 'host', '-m', '256m',
            '-smp', '1', '-nodefaults', '-no-user-config', '-nographic',
            '-serial', 'stdio', '-kernel', 'kernel', '-initrd', 'initrd',
            '-append', 'console=ttyS0 quiet mq.ip=%s mq.peer=%s' %
            (ip, peer_ip),
            '-netdev', 'stream,id=n0,addr.type=inet,addr.host=127.0.0.1,'
            'addr.port=5555,' + stream,
            '-device', 'virtio-net-device,netdev=n0']


CASES.append(
    Case('net-stream-pair', 'qemu-system-x86_64',
         _stream_guest('10.0.4.1/24', '10.0.4.2', 'server=off'),
         {'kernel': 'bzimage', 'initrd': 'initramfs'},
         ['net-pair'], 'poweroff',
         peer=(_stream_guest('10.0.4.2/24', '10.0.4.1', 'server=on'), 5555)))

BY_NAME = {c.name: c for c in CASES}


def meson_list():
    """name:xfail|pass per case, for tests/linux/meson.build."""
    for c in CASES:
        print('%s:%s' % (c.name, 'xfail' if c.xfail else 'pass'))


if __name__ == '__main__':
    meson_list()
