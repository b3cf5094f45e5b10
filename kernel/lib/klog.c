/*
 * klog.c: the kernel log ring (klog.h).  kprintf copies every line here as
 * well as to the serial port; nothing in the kernel reads it back: it is for
 * GDB (`ember log`, scripts/gdb/ember/commands.py), which reads |written|
 * and |buf| by name.  One CPU and no lock: kprintf's callers already run
 * with whatever exclusion the serial output has.
 */
#include "kernel/lib/klog.h"

struct klog klog;

void klog_write(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        klog.buf[(klog.written + i) % KLOG_SIZE] = s[i];
    klog.written += len;
}
