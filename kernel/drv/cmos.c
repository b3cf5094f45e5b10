/*
 * cmos.c: reading the MC146818 real-time clock (cmos.h).  Built into the
 * kernel (for kclock.c) and into libc (for rtcd): one logic, two privilege
 * levels, which is the comparison docs/09-drivers.md makes.
 *
 * The chip updates its registers once a second, and a read in the middle
 * of an update can mix two seconds.  So we wait until "update in progress"
 * is clear, read every register, and read them again until two reads
 * agree (what Linux's mc146818_get_time does too).  The registers are BCD
 * unless register B says binary, and the hour is 12-hour unless it says
 * 24, with bit 7 marking PM.
 */
#include <stdbool.h>
#include "kernel/drv/cmos.h"

#define REG_SECONDS     0x00
#define REG_MINUTES     0x02
#define REG_HOURS       0x04
#define REG_DAY         0x07
#define REG_MONTH       0x08
#define REG_YEAR        0x09
#define REG_A           0x0a
#define A_UPDATING      0x80
#define B_24_HOUR       0x02
#define B_BINARY        0x04
#define HOUR_PM         0x80
#define CENTURY         2000    /* the chip keeps two digits; QEMU's clock is this century */
#define MAX_TRIES       1000    /* an update takes under 2 ms; never spin forever on a broken chip */
#define SECONDS_PER_DAY 86400

struct raw_time {
    uint8_t second, minute, hour, day, month, year;
};

static void read_raw(cmos_read_fn read, struct raw_time *r)
{
    for (int i = 0; i < MAX_TRIES && (read(REG_A) & A_UPDATING); i++)
        ;
    r->second = read(REG_SECONDS);
    r->minute = read(REG_MINUTES);
    r->hour = read(REG_HOURS);
    r->day = read(REG_DAY);
    r->month = read(REG_MONTH);
    r->year = read(REG_YEAR);
}

/* A register's value as a number: two BCD digits, or binary when register B says so. */
static uint32_t decode(uint8_t v, uint8_t regb)
{
    return regb & B_BINARY ? v : (uint32_t)(v >> 4) * 10 + (v & 0x0f);
}

static int same(const struct raw_time *a, const struct raw_time *b)
{
    return a->second == b->second && a->minute == b->minute && a->hour == b->hour &&
           a->day == b->day && a->month == b->month && a->year == b->year;
}

void cmos_read_time(cmos_read_fn read, struct clock_time *t)
{
    struct raw_time a, b;
    uint8_t regb = read(CMOS_REG_B);

    read_raw(read, &b);
    for (int i = 0; i < MAX_TRIES; i++) {
        a = b;
        read_raw(read, &b);
        if (same(&a, &b))
            break;
    }
    bool pm = b.hour & HOUR_PM;
    t->second = decode(b.second, regb);
    t->minute = decode(b.minute, regb);
    t->hour = decode(b.hour & (uint8_t)~HOUR_PM, regb);
    t->day = decode(b.day, regb);
    t->month = decode(b.month, regb);
    t->year = CENTURY + decode(b.year, regb);
    if (!(regb & B_24_HOUR))
        t->hour = t->hour % 12 + (pm ? 12 : 0);
    t->unix_seconds = (uint64_t)days_since_epoch(t->year, t->month, t->day) * SECONDS_PER_DAY +
                      t->hour * 3600u + t->minute * 60u + t->second;
}

int64_t days_since_epoch(uint32_t year, uint32_t month, uint32_t day)
{
    /* Howard Hinnant's days_from_civil: years start in March, so February is last. */
    int64_t y = (int64_t)year - (month <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * ((int64_t)month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468;
}
