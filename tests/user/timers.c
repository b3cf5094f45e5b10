/*
 * timers: the waitable timer object (issue 14, item 4; kernel/sync/timer.c,
 * docs/13-timers-and-queries.md): one-shot and periodic, auto reset (one
 * waiter, then reset) and manual reset (stays signaled until set again),
 * due 0 signals at once, cancel disarms and keeps the signaled state; a
 * timer waits beside a port in object_wait_many ("this port or 50 ms");
 * closing the handle a thread waits through cancels that wait, and a timer
 * whose last handle goes stops firing, also when a process dies while its
 * timer is periodic (the leak check and the ticks after prove nothing
 * fires into freed memory); /bin/sleep is built on it.  Bad input: negative
 * times, unknown flags, another type, no RIGHT_SIGNAL.
 */
#include "tests/user/port_util.h"

#define SHORT_NS            (20 * NS_PER_MS)
#define PERIOD_NS           (10 * NS_PER_MS)
#define PERIODS             3
#define MANY_TIMERS         32
#define PORT_NAME           "/obj/test.timers.port"
#define TIMER_RIGHTS        (RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_WAIT | RIGHT_SIGNAL | RIGHT_INFO)

/* "--periodic": a periodic timer, waited on forever, until the process is killed. */
static int helper_periodic(int argc, char **argv)
{
    (void)argc, (void)argv;
    handle_t t = timer_create(0, NULL);

    if (t < 0 || timer_set(t, PERIOD_NS, PERIOD_NS) < 0)
        return 1;
    for (;;)
        object_wait(t, TIMEOUT_INFINITE);
    return 0;
}

static const struct helper_mode helpers[] = {
    { "--periodic", helper_periodic },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

static struct timer_query_info info_of(handle_t t)
{
    struct timer_query_info info;

    memset(&info, 0, sizeof info);
    EXPECT_EQ(object_query(t, OBJECT_INFO_TIMER, &info, sizeof info, NULL), sizeof info);
    return info;
}

TEST(one_shot_auto_reset_releases_one_wait_then_resets)
{
    handle_t t = timer_create(0, NULL);

    ASSERT_TRUE(t > 0);
    EXPECT_ERR(object_wait(t, 0), E_TIMEDOUT);          /* created unarmed */
    EXPECT_EQ(timer_set(t, SHORT_NS, 0), 0);
    EXPECT_EQ(info_of(t).armed, 1);
    EXPECT_EQ(object_wait(t, CHILD_TIMEOUT_NS), 0);
    EXPECT_ERR(object_wait(t, 0), E_TIMEDOUT);          /* taken by that wait */
    struct timer_query_info i = info_of(t);
    EXPECT_EQ(i.armed, 0);                              /* one-shot: done */
    EXPECT_EQ(i.signaled, 0);
    EXPECT_EQ(i.manual_reset, 0);
    EXPECT_EQ(handle_close(t), 0);
}

TEST(manual_reset_stays_signaled_until_set_again)
{
    handle_t t = timer_create(TIMER_MANUAL_RESET, NULL);

    ASSERT_TRUE(t > 0);
    EXPECT_EQ(timer_set(t, 0, 0), 0);                   /* due at once */
    EXPECT_EQ(object_wait(t, 0), 0);
    EXPECT_EQ(object_wait(t, 0), 0);
    EXPECT_EQ(info_of(t).manual_reset, 1);
    EXPECT_EQ(timer_set(t, CHILD_TIMEOUT_NS, 0), 0);    /* setting it again resets it */
    EXPECT_ERR(object_wait(t, 0), E_TIMEDOUT);
    EXPECT_TRUE(info_of(t).due_in_ns > 0);
    EXPECT_EQ(timer_cancel(t), 1);
    EXPECT_EQ(timer_cancel(t), 0);                      /* no longer armed */
    EXPECT_EQ(handle_close(t), 0);
}

TEST(cancel_keeps_the_signaled_state)
{
    handle_t t = timer_create(TIMER_MANUAL_RESET, NULL);

    ASSERT_TRUE(t > 0);
    EXPECT_EQ(timer_set(t, 0, PERIOD_NS), 0);           /* signaled now, and periodic */
    EXPECT_EQ(timer_cancel(t), 1);
    EXPECT_EQ(object_wait(t, 0), 0);                    /* still signaled */
    EXPECT_EQ(info_of(t).armed, 0);
    EXPECT_EQ(handle_close(t), 0);
}

TEST(periodic_fires_every_period_until_canceled)
{
    handle_t t = timer_create(0, NULL);

    ASSERT_TRUE(t > 0);
    EXPECT_EQ(timer_set(t, PERIOD_NS, PERIOD_NS), 0);
    for (int i = 0; i < PERIODS; i++)
        EXPECT_EQ_AT("a period's wait", object_wait(t, CHILD_TIMEOUT_NS), 0);
    struct timer_query_info i = info_of(t);
    EXPECT_EQ(i.armed, 1);
    EXPECT_TRUE(i.period_ns >= PERIOD_NS);
    EXPECT_EQ(timer_cancel(t), 1);
    object_wait(t, 0);                                  /* a firing before the cancel, if any */
    EXPECT_ERR(object_wait(t, 3 * PERIOD_NS), E_TIMEDOUT);  /* none after it */
    EXPECT_EQ(handle_close(t), 0);
}

TEST(wait_for_a_port_or_a_timer)
{
    handle_t s, client, end;
    handle_t t = timer_create(0, NULL);
    long index = -1;

    ASSERT_TRUE(t > 0);
    open_connection(PORT_NAME, &s, &client, &end);
    handle_t both[] = { s, t };
    EXPECT_EQ(timer_set(t, SHORT_NS, 0), 0);
    EXPECT_EQ(object_wait_many(both, 2, 0, CHILD_TIMEOUT_NS, &index), 1);   /* nothing came: time */
    EXPECT_EQ(timer_set(t, CHILD_TIMEOUT_NS, 0), 0);
    struct port_message d = outgoing("now", 4, NULL, 0);
    ASSERT_EQ(port_send(client, &d), 0);
    EXPECT_EQ(object_wait_many(both, 2, 0, CHILD_TIMEOUT_NS, &index), 0);   /* the port first */
    EXPECT_EQ(timer_cancel(t), 1);
    EXPECT_EQ(handle_close(t), 0);
    close_connection(s, client, end);
}

/* A thread's wait on a timer, and what it returned. */
struct timed_wait {
    handle_t timer;
    volatile long result;
};

static void wait_on_timer(void *arg)
{
    struct timed_wait *w = arg;

    w->result = object_wait(w->timer, TIMEOUT_INFINITE);
}

TEST(closing_the_handle_a_thread_waits_through_cancels_its_wait)
{
    struct timed_wait w = { timer_create(0, NULL), NOT_YET };

    ASSERT_TRUE(w.timer > 0);
    EXPECT_EQ(timer_set(w.timer, CHILD_TIMEOUT_NS, PERIOD_NS), 0);
    handle_t waiter = thread_start(wait_on_timer, &w, THREAD_STACK);
    ASSERT_TRUE(waiter > 0);
    ASSERT_TRUE(settle_blocked(1));
    EXPECT_EQ(handle_close(w.timer), 0);                /* armed, waited on, and closed */
    EXPECT_EQ(object_wait(waiter, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(w.result, E_CANCELED);
    EXPECT_EQ(handle_close(waiter), 0);
}

TEST(a_waiter_through_another_handle_still_gets_the_firing)
{
    handle_t t = timer_create(0, NULL);

    ASSERT_TRUE(t > 0);
    handle_t other = handle_duplicate(t, 0, RIGHT_SAME);
    ASSERT_TRUE(other > 0);
    EXPECT_EQ(timer_set(t, SHORT_NS, 0), 0);
    EXPECT_EQ(handle_close(t), 0);                      /* not the last handle: still armed */
    EXPECT_EQ(object_wait(other, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(handle_close(other), 0);
}

TEST(timers_closed_armed_never_fire_into_freed_memory)
{
    struct system_stats before, after;
    handle_t ts[MANY_TIMERS];

    system_stats(&before, sizeof before);
    for (int i = 0; i < MANY_TIMERS; i++) {
        ts[i] = timer_create(i % 2 ? TIMER_MANUAL_RESET : 0, NULL);
        ASSERT_TRUE(ts[i] > 0);
        EXPECT_EQ(timer_set(ts[i], (i % 4 + 1) * PERIOD_NS, i % 3 ? PERIOD_NS : 0), 0);
    }
    for (int i = 0; i < MANY_TIMERS; i++)
        EXPECT_EQ(handle_close(ts[i]), 0);
    system_stats(&after, sizeof after);
    EXPECT_EQ(stats_live(&after, "Timr"), stats_live(&before, "Timr"));
    EXPECT_EQ(thread_sleep(6 * PERIOD_NS), 0);          /* their due ticks pass: nothing fires */
}

TEST(a_process_killed_while_its_timer_is_periodic)
{
    struct system_stats before, after;

    system_stats(&before, sizeof before);
    struct process_query_info p;
    handle_t child = spawn_self("--periodic", NULL);
    ASSERT_TRUE(child > 0);
    ASSERT_EQ(object_query(child, OBJECT_INFO_PROCESS, &p, sizeof p, NULL), sizeof p);
    ASSERT_TRUE(settle_blocked_of(p.pid, 1));
    EXPECT_EQ(thread_sleep(3 * PERIOD_NS), 0);          /* a few firings */
    kill_and_reap(child);
    system_stats(&after, sizeof after);
    EXPECT_EQ(stats_live(&after, "Timr"), stats_live(&before, "Timr"));
    EXPECT_EQ(thread_sleep(3 * PERIOD_NS), 0);          /* its periods pass: nothing fires */
}

TEST(sleep_waits_on_a_timer)
{
    const char *argv[] = { "/bin/sleep", "30ms", NULL };
    const char *bad[] = { "/bin/sleep", "soon", NULL };
    struct process_status st;

    EXPECT_EQ(run_child("/bin/sleep", argv, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, 0);
    EXPECT_EQ(run_child("/bin/sleep", bad, &st), 0);
    EXPECT_EQ(st.exit_code, 2);                         /* usage */
}

TEST(bad_input_is_refused_and_changes_nothing)
{
    handle_t t = timer_create(0, NULL);
    handle_t ev = event_create(0, NULL);

    ASSERT_TRUE(t > 0 && ev > 0);
    handle_t wait_only = handle_duplicate(t, 0, RIGHT_WAIT);
    ASSERT_TRUE(wait_only > 0);
    EXPECT_ERR(timer_create(0x2, NULL), E_INVAL);
    EXPECT_ERR(timer_set(t, -1, 0), E_INVAL);
    EXPECT_ERR(timer_set(t, 0, -1), E_INVAL);
    EXPECT_ERR(timer_set(ev, 0, 0), E_WRONGTYPE);
    EXPECT_ERR(timer_cancel(ev), E_WRONGTYPE);
    EXPECT_ERR(timer_set(wait_only, 0, 0), E_ACCESS);
    EXPECT_ERR(timer_cancel(wait_only), E_ACCESS);
    EXPECT_ERR(timer_set(0, 0, 0), E_BADHANDLE);
    EXPECT_ERR(object_wait(t, 0), E_TIMEDOUT);          /* none of these armed it */
    EXPECT_EQ(rights_of(t), TIMER_RIGHTS);
    EXPECT_EQ(handle_close(wait_only), 0);
    EXPECT_EQ(handle_close(ev), 0);
    EXPECT_EQ(handle_close(t), 0);
}
