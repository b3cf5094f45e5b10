/*
 * drivers_clock: the clock drivers (issue 9, items 3 and 7).  rtcd, started
 * here with the root resource as the supervisor would, serves the CMOS
 * time on CLOCK_PORT_NAME and takes the chip's update interrupt every
 * second (it counts them: CLOCK_INTERRUPTS); date prints it in UTC; a
 * second rtcd cannot take the device; a dead rtcd leaves its IRQ unbound
 * and its clients get a clear error after a bounded wait; the kernel-mode
 * clock is absent unless the boot chose it (the test layer "kclock" boots
 * with it).
 */
#include <service.h>
#include <stdio.h>
#include "tests/user/pipe_util.h"
#include "tests/user/util.h"
#include "kernel/drv/cmos.h"

#define RTCD_PATH       "/bin/rtcd"
#define DATE_PATH       "/bin/date"
#define EXIT_NO_DEVICE  3               /* rtcd's status when the device is not its to have */
#define YEAR_MIN        2024            /* QEMU's clock comes from the host's: no earlier than this */
#define OUT_MAX         256
#define CMOS_IRQ_LINE   8

/* Starts rtcd as svcmgr does: with fresh objects for the clock's ports and line. */
static handle_t spawn_rtcd(void)
{
    const char *argv[] = { RTCD_PATH, NULL };
    handle_t hs[DRIVER_HANDLES] = { 0 };
    handle_t h;

    hs[DRIVER_IOPORT_HANDLE] = ioport_create(startup_resource(), CMOS_INDEX_PORT, CMOS_PORTS);
    hs[DRIVER_IRQ_HANDLE] = interrupt_create(startup_resource(), CMOS_IRQ_LINE);
    for (int i = DRIVER_IOPORT_HANDLE; i < DRIVER_HANDLES; i++)
        hs[i] = hs[i] > 0 ? hs[i] : 0;      /* one we could not make: it gets none */
    h = process_spawn(RTCD_PATH, argv, hs, DRIVER_HANDLES);
    for (int i = DRIVER_IOPORT_HANDLE; i < DRIVER_HANDLES; i++)
        if (hs[i] > 0)
            handle_close(hs[i]);
    return h;
}

/* spawn_rtcd, then waits for it to register its port. */
static handle_t start_rtcd(void)
{
    handle_t h = spawn_rtcd();
    handle_t probe;

    ASSERT_TRUE(h > 0);
    for (int i = 0; i < 500 && (probe = object_open(CLOCK_PORT_NAME, OB_TYPE_PORT)) < 0; i++)
        thread_sleep(10 * NS_PER_MS);   /* until it has registered its name */
    ASSERT_TRUE(probe > 0);
    handle_close(probe);
    return h;
}

static void expect_sane_time(const struct clock_time *t)
{
    EXPECT_TRUE(t->year >= YEAR_MIN && t->year < 2100);
    EXPECT_TRUE(t->month >= 1 && t->month <= 12);
    EXPECT_TRUE(t->day >= 1 && t->day <= 31);
    EXPECT_TRUE(t->hour < 24 && t->minute < 60 && t->second < 60);
    EXPECT_EQ(t->unix_seconds % 60, t->second);
}

TEST(rtcd_serves_the_time)
{
    handle_t rtcd = start_rtcd();
    struct clock_time t, later;

    ASSERT_EQ(clock_read(&t), 0);
    expect_sane_time(&t);
    thread_sleep(1200 * NS_PER_MS);     /* past the next update interrupt */
    ASSERT_EQ(clock_read(&later), 0);
    expect_sane_time(&later);
    EXPECT_TRUE(later.unix_seconds > t.unix_seconds);
    kill_and_reap(rtcd);
}

/* How many update interrupts the running rtcd has served (its CLOCK_INTERRUPTS answer). */
static long interrupts_served(uint64_t *count)
{
    struct svc_conn c = { CLOCK_PORT_NAME, 0 };
    long err = svc_call(&c, CLOCK_INTERRUPTS, NULL, 0, 0, count, sizeof *count);

    if (c.port > 0)
        handle_close(c.port);
    return err;
}

TEST(rtcd_takes_an_update_interrupt_every_second)
{
    handle_t rtcd = start_rtcd();
    uint64_t first = 0, later = 0;

    ASSERT_EQ(interrupts_served(&first), 0);
    thread_sleep(2500 * NS_PER_MS);     /* two or three of the chip's updates */
    ASSERT_EQ(interrupts_served(&later), 0);
    EXPECT_TRUE(later >= first + 2);    /* each acknowledged at the chip and at the line... */
    EXPECT_TRUE(later <= first + 3);    /* ...and counted once: not a wait that returns at once */
    kill_and_reap(rtcd);
}

/* Whether |s| has the shape of |pattern|: 9 a digit, A an upper-case letter, a a lower-case one. */
static int like(const char *s, const char *pattern)
{
    for (; *pattern; s++, pattern++) {
        int ok = *pattern == '9' ? *s >= '0' && *s <= '9' :
                 *pattern == 'A' ? *s >= 'A' && *s <= 'Z' :
                 *pattern == 'a' ? *s >= 'a' && *s <= 'z' : *s == *pattern;
        if (!ok)
            return 0;
    }
    return *s == '\0';
}

TEST(date_prints_the_time_in_utc)
{
    const char *argv[] = { DATE_PATH, NULL };
    handle_t rtcd = start_rtcd();
    struct process_status st;
    char out[OUT_MAX];

    ASSERT_EQ(run_with_pipes(DATE_PATH, argv, "", out, sizeof out, &st), 0);
    EXPECT_EQ(st.exit_code, 0);
    EXPECT_TRUE(like(out, "Aaa 9999-99-99 99:99:99 UTC\n"));
    EXPECT_TRUE(atoi(out + 4) >= YEAR_MIN);
    kill_and_reap(rtcd);
}

TEST(a_second_rtcd_cannot_take_the_device)
{
    handle_t rtcd = start_rtcd();
    handle_t second = spawn_rtcd();             /* IRQ 8 is bound: it gets no interrupt */
    struct process_status st;

    ASSERT_TRUE(second > 0);
    ASSERT_EQ(reap(second, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, EXIT_NO_DEVICE);
    kill_and_reap(rtcd);
}

TEST(rtcd_without_its_objects_exits)
{
    const char *argv[] = { RTCD_PATH, NULL };
    handle_t h = process_spawn(RTCD_PATH, argv, NULL, 0);
    struct process_status st;

    ASSERT_TRUE(h > 0);
    ASSERT_EQ(reap(h, &st), 0);
    EXPECT_EQ(st.exit_code, EXIT_NO_DEVICE);
}

TEST(a_dead_rtcd_leaves_its_line_free)
{
    handle_t rtcd = start_rtcd();
    handle_t irq;

    EXPECT_ERR(interrupt_create(startup_resource(), CMOS_IRQ_LINE), E_BUSY);
    kill_and_reap(rtcd);
    ASSERT_TRUE((irq = interrupt_create(startup_resource(), CMOS_IRQ_LINE)) > 0);
    handle_close(irq);
    EXPECT_EQ(object_open(CLOCK_PORT_NAME, OB_TYPE_PORT), E_NOTFOUND);
}

TEST(without_a_driver_a_client_gets_a_clear_error)
{
    struct clock_time t;

    EXPECT_ERR(clock_read(&t), E_NOTFOUND);     /* after SVC_RECONNECT_NS */
}

TEST(the_kernel_clock_is_off_by_default)
{
    struct clock_time t;
    handle_t narrow = resource_create(startup_resource(), RESOURCE_IRQ, CMOS_IRQ_LINE, 1);

    EXPECT_ERR(kclock_read(&t), E_NOTFOUND);
    EXPECT_ERR(kclock_crash(startup_resource()), E_NOTFOUND);
    EXPECT_ERR(kclock_crash(narrow), E_ACCESS);     /* fault injection needs the root itself */
    EXPECT_ERR(kclock_crash(0), E_BADHANDLE);
    handle_close(narrow);
}
