/*
 * teardown: the end of a process gives back everything it held, whether it
 * exits or is killed (ARCHITECTURE.md section 4, the teardown order;
 * TESTING.md, "Leak check"):
 *
 *   - 100 processes that each hold 1,000 handles (files, events, duplicates,
 *     semaphores, mutexes they own) exit; then 100 more are killed, each
 *     with a second thread blocked in a wait: the kernel's live objects and
 *     bytes per tag and its free frames are the same before and after;
 *   - handles a process holds to itself and to its own threads do not keep
 *     it alive.
 *
 * The counts are compared inside each case, after a first batch of the same
 * work has warmed up what the kernel keeps for reuse (kernel-stack page
 * tables, cached slabs); the runner's own leak check then covers the case.
 */
#include <stdio.h>
#include "tests/user/util.h"

#define HOLDERS             100     /* processes per case */
#define BATCH               10      /* of them alive at once */
#define HANDLES_EACH        1000
#define HANDLE_KINDS        5       /* file, event, duplicate, semaphore, owned mutex */
#define SELF_HOLDERS        10
#define READY_NAME          "/obj/test.teardown.ready"

static struct system_stats before, after;   /* static: taking them allocates nothing */

/* ---- helper modes ------------------------------------------------------------ */

/* Opens HANDLES_EACH handles of every kind; 0, or the line of the call that failed. */
static int open_many(handle_t *event)
{
    handle_t ev = *event = event_create(0, NULL);

    for (int i = 0; i < HANDLES_EACH / HANDLE_KINDS; i++)
        if (ev <= 0 || file_open(self_path()) <= 0 || event_create(0, NULL) <= 0 ||
            handle_duplicate(ev, 0, RIGHT_SAME) <= 0 || semaphore_create(0, 1, 0, NULL) <= 0 ||
            mutex_create(MUTEX_OWNED, NULL) <= 0)
            return __LINE__;
    return handles_held() > HANDLES_EACH ? 0 : __LINE__;
}

/* "--hold-and-exit": opens HANDLES_EACH handles and exits holding them. */
static int helper_hold_and_exit(int argc, char **argv)
{
    handle_t ev;

    (void)argc, (void)argv;
    return open_many(&ev);
}

/*
 * "--hold-and-sleep": opens HANDLES_EACH handles, starts a thread waiting
 * for an event that is never set, releases the semaphore READY_NAME and
 * sleeps until killed.
 */
static int helper_hold_and_sleep(int argc, char **argv)
{
    handle_t ev, ready;
    int line = open_many(&ev);

    (void)argc, (void)argv;
    if (line)
        return line;
    if (thread_start(wait_forever, &ev, PAGE_SIZE) <= 0)
        return __LINE__;
    if ((ready = object_open(READY_NAME, OB_TYPE_SEMAPHORE)) <= 0 || semaphore_release(ready, 1) < 0)
        return __LINE__;
    return helper_sleep(0, NULL);
}

/* "--hold-self": holds handles to itself and to its own threads, then exits. */
static int helper_hold_self(int argc, char **argv)
{
    handle_t ev = event_create(0, NULL), self = process_open(process_self_id());

    (void)argc, (void)argv;
    if (ev <= 0 || self <= 0 || handle_duplicate(self, self, RIGHT_SAME) <= 0)
        return __LINE__;
    if (thread_start(wait_forever, &ev, PAGE_SIZE) <= 0)     /* still waiting when we exit */
        return __LINE__;
    return 0;
}

static const struct helper_mode helpers[] = {
    { "--hold-and-exit", helper_hold_and_exit },
    { "--hold-and-sleep", helper_hold_and_sleep },
    { "--hold-self", helper_hold_self },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* ---- the parent side ------------------------------------------------------------ */

/* One EXPECT per tag whose live count or bytes differ, and one for the free frames. */
static void expect_same_counts(const struct system_stats *was, const struct system_stats *now)
{
    char desc[48];

    for (uint64_t i = 0; i < now->ntags; i++) {
        const struct stats_tag *t = &now->tags[i], *w = stats_find(was, t->tag);
        snprintf(desc, sizeof desc, "live %.4s objects", (const char *)&t->tag);
        EXPECT_EQ_AT(desc, t->live, w ? w->live : 0);
        snprintf(desc, sizeof desc, "live %.4s bytes", (const char *)&t->tag);
        EXPECT_EQ_AT(desc, t->bytes, w ? w->bytes : 0);
    }
    EXPECT_EQ(now->free_frames, was->free_frames);
}

/*
 * Runs BATCH children in |mode| side by side.  With |ready| (a semaphore
 * each child releases once it holds everything) they are killed once all
 * are ready; otherwise they exit by themselves.  Whether all ended so.
 */
static int run_batch(const char *mode, handle_t ready)
{
    handle_t kids[BATCH];
    struct process_status st;
    int ok = 1;

    for (int i = 0; i < BATCH; i++)
        ok &= EXPECT_TRUE((kids[i] = spawn_self(mode, NULL)) > 0);
    for (int i = 0; ready && i < BATCH; i++)
        ok &= EXPECT_EQ(object_wait(ready, CHILD_TIMEOUT_NS), 0);
    for (int i = 0; ready && i < BATCH; i++)
        if (kids[i] > 0)
            ok &= EXPECT_EQ(process_kill(kids[i], KILL_CODE), 0);
    for (int i = 0; i < BATCH; i++) {
        if (kids[i] <= 0)
            continue;
        ok &= EXPECT_EQ(reap(kids[i], &st), 0);
        ok &= EXPECT_EQ(st.state, ready ? PROCESS_KILLED : PROCESS_EXITED);
        ok &= EXPECT_EQ(st.exit_code, ready ? KILL_CODE : 0);  /* else the line that failed */
    }
    return ok;
}

/* A warm-up batch, then HOLDERS processes in batches, with the counts compared around them. */
static void hold_and_end(const char *mode, handle_t ready)
{
    ASSERT_TRUE(run_batch(mode, ready));
    ASSERT_TRUE(system_stats(&before, sizeof before) > 0);
    for (int done = 0; done < HOLDERS; done += BATCH)
        ASSERT_TRUE(run_batch(mode, ready));
    ASSERT_TRUE(system_stats(&after, sizeof after) > 0);
    expect_same_counts(&before, &after);
}

TEST(processes_holding_1000_handles_exit_and_leave_nothing)
{
    hold_and_end("--hold-and-exit", 0);
}

TEST(processes_holding_1000_handles_killed_leave_nothing)
{
    handle_t ready = semaphore_create(0, BATCH, 0, READY_NAME);

    ASSERT_TRUE(ready > 0);
    hold_and_end("--hold-and-sleep", ready);
    handle_close(ready);
}

TEST(handles_to_itself_do_not_keep_a_process_alive)
{
    struct process_status st;

    ASSERT_EQ(run_self("--hold-self", NULL, &st), 0);
    ASSERT_TRUE(system_stats(&before, sizeof before) > 0);
    for (int i = 0; i < SELF_HOLDERS; i++) {
        ASSERT_EQ(run_self("--hold-self", NULL, &st), 0);
        EXPECT_EQ(st.state, PROCESS_EXITED);
        EXPECT_EQ(st.exit_code, 0);
    }
    ASSERT_TRUE(system_stats(&after, sizeof after) > 0);
    expect_same_counts(&before, &after);
}
