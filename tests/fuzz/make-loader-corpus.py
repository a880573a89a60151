#!/usr/bin/env python3
"""Writes the seed corpus of fuzz-loader (format: fuzz-loader.c) from a
build's probe kernels (tests/guest): the bzImage probes (tiny.img,
probe.img), the PVH ELF32 and ELF64 probes and the multiboot ELF and
a.out-kludge probes, stripped, each with and without an initrd (for
multiboot: a module list) and -append; plus each cut to its first 8 KiB
(the header the loader inspects, the rest missing); plus the a.out kludge
with its bss_end_addr far past RAM and at 4 GiB (issue 12 point 3: the
loader allocated up to 4 GiB for such a kernel).

usage: tests/fuzz/make-loader-corpus.py BUILDDIR [OUTDIR]
"""
import os
import struct
import subprocess
import sys
import tempfile

KERNELS = {
    'bzimage-tiny': ('tiny.img', False),
    'bzimage-probe': ('probe.img', False),
    'pvh32': ('probe-pvh.elf', True),
    'pvh64': ('probe-pvh64.elf', True),
    'multiboot-elf': ('probe-mb.elf', True),
    'multiboot-aout': ('probe-mb-aout.img', False),
}


def kernel_bytes(path, is_elf):
    if not is_elf:
        with open(path, 'rb') as f:
            return f.read()
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, 'k')
        subprocess.run(['objcopy', '--strip-all', path, out], check=True)
        with open(out, 'rb') as f:
            return f.read()


def main():
    build = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), 'corpus', 'fuzz-loader')
    os.makedirs(out, exist_ok=True)
    for name, (image, is_elf) in KERNELS.items():
        data = kernel_bytes(os.path.join(build, 'tests', 'guest', image),
                            is_elf)
        multiboot = name.startswith('multiboot')
        seeds = {
            'plain': (0, data),
            'initrd-append': (0x0b if multiboot else 0x03, data),
            'header-bigram': (0x04, data[:8192]),
        }
        if name == 'multiboot-aout':
            # the multiboot header is the image's first 32 bytes:
            # bss_end_addr is its seventh word
            for variant, bss_end in (('bss-past-ram', 0x7ff00000),
                                     ('bss-4g', 0xffffffff)):
                body = bytearray(data)
                struct.pack_into('<I', body, 24, bss_end)
                seeds[variant] = (0x04, bytes(body))
        for variant, (flags, body) in seeds.items():
            with open(os.path.join(out, 'seed-%s-%s' % (name, variant)),
                      'wb') as f:
                f.write(bytes([flags]) + body)


if __name__ == '__main__':
    main()
