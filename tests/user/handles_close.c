/*
 * handles_close: closing many handles at once, replacing a handle with one
 * of fewer rights, and the attribute that protects a handle from close
 * (issue 14; kernel/ob/handle.c, kernel/syscall/sys_handle.c):
 *
 *   - handle_close_many closes every handle given, 0s skipped, all or none:
 *     a bad value, a value given twice or a protected handle anywhere in the
 *     array fails the call and closes nothing; more than
 *     HANDLE_CLOSE_MANY_MAX, or an array it cannot read, likewise; waits
 *     through a closed handle end with E_CANCELED, last-handle hooks run;
 *   - handle_replace gives a new value with the rights asked (a subset, or
 *     RIGHT_SAME) for the same object, whose handle count never drops; the
 *     source is consumed even when the rights asked are more than it has,
 *     but kept when its value is bad, the rights are malformed, or it is
 *     protected; it needs no free slot, so it works in a full table;
 *   - HANDLE_PROTECT_CLOSE makes handle_close, handle_close_many,
 *     handle_replace and sending in a message refuse with E_ACCESS; the
 *     handle works as before, a duplicate is not protected, clearing the bit
 *     makes it closable, and a process that ends with a protected handle
 *     leaks nothing.
 */
#include "tests/user/port_util.h"
#include "tests/user/util.h"

#define HANDLE_QUOTA        4096        /* kernel/ob/handle.h */
#define NAME                "/obj/test.handles.close"
#define PORT_NAME           "/obj/test.handles.close.port"
#define MANY                8

int main(int argc, char **argv)
{
    return suite_main(argc, argv, NULL, 0);
}

static handle_t new_event(void)
{
    return event_create(EVENT_MANUAL_RESET, NULL);
}

/* Whether every one of the |n| handles |hs| is still open (0s excepted). */
static int all_open(const handle_t *hs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (hs[i] && rights_of(hs[i]) < 0)
            return 0;
    return 1;
}

static void close_all(const handle_t *hs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (hs[i])
            handle_close(hs[i]);
}

/* A thread that waits on the event it is given, forever; its result is the wait's. */
struct waiter {
    handle_t event, thread;
    volatile long result;
};

static void wait_on(void *arg)
{
    struct waiter *w = arg;

    w->result = object_wait(w->event, TIMEOUT_INFINITE);
}

static void start_waiter(struct waiter *w, handle_t event)
{
    w->event = event;
    w->result = 1;
    ASSERT_TRUE((w->thread = thread_start(wait_on, w, PAGE_SIZE)) > 0);
    ASSERT_TRUE(settle_blocked(1));
}

/* ---- handle_close_many ------------------------------------------------------------ */

TEST(close_many_closes_every_handle_and_skips_zeros)
{
    handle_t hs[MANY];
    long held = handles_held();

    for (int i = 0; i < MANY; i++)
        ASSERT_TRUE((hs[i] = i == 3 ? 0 : new_event()) >= 0);
    EXPECT_EQ(handle_close_many(hs, MANY), 0);
    EXPECT_EQ(handles_held(), held);
    for (int i = 0; i < MANY; i++)
        if (hs[i])
            EXPECT_ERR(handle_close(hs[i]), E_BADHANDLE);
    EXPECT_EQ(handle_close_many(hs, 0), 0);
    EXPECT_EQ(handle_close_many(NULL, 0), 0);       /* nothing to read */
}

TEST(close_many_is_all_or_none)
{
    handle_t hs[MANY], closed = new_event();
    long held;

    ASSERT_TRUE(closed > 0);
    handle_close(closed);
    for (int i = 0; i < MANY; i++)
        ASSERT_TRUE((hs[i] = new_event()) > 0);
    held = handles_held();
    handle_t keep = hs[5];
    const struct { handle_t value; long want; const char *what; } bad[] = {
        { closed, E_BADHANDLE, "a closed handle" },
        { -1, E_BADHANDLE, "-1" },
        { 0x0123456789abcdefL, E_BADHANDLE, "a random value" },
        { hs[1], E_INVAL, "a value given twice" },
    };
    for (size_t b = 0; b < ARRAY_LEN(bad); b++) {
        hs[5] = bad[b].value;
        EXPECT_EQ_AT(bad[b].what, handle_close_many(hs, MANY), bad[b].want);
        hs[5] = keep;
        EXPECT_TRUE_AT(bad[b].what, all_open(hs, MANY));
        EXPECT_EQ_AT(bad[b].what, handles_held(), held);
    }
    EXPECT_ERR(handle_close_many(hs, HANDLE_CLOSE_MANY_MAX + 1), E_INVAL);
    EXPECT_ERR(handle_close_many(NULL, 1), E_FAULT);
    EXPECT_ERR(handle_close_many((handle_t *)KERNEL_HEAP_ADDR, 1), E_FAULT);
    handle_t *edge = (handle_t *)((char *)unmapped_page() - sizeof(handle_t));
    EXPECT_ERR(handle_close_many(edge, 2), E_FAULT);   /* the second runs off the page */
    EXPECT_TRUE(all_open(hs, MANY));
    close_all(hs, MANY);
}

TEST(close_many_cancels_waits_and_runs_last_handle_hooks)
{
    handle_t ends[PIPE_ENDS], ev = new_event();
    struct waiter w;
    char c;

    ASSERT_TRUE(ev > 0);
    ASSERT_EQ(pipe_create(ends), 0);
    start_waiter(&w, ev);
    handle_t hs[] = { ev, ends[PIPE_WRITE_END] };
    EXPECT_EQ(handle_close_many(hs, ARRAY_LEN(hs)), 0);
    EXPECT_EQ(object_wait(w.thread, SETTLE_NS), 0);
    EXPECT_EQ(w.result, E_CANCELED);
    EXPECT_EQ(pipe_read(ends[PIPE_READ_END], &c, 1), 0);   /* the last writer is gone: end of file */
    handle_close(w.thread);
    handle_close(ends[PIPE_READ_END]);
}

/* ---- handle_replace ------------------------------------------------------------------ */

TEST(replace_gives_fewer_rights_to_the_same_object)
{
    handle_t ev = event_create(0, NAME), r, same;
    struct handle_info a, b;
    long held = handles_held();

    ASSERT_TRUE(ev > 0 && handle_info_of(ev, &a));
    ASSERT_TRUE((r = handle_replace(ev, RIGHT_WAIT | RIGHT_INFO)) > 0);
    EXPECT_NE(r, ev);
    EXPECT_ERR(handle_close(ev), E_BADHANDLE);
    ASSERT_TRUE(handle_info_of(r, &b));
    EXPECT_EQ(b.object_id, a.object_id);
    EXPECT_EQ(b.rights, RIGHT_WAIT | RIGHT_INFO);
    EXPECT_STR(b.name, NAME);                       /* the object never lost its last handle */
    EXPECT_EQ(handles_held(), held);
    EXPECT_ERR(event_set(r), E_ACCESS);
    ASSERT_TRUE((same = handle_replace(r, RIGHT_SAME)) > 0);
    EXPECT_NE(same, r);
    EXPECT_EQ(rights_of(same), RIGHT_WAIT | RIGHT_INFO);
    EXPECT_ERR(handle_replace(same, 0x1UL << 40), E_INVAL);     /* malformed: kept */
    EXPECT_ERR(handle_replace(same, RIGHT_SAME | 0x400), E_INVAL);
    EXPECT_EQ(rights_of(same), RIGHT_WAIT | RIGHT_INFO);
    handle_close(same);
}

TEST(replace_asking_for_more_consumes_the_source)
{
    handle_t ev = event_create(0, NAME), weak;

    ASSERT_TRUE(ev > 0);
    ASSERT_TRUE((weak = handle_duplicate(ev, 0, RIGHT_WAIT)) > 0);
    EXPECT_ERR(handle_replace(weak, RIGHT_WAIT | RIGHT_SIGNAL), E_ACCESS);
    EXPECT_ERR(handle_close(weak), E_BADHANDLE);    /* gone even so, as in Zircon */
    EXPECT_ERR(handle_replace(ev, RIGHTS_ALL), E_ACCESS);
    EXPECT_ERR(object_open(NAME, OB_TYPE_ANY), E_NOTFOUND);     /* it was the last handle */
}

TEST(replace_rejects_bad_handles_and_cancels_waits_through_the_old_one)
{
    handle_t ev = new_event(), closed = new_event(), r;
    struct waiter w;

    ASSERT_TRUE(ev > 0 && closed > 0);
    handle_close(closed);
    EXPECT_ERR(handle_replace(0, RIGHT_SAME), E_BADHANDLE);
    EXPECT_ERR(handle_replace(closed, RIGHT_SAME), E_BADHANDLE);
    EXPECT_ERR(handle_replace(-1, RIGHT_SAME), E_BADHANDLE);
    start_waiter(&w, ev);
    ASSERT_TRUE((r = handle_replace(ev, RIGHT_SAME)) > 0);
    EXPECT_EQ(object_wait(w.thread, SETTLE_NS), 0);
    EXPECT_EQ(w.result, E_CANCELED);
    handle_close(w.thread);
    handle_close(r);
}

TEST(replace_works_in_a_full_table)
{
    static handle_t hs[HANDLE_QUOTA];
    handle_t ev = new_event(), r;
    int n = 0;

    ASSERT_TRUE(ev > 0);
    while (n < HANDLE_QUOTA && (hs[n] = handle_duplicate(ev, 0, RIGHT_SAME)) > 0)
        n++;
    ASSERT_TRUE(n < HANDLE_QUOTA);
    EXPECT_ERR(hs[n], E_LIMIT);                     /* the table is full */
    ASSERT_TRUE((r = handle_replace(ev, RIGHT_WAIT)) > 0);
    EXPECT_EQ(rights_of(r), RIGHT_WAIT);
    EXPECT_ERR(handle_duplicate(hs[0], 0, RIGHT_SAME), E_LIMIT);
    for (int i = 0; i < n; i += HANDLE_CLOSE_MANY_MAX)
        ASSERT_EQ(handle_close_many(hs + i, n - i < HANDLE_CLOSE_MANY_MAX ? n - i
                                                                           : HANDLE_CLOSE_MANY_MAX), 0);
    handle_close(r);
}

/* ---- protected from close -------------------------------------------------------------- */

TEST(protected_handle_refuses_every_close)
{
    handle_t ev = new_event(), dup, other = new_event();

    ASSERT_TRUE(ev > 0 && other > 0);
    EXPECT_EQ(handle_attributes(ev, 0, 0), 0);
    EXPECT_EQ(handle_attributes(ev, HANDLE_PROTECT_CLOSE, 0), 0);
    EXPECT_EQ(handle_attributes(ev, 0, 0), HANDLE_PROTECT_CLOSE);
    EXPECT_ERR(handle_close(ev), E_ACCESS);
    handle_t hs[] = { other, ev };
    EXPECT_ERR(handle_close_many(hs, 2), E_ACCESS);
    EXPECT_TRUE(rights_of(other) > 0);              /* all or none */
    EXPECT_ERR(handle_replace(ev, RIGHT_WAIT), E_ACCESS);
    EXPECT_EQ(rights_of(ev), EVENT_RIGHTS);         /* kept, whole */
    EXPECT_EQ(event_set(ev), 0);                    /* and it works as before */
    EXPECT_EQ(object_wait(ev, 0), 0);
    ASSERT_TRUE((dup = handle_duplicate(ev, 0, RIGHT_SAME)) > 0);
    EXPECT_EQ(handle_attributes(dup, 0, 0), 0);     /* a duplicate is not protected */
    EXPECT_EQ(handle_close(dup), 0);
    EXPECT_EQ(handle_attributes(ev, 0, HANDLE_PROTECT_CLOSE), HANDLE_PROTECT_CLOSE);
    EXPECT_EQ(handle_close(ev), 0);
    handle_close(other);
}

TEST(attributes_reject_bad_input)
{
    handle_t ev = new_event(), closed = new_event();

    ASSERT_TRUE(ev > 0 && closed > 0);
    handle_close(closed);
    EXPECT_ERR(handle_attributes(ev, 0x2, 0), E_INVAL);
    EXPECT_ERR(handle_attributes(ev, 0, 1UL << 63), E_INVAL);
    EXPECT_ERR(handle_attributes(ev, 0x8000, 0), E_INVAL);  /* the kernel's own mark */
    EXPECT_EQ(handle_attributes(ev, 0, 0), 0);      /* nothing changed */
    EXPECT_ERR(handle_attributes(0, 0, 0), E_BADHANDLE);
    EXPECT_ERR(handle_attributes(closed, HANDLE_PROTECT_CLOSE, 0), E_BADHANDLE);
    handle_close(ev);
}

TEST(protected_handle_cannot_leave_in_a_message)
{
    handle_t server, client, end, ev = new_event();
    struct port_message m;

    ASSERT_TRUE(ev > 0);
    open_connection(PORT_NAME, &server, &client, &end);
    EXPECT_EQ(handle_attributes(ev, HANDLE_PROTECT_CLOSE, 0), 0);
    m = outgoing("x", 1, &ev, 1);
    EXPECT_ERR(port_send(client, &m), E_ACCESS);    /* moving it would close it */
    EXPECT_EQ(rights_of(ev), EVENT_RIGHTS);
    EXPECT_EQ(handle_attributes(ev, 0, HANDLE_PROTECT_CLOSE), HANDLE_PROTECT_CLOSE);
    close_connection(server, client, end);
    handle_close(ev);
}

/* The process ends holding it: teardown closes it anyway (the runner's leak check sees to it). */
TEST(protected_handle_goes_with_its_process)
{
    handle_t ev = event_create(0, NAME);

    ASSERT_TRUE(ev > 0);
    EXPECT_EQ(handle_attributes(ev, HANDLE_PROTECT_CLOSE, 0), 0);
}
