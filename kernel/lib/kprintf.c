/*
 * kprintf.c: formatted output to wherever the kernel's lines go (the formatter is format.c).
 *
 * lib is the lowest floor (docs/00-design.md, section 1), so it cannot name the serial
 * line (arch) or the log ring (drv): kernel_main registers them as sinks, first thing
 * at boot, and every line goes to each in turn.
 */
#include "kernel/lib/kprintf.h"
#include "kernel/lib/string.h"

#define KPRINTF_MAX 512

static kprintf_sink_t sinks[KPRINTF_SINKS_MAX];
static int nsinks;

void kprintf_add_sink(kprintf_sink_t write)
{
    if (nsinks < KPRINTF_SINKS_MAX)
        sinks[nsinks++] = write;
}

void kprintf(const char *fmt, ...)
{
    char buf[KPRINTF_MAX];
    va_list ap;

    va_start(ap, fmt);
    int n = kvsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    /* n is -1 when the output would pass INT_MAX characters: send what fitted */
    size_t len = n >= 0 && n < KPRINTF_MAX ? (size_t)n : strnlen(buf, KPRINTF_MAX);
    for (int i = 0; i < nsinks; i++)
        sinks[i](buf, len);
}
