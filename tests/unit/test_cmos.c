/*
 * test_cmos: the CMOS clock logic both clock drivers share
 * (kernel/drv/cmos.c).  Contract: BCD and binary registers decode alike;
 * a 12-hour clock's PM bit adds 12 (and 12 AM is 0); a read that straddles
 * the once-a-second update is read again until two agree; unix_seconds
 * matches known dates (the epoch, a leap day, this century).
 */
#include "kernel/drv/cmos.h"
#include "tests/unit/check.h"

#define REG_A_UPDATING  0x80
#define REG_B_24H       0x02
#define REG_B_BINARY    0x04

static uint8_t regs[2][16];     /* what the chip answers: before and after an update */
static int reads_until_update;  /* registers read before the chip switches to regs[1] */
static int reads;

static uint8_t fake_read(uint8_t reg)
{
    int after = reads_until_update >= 0 && reads++ >= reads_until_update;

    return regs[after][reg & 0x0f];
}

/* Sets both register sets to |second|..|year| (already encoded). */
static void set_time(int which, uint8_t sec, uint8_t min, uint8_t hour, uint8_t day, uint8_t mon,
                     uint8_t year, uint8_t regb)
{
    uint8_t *r = regs[which];

    r[0] = sec, r[2] = min, r[4] = hour, r[7] = day, r[8] = mon, r[9] = year;
    r[0x0a] = 0, r[0x0b] = regb;
}

static void reset(void)
{
    memset(regs, 0, sizeof regs);
    reads_until_update = -1;
    reads = 0;
}

static void decodes_bcd_24_hour(void)
{
    struct clock_time t;

    reset();
    set_time(0, 0x07, 0x41, 0x23, 0x03, 0x12, 0x26, REG_B_24H);
    cmos_read_time(fake_read, &t);
    CHECK_EQ(t.year, 2026u);
    CHECK_EQ(t.month, 12u);
    CHECK_EQ(t.day, 3u);
    CHECK_EQ(t.hour, 23u);
    CHECK_EQ(t.minute, 41u);
    CHECK_EQ(t.second, 7u);
    CHECK_EQ(t.unix_seconds, 1796341267ull);   /* date -u -d '2026-12-03 23:41:07' +%s */
}

static void decodes_binary_12_hour(void)
{
    struct clock_time t;

    reset();
    set_time(0, 59, 0, 0x80 | 1, 29, 2, 24, REG_B_BINARY);     /* 1 PM */
    cmos_read_time(fake_read, &t);
    CHECK_EQ(t.hour, 13u);
    CHECK_EQ(t.unix_seconds, 1709211659ull);   /* 2024-02-29 13:00:59 */
    set_time(0, 0, 0, 12, 1, 1, 0, REG_B_BINARY);             /* 12 AM is midnight */
    cmos_read_time(fake_read, &t);
    CHECK_EQ(t.hour, 0u);
    CHECK_EQ(t.unix_seconds, 946684800ull);    /* 2000-01-01 00:00:00 */
}

static void reads_again_across_an_update(void)
{
    struct clock_time t;

    reset();
    set_time(0, 0x59, 0x59, 0x23, 0x31, 0x12, 0x25, REG_B_24H);
    set_time(1, 0x00, 0x00, 0x00, 0x01, 0x01, 0x26, REG_B_24H);
    reads_until_update = 4;     /* the first read mixes both years' registers */
    cmos_read_time(fake_read, &t);
    CHECK_EQ(t.year, 2026u);
    CHECK_EQ(t.month, 1u);
    CHECK_EQ(t.day, 1u);
    CHECK_EQ(t.hour, 0u);
}

static void counts_days_from_the_epoch(void)
{
    CHECK_EQ(days_since_epoch(1970, 1, 1), 0);
    CHECK_EQ(days_since_epoch(1970, 3, 1), 59);
    CHECK_EQ(days_since_epoch(2000, 3, 1), 11017);
    CHECK_EQ(days_since_epoch(2100, 3, 1), 47541);     /* 2100 is no leap year */
}

int main(void)
{
    RUN(decodes_bcd_24_hour);
    RUN(decodes_binary_12_hour);
    RUN(reads_again_across_an_update);
    RUN(counts_days_from_the_epoch);
    return check_status();
}
