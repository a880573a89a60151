#!/usr/bin/env python3
"""Writes the seed corpus of fuzz-virtio-blk (format: fuzz-virtio-blk.c).

Each seed is a byte of flags and the guest RAM: well-formed requests of
every type (IN, OUT, FLUSH, GET_ID, DISCARD, WRITE_ZEROES, unsupported),
indirect chains, and the malformed ones of tests/unit/test-virtio-blk.c,
so the fuzzer starts from every branch.

usage: tests/fuzz/make-virtio-blk-corpus.py [OUTDIR]
"""
import os
import struct
import sys

DESC, AVAIL, USED, BUF, TABLE = 0x800, 0x1000, 0x2000, 0x4000, 0x3000
QSIZE = 16
NEXT, WRITE, INDIRECT = 1, 2, 4
F_EVENT, F_INDIRECT, F_KICK2, F_RESET, F_RO, F_WT = 1, 2, 4, 8, 16, 32
T_IN, T_OUT, T_FLUSH, T_GET_ID, T_DISCARD, T_WZ = 0, 1, 4, 8, 11, 13


class Guest:
    def __init__(self, flags):
        self.flags = flags
        self.ram = bytearray(0x6000)
        self.next_desc = 0
        self.next_buf = BUF
        self.idx = 0

    def put(self, gpa, fmt, *v):
        struct.pack_into(fmt, self.ram, gpa, *v)

    def buf(self, data=b'', length=None):
        gpa = self.next_buf
        length = len(data) if length is None else length
        self.ram[gpa:gpa + len(data)] = data
        self.next_buf += (length + 15) & ~15
        return gpa, length

    def chain(self, segs, indirect=False):
        """segs: (gpa, len, writable); offered as one request"""
        if indirect:
            for i, (gpa, ln, w) in enumerate(segs):
                fl = (WRITE if w else 0) | (NEXT if i + 1 < len(segs) else 0)
                self.put(TABLE + 16 * i, '<QIHH', gpa, ln, fl, i + 1)
            head = self.next_desc
            self.put(DESC + 16 * head, '<QIHH', TABLE, 16 * len(segs),
                     INDIRECT, 0)
            self.next_desc += 1
        else:
            head = self.next_desc
            for i, (gpa, ln, w) in enumerate(segs):
                d = head + i
                fl = (WRITE if w else 0) | (NEXT if i + 1 < len(segs) else 0)
                self.put(DESC + 16 * d, '<QIHH', gpa, ln, fl, d + 1)
            self.next_desc += len(segs)
        self.put(AVAIL + 4 + 2 * (self.idx % QSIZE), '<H', head)
        self.idx += 1
        self.put(AVAIL + 2, '<H', self.idx)

    def req(self, rtype, sector=0, data=b'', din=0, indirect=False):
        hdr = self.buf(struct.pack('<IIQ', rtype, 0, sector))
        segs = [hdr + (False,)]
        if data:
            segs.append(self.buf(data) + (False,))
        if din:
            segs.append(self.buf(length=din) + (True,))
        segs.append(self.buf(length=1) + (True,))
        self.chain(segs, indirect)

    def dwz(self, rtype, sector, num, fl):
        self.req(rtype, data=struct.pack('<QII', sector, num, fl))

    def seed(self):
        return bytes([self.flags]) + bytes(self.ram)


def seeds():
    g = Guest(0)
    g.req(T_IN, 0, din=512)
    yield 'read', g

    g = Guest(F_KICK2)
    g.req(T_OUT, 1, data=b'\xa5' * 1024)
    g.req(T_FLUSH)
    g.req(T_GET_ID, din=20)
    yield 'write-flush-get-id', g

    g = Guest(F_WT)
    g.dwz(T_DISCARD, 8, 8, 0)
    g.dwz(T_WZ, 16, 4, 1)
    g.dwz(T_DISCARD, 0, 1, 1)
    g.dwz(T_WZ, 126, 4, 0)
    yield 'discard-write-zeroes', g

    g = Guest(F_INDIRECT | F_EVENT)
    g.req(T_IN, 2, din=1024, indirect=True)
    g.req(99, 0, data=b'x' * 16)
    yield 'indirect-unsupported', g

    g = Guest(F_RESET)
    g.req(T_IN, 0, din=4096)
    g.req(T_OUT, 127, data=b'\x01' * 1024)
    g.req(T_IN, 0, din=100)
    yield 'reset-range', g

    g = Guest(F_RO)
    g.req(T_OUT, 0, data=b'\x02' * 512)
    g.req(T_WZ, data=struct.pack('<QII', 0, 1, 0))
    yield 'read-only', g

    g = Guest(0)
    hdr = g.buf(struct.pack('<IIQ', T_IN, 0, 0))
    g.chain([hdr + (False,)])
    yield 'missing-inhdr', g

    g = Guest(0)
    g.chain([(BUF, 8, False), (BUF + 16, 1, True)])
    yield 'short-outhdr', g

    g = Guest(0)
    g.req(T_WZ, data=b'\0' * 8)
    yield 'short-dwz', g


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), 'corpus',
        'fuzz-virtio-blk')
    os.makedirs(out, exist_ok=True)
    # each seed also with a reset in flight, and with event idx, a
    # second kick and writethrough
    variants = [('', 0), ('-reset', F_RESET), ('-event-wt',
                                                 F_EVENT | F_KICK2 | F_WT)]
    for name, g in seeds():
        base = g.flags
        for suffix, extra in variants:
            g.flags = base | extra
            with open(os.path.join(out, name + suffix), 'wb') as f:
                f.write(g.seed())


if __name__ == '__main__':
    main()
