/*
 * Host stand-in for kernel/arch/x86_64/phys.h (the unit tests put -I tests/unit/stubs
 * before -I ., so this one is found first).  "Physical memory" is a buffer
 * the test allocates: physical address pa lives at host_phys_base + pa.
 */
#ifndef EMBER_PHYS_H
#define EMBER_PHYS_H

#include <stdint.h>
#include "kernel/arch/x86_64/layout.h"

extern uint8_t *host_phys_base;

static inline void *phys_to_virt(uint64_t pa)
{
    return host_phys_base + pa;
}

static inline uint64_t virt_to_phys(const void *va)
{
    return (uint64_t)((const uint8_t *)va - host_phys_base);
}

#endif
