/*
 * The kernel's log: what the kernel prints (kprintf) and what ring 3
 * writes through console_write when no console driver is there, sent to
 * the serial line polled and kept in a ring that `dmesg` reads (log_read).
 * This is all that is left of the console in the kernel: input belongs to
 * the console driver (user/consoled.c, docs/09-drivers.md).
 */
#ifndef EMBER_KLOG_H
#define EMBER_KLOG_H

#include <stddef.h>
#include "kernel/mm/usercopy.h"

#define KLOG_SIZE   (16 * 1024)     /* the ring keeps the last this many bytes */

/* Sends |n| bytes of |s| to the serial line, polled, and keeps them in the ring. */
void klog_write(const char *s, size_t n);
/* console_write: |len| bytes from user |buf| into the log (a short write past 16 KiB). */
long klog_write_user(user_ptr buf, size_t len);
/* log_read: copies the most recent bytes of the ring, up to |len|, to |buf|; returns how many. */
long klog_read(user_ptr buf, size_t len);

#endif
