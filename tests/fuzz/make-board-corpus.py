#!/usr/bin/env python3
"""Writes the seed corpora of the board targets (format: fuzz-board.c):
fuzz-dispatch, fuzz-serial, fuzz-rtc, fuzz-ioapic, fuzz-pic-pit,
fuzz-fw-cfg. Each seed is what a driver or the probe guest does
(tests/guest/probe.c, probe-dispatch.c, probe-fwcfg.c), with the window
indexes of its target.

usage: tests/fuzz/make-board-corpus.py [OUTDIR]
"""
import os
import struct
import sys

READ, WRITE, CLOCK, IRQ, RX, EOI, INTA, RESET = range(8)


class Seed:
    def __init__(self):
        self.ops = []
        self.ram = bytearray()

    def op(self, kind, window=0, off=0, value=0, size=1):
        self.ops.append(struct.pack('<BBHI', kind | window << 3,
                                    (size - 1) | (off >> 16) << 3,
                                    off & 0xffff, value))
        return self

    def r(self, off, size=1, window=0):
        return self.op(READ, window, off, 0, size)

    def w(self, off, value, size=1, window=0):
        return self.op(WRITE, window, off, value, size)

    def data(self):
        assert len(self.ops) <= 255
        return bytes([len(self.ops)]) + b''.join(self.ops) + bytes(self.ram)


def serial_seeds():
    # window base 0x3f6: COM1's registers at offsets 2-9
    s = Seed()
    for off in range(0x3f6 - 0x3f6, 12):
        s.r(off)
    s.w(2 + 3, 0x80).w(2 + 0, 0x01).w(2 + 1, 0).w(2 + 3, 0x03)   # 115200 8N1
    s.w(2 + 2, 0xc7).w(2 + 1, 0x0f).w(2 + 4, 0x0b)               # FIFO, IER
    for c in b'probe':
        s.w(2, c)
    s.op(CLOCK, value=5)
    for c in b'hi!\n':
        s.op(RX, value=c)
    for _ in range(6):
        s.r(2 + 5).r(2 + 2).r(2)
    s.op(CLOCK, value=20).r(2 + 2)
    s.w(2 + 4, 0x10)                                              # loopback
    s.w(2, 0x55).r(2).r(2 + 6).w(2 + 7, 0xa5).r(2 + 7)
    s.r(0, 4).r(6, 4).r(8, 4).w(1, 0x01020304, 4)                 # wide
    yield 'seed-driver', s
    s = Seed()
    s.w(2 + 2, 0x01)                                              # FIFO on
    for i in range(20):
        s.op(RX, value=0x41 + i)
    s.op(CLOCK, value=1).r(2 + 2).r(2 + 5)
    s.op(RESET).r(2 + 5)
    yield 'seed-rx-overrun', s


def rtc_seeds():
    # window base 0x6e: index 0x70 at offset 2, data 0x71 at 3
    s = Seed()
    for reg in list(range(0, 10)) + [0x0a, 0x0b, 0x0c, 0x0d, 0x32]:
        s.w(2, reg).r(3)
    s.w(2, 0x0a).w(3, 0x26).w(2, 0x0b).w(3, 0x42)   # 1024 Hz periodic, PIE
    s.op(CLOCK, value=3).w(2, 0x0c).r(3)
    s.w(2, 0x0b).w(3, 0x22).w(2, 0x05).w(3, 0xc0)   # alarm, don't care
    s.op(CLOCK, value=1000).w(2, 0x0c).r(3)
    s.w(2, 0x0b).w(3, 0x86).w(2, 0x00).w(3, 0x59).w(2, 0x0b).w(3, 0x06)
    s.r(0, 4).w(2, 0x220f110e, 4).r(1, 8)           # wide, straddling
    s.op(RESET).w(2, 0x0d).r(3)
    yield 'seed-clock-irqs', s


def ioapic_seeds():
    s = Seed()
    for win in (0, 1):
        for reg in (0, 1, 2, 0x10, 0x11, 0x3f):
            s.w(0, reg, 4, win).r(0x10, 4, win)
    s.w(0, 0x14, 4).w(0x10, 0x8030, 4)              # pin 2 level, vector 0x30
    s.op(IRQ, off=2, value=1).op(EOI, value=0x30).op(IRQ, off=2, value=0)
    s.w(0, 0x12, 4).w(0x10, 0x0700, 4)              # pin 1 ExtINT
    s.op(IRQ, off=1, value=1).op(IRQ, off=1, value=0)
    s.w(0, 0x3e, 4, 1).w(0x10, 0x41, 4, 1)          # ioapic2 pin 23
    s.op(IRQ, off=47, value=1).w(0x40, 0x41, 4, 1)  # EOI register
    s.r(0x10, 1).r(0x0e, 4).r(0x12, 2).r(0xfe, 8)   # odd sizes
    yield 'seed-program-deliver', s


def pic_pit_seeds():
    # windows: 0x1e (+2: master), 0x3e (+2: PIT), 0x9e (+2: slave),
    # 0x4ce (+2: ELCR)
    s = Seed()
    for w, base in ((0, 0x11), (2, 0x11)):
        s.w(2, 0x11, 1, w).w(3, 0x20 if w == 0 else 0x28, 1, w)
        s.w(3, 0x04 if w == 0 else 0x02, 1, w).w(3, 0x01, 1, w)
    s.w(3, 0xfe).w(3, 0xff, 1, 2).w(2, 0x0c0c, 2, 3)    # masks, ELCR
    s.w(5, 0x34, 1, 1).w(2, 0x00, 1, 1).w(2, 0x10, 1, 1)  # PIT ch0 mode 2
    s.op(CLOCK, value=10).op(INTA).w(2, 0x20)
    s.w(5, 0xc2, 1, 1).r(2, 1, 1).r(2, 1, 1).w(5, 0x00, 1, 1).r(2, 1, 1)
    s.w(2, 0x0b).r(2).w(2, 0x0c).r(2).op(IRQ, off=3, value=1).op(INTA)
    s.r(1, 4).r(2, 4).r(0, 4, 3).r(1, 4, 2).r(3, 2)     # wide, straddling
    s.w(5, 0xb6, 1, 1).w(4, 0x33, 1, 1).w(4, 0x12, 1, 1).op(CLOCK, value=3)
    s.op(RESET).r(3).r(2, 1, 1)
    yield 'seed-init-ticks', s


def desc(control, length, address):
    return struct.pack('>IIQ', control, length, address)


def fw_cfg_seeds():
    # window base 0x50e: selector/data 0x510 at offset 2, DMA 0x514 at 6
    s = Seed()
    s.w(2, 0x0000, 2)
    for _ in range(4):
        s.r(3)
    s.r(2, 4).r(1, 4).w(2, 1, 4).r(3).r(3, 4)
    s.w(2, 0x0019, 2)                                   # file directory
    for _ in range(12):
        s.r(3)
    s.r(6, 4).r(10, 4).r(6, 8)                          # DMA signature
    # DMA: select the kernel item, read 64 bytes to 0x100; a skip; a read
    # past the end; a write; a descriptor straddling the end of RAM
    s.ram = bytearray(0x200)
    s.ram[0x00:0x10] = desc((0x11 << 16) | 0x0a, 64, 0x100)
    s.ram[0x10:0x20] = desc(0x04, 16, 0)
    s.ram[0x20:0x30] = desc(0x02, 8192, 0x180)
    s.ram[0x30:0x40] = desc((0x20 << 16) | 0x18, 4, 0x100)
    s.ram[0x40:0x50] = desc(0x02, 64, 0xfffc)
    for at in (0x00, 0x10, 0x20, 0x30, 0x40):
        s.w(6, 0, 4).w(10, struct.unpack('<I', struct.pack('>I', at))[0], 4)
    s.w(6, struct.unpack('<Q', struct.pack('>Q', 0x40))[0] & 0xffffffff, 4)
    s.w(6, 0x1000000, 8)
    yield 'seed-ports-and-dma', s


def dispatch_seeds():
    # windows: 0 ports, 1 GED, 2 virtio-mmio, 3 IOAPICs, 4 MSI window
    s = Seed()
    for port, size in ((0x1f, 4), (0x9f, 4), (0x4cf, 4), (0x20, 4),
                       (0x510, 4), (0x50f, 4), (0x511, 4), (0x514, 4),
                       (0x3fc, 4), (0xfffd, 4), (0xffff, 4), (0xffff, 2),
                       (0x70, 4), (0x43, 4), (0x7e, 2)):
        s.r(port, size)
    s.w(0x70, 0x220f110e, 4).w(0x510, 1, 4).w(0xffff, 0x1234, 2)
    s.r(0, 1, 1).r(0, 4, 1).w(0, 1, 4, 1).r(0x200, 1, 1).w(0x200, 0x42, 1, 1)
    for off in (0, 1, 2, 3, 0x1fe, 0x1ffe, 0x3ffd):
        s.r(off, 4, 2)
    s.r(0, 2, 2).r(4, 1, 2).w(0x70, 0xf, 4, 2).w(0x6f, 0x0f00, 3, 2)
    s.w(0, 1, 4, 3).r(0x10, 1, 3).r(0x0e, 4, 3).r(0x10000, 8, 3)
    s.r(0x1000, 4, 4).r(0x1035, 1, 4).w(0xff000, 0x48, 4, 4)
    s.r(0xffffc, 8, 4).w(0xffffd, 0x41, 7, 4)
    s.op(IRQ, off=4, value=1).op(CLOCK, value=50).op(RESET)
    yield 'seed-probe-dispatch', s


# Each window's registers one by one, every size, read then written
# (what a probing guest does), so that each target has seeds for every
# register; offsets picked to hit each register and the edges.
WINDOW_OFFSETS = {
    'fuzz-serial': [[2, 3, 4, 5, 6, 7, 8, 9, 0, 10]],
    'fuzz-rtc': [[2, 3, 1, 4]],
    'fuzz-ioapic': [[0, 0x10, 0x40, 0x0e, 0xff], [0, 0x10, 0x40]],
    'fuzz-pic-pit': [[2, 3, 1], [2, 3, 4, 5, 1], [2, 3], [2, 3, 1]],
    'fuzz-fw-cfg': [[2, 3, 6, 10, 1, 5, 13]],
    'fuzz-dispatch': [[0x20, 0x40, 0x70, 0x3f8, 0x4d0, 0x510, 0x514, 0xffff],
                      [0, 0x200], [0, 0x1fe, 0x3000], [0, 0x10, 0x10010],
                      [0x1000, 0xfffff]],
}


def register_seeds(target):
    n = 0
    for window, offsets in enumerate(WINDOW_OFFSETS[target]):
        for off in offsets:
            s = Seed()
            for size in (1, 2, 4, 8):
                s.r(off, size, window).w(off, 0xa5a5a5a5, size, window)
                s.r(off, size, window)
            s.op(CLOCK, value=2).op(IRQ, off=n % 48, value=1)
            yield 'seed-reg-w%d-0x%x' % (window, off), s
            n += 1


TARGETS = {
    'fuzz-serial': serial_seeds,
    'fuzz-rtc': rtc_seeds,
    'fuzz-ioapic': ioapic_seeds,
    'fuzz-pic-pit': pic_pit_seeds,
    'fuzz-fw-cfg': fw_cfg_seeds,
    'fuzz-dispatch': dispatch_seeds,
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), 'corpus')
    for target, seeds in TARGETS.items():
        d = os.path.join(out, target)
        os.makedirs(d, exist_ok=True)
        for name, seed in list(seeds()) + list(register_seeds(target)):
            with open(os.path.join(d, name), 'wb') as f:
                f.write(seed.data())


if __name__ == '__main__':
    main()
