#!/usr/bin/env python3
"""Writes the seed corpus of fuzz-virtio-mmio (format: fuzz-virtio-mmio.c).

Each seed is a driver's session as the probe guest does it
(tests/guest/probe.c, report_virtio_rng): handshake, features, queue 0 in
the transport's layout, requests (direct, indirect, event index), reads
of every register, rate limiting with the clock moving, resets; legacy
and modern. The serial-* seeds drive a virtio-serial-device instead
(report_virtio_console): queues 0-3, control messages good and bad, port
output, emergency writes.

usage: tests/fuzz/make-virtio-mmio-corpus.py [OUTDIR]
"""
import os
import struct
import sys

DESC, AVAIL, USED, BUF = 0x1000, 0x1100, 0x1200, 0x4000
LDESC, LAVAIL, LUSED = 0x2000, 0x2080, 0x3000      # legacy, align 4096
READ, CLOCK = 0x80, 0x40


class Session:
    def __init__(self, modern, serial=False):
        self.modern = modern
        self.serial = serial
        self.ops = []
        self.ram = bytearray(0x10000 if serial else 0x6000)

    def w(self, off, val, size=4):
        self.ops.append(struct.pack('<HBxI', off, {1: 0, 2: 1, 4: 2,
                                                   8: 3}[size], val))

    def r(self, off, size=4):
        self.ops.append(struct.pack('<HBxI', off, READ | {1: 0, 2: 1, 4: 2,
                                                          8: 3}[size], 0))

    def clock(self, ms):
        self.ops.append(struct.pack('<HBxI', 0, CLOCK, ms))

    def put(self, gpa, fmt, *v):
        struct.pack_into(fmt, self.ram, gpa, *v)

    def setup(self, features=0, num=8):
        self.w(0x70, 0)
        self.w(0x70, 1)
        self.w(0x70, 3)
        for sel in (0, 1):
            self.w(0x14, sel)
            self.r(0x10)
        self.w(0x24, 0)
        self.w(0x20, features & 0xffffffff)
        self.w(0x30, 0)
        self.r(0x34)
        self.w(0x38, num)
        if self.modern:
            self.w(0x24, 1)
            self.w(0x20, 1)
            self.w(0x70, 0xb)
            for off, val in ((0x80, DESC), (0x84, 0), (0x90, AVAIL),
                             (0x94, 0), (0xa0, USED), (0xa4, 0)):
                self.w(off, val)
            self.w(0x44, 1)
            self.desc, self.avail = DESC, AVAIL
        else:
            self.w(0x28, 4096)
            self.w(0x3c, 4096)
            self.w(0x40, LDESC >> 12)
            self.desc, self.avail = LDESC, LAVAIL
        self.w(0x70, 0xf if self.modern else 0x7)
        self.num = num
        self.idx = 0

    def request(self, d, length, flags=2, kick=True):
        self.put(self.desc + 16 * d, '<QIHH', BUF + 0x100 * d, length,
                 flags, 0)
        self.put(self.avail + 4 + 2 * (self.idx % self.num), '<H', d)
        self.idx += 1
        self.put(self.avail + 2, '<H', self.idx)
        if kick:
            self.w(0x50, 0)
            self.r(0x60)
            self.w(0x64, 1)

    def reads(self):
        for off in range(0, 0x100, 4):
            self.r(off)
        for off in (0x100, 0x101, 0x102):
            self.r(off, 1)

    def bytes(self):
        ops = b''.join(self.ops[:255])
        flags = (1 if self.modern else 0) | (2 if self.serial else 0)
        return bytes([flags, len(self.ops[:255])]) + ops + \
            bytes(self.ram).rstrip(b'\0')

    # ---- virtio-serial: queue q's rings at 0x1000 + 0x2000 * q ----

    def setup_serial(self, features=0x6):
        self.w(0x70, 0)
        self.w(0x70, 1)
        self.w(0x70, 3)
        self.w(0x24, 0)
        self.w(0x20, features)
        if self.modern:
            self.w(0x24, 1)
            self.w(0x20, 1)
            self.w(0x70, 0xb)
        else:
            self.w(0x28, 4096)
        self.qidx = {}
        for q in range(4):
            desc = 0x1000 + 0x2000 * q
            self.w(0x30, q)
            self.w(0x38, 8)
            if self.modern:
                for off, val in ((0x80, desc), (0x84, 0),
                                 (0x90, desc + 0x80), (0x94, 0),
                                 (0xa0, desc + 0x1000), (0xa4, 0)):
                    self.w(off, val)
                self.w(0x44, 1)
            else:
                self.w(0x3c, 4096)
                self.w(0x40, desc >> 12)
            self.qidx[q] = 0
        self.w(0x70, 0xf if self.modern else 0x7)

    def sbuf(self, q, d, length, writable, data=b''):
        """Descriptor d of queue q offered, its buffer at 0x9000 + ..."""
        desc = 0x1000 + 0x2000 * q
        buf = 0x9000 + 0x800 * q + 0x40 * d
        self.put(desc + 16 * d, '<QIHH', buf, length, 2 if writable else 0,
                 0)
        self.ram[buf:buf + len(data)] = data
        idx = self.qidx[q]
        self.put(desc + 0x80 + 4 + 2 * (idx % 8), '<H', d)
        self.qidx[q] = idx + 1
        self.put(desc + 0x80 + 2, '<H', idx + 1)

    def ctrl(self, d, port, event, value, extra=b''):
        self.sbuf(3, d, 8 + len(extra), False,
                  struct.pack('<IHH', port, event, value) + extra)


def seeds():
    for modern in (False, True):
        v = 'modern' if modern else 'legacy'
        s = Session(modern)
        s.setup()
        s.request(0, 16)
        s.request(1, 8)
        yield v + '-two-requests', s

        s = Session(modern)
        s.reads()
        yield v + '-register-reads', s

        s = Session(modern)
        s.setup(features=1 << 29)
        s.put(s.avail + 4 + 2 * 8, '<H', 0)
        for d in range(4):
            s.request(d, 4 + d)
        yield v + '-event-idx', s

        s = Session(modern)
        s.setup(features=1 << 28)
        s.put(0x5000, '<QIHH', BUF, 8, 2, 0)
        s.put(0x5010, '<QIHH', BUF + 8, 8, 2, 0)
        s.put(s.desc, '<QIHH', 0x5000, 32, 4, 0)
        s.put(s.avail + 4, '<H', 0)
        s.put(s.avail + 2, '<H', 1)
        s.w(0x50, 0)
        yield v + '-indirect', s

        s = Session(modern)
        s.setup(num=4)
        for d in range(6):
            s.request(d % 4, 32, kick=(d % 2 == 1))
        yield v + '-small-queue', s

        s = Session(modern)
        s.setup()
        s.request(0, 16)
        s.w(0x70, 0)
        s.reads()
        s.setup()
        s.request(2, 16)
        yield v + '-reset-and-again', s

        s = Session(modern)
        s.setup()
        s.request(0, 0)
        s.request(1, 16)
        yield v + '-zero-length', s

        s = Session(modern)
        s.setup()
        s.put(s.desc, '<QIHH', BUF, 8, 3, 0)
        s.request(0, 8, flags=3)
        yield v + '-loop', s

        s = Session(modern)
        s.setup()
        s.w(0x30, 5000)
        s.w(0x38, 2000)
        s.w(0x40 if modern else 0x44, 1)
        s.w(0x50, 7)
        s.w(0x50, 0xffffffff)
        s.w(0x70, 0, size=1)
        s.w(0x104, 0x12345678)
        yield v + '-odd-writes', s

        s = Session(modern)
        s.setup()
        for i in range(3):
            s.request(i, 2048)
            s.clock(70000)
        yield v + '-clock', s

        s = Session(modern)
        s.setup()
        s.w(0x40 if not modern else 0x80, 0xfff if not modern else 0xfff0)
        s.w(0x44, 1)
        s.request(0, 8)
        yield v + '-rings-outside-ram', s

        s = Session(modern)
        s.setup(features=0xffffffff)
        s.request(0, 8)
        s.r(0x70)
        s.r(0xfc)
        yield v + '-all-features', s


def serial_seeds():
    for modern in (False, True):
        v = 'serial-' + ('modern' if modern else 'legacy')
        s = Session(modern, serial=True)
        s.setup_serial()
        for d in range(8):
            s.sbuf(2, d, 64, True)
        s.w(0x50, 2)
        for d, (port, event) in enumerate(((0, 0), (0, 3), (1, 3), (0, 6),
                                           (1, 6))):
            s.ctrl(d, port, event, 1)
        s.w(0x50, 3)
        s.sbuf(1, 0, 12, False, b'hello, fuzz\n')
        s.w(0x50, 1)
        s.sbuf(0, 0, 16, True)
        s.w(0x50, 0)
        s.w(0x108, 0x21)
        s.r(0x104)
        s.r(0x60)
        s.w(0x64, 3)
        s.w(0x70, 0)
        yield v + '-handshake', s

        s = Session(modern, serial=True)
        s.setup_serial()
        for d in range(4):
            s.sbuf(2, d, 8, True)       # too short for a PORT_NAME
        s.sbuf(3, 0, 4, False, b'\0\0\0\0')
        s.ctrl(1, 77, 3, 1)
        s.ctrl(2, 0xffffffff, 6, 1)
        s.ctrl(3, 0, 0, 0)
        s.ctrl(4, 1, 3, 0)
        s.ctrl(5, 1, 99, 1, b'x' * 40)
        s.ctrl(6, 0, 0, 1)
        s.ctrl(7, 1, 3, 1)
        s.w(0x50, 3)
        s.w(0x50, 2)
        s.w(0x50, 9)
        yield v + '-bad-control', s

        s = Session(modern, serial=True)
        s.setup_serial(features=0)
        s.sbuf(1, 0, 5, False, b'plain')
        s.w(0x50, 1)
        s.sbuf(3, 0, 8, False, struct.pack('<IHH', 0, 0, 1))
        s.w(0x50, 3)
        s.w(0x108, 0x41, size=1)
        s.w(0x10a, 0x41, size=2)
        yield v + '-no-multiport', s


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else \
        os.path.join(here, 'corpus', 'fuzz-virtio-mmio')
    os.makedirs(out, exist_ok=True)
    n = 0
    for name, s in list(seeds()) + list(serial_seeds()):
        with open(os.path.join(out, 'seed-' + name), 'wb') as f:
            f.write(s.bytes())
        n += 1
    print('%d seeds in %s' % (n, out))


if __name__ == '__main__':
    main()
