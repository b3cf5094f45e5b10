/* kprintf.c: formatted output to the serial log (the formatter is format.c). */
#include "kernel/arch/x86_64/serial.h"
#include "kernel/lib/kprintf.h"

#define KPRINTF_MAX 512

void kprintf(const char *fmt, ...)
{
    char buf[KPRINTF_MAX];
    va_list ap;

    va_start(ap, fmt);
    int n = kvsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    serial_write(buf, n < KPRINTF_MAX ? (unsigned long)n : KPRINTF_MAX - 1);
}
