/*
 * date: prints the wall-clock time in UTC, read from the clock driver.
 *
 *   date        through rtcd, the ring-3 driver (its port CLOCK_PORT_NAME)
 *   date -k     through the kernel-mode driver (kclock_read; only in a boot
 *               with clock=kernel)
 *
 * Output: "Thu 2026-12-03 08:41:07 UTC".  QEMU sets the CMOS clock from
 * the host's clock at boot.
 */
#include <ember.h>
#include <service.h>
#include <stdio.h>
#include <string.h>

#define SECONDS_PER_DAY 86400
#define EPOCH_WEEKDAY   4               /* 1970-01-01 was a Thursday */

static const char *const weekdays[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };

int main(int argc, char **argv)
{
    struct clock_time t;
    int kernel = argc > 1 && strcmp(argv[1], "-k") == 0;
    long r = kernel ? kclock_read(&t) : clock_read(&t);

    if (r < 0) {
        printf("date: cannot read the %s clock: %s\n", kernel ? "kernel's" : "driver's", errstr(r));
        return 1;
    }
    printf("%s %04u-%02u-%02u %02u:%02u:%02u UTC\n",
           weekdays[(t.unix_seconds / SECONDS_PER_DAY + EPOCH_WEEKDAY) % 7],
           t.year, t.month, t.day, t.hour, t.minute, t.second);
    return 0;
}
