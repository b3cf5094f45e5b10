/* kprintf.c: formatted output to the kernel's log (kernel/drv/klog.c; the formatter is format.c). */
#include "kernel/drv/klog.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/string.h"

#define KPRINTF_MAX 512

void kprintf(const char *fmt, ...)
{
    char buf[KPRINTF_MAX];
    va_list ap;

    va_start(ap, fmt);
    int n = kvsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    /* n is -1 when the output would pass INT_MAX characters: send what fitted */
    klog_write(buf, n >= 0 && n < KPRINTF_MAX ? (unsigned long)n : strnlen(buf, KPRINTF_MAX));
}
