/*
 * The kernel log ring: the last KLOG_SIZE bytes kprintf printed, kept in
 * memory so that a debugger (GDB's `ember log`) can read them on a stopped
 * machine, whatever happened to the serial line.
 */
#ifndef EMBER_KLOG_H
#define EMBER_KLOG_H

#include <stddef.h>
#include <stdint.h>

#define KLOG_SIZE   16384

struct klog {
    uint64_t written;               /* bytes ever written: buf[written % KLOG_SIZE] is next */
    char buf[KLOG_SIZE];
};

extern struct klog klog;

/* Appends |len| bytes of |s| to the ring, overwriting the oldest. */
void klog_write(const char *s, size_t len);

#endif
