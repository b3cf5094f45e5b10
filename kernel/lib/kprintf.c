/* kprintf.c: formatted output to the serial log and the log ring (kernel/drv/log.c; the formatter is format.c). */
#include "kernel/drv/log.h"
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
    size_t len = n >= 0 && n < KPRINTF_MAX ? (size_t)n : strnlen(buf, KPRINTF_MAX);
    log_print(buf, len);
}
