#!/usr/bin/env python3
"""Captures the ACPI fw_cfg files QEMU 7.2 serves to a microvm guest.

For each machine configuration below, runs the real QEMU paused (-S) and
reads etc/acpi/tables, etc/acpi/rsdp and etc/table-loader out of its
fw_cfg device through the monitor's port I/O commands ("o /h 0x510 SEL",
then "i /b 0x511" per byte), the way a guest would. The files land in
<name>/ next to this script; tests/unit/test-acpi-microvm.c compares the
tables microqemu builds for the same configuration with them.

Usage: capture.py [QEMU]   (default /usr/bin/qemu-system-x86_64; needs KVM)
"""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = ['etc/acpi/tables', 'etc/acpi/rsdp', 'etc/table-loader']
RNG = ['-device', 'virtio-rng-device']
CONFIGS = {
    'default': ['-M', 'microvm', '-serial', 'null'],
    'smp2': ['-M', 'microvm', '-serial', 'null', '-smp', '2'],
    'smp2-max4': ['-M', 'microvm', '-serial', 'null', '-smp', '2,maxcpus=4'],
    'smp-topo': ['-M', 'microvm', '-serial', 'null',
                 '-smp', '3,sockets=2,cores=3,threads=1,maxcpus=6'],
    'ioapic2-off': ['-M', 'microvm,ioapic2=off', '-serial', 'null'],
    'rtc-on': ['-M', 'microvm,rtc=on', '-serial', 'null'],
    'isa-serial-off': ['-M', 'microvm,isa-serial=off', '-serial', 'null'],
    'no-serial': ['-M', 'microvm', '-serial', 'none'],
    'virtio': ['-M', 'microvm', '-serial', 'null'] + RNG + RNG,
    'virtio-ioapic2-off': ['-M', 'microvm,ioapic2=off', '-serial', 'null']
                          + RNG,
}


def read_fw_cfg(qemu, args, reads):
    """reads: [(selector, length)] -> [bytes], in one QEMU run"""
    script = ''.join('o /h 0x510 0x%x\n' % sel + 'i /b 0x511\n' * n
                     for sel, n in reads) + 'quit\n'
    out = subprocess.run([qemu, '-accel', 'kvm',
                          '-cpu', 'host,-arch-capabilities',
                          '-display', 'none', '-S', '-monitor', 'stdio']
                         + args, input=script, capture_output=True,
                         text=True, timeout=600, check=True).stdout
    data = bytes(int(x, 16) for x in
                 re.findall(r'portb\[0x0511\] = 0x([0-9a-f]+)', out))
    assert len(data) == sum(n for _, n in reads), 'short read'
    res, off = [], 0
    for _, n in reads:
        res.append(data[off:off + n])
        off += n
    return res


def capture(qemu, args):
    count = int.from_bytes(read_fw_cfg(qemu, args, [(0x19, 4)])[0], 'big')
    fdir = read_fw_cfg(qemu, args, [(0x19, 4 + 64 * count)])[0][4:]
    files = {}
    for i in range(count):
        e = fdir[64 * i:64 * (i + 1)]
        name = e[8:].split(b'\0')[0].decode()
        files[name] = (int.from_bytes(e[4:6], 'big'),
                       int.from_bytes(e[0:4], 'big'))
    return read_fw_cfg(qemu, args, [files[f] for f in FILES])


def main():
    qemu = sys.argv[1] if len(sys.argv) > 1 else '/usr/bin/qemu-system-x86_64'
    for name, args in CONFIGS.items():
        os.makedirs(os.path.join(HERE, name), exist_ok=True)
        for f, data in zip(FILES, capture(qemu, args)):
            with open(os.path.join(HERE, name, f.split('/')[-1]), 'wb') as o:
                o.write(data)
        print(name, ' '.join(args))


if __name__ == '__main__':
    main()
