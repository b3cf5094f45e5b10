/*
 * handles_duplicate: copies of handles and their rights (ARCHITECTURE.md
 * section 4; kernel/ob/handle.c, sys_object.c, proc/spawn.c):
 *
 *   - duplicating keeps (RIGHT_SAME) or drops rights, never adds them, and
 *     needs RIGHT_DUPLICATE; unknown right bits are E_INVAL;
 *   - duplicating into another process needs RIGHT_MANAGE on the process
 *     handle and RIGHT_TRANSFER on the source (not into this process), and
 *     the value made belongs to the other process's table;
 *   - handles passed at spawn need RIGHT_TRANSFER and are copied, rights
 *     and all; a refused spawn makes no process handle and runs nothing.
 *
 * Children are this program in a helper mode; the handles a case passes
 * them follow the standard streams (spawn_passing), and a child reports a
 * failed check by exiting with its line number.
 */
#include <stdio.h>
#include "tests/user/util.h"

#define PROCESS_RIGHTS_NO_MANAGE \
    (RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_WAIT | RIGHT_INFO | RIGHT_KILL)
#define CHILD_RIGHTS        (RIGHT_WAIT | RIGHT_SIGNAL)
#define PASSED_RIGHTS       (RIGHT_TRANSFER | RIGHT_SIGNAL | RIGHT_INFO)

/* ---- helper modes ---------------------------------------------------------- */

/*
 * "--use-duplicate RIGHTS": waits until the event passed first is set, then
 * finds the other event its parent put into its table, checks it has
 * exactly RIGHTS, sets it, and exits with its value.
 */
static int helper_use_duplicate(int argc, char **argv)
{
    static struct handle_info list[HANDLE_LIST_MAX];
    handle_t ready = passed(0);
    unsigned long want = argc > 0 ? strtoul(argv[0], NULL, 0) : 0;
    long n;

    if (ready <= 0 || object_wait(ready, CHILD_TIMEOUT_NS) != 0)
        return __LINE__;
    n = handle_list(0, list, sizeof list);
    for (long i = 0; i < n && i < HANDLE_LIST_MAX; i++) {
        if (list[i].type != OB_TYPE_EVENT || list[i].handle == ready)
            continue;
        if (list[i].rights != want || event_set(list[i].handle) != 0)
            return __LINE__;
        process_exit(list[i].handle);
    }
    return __LINE__;
}

/* "--set-passed": sets the event passed first and exits with the rights its copy has. */
static int helper_set_passed(int argc, char **argv)
{
    handle_t ev = passed(0);
    long rights = rights_of(ev);

    (void)argc, (void)argv;
    if (ev <= 0 || pid_of_handle(ev) != process_self_id() || rights < 0 || event_set(ev) != 0)
        return __LINE__;
    process_exit(rights);
    return __LINE__;
}

static const struct helper_mode helpers[] = {
    { "--use-duplicate", helper_use_duplicate },
    { "--set-passed", helper_set_passed },
    { "--sleep", helper_sleep },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* ---- duplicating --------------------------------------------------------------- */

TEST(duplicate_same_rights_refers_to_same_object)
{
    handle_t ev = event_create(0, NULL), dup;
    struct handle_info a, b;

    ASSERT_TRUE(ev > 0);
    ASSERT_TRUE((dup = handle_duplicate(ev, 0, RIGHT_SAME)) > 0);
    EXPECT_NE(dup, ev);
    ASSERT_TRUE(handle_info_of(ev, &a) && handle_info_of(dup, &b));
    EXPECT_EQ(b.object_id, a.object_id);
    EXPECT_EQ(b.rights, a.rights);
    EXPECT_EQ(a.rights, EVENT_RIGHTS);
    EXPECT_EQ(event_set(dup), 0);
    EXPECT_EQ(object_wait(ev, 0), 0);           /* one event behind both */
    EXPECT_EQ(handle_close(ev), 0);
    EXPECT_EQ(event_set(dup), 0);               /* the duplicate outlives the original */
    EXPECT_EQ(object_wait(dup, 0), 0);
    EXPECT_EQ(handle_close(dup), 0);
}

TEST(duplicate_with_fewer_rights)
{
    handle_t ev = event_create(0, NULL), weak;

    ASSERT_TRUE(ev > 0);
    ASSERT_TRUE((weak = handle_duplicate(ev, 0, RIGHT_WAIT)) > 0);
    EXPECT_EQ(rights_of(weak), RIGHT_WAIT);
    EXPECT_ERR(event_set(weak), E_ACCESS);
    EXPECT_EQ(event_set(ev), 0);
    EXPECT_EQ(object_wait(weak, 0), 0);
    EXPECT_EQ(rights_of(ev), EVENT_RIGHTS);     /* the source keeps its own */
    handle_close(weak);
    handle_close(ev);
}

TEST(duplicate_never_adds_rights)
{
    const rights_t some = RIGHT_DUPLICATE | RIGHT_WAIT;
    handle_t ev = event_create(0, NULL), weak, again;

    ASSERT_TRUE(ev > 0);
    ASSERT_TRUE((weak = handle_duplicate(ev, 0, some)) > 0);
    EXPECT_ERR(handle_duplicate(weak, 0, some | RIGHT_SIGNAL), E_ACCESS);
    EXPECT_ERR(handle_duplicate(weak, 0, EVENT_RIGHTS), E_ACCESS);
    EXPECT_ERR(handle_duplicate(weak, 0, RIGHTS_ALL), E_ACCESS);
    ASSERT_TRUE((again = handle_duplicate(weak, 0, RIGHT_SAME)) > 0);
    EXPECT_EQ(rights_of(again), some);
    EXPECT_ERR(handle_duplicate(ev, 0, RIGHT_KILL), E_ACCESS);  /* not an event right at all */
    handle_close(again);
    handle_close(weak);
    handle_close(ev);
}

TEST(duplicate_needs_duplicate_right)
{
    handle_t ev = event_create(0, NULL), weak;

    ASSERT_TRUE(ev > 0);
    ASSERT_TRUE((weak = handle_duplicate(ev, 0, RIGHT_WAIT | RIGHT_SIGNAL | RIGHT_TRANSFER)) > 0);
    EXPECT_ERR(handle_duplicate(weak, 0, RIGHT_SAME), E_ACCESS);
    EXPECT_ERR(handle_duplicate(weak, 0, RIGHT_WAIT), E_ACCESS);
    EXPECT_ERR(handle_duplicate(weak, 0, 0), E_ACCESS);
    handle_close(weak);
    handle_close(ev);
}

TEST(duplicate_rejects_unknown_right_bits)
{
    handle_t ev = event_create(0, NULL);

    ASSERT_TRUE(ev > 0);
    EXPECT_ERR(handle_duplicate(ev, 0, RIGHTS_ALL + 1), E_INVAL);
    EXPECT_ERR(handle_duplicate(ev, 0, RIGHT_SAME | RIGHT_WAIT), E_INVAL);
    EXPECT_ERR(handle_duplicate(ev, 0, 1UL << 32), E_INVAL);
    EXPECT_ERR(handle_duplicate(ev, 0, (unsigned long)RIGHT_SAME << 1), E_INVAL);
    handle_close(ev);
}

TEST(duplicate_into_child_through_process_handle)
{
    handle_t ready = event_create(0, NULL), ev = event_create(0, NULL), child, theirs;
    struct process_status st;
    char rights[16];

    ASSERT_TRUE(ready > 0 && ev > 0);
    snprintf(rights, sizeof rights, "%u", CHILD_RIGHTS);
    ASSERT_TRUE((child = spawn_passing("--use-duplicate", rights, &ready, 1)) > 0);
    ASSERT_EQ(process_status(child, &st), 0);
    theirs = handle_duplicate(ev, child, CHILD_RIGHTS);
    EXPECT_TRUE(theirs > 0);
    EXPECT_EQ(pid_of_handle(theirs), (long)st.pid);
    EXPECT_ERR(event_set(theirs), E_BADHANDLE); /* a value for the child's table, not ours */
    EXPECT_EQ(event_set(ready), 0);
    EXPECT_EQ(object_wait(ev, CHILD_TIMEOUT_NS), 0);    /* the child set it through its copy */
    EXPECT_EQ(reap(child, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, theirs);            /* it found exactly the handle we made */
    handle_close(ready);
    handle_close(ev);
}

TEST(duplicate_into_other_process_needs_manage_and_transfer)
{
    handle_t ev = event_create(0, NULL), child = spawn_self("--sleep", NULL);
    handle_t no_manage, no_transfer, self;
    struct process_status st;

    ASSERT_TRUE(ev > 0 && child > 0);
    ASSERT_TRUE((no_manage = handle_duplicate(child, 0, PROCESS_RIGHTS_NO_MANAGE)) > 0);
    ASSERT_TRUE((no_transfer = handle_duplicate(ev, 0, EVENT_RIGHTS & ~RIGHT_TRANSFER)) > 0);
    ASSERT_TRUE((self = process_open(process_self_id())) > 0);
    EXPECT_ERR(handle_duplicate(ev, no_manage, RIGHT_SAME), E_ACCESS);
    EXPECT_ERR(handle_duplicate(no_transfer, child, RIGHT_SAME), E_ACCESS);
    EXPECT_ERR(handle_duplicate(ev, ev, RIGHT_SAME), E_WRONGTYPE);
    /* Into this process, through its own process handle: no RIGHT_TRANSFER needed. */
    handle_t mine = handle_duplicate(no_transfer, self, RIGHT_SAME);
    EXPECT_TRUE(mine > 0);
    EXPECT_EQ(pid_of_handle(mine), process_self_id());
    handle_close(mine);
    EXPECT_EQ(process_kill(child, 0), 0);
    EXPECT_EQ(object_wait(child, CHILD_TIMEOUT_NS), 0);
    EXPECT_ERR(handle_duplicate(ev, child, RIGHT_SAME), E_PEERCLOSED);  /* its table is gone */
    EXPECT_EQ(reap(child, &st), 0);
    handle_close(no_manage);
    handle_close(no_transfer);
    handle_close(self);
    handle_close(ev);
}

/* ---- passing at spawn ---------------------------------------------------------- */

TEST(spawn_passes_copies_with_the_same_rights)
{
    handle_t ev = event_create(0, NULL), pass, child;
    struct process_status st;

    ASSERT_TRUE(ev > 0);
    ASSERT_TRUE((pass = handle_duplicate(ev, 0, PASSED_RIGHTS)) > 0);
    ASSERT_TRUE((child = spawn_passing("--set-passed", NULL, &pass, 1)) > 0);
    EXPECT_EQ(object_wait(ev, CHILD_TIMEOUT_NS), 0);    /* set through the child's copy */
    EXPECT_EQ(reap(child, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, PASSED_RIGHTS);
    EXPECT_EQ(rights_of(pass), PASSED_RIGHTS);  /* ours is still here: it was copied, not moved */
    EXPECT_EQ(event_set(pass), 0);
    handle_close(pass);
    handle_close(ev);
}

TEST(spawn_refuses_handles_without_transfer_right)
{
    handle_t ev = event_create(0, NULL), kept, list[2];
    long before = handles_held();

    ASSERT_TRUE(ev > 0);
    ASSERT_TRUE((kept = handle_duplicate(ev, 0, EVENT_RIGHTS & ~RIGHT_TRANSFER)) > 0);
    EXPECT_ERR(spawn_passing("--set-passed", NULL, &kept, 1), E_ACCESS);
    list[0] = ev;                               /* a good one first: it must be undone too */
    list[1] = kept;
    EXPECT_ERR(spawn_passing("--set-passed", NULL, list, 2), E_ACCESS);
    EXPECT_EQ(handles_held(), before + 1);      /* no process handle was made */
    EXPECT_ERR(object_wait(ev, 0), E_TIMEDOUT); /* and no child ran to set it */
    handle_close(kept);
    handle_close(ev);
}
