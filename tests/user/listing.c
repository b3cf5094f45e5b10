/*
 * listing: the calls behind the ps, handles and objs tools report what is
 * there (kernel/syscall/sys_info.c): process_list, thread_list, handle_list
 * and process_open list this process with its threads and handles (type,
 * rights, name, object), count every record even when the buffer holds
 * fewer (and write only what fits), see another process's handles, and
 * forget a process once it is gone.
 */
#include "tests/user/util.h"

#define NAME                "/obj/test.listing"
#define LIST_MAX            64
#define NO_SUCH_PID         (1L << 40)
#define SENTINEL_BYTE       0xa5
#define SENTINEL_U64        0xa5a5a5a5a5a5a5a5UL

static const struct helper_mode helpers[] = {
    { "--sleep", helper_sleep },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

static const char *program_name(void)
{
    const char *slash = strrchr(self_path(), '/');

    return slash ? slash + 1 : self_path();
}

TEST(process_list_shows_this_process)
{
    static struct process_info list[LIST_MAX];
    handle_t ev = event_create(0, NULL), file = file_open(self_path());
    const struct process_info *me = NULL, *parent = NULL;
    long n = process_list(list, sizeof list);

    ASSERT_TRUE(ev > 0 && file > 0);
    ASSERT_TRUE(n >= 2 && n <= LIST_MAX);
    for (long i = 0; i < n; i++)
        if ((long)list[i].pid == process_self_id())
            me = &list[i];
    ASSERT_TRUE(me != NULL);
    for (long i = 0; i < n; i++)
        if (list[i].pid == me->parent_pid)
            parent = &list[i];
    EXPECT_TRUE(parent != NULL);
    EXPECT_EQ(me->state, PROCESS_RUNNING);
    EXPECT_EQ(me->nthreads, 1);
    EXPECT_EQ(me->nhandles, 2);
    EXPECT_EQ((long)me->nhandles, handles_held());
    EXPECT_STR(me->name, program_name());
    handle_close(ev);
    handle_close(file);
}

TEST(list_calls_count_every_record_but_fill_only_what_fits)
{
    static union {
        struct process_info p[2];
        struct thread_info t[2];
        struct handle_info h[2];
    } buf;
    handle_t a = event_create(0, NULL), b = event_create(0, NULL);

    ASSERT_TRUE(a > 0 && b > 0);
    long processes = process_list(NULL, 0), threads = thread_list(NULL, 0);
    EXPECT_TRUE(processes >= 2);
    EXPECT_TRUE(threads >= 2);
    EXPECT_EQ(handle_list(0, NULL, 0), 2);
    memset(&buf, SENTINEL_BYTE, sizeof buf);
    EXPECT_EQ(process_list(buf.p, sizeof buf.p[0] + 1), processes);     /* room for one and a bit */
    EXPECT_TRUE(buf.p[0].pid > 0);
    EXPECT_EQ(buf.p[1].pid, SENTINEL_U64);
    memset(&buf, SENTINEL_BYTE, sizeof buf);
    EXPECT_EQ(thread_list(buf.t, sizeof buf.t[0]), threads);
    EXPECT_TRUE(buf.t[0].tid > 0);
    EXPECT_EQ(buf.t[1].tid, SENTINEL_U64);
    memset(&buf, SENTINEL_BYTE, sizeof buf);
    EXPECT_EQ(handle_list(0, buf.h, sizeof buf.h[0]), 2);
    EXPECT_TRUE(buf.h[0].handle == a || buf.h[0].handle == b);
    EXPECT_EQ((uint64_t)buf.h[1].handle, SENTINEL_U64);
    handle_close(a);
    handle_close(b);
}

/* The threads of this process in |list| (at most LIST_MAX); how many. */
static long my_threads(struct thread_info *list)
{
    static struct thread_info all[LIST_MAX * 4];
    long n = thread_list(all, sizeof all), mine = 0;

    for (long i = 0; i < n && i < (long)ARRAY_LEN(all); i++)
        if ((long)all[i].pid == process_self_id() && mine < LIST_MAX)
            list[mine++] = all[i];
    return mine;
}

TEST(thread_list_shows_the_threads_of_this_process)
{
    static struct thread_info list[LIST_MAX];
    handle_t ev = event_create(0, NULL), t;
    long deadline = clock_now() + SETTLE_NS;
    long n;

    ASSERT_TRUE(ev > 0);
    ASSERT_TRUE((t = thread_start(wait_forever, &ev, PAGE_SIZE)) > 0);
    while ((n = my_threads(list)) == 2 && list[0].state != THREAD_STATE_BLOCKED &&
           list[1].state != THREAD_STATE_BLOCKED && clock_now() < deadline)
        thread_yield();
    ASSERT_EQ(n, 2);
    EXPECT_NE(list[0].tid, list[1].tid);
    EXPECT_TRUE(list[0].tid > 0 && list[1].tid > 0);
    EXPECT_EQ(list[0].state + list[1].state, THREAD_STATE_RUNNING + THREAD_STATE_BLOCKED);
    EXPECT_EQ(event_set(ev), 0);
    EXPECT_EQ(object_wait(t, SETTLE_NS), 0);
    EXPECT_EQ(my_threads(list), 1);
    EXPECT_EQ(list[0].state, THREAD_STATE_RUNNING);
    handle_close(t);
    handle_close(ev);
}

/* The record of |h| in |list| of |n|, or NULL. */
static const struct handle_info *find_handle(const struct handle_info *list, long n, handle_t h)
{
    for (long i = 0; i < n && i < LIST_MAX; i++)
        if (list[i].handle == h)
            return &list[i];
    return NULL;
}

TEST(handle_list_shows_each_handle_of_this_process)
{
    static struct handle_info list[LIST_MAX];
    static const char *const type_names[] = {
        [OB_TYPE_PROCESS] = "process", [OB_TYPE_THREAD] = "thread", [OB_TYPE_FILE] = "file",
        [OB_TYPE_EVENT] = "event", [OB_TYPE_MUTEX] = "mutex", [OB_TYPE_SEMAPHORE] = "semaphore",
    };
    const struct { handle_t h; uint32_t type; } made[] = {
        { spawn_self("--sleep", NULL), OB_TYPE_PROCESS },
        { thread_start(return_at_once, NULL, PAGE_SIZE), OB_TYPE_THREAD },
        { file_open(self_path()), OB_TYPE_FILE },
        { event_create(0, NAME), OB_TYPE_EVENT },
        { mutex_create(0, NULL), OB_TYPE_MUTEX },
        { semaphore_create(0, 1, 0, NULL), OB_TYPE_SEMAPHORE },
    };
    const size_t named = 3;                             /* the event */
    handle_t weak = handle_duplicate(made[named].h, 0, RIGHT_WAIT);
    const struct handle_info *info, *weak_info;
    struct process_status st;
    long n = handle_list(0, list, sizeof list);

    for (size_t i = 0; i < ARRAY_LEN(made); i++)
        ASSERT_TRUE(made[i].h > 0);
    ASSERT_TRUE(weak > 0);
    EXPECT_EQ(n, (long)ARRAY_LEN(made) + 1);
    for (size_t i = 0; i < ARRAY_LEN(made); i++) {
        if (!EXPECT_TRUE_AT(type_names[made[i].type], (info = find_handle(list, n, made[i].h)) != NULL))
            continue;
        EXPECT_EQ_AT(type_names[made[i].type], info->type, made[i].type);
        EXPECT_STR(info->type_name, type_names[made[i].type]);
        EXPECT_STR(info->name, i == named ? NAME : "");
        EXPECT_TRUE(info->object_id > 0);
    }
    ASSERT_TRUE((weak_info = find_handle(list, n, weak)) != NULL);
    ASSERT_TRUE((info = find_handle(list, n, made[named].h)) != NULL);
    EXPECT_EQ(weak_info->object_id, info->object_id);
    EXPECT_EQ(weak_info->rights, RIGHT_WAIT);
    EXPECT_EQ(info->rights, EVENT_RIGHTS);
    EXPECT_STR(weak_info->name, NAME);
    process_kill(made[0].h, KILL_CODE);
    reap(made[0].h, &st);
    for (size_t i = 1; i < ARRAY_LEN(made); i++) {
        if (made[i].type == OB_TYPE_THREAD)
            object_wait(made[i].h, SETTLE_NS);
        handle_close(made[i].h);
    }
    handle_close(weak);
}

TEST(handle_list_of_another_process_and_of_none)
{
    static struct handle_info list[LIST_MAX];
    handle_t ev = event_create(0, NULL), child = spawn_self("--sleep", NULL), theirs;
    const struct handle_info *info;
    struct process_status st;
    long n;

    ASSERT_TRUE(ev > 0 && child > 0);
    ASSERT_EQ(process_status(child, &st), 0);
    ASSERT_TRUE((theirs = handle_duplicate(ev, child, RIGHT_WAIT)) > 0);
    n = handle_list((long)st.pid, list, sizeof list);
    EXPECT_TRUE(n >= 1);
    if (EXPECT_TRUE((info = find_handle(list, n, theirs)) != NULL)) {
        EXPECT_EQ(info->type, OB_TYPE_EVENT);
        EXPECT_EQ(info->rights, RIGHT_WAIT);
    }
    EXPECT_EQ(process_kill(child, KILL_CODE), 0);
    EXPECT_EQ(object_wait(child, CHILD_TIMEOUT_NS), 0);
    EXPECT_ERR(handle_list((long)st.pid, list, sizeof list), E_NOTFOUND);    /* gone with it */
    EXPECT_ERR(handle_list(NO_SUCH_PID, list, sizeof list), E_NOTFOUND);
    reap(child, &st);
    handle_close(ev);
}

TEST(process_open_gives_a_working_handle_while_the_process_lives)
{
    handle_t self = process_open(process_self_id()), child = spawn_self("--sleep", NULL), opened;
    struct process_status st;

    ASSERT_TRUE(self > 0 && child > 0);
    EXPECT_EQ(process_status(self, &st), 0);
    EXPECT_EQ((long)st.pid, process_self_id());
    EXPECT_EQ(st.state, PROCESS_RUNNING);
    ASSERT_EQ(process_status(child, &st), 0);
    ASSERT_TRUE((opened = process_open((long)st.pid)) > 0);
    EXPECT_EQ(process_kill(opened, KILL_CODE), 0);      /* through the opened handle */
    EXPECT_EQ(object_wait(opened, CHILD_TIMEOUT_NS), 0);
    EXPECT_ERR(process_open((long)st.pid), E_NOTFOUND); /* ended: no new handles to it */
    EXPECT_EQ(reap(child, &st), 0);
    EXPECT_EQ(st.state, PROCESS_KILLED);
    EXPECT_EQ(st.exit_code, KILL_CODE);
    EXPECT_ERR(process_open(NO_SUCH_PID), E_NOTFOUND);
    EXPECT_ERR(process_open(0), E_NOTFOUND);
    handle_close(opened);
    handle_close(self);
}
