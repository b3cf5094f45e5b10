/*
 * host.c: what the kernel code under test expects from the rest of the
 * kernel, for the host: the fake physical memory's base, panic(), and
 * job charges that never refuse (jobs are tested in ring 3: tests/user/jobs_*.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "kernel/arch/x86_64/phys.h"
#include "kernel/lib/panic.h"
#include "kernel/proc/job.h"

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

long job_charge(struct job *j, int resource, uint64_t n)
{
    (void)j, (void)resource, (void)n;
    return 0;
}

void job_uncharge(struct job *j, int resource, uint64_t n)
{
    (void)j, (void)resource, (void)n;
}
