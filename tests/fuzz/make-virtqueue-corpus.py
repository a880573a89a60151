#!/usr/bin/env python3
"""Writes the seed corpus of fuzz-virtqueue (format: fuzz-virtqueue.c).

Each seed is a well-formed or deliberately malformed queue: direct and
indirect chains, event index, the legacy layout, and the malformed rings
of tests/unit/test-virtio.c, so the fuzzer starts from every branch.

usage: tests/fuzz/make-virtqueue-corpus.py [OUTDIR]
"""
import os
import struct
import sys

DESC, AVAIL, USED, BUF, TABLE = 0x1000, 0x2000, 0x3000, 0x8000, 0x6000
F_V1, F_EVENT, F_EMPTY, F_INDIRECT, F_LEGACY, F_QUIET = 1, 2, 4, 8, 16, 32
NEXT, WRITE, INDIRECT = 1, 2, 4


class Guest:
    def __init__(self, qsize, flags, count=8, desc=DESC, avail=AVAIL,
                 used=USED, align_log2=12):
        self.qsize, self.flags = qsize, flags
        self.ram = bytearray(0x9000)
        self.header = struct.pack('<BHHHHBB5x', flags, qsize - 1, desc,
                                  avail, used, align_log2, count)
        self.desc, self.avail = desc, avail
        if flags & F_LEGACY:
            self.avail = desc + 16 * qsize
        self.idx = 0

    def put(self, gpa, fmt, *v):
        struct.pack_into(fmt, self.ram, gpa, *v)

    def d(self, i, addr, length, flags, nxt=0, table=None):
        base = self.desc if table is None else table
        self.put(base + 16 * i, '<QIHH', addr, length, flags, nxt)

    def offer(self, head):
        self.put(self.avail + 4 + 2 * (self.idx % self.qsize), '<H', head)
        self.idx += 1
        self.put(self.avail + 2, '<H', self.idx)

    def used_event(self, v):
        self.put(self.avail + 4 + 2 * self.qsize, '<H', v)

    def bytes(self):
        return self.header + bytes(self.ram).rstrip(b'\0')


def seeds():
    for flags in (0, F_V1, F_V1 | F_EVENT, F_V1 | F_EVENT | F_QUIET,
                  F_EMPTY, F_LEGACY, F_LEGACY | F_EVENT):
        g = Guest(8, flags)
        g.d(0, BUF, 16, NEXT, 1)
        g.d(1, BUF + 0x100, 32, WRITE, 0)
        g.offer(0)
        g.offer(0)
        g.used_event(1)
        yield 'direct-%02x' % flags, g

        g = Guest(8, flags | F_INDIRECT)
        g.d(0, BUF, 4, NEXT, 1, table=TABLE)
        g.d(1, BUF + 0x10, 64, WRITE, 0, table=TABLE)
        g.d(3, TABLE, 32, INDIRECT)
        g.offer(3)
        yield 'indirect-%02x' % flags, g

    g = Guest(1024, F_V1 | F_EVENT, count=64, desc=DESC, avail=0x5000,
              used=0x6000)
    for i in range(64):
        g.d(i, BUF + i, 1, WRITE)
        g.offer(i)
    yield 'big-queue', g

    bad = {
        'loop': [(0, BUF, 4, NEXT, 1), (1, BUF, 4, NEXT, 0)],
        'zero-length': [(0, BUF, 0, 0, 0)],
        'next-out-of-range': [(0, BUF, 4, NEXT, 8)],
        'out-of-ram': [(0, 0xfffe, 4, 0, 0)],
        'order': [(0, BUF, 4, WRITE | NEXT, 1), (1, BUF, 4, 0, 0)],
        'indirect-size': [(0, TABLE, 24, INDIRECT, 0)],
        'nested-indirect': [(0, TABLE, 16, INDIRECT, 0)],
    }
    for name, descs in bad.items():
        g = Guest(8, F_V1 | F_INDIRECT)
        for d in descs:
            g.d(*d)
        g.d(0, TABLE, 16, INDIRECT, 0, table=TABLE)
        g.offer(0)
        yield 'bad-' + name, g

    g = Guest(8, F_V1)
    g.offer(11)
    yield 'bad-head', g
    g = Guest(8, F_V1, avail=0xfff0)
    yield 'bad-avail-ring', g


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else \
        os.path.join(here, 'corpus', 'fuzz-virtqueue')
    os.makedirs(out, exist_ok=True)
    n = 0
    for name, g in seeds():
        with open(os.path.join(out, 'seed-' + name), 'wb') as f:
            f.write(g.bytes())
        n += 1
    print('%d seeds in %s' % (n, out))


if __name__ == '__main__':
    main()
