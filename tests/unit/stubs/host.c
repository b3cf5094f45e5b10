/*
 * host.c: what the kernel code under test expects from the rest of the
 * kernel, for the host: the fake physical memory's base and panic().
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "kernel/lib/panic.h"
#include "kernel/mm/phys.h"

uint8_t *host_phys_base;

/* A broken kernel invariant: stop loudly, as the kernel would, so the run fails. */
void panic(const char *fmt, ...)
{
    va_list ap;

    fflush(stdout);     /* keep the PASS lines printed before the panic */
    fputs("PANIC: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}
