/*
 * The kernel's log, as ring 3 sees it: console_write puts bytes into it
 * (the serial line, polled, and the log ring of kernel/lib/klog.c, where
 * kprintf puts its own), and log_read reads the ring back (`dmesg`).  This
 * is all that is left of the console in the kernel: input belongs to the
 * console driver (user/consoled.c, docs/09-drivers.md).
 */
#ifndef EMBER_LOG_H
#define EMBER_LOG_H

#include <stddef.h>
#include "kernel/mm/usercopy.h"

/* console_write: |len| bytes from user |buf| into the log (a short write past 16 KiB). */
long log_write_user(user_ptr buf, size_t len);
/* log_read: copies the most recent bytes of the ring, up to |len|, to |buf|; returns how many. */
long log_read_user(user_ptr buf, size_t len);

#endif
