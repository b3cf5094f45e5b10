/*
 * Physical and virtual addresses.  All of physical memory is mapped at
 * DIRECT_MAP_BASE, so the kernel reaches any frame at phys + DIRECT_MAP_BASE.
 * (tests/unit/stubs has a host version of this header.)
 */
#ifndef EMBER_PHYS_H
#define EMBER_PHYS_H

#include <stdint.h>
#include "kernel/arch/x86_64/layout.h"

static inline void *phys_to_virt(uint64_t pa)
{
    return (void *)(pa + DIRECT_MAP_BASE);
}

/* For direct-map and kernel-image addresses only. */
static inline uint64_t virt_to_phys(const void *va)
{
    uint64_t v = (uint64_t)va;
    return v >= KERNEL_VMA ? v - KERNEL_VMA : v - DIRECT_MAP_BASE;
}

#endif
