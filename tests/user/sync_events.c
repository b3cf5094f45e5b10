/*
 * sync_events: events as ring 3 sees them (ARCHITECTURE.md section 6, and
 * section 5 for what a satisfied wait does; kernel/sync/event.c): manual
 * reset releases every waiter and stays set; auto reset releases exactly
 * one, then is reset, and a set with nobody waiting satisfies one later
 * wait (an event is not a counter); pulse releases the current waiters
 * (all, or one) and leaves it reset; reset clears it; EVENT_SIGNALED starts
 * it set; unknown flags are E_INVAL; set, reset and pulse need
 * RIGHT_SIGNAL.  Waiters are threads of this process (sync_util.h).
 */
#include "tests/user/sync_util.h"

TEST(event_manual_set_releases_every_waiter_and_stays_set)
{
    struct waiter w[WAITERS];
    handle_t ev = event_create(EVENT_MANUAL_RESET, NULL);

    ASSERT_TRUE(ev > 0);
    ASSERT_EQ(start_waiters(w, WAITERS, ev), 0);
    EXPECT_EQ(event_set(ev), 0);
    EXPECT_EQ(blocked_threads(), 0);
    EXPECT_EQ(until_returned(WAITERS), WAITERS);
    EXPECT_EQ(count_results(w, WAITERS, 0), WAITERS);
    EXPECT_EQ(object_wait(ev, 0), 0);           /* still set, however often it is waited on */
    EXPECT_EQ(object_wait(ev, 0), 0);
    EXPECT_EQ(finish_waiters(w, WAITERS, ev), 0);
}

TEST(event_auto_set_releases_exactly_one_waiter_then_resets)
{
    struct waiter w[WAITERS];
    handle_t ev = event_create(0, NULL);

    ASSERT_TRUE(ev > 0);
    ASSERT_EQ(start_waiters(w, WAITERS, ev), 0);
    EXPECT_EQ(event_set(ev), 0);
    EXPECT_EQ(blocked_threads(), WAITERS - 1);
    EXPECT_EQ(until_returned(1), 1);
    EXPECT_EQ(blocked_threads(), WAITERS - 1);  /* the rest still wait */
    EXPECT_EQ(count_results(w, WAITERS, 0), 1);
    for (int i = 1; i < WAITERS; i++) {         /* one more set per waiter left */
        EXPECT_EQ(event_set(ev), 0);
        EXPECT_EQ_AT("blocked after another set", blocked_threads(), WAITERS - 1 - i);
    }
    EXPECT_EQ(until_returned(WAITERS), WAITERS);
    EXPECT_EQ(count_results(w, WAITERS, 0), WAITERS);
    EXPECT_ERR(object_wait(ev, 0), E_TIMEDOUT); /* each set was used up by its waiter */
    EXPECT_EQ(finish_waiters(w, WAITERS, ev), 0);
}

TEST(event_auto_set_without_waiters_satisfies_one_later_wait)
{
    handle_t ev = event_create(0, NULL);

    ASSERT_TRUE(ev > 0);
    EXPECT_EQ(event_set(ev), 0);
    EXPECT_EQ(event_set(ev), 0);                /* an event is not a counter */
    EXPECT_EQ(object_wait(ev, 0), 0);
    EXPECT_ERR(object_wait(ev, 0), E_TIMEDOUT);
    EXPECT_EQ(handle_close(ev), 0);
}

TEST(event_manual_pulse_releases_all_current_waiters_and_leaves_it_reset)
{
    struct waiter w[WAITERS];
    handle_t ev = event_create(EVENT_MANUAL_RESET, NULL);

    ASSERT_TRUE(ev > 0);
    ASSERT_EQ(start_waiters(w, WAITERS, ev), 0);
    EXPECT_EQ(event_pulse(ev), 0);
    EXPECT_EQ(blocked_threads(), 0);
    EXPECT_ERR(object_wait(ev, 0), E_TIMEDOUT);
    EXPECT_EQ(until_returned(WAITERS), WAITERS);
    EXPECT_EQ(count_results(w, WAITERS, 0), WAITERS);
    EXPECT_ERR(object_wait(ev, 0), E_TIMEDOUT);
    EXPECT_EQ(finish_waiters(w, WAITERS, ev), 0);
}

TEST(event_auto_pulse_releases_one_waiter)
{
    struct waiter w[WAITERS];
    handle_t ev = event_create(0, NULL);

    ASSERT_TRUE(ev > 0);
    ASSERT_EQ(start_waiters(w, WAITERS, ev), 0);
    EXPECT_EQ(event_pulse(ev), 0);
    EXPECT_EQ(blocked_threads(), WAITERS - 1);
    EXPECT_ERR(object_wait(ev, 0), E_TIMEDOUT);
    EXPECT_EQ(until_returned(1), 1);
    EXPECT_EQ(count_results(w, WAITERS, 0), 1);
    for (int i = 1; i < WAITERS; i++)
        EXPECT_EQ(event_set(ev), 0);
    EXPECT_EQ(until_returned(WAITERS), WAITERS);
    EXPECT_EQ(finish_waiters(w, WAITERS, ev), 0);
}

TEST(event_pulse_without_waiters_leaves_it_reset)
{
    handle_t manual = event_create(EVENT_MANUAL_RESET, NULL), automatic = event_create(0, NULL);

    ASSERT_TRUE(manual > 0 && automatic > 0);
    EXPECT_EQ(event_pulse(manual), 0);
    EXPECT_EQ(event_pulse(automatic), 0);
    EXPECT_ERR(object_wait(manual, 0), E_TIMEDOUT);
    EXPECT_ERR(object_wait(automatic, 0), E_TIMEDOUT);
    handle_close(manual);
    handle_close(automatic);
}

TEST(event_reset_clears_a_set_event)
{
    handle_t manual = event_create(EVENT_MANUAL_RESET, NULL), automatic = event_create(0, NULL);

    ASSERT_TRUE(manual > 0 && automatic > 0);
    EXPECT_EQ(event_set(manual), 0);
    EXPECT_EQ(event_set(automatic), 0);
    EXPECT_EQ(event_reset(manual), 0);
    EXPECT_EQ(event_reset(automatic), 0);
    EXPECT_ERR(object_wait(manual, 0), E_TIMEDOUT);
    EXPECT_ERR(object_wait(automatic, 0), E_TIMEDOUT);
    EXPECT_EQ(event_reset(manual), 0);          /* resetting a reset event is harmless */
    EXPECT_ERR(object_wait(manual, 0), E_TIMEDOUT);
    handle_close(manual);
    handle_close(automatic);
}

TEST(event_signaled_flag_starts_it_set)
{
    handle_t manual = event_create(EVENT_MANUAL_RESET | EVENT_SIGNALED, NULL);
    handle_t automatic = event_create(EVENT_SIGNALED, NULL);
    handle_t plain = event_create(0, NULL);

    ASSERT_TRUE(manual > 0 && automatic > 0 && plain > 0);
    EXPECT_EQ(object_wait(manual, 0), 0);
    EXPECT_EQ(object_wait(manual, 0), 0);
    EXPECT_EQ(object_wait(automatic, 0), 0);
    EXPECT_ERR(object_wait(automatic, 0), E_TIMEDOUT);
    EXPECT_ERR(object_wait(plain, 0), E_TIMEDOUT);
    handle_close(manual);
    handle_close(automatic);
    handle_close(plain);
}

TEST(event_unknown_flags_are_invalid)
{
    EXPECT_ERR(event_create(EVENT_SIGNALED << 1, NULL), E_INVAL);
    EXPECT_ERR(event_create(CREATE_OPEN_EXISTING << 1, NULL), E_INVAL);
    EXPECT_ERR(event_create(1UL << 63, NULL), E_INVAL);
}

TEST(event_set_reset_pulse_need_signal_right)
{
    handle_t ev = event_create(EVENT_MANUAL_RESET, NULL);
    handle_t weak = handle_duplicate(ev, 0, RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_WAIT | RIGHT_INFO);

    ASSERT_TRUE(ev > 0);
    ASSERT_TRUE(weak > 0);
    EXPECT_ERR(event_set(weak), E_ACCESS);
    EXPECT_ERR(event_pulse(weak), E_ACCESS);
    EXPECT_ERR(object_wait(ev, 0), E_TIMEDOUT); /* neither changed it */
    EXPECT_EQ(event_set(ev), 0);
    EXPECT_ERR(event_reset(weak), E_ACCESS);
    EXPECT_EQ(object_wait(weak, 0), 0);         /* still set, and the weak handle may wait */
    handle_close(weak);
    handle_close(ev);
}
