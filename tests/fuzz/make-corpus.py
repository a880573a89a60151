#!/usr/bin/env python3
"""Writes the seed corpus of fuzz-qemu-opts from real command lines.

Seeds come from (a) the command lines microvm users run (docs and users'
write-ups, as listed in the project's USER-COMMAND-LINES; copied below),
one file per command line with one line per option argument, and (b) every
option argument of the conformance suite's cases (tests/cmdline/
conformance.py), one file each. A line is the selector byte of
fuzz-qemu-opts.c (which QemuOptsList shape parses it) + the argument.

Usage: make-corpus.py [OUTDIR]   (default: corpus/fuzz-qemu-opts beside
this script). Files already there are kept (libFuzzer adds its own).
"""

import hashlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'cmdline'))
import conformance  # noqa: E402

# Option -> selector: '0' machine, '1' device/object/netdev (implied key,
# any key), '2' chardev (typed), '3' -m, '4' -smp, '5' -global, '6' drive
# (no implied key), '7' typed. The rest go through '6' (any key) and '7'.
SELECTORS = {
    '-M': '0', '-machine': '0',
    '-device': '1', '-object': '1', '-netdev': '1', '-accel': '1',
    '-chardev': '2',
    '-m': '3',
    '-smp': '4',
    '-global': '5',
    '-drive': '6',
}
OTHER_WITH_ARG = {
    '-cpu', '-serial', '-append', '-name', '-rtc', '-display', '-msg',
    '-action', '-icount', '-boot', '-mon', '-monitor',
}
# Options whose argument is a path: skipped, a path has no option syntax.
PATH_OPTIONS = {'-kernel', '-initrd', '-bios', '-dtb', '-pidfile', '-L'}

USER_COMMAND_LINES = {
    'user-blk-net-serial': [
        '-M', 'microvm', '-cpu', 'host', '-m', '512m', '-smp', '2',
        '-append', 'earlyprintk=ttyS0 console=ttyS0 root=/dev/vda',
        '-serial', 'stdio',
        '-drive', 'id=test,file=test.img,format=raw,if=none',
        '-device', 'virtio-blk-device,drive=test',
        '-netdev', 'tap,id=tap0,script=no,downscript=no',
        '-device', 'virtio-net-device,netdev=tap0'],
    'user-virtconsole': [
        '-M', 'microvm,x-option-roms=off,pit=off,pic=off,isa-serial=off,'
              'rtc=off',
        '-cpu', 'host', '-m', '512m', '-smp', '2',
        '-append', 'console=hvc0 root=/dev/vda',
        '-chardev', 'stdio,id=virtiocon0',
        '-device', 'virtio-serial-device',
        '-device', 'virtconsole,chardev=virtiocon0',
        '-drive', 'id=test,file=test.img,format=raw,if=none',
        '-device', 'virtio-blk-device,drive=test',
        '-netdev', 'tap,id=tap0,script=no,downscript=no',
        '-device', 'virtio-net-device,netdev=tap0'],
    'user-alpine-slirp': [
        '-M', 'microvm,x-option-roms=off,pit=off,pic=off,isa-serial=off,'
              'rtc=off',
        '-cpu', 'host', '-m', '512m', '-smp', '1',
        '-append', 'console=hvc0 root=/dev/vda rw',
        '-chardev', 'stdio,id=virtiocon0',
        '-device', 'virtio-serial-device',
        '-device', 'virtconsole,chardev=virtiocon0',
        '-drive', 'id=rootfs,file=alpine.rootfs.ext4,format=raw,if=none',
        '-device', 'virtio-blk-device,drive=rootfs',
        '-netdev', 'user,id=net0,hostfwd=tcp::10022-:22',
        '-device', 'virtio-net-device,netdev=net0'],
    'user-alpine-serial': [
        '-M', 'microvm', '-cpu', 'host', '-m', '512m', '-smp', '1',
        '-append', 'earlyprintk=ttyS0 console=ttyS0 rootfstype=ext4 '
                   'root=/dev/vda',
        '-serial', 'stdio',
        '-drive', 'id=rootfs,file=alpine.rootfs.ext4,format=raw,if=none',
        '-device', 'virtio-blk-device,drive=rootfs'],
    'user-bios-mon-stdio': [
        '-M', 'microvm', '-bios', '/usr/share/qemu/bios-microvm.bin',
        '-append', 'earlyprintk=ttyS0 console=ttyS0,115200,8n1',
        '-cpu', 'host', '-m', '1G', '-smp', '1', '-serial', 'mon:stdio'],
    'user-virtiofs': [
        '-chardev', 'socket,id=char0,path=/tmp/myvhostqemu',
        '-device', 'vhost-user-fs-device,queue-size=1024,chardev=char0,'
                   'tag=myfs'],
}

# Hand-written seeds for paths the command lines above do not reach:
# -global on the fuzz object's properties (fuzz-qemu-opts.c), help and
# short-form flags ('@'-'O': qemu_opts_parse_help), the edges of sizes.
EXTRA_SEEDS = {
    'seed-global-fuzz-object': [
        '5fuzz-object.size=x', '5fuzz-object.size=99999999999999999999',
        '5fuzz-object.u8=300', '5fuzz-object.i32=-2147483649',
        '5fuzz-object.link=fuzz-other', '5fuzz-object.chardev=error',
        '5fuzz-object.chardev=nosuch', '5fuzz-object.even=3',
        '5fuzz-object.nosuch=1', '5nosuch.prop=1',
        '5driver=fuzz-object,property=enum,value=gamma,,delta',
        '5driver=fuzz-object', '5fuzz-object.ooa=maybe'],
    'seed-help-and-flags': [
        'Bstdio,help', 'Bstdio,?', 'Bstdio,nodelay', 'Bstdio,mux',
        'Jstdio,nosignal', '@microvm,help', 'Gbool', 'Gnobool', 'Ohelp'],
    'seed-size-edges': [
        '7size=0x1.5G', '7size=0xfffffffffffffffffffff', '7size=1.5e3k',
        '7size=16E', '7size=15.99999999999999999999E', '7size=.5k',
        '7size=1.k', '7size=0x10k', '7num=-1', '7num=0x', '7bool=maybe',
        '7badnum=1', '3-1', '3 1', '31.5', '4cpus=4294967296'],
    'seed-ids': [
        '2null,id=a', '2null,id=a', '2null,id=1a', '2null,id=', '0id=x',
        '1d,id=a,id=b', ':id=x,,y', '6id=x,file=a,,b'],
}


def option_lines(args, typed_too=True):
    """(selector, argument) for each option argument in an argv list;
    options without a QemuOpts list of their own are parsed as '6' and
    (typed_too) '7'."""
    out = []
    i = 0
    while i < len(args):
        opt = args[i]
        if opt.startswith('--') and len(opt) > 2:
            opt = opt[1:]
        if i + 1 < len(args) and (opt in SELECTORS or opt in OTHER_WITH_ARG):
            arg = args[i + 1].replace('{tmp}', '/tmp/x')
            if opt in SELECTORS:
                out.append((SELECTORS[opt], arg))
            else:
                out.append(('6', arg))
                if typed_too:
                    out.append(('7', arg))
            i += 2
        elif opt in PATH_OPTIONS:
            i += 2
        else:
            i += 1
    return out


def write(outdir, name, lines):
    data = ''.join(sel + arg + '\n' for sel, arg in lines).encode()
    with open(os.path.join(outdir, name), 'wb') as f:
        f.write(data)


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else \
        os.path.join(HERE, 'corpus', 'fuzz-qemu-opts')
    os.makedirs(outdir, exist_ok=True)
    for name, args in USER_COMMAND_LINES.items():
        write(outdir, name, option_lines(args))
    for name, lines in EXTRA_SEEDS.items():
        write(outdir, name, [(line[0], line[1:]) for line in lines])
    seen = set()
    for case in conformance.CASES:
        for sel, arg in option_lines(case.args, False):
            if (sel, arg) in seen or arg == '':
                continue
            seen.add((sel, arg))
            digest = hashlib.sha1((sel + arg).encode()).hexdigest()[:8]
            write(outdir, 'conf-%s-%s' % (case.name, digest), [(sel, arg)])


if __name__ == '__main__':
    main()
