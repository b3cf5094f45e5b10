/*
 * dmesg: prints the kernel's log, the last bytes the kernel wrote to the
 * serial line.  That is its own lines, the supervisor's, and what programs
 * wrote while no console driver was running (kernel/drv/log.c,
 * docs/09-drivers.md); the ring keeps LOG_RING_SIZE bytes (kernel/drv/log.h).
 */
#include <ember.h>
#include <stdio.h>

#define LOG_MAX     (16 * 1024)

int main(void)
{
    static char log[LOG_MAX];
    long n = log_read(log, sizeof log);

    if (n < 0) {
        printf("dmesg: %s\n", errstr(n));
        return 1;
    }
    fwrite(log, 1, (size_t)n, stdout);
    return 0;
}
