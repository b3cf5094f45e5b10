/*
 * The kernel's log: every line kprintf prints and every byte ring 3 sends
 * with console_write goes out on the serial line, polled, and into a ring
 * of the last LOG_RING_SIZE bytes, which log_read (`dmesg`) and GDB's
 * `ember log` read back.  This is all that is left of the console in the
 * kernel: input belongs to the console driver (user/consoled.c,
 * docs/09-drivers.md).
 */
#ifndef EMBER_LOG_H
#define EMBER_LOG_H

#include <stddef.h>
#include <stdint.h>
#include "kernel/mm/usercopy.h"

#define LOG_RING_SIZE   16384

struct klog {
    uint64_t written;               /* bytes ever written: buf[written % LOG_RING_SIZE] is next */
    char buf[LOG_RING_SIZE];
};

/* The ring; GDB's `ember log` reads |written| and |buf| by name. */
extern struct klog klog;

/* Appends |len| bytes of |s| to the ring, overwriting the oldest. */
void log_write(const char *s, size_t len);
/* kprintf's output: |len| bytes of |s| to the ring and the serial line, whole (under log_lock). */
void log_print(const char *s, size_t len);
/* console_write: |len| bytes from user |buf| to the serial line and the ring (a short write past 16 KiB). */
long log_write_user(user_ptr buf, size_t len);
/* log_read: copies the most recent bytes of the ring, up to |len|, to |buf|; returns how many. */
long log_read_user(user_ptr buf, size_t len);

#endif
