#!/usr/bin/env python3
"""Writes the seed corpus of fuzz-virtio-net (format: fuzz-virtio-net.c).

Each seed is a byte of flags, a byte of frame length (x8) and the guest
RAM with three queues: TX frames with every header size (split from the
data or not, to a backend with or without the vnet header, one that
queues), control commands of every class (good and bad), RX buffers
(one per frame, or small mergeable ones), and the malformed chains of
tests/unit/test-virtio-net.c, so the fuzzer starts from every branch.

usage: tests/fuzz/make-virtio-net-corpus.py [OUTDIR]
"""
import os
import struct
import sys

QSIZE = 16
RX, TX, CTRL = 0, 1, 2
NEXT, WRITE, INDIRECT = 1, 2, 4
F_EVENT, F_MRG, F_V1, F_VHDR, F_FULL, F_RESET, F_CTRL, F_TIMER = (
    1, 2, 4, 8, 16, 32, 64, 128)
BUF = 0x1000
TABLE = 0xc00


class Guest:
    def __init__(self, flags, frame_len=8):
        self.flags = flags
        self.frame_len = frame_len
        self.ram = bytearray(0x8000)
        self.next_desc = [0, 0, 0]
        self.idx = [0, 0, 0]
        self.next_buf = BUF

    def put(self, gpa, fmt, *v):
        struct.pack_into(fmt, self.ram, gpa, *v)

    def buf(self, data=b'', length=None):
        gpa = self.next_buf
        length = len(data) if length is None else length
        self.ram[gpa:gpa + len(data)] = data
        self.next_buf += (length + 15) & ~15
        return gpa, length

    def chain(self, q, segs, indirect=False):
        """segs: (gpa, len, writable), offered on queue q"""
        desc = 0x400 * q
        head = self.next_desc[q]
        if indirect:
            for i, (gpa, ln, w) in enumerate(segs):
                fl = (WRITE if w else 0) | (NEXT if i + 1 < len(segs) else 0)
                self.put(TABLE + 16 * i, '<QIHH', gpa, ln, fl, i + 1)
            self.put(desc + 16 * head, '<QIHH', TABLE, 16 * len(segs),
                     INDIRECT, 0)
            self.next_desc[q] += 1
        else:
            for i, (gpa, ln, w) in enumerate(segs):
                d = head + i
                fl = (WRITE if w else 0) | (NEXT if i + 1 < len(segs) else 0)
                self.put(desc + 16 * d, '<QIHH', gpa, ln, fl, d + 1)
            self.next_desc[q] += len(segs)
        avail = desc + 0x100
        self.put(avail + 4 + 2 * (self.idx[q] % QSIZE), '<H', head)
        self.idx[q] += 1
        self.put(avail + 2, '<H', self.idx[q])

    def hdr_len(self):
        return 12 if self.flags & (F_MRG | F_V1) else 10

    def tx(self, payload, split=False, hdr=None, indirect=False):
        hdr = hdr if hdr is not None else bytes(self.hdr_len())
        if split:
            self.chain(TX, [self.buf(hdr) + (False,),
                            self.buf(payload) + (False,)], indirect)
        else:
            self.chain(TX, [self.buf(hdr + payload) + (False,)], indirect)

    def ctrl(self, cls, cmd, data=b''):
        segs = [self.buf(bytes([cls, cmd])) + (False,)]
        if data:
            segs.append(self.buf(data) + (False,))
        segs.append(self.buf(length=1) + (True,))
        self.chain(CTRL, segs)

    def rx(self, length, count=1):
        for _ in range(count):
            self.chain(RX, [self.buf(length=length) + (True,)])

    def seed(self):
        return bytes([self.flags, self.frame_len]) + bytes(self.ram)


ETH = bytes.fromhex('525400123456' '525400000001' '0800') + b'\x45' * 46


def seeds():
    g = Guest(0)
    g.tx(ETH)
    g.tx(ETH, split=True)
    g.rx(1526, 2)
    yield 'tx-rx', g

    g = Guest(F_MRG, 40)
    g.tx(ETH, split=True)
    g.rx(64, 8)
    yield 'mergeable', g

    g = Guest(F_V1 | F_VHDR | F_EVENT, 20)
    g.tx(ETH, hdr=bytes([1, 1, 54, 0, 0xb4, 5, 34, 0, 16, 0, 0, 0]))
    g.tx(ETH, split=True, indirect=True)
    g.rx(1526, 2)
    yield 'modern-vnet-hdr', g

    g = Guest(F_FULL | F_TIMER)
    for i in range(6):
        g.tx(ETH[:-1] + bytes([i]))
    yield 'backend-full', g

    g = Guest(F_CTRL | F_VHDR | F_MRG)
    g.ctrl(0, 0, b'\0')                         # promisc off
    g.ctrl(0, 5, b'\1')                         # nobcast
    g.ctrl(1, 1, bytes.fromhex('020000000007'))  # mac addr set
    g.ctrl(1, 0, struct.pack('<I', 1) + bytes(6) + struct.pack('<I', 1) +
           bytes.fromhex('01005e000001'))       # mac table
    g.ctrl(2, 0, struct.pack('<H', 5))          # vlan add
    g.ctrl(3, 0)                                # announce ack
    g.ctrl(4, 0, struct.pack('<H', 1))          # mq pairs
    g.ctrl(5, 0, struct.pack('<Q', 2))          # guest offloads
    g.rx(1526, 2)
    yield 'ctrl', g

    g = Guest(F_CTRL)
    g.ctrl(9, 9, b'xx')
    g.ctrl(1, 0, struct.pack('<I', 0x2aaaaaab))
    g.ctrl(1, 0, struct.pack('<I', 65) + bytes(65 * 6) + struct.pack('<I', 0))
    g.ctrl(2, 0, struct.pack('<H', 4096))
    g.ctrl(0, 0)
    yield 'ctrl-bad', g

    g = Guest(F_CTRL)
    g.chain(CTRL, [g.buf(b'\0\0') + (False,)])
    yield 'ctrl-no-ack', g

    g = Guest(0)
    g.chain(TX, [g.buf(length=64) + (True,)])
    yield 'tx-no-out', g

    g = Guest(F_VHDR | F_V1)
    g.chain(TX, [g.buf(bytes(11)) + (False,)])
    yield 'tx-short-hdr', g

    g = Guest(0)
    g.chain(RX, [g.buf(bytes(20)) + (False,)])
    yield 'rx-not-writable', g

    g = Guest(F_RESET | F_FULL)
    g.tx(ETH)
    g.tx(ETH)
    g.rx(1526)
    yield 'reset-in-flight', g


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), 'corpus',
        'fuzz-virtio-net')
    os.makedirs(out, exist_ok=True)
    # each seed also with event index and a reset after the kicks, and
    # with tx=timer and a backend that queues
    variants = [('', 0), ('-event-reset', F_EVENT | F_RESET),
                ('-timer-full', F_TIMER | F_FULL)]
    for name, g in seeds():
        base = g.flags
        for suffix, extra in variants:
            g.flags = base | extra
            with open(os.path.join(out, name + suffix), 'wb') as f:
                f.write(g.seed())


if __name__ == '__main__':
    main()
