/*
 * Probe guest: freestanding basics, COM1 output (polled) and FNV-1a
 * hashing, shared by the probe's C files.
 */

#include "probe.h"

/* ---- freestanding basics (gcc may call these for struct copies) ---- */

void *memset(void *s, int c, size_t n)
{
    uint8_t *p = s;

    while (n--) {
        *p++ = c;
    }
    return s;
}

void *memcpy(void *d, const void *s, size_t n)
{
    uint8_t *dp = d;
    const uint8_t *sp = s;

    while (n--) {
        *dp++ = *sp++;
    }
    return d;
}

bool str_eq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

/* ---- output on COM1 ---- */

void serial_putc(char c)
{
    /*
     * Bounded wait: without a UART, LSR reads 0xff (THRE set) and the
     * bytes go nowhere, which is what isa-serial=off runs expect.
     */
    for (int i = 0; i < 100000; i++) {
        if (inb(COM1 + 5) & UART_LSR_THRE) {
            break;
        }
    }
    outb(COM1, c);
}

void put_str(const char *s)
{
    while (*s) {
        serial_putc(*s++);
    }
}

void put_hex(uint64_t v, int width)
{
    char buf[17];
    int n = 0;

    do {
        buf[n++] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v && n < 16);
    while (n < width && n < 16) {
        buf[n++] = '0';
    }
    while (n) {
        serial_putc(buf[--n]);
    }
}

void put_dec(uint32_t v)
{
    char buf[10];
    int n = 0;

    do {
        buf[n++] = '0' + v % 10;
        v /= 10;
    } while (v);
    while (n) {
        serial_putc(buf[--n]);
    }
}

/* Printable ASCII as is, anything else (and the backslash) as \xNN. */
void put_escaped(const uint8_t *s, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\') {
            serial_putc(s[i]);
        } else {
            put_str("\\x");
            put_hex(s[i], 2);
        }
    }
}

void put_bytes(const uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        put_hex(p[i], 2);
    }
}

/*
 * A small printf: %s, %c, %u, %x (u32), %X (u64), with an optional
 * zero-pad width for hex; hex values get a 0x prefix.
 */
void pr(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    for (; *fmt; fmt++) {
        int width = 0;

        if (*fmt != '%') {
            serial_putc(*fmt);
            continue;
        }
        fmt++;
        while (*fmt >= '0' && *fmt <= '9') {
            width = width * 10 + (*fmt++ - '0');
        }
        switch (*fmt) {
        case 's':
            put_str(va_arg(ap, const char *));
            break;
        case 'c':
            serial_putc(va_arg(ap, int));
            break;
        case 'u':
            put_dec(va_arg(ap, uint32_t));
            break;
        case 'x':
            put_str("0x");
            put_hex(va_arg(ap, uint32_t), width);
            break;
        case 'X':
            put_str("0x");
            put_hex(va_arg(ap, uint64_t), width);
            break;
        default:
            serial_putc(*fmt);
            break;
        }
    }
    va_end(ap);
}

/* ---- hashing ---- */


uint32_t fnv1a(uint32_t h, const uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * 0x01000193u;
    }
    return h;
}
