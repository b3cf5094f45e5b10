/*
 * portio.h: the x86 `in` and `out` instructions, for ring-3 drivers.  They
 * work only on ports the process enabled with ioport_enable (any other port
 * is a general-protection fault that ends the process); docs/09-drivers.md.
 */
#ifndef EMBER_PORTIO_H
#define EMBER_PORTIO_H

#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;

    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

#endif
