/*
 * query: object_query, one call for what any handle refers to (issue 14,
 * item 1; docs/13-timers-and-queries.md).  Basic information (type, id,
 * handle and reference counts, the handle's rights, name) for any handle
 * and without any right; each type's own state in its numbered class with
 * RIGHT_INFO: an event's reset type and state, a mutex's owner, depth and
 * abandoned flag, a semaphore's count and maximum, a pipe's bytes and
 * capacity and the other end's id, a section's size, a port's queue
 * lengths and the other end's id, a process's or thread's state and exit
 * status, a process's threads and handles.  Errors: a class of another
 * type E_WRONGTYPE, a class nobody has E_INVAL, no RIGHT_INFO E_ACCESS, a
 * buffer short by one byte E_TOOBIG with the size needed.
 */
#include "tests/user/port_util.h"

#define PORT_NAME           "/obj/test.query.port"
#define EVENT_NAME          "/obj/test.query.event"
#define EXIT_CODE           42
#define HANDLES_ROOM        64

static const struct helper_mode helpers[] = {
    { "--sleep", helper_sleep },
    { "--exit", helper_exit },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* object_query for a fixed-size answer: the size it returned, which must be |len|. */
static long query(handle_t h, long info_class, void *buf, size_t len)
{
    uint64_t needed = 0;
    long r = object_query(h, info_class, buf, len, &needed);

    return r >= 0 && (uint64_t)r != needed ? E_INVAL : r;
}

static struct object_basic_info basic_of(handle_t h)
{
    struct object_basic_info b;

    memset(&b, 0, sizeof b);
    EXPECT_EQ(query(h, OBJECT_INFO_BASIC, &b, sizeof b), sizeof b);
    return b;
}

static void take_and_return(void *arg)
{
    object_wait(*(handle_t *)arg, TIMEOUT_INFINITE);    /* owns it, and dies owning it */
}

/* ---- basic information --------------------------------------------------------- */

TEST(basic_information_names_the_object_and_counts_its_handles)
{
    handle_t ev = event_create(0, EVENT_NAME);
    struct handle_info listed;

    ASSERT_TRUE(ev > 0);
    struct object_basic_info b = basic_of(ev);
    ASSERT_TRUE(handle_info_of(ev, &listed));
    EXPECT_EQ(b.object_id, listed.object_id);
    EXPECT_EQ(b.type, OB_TYPE_EVENT);
    EXPECT_STR(b.type_name, "event");
    EXPECT_STR(b.name, EVENT_NAME);
    EXPECT_EQ(b.rights, EVENT_RIGHTS);
    EXPECT_EQ(b.handles, 1);
    EXPECT_EQ(b.refs, 1);                           /* the handle's: not the call's own */
    EXPECT_EQ(b.creator_pid, process_self_id());
    handle_t less = handle_duplicate(ev, 0, RIGHT_WAIT);
    ASSERT_TRUE(less > 0);
    b = basic_of(less);
    EXPECT_EQ(b.rights, RIGHT_WAIT);                /* the rights of the handle asked through */
    EXPECT_EQ(b.handles, 2);
    EXPECT_EQ(b.refs, 2);
    EXPECT_EQ(handle_close(less), 0);
    EXPECT_EQ(handle_close(ev), 0);
}

TEST(basic_information_needs_no_right_the_type_state_needs_info)
{
    struct event_query_info e;
    handle_t ev = event_create(EVENT_SIGNALED, NULL);

    ASSERT_TRUE(ev > 0);
    handle_t none = handle_duplicate(ev, 0, 0);
    ASSERT_TRUE(none > 0);
    EXPECT_EQ(basic_of(none).rights, 0);
    EXPECT_ERR(query(none, OBJECT_INFO_EVENT, &e, sizeof e), E_ACCESS);
    EXPECT_EQ(handle_close(none), 0);
    EXPECT_EQ(handle_close(ev), 0);
}

/* ---- each type's state ----------------------------------------------------------- */

TEST(event_state_is_its_reset_type_and_flag)
{
    struct event_query_info e;
    handle_t manual = event_create(EVENT_MANUAL_RESET | EVENT_SIGNALED, NULL);
    handle_t autoreset = event_create(0, NULL);

    ASSERT_TRUE(manual > 0 && autoreset > 0);
    EXPECT_EQ(query(manual, OBJECT_INFO_EVENT, &e, sizeof e), sizeof e);
    EXPECT_EQ(e.manual_reset, 1);
    EXPECT_EQ(e.signaled, 1);
    EXPECT_EQ(query(autoreset, OBJECT_INFO_EVENT, &e, sizeof e), sizeof e);
    EXPECT_EQ(e.manual_reset, 0);
    EXPECT_EQ(e.signaled, 0);
    EXPECT_EQ(event_set(autoreset), 0);
    EXPECT_EQ(query(autoreset, OBJECT_INFO_EVENT, &e, sizeof e), sizeof e);
    EXPECT_EQ(e.signaled, 1);
    EXPECT_EQ(handle_close(manual), 0);
    EXPECT_EQ(handle_close(autoreset), 0);
}

TEST(mutex_state_is_owner_depth_and_abandoned)
{
    struct mutex_query_info m;
    struct thread_query_info me;
    handle_t self = process_open(process_self_id());
    handle_t mx = mutex_create(MUTEX_OWNED, NULL);

    ASSERT_TRUE(self > 0 && mx > 0);
    ASSERT_EQ(query(self, OBJECT_INFO_PROCESS_THREADS, &me, sizeof me), sizeof me);  /* only us */
    EXPECT_EQ(object_wait(mx, 0), 0);
    EXPECT_EQ(query(mx, OBJECT_INFO_MUTEX, &m, sizeof m), sizeof m);
    EXPECT_EQ(m.owner_tid, me.tid);
    EXPECT_EQ(m.depth, 2);
    EXPECT_EQ(m.abandoned, 0);
    EXPECT_EQ(mutex_release(mx), 0);
    EXPECT_EQ(mutex_release(mx), 0);
    EXPECT_EQ(query(mx, OBJECT_INFO_MUTEX, &m, sizeof m), sizeof m);
    EXPECT_EQ(m.owner_tid, 0);
    EXPECT_EQ(m.depth, 0);
    handle_t t = thread_start(take_and_return, &mx, PAGE_SIZE);
    ASSERT_TRUE(t > 0);
    EXPECT_EQ(object_wait(t, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(query(mx, OBJECT_INFO_MUTEX, &m, sizeof m), sizeof m);
    EXPECT_EQ(m.owner_tid, 0);
    EXPECT_EQ(m.abandoned, 1);
    EXPECT_ERR(object_wait(mx, 0), E_ABANDONED);
    EXPECT_EQ(query(mx, OBJECT_INFO_MUTEX, &m, sizeof m), sizeof m);
    EXPECT_EQ(m.abandoned, 0);                      /* reported once */
    EXPECT_EQ(m.owner_tid, me.tid);
    EXPECT_EQ(mutex_release(mx), 0);
    EXPECT_EQ(handle_close(t), 0);
    EXPECT_EQ(handle_close(mx), 0);
    EXPECT_EQ(handle_close(self), 0);
}

TEST(semaphore_state_is_count_and_maximum)
{
    struct semaphore_query_info s;
    handle_t sem = semaphore_create(2, 7, 0, NULL);

    ASSERT_TRUE(sem > 0);
    EXPECT_EQ(object_wait(sem, 0), 0);
    EXPECT_EQ(query(sem, OBJECT_INFO_SEMAPHORE, &s, sizeof s), sizeof s);
    EXPECT_EQ(s.count, 1);
    EXPECT_EQ(s.maximum, 7);
    EXPECT_EQ(handle_close(sem), 0);
}

TEST(pipe_state_is_bytes_capacity_and_the_other_end)
{
    struct pipe_query_info r, w;
    handle_t ends[PIPE_ENDS];

    ASSERT_EQ(pipe_create(ends), 0);
    handle_t rd = ends[PIPE_READ_END], wr = ends[PIPE_WRITE_END];
    EXPECT_EQ(pipe_write(wr, "hello", 5), 5);
    EXPECT_EQ(query(rd, OBJECT_INFO_PIPE_READ, &r, sizeof r), sizeof r);
    EXPECT_EQ(query(wr, OBJECT_INFO_PIPE_WRITE, &w, sizeof w), sizeof w);
    EXPECT_EQ(r.buffered, 5);
    EXPECT_EQ(w.buffered, 5);
    EXPECT_EQ(r.capacity, PIPE_CAPACITY);
    EXPECT_EQ(r.peer_id, basic_of(wr).object_id);
    EXPECT_EQ(w.peer_id, basic_of(rd).object_id);
    EXPECT_EQ(r.peer_closed, 0);
    EXPECT_ERR(query(rd, OBJECT_INFO_PIPE_WRITE, &r, sizeof r), E_WRONGTYPE);   /* the other end's */
    EXPECT_EQ(handle_close(wr), 0);
    EXPECT_EQ(query(rd, OBJECT_INFO_PIPE_READ, &r, sizeof r), sizeof r);
    EXPECT_EQ(r.peer_closed, 1);
    EXPECT_EQ(r.peer_id, 0);                        /* the write end is gone */
    EXPECT_EQ(handle_close(rd), 0);
}

TEST(section_state_is_its_size)
{
    struct section_query_info s;
    handle_t sec = section_create(3 * PAGE_SIZE, 0, NULL);

    ASSERT_TRUE(sec > 0);
    EXPECT_EQ(query(sec, OBJECT_INFO_SECTION, &s, sizeof s), sizeof s);
    EXPECT_EQ(s.size, 3 * PAGE_SIZE);
    EXPECT_EQ(handle_close(sec), 0);
}

TEST(port_state_is_kind_queues_and_the_other_end)
{
    struct port_query_info p;
    handle_t s, client, end;

    open_connection(PORT_NAME, &s, &client, &end);
    struct port_message d = outgoing("one", 4, NULL, 0);
    ASSERT_EQ(port_send(client, &d), 0);
    ASSERT_EQ(port_send(client, &d), 0);
    ASSERT_EQ(port_send(end, &d), 0);
    EXPECT_EQ(query(s, OBJECT_INFO_PORT, &p, sizeof p), sizeof p);
    EXPECT_EQ(p.kind, PORT_KIND_SERVER);
    EXPECT_EQ(p.queued, 2);
    EXPECT_EQ(p.in_service, 0);
    EXPECT_EQ(p.server_id, basic_of(s).object_id);
    EXPECT_EQ(p.max_message, MSG_MAX);
    EXPECT_EQ(query(client, OBJECT_INFO_PORT, &p, sizeof p), sizeof p);
    EXPECT_EQ(p.kind, PORT_KIND_CLIENT);
    EXPECT_EQ(p.queued, 1);
    EXPECT_EQ(p.peer_id, basic_of(end).object_id);
    EXPECT_EQ(p.server_id, basic_of(s).object_id);
    EXPECT_EQ(query(end, OBJECT_INFO_PORT, &p, sizeof p), sizeof p);
    EXPECT_EQ(p.kind, PORT_KIND_SERVER_END);
    EXPECT_EQ(p.peer_id, basic_of(client).object_id);
    EXPECT_EQ(p.closed, 0);
    EXPECT_EQ(handle_close(client), 0);
    EXPECT_EQ(query(end, OBJECT_INFO_PORT, &p, sizeof p), sizeof p);
    EXPECT_EQ(p.closed, 1);
    EXPECT_EQ(p.peer_id, 0);
    EXPECT_EQ(handle_close(end), 0);
    EXPECT_EQ(handle_close(s), 0);
}

TEST(process_state_and_exit_status)
{
    struct process_query_info p;
    handle_t child = spawn_sleeper();

    EXPECT_EQ(query(child, OBJECT_INFO_PROCESS, &p, sizeof p), sizeof p);
    EXPECT_EQ(p.state, PROCESS_RUNNING);
    EXPECT_EQ(p.parent_pid, process_self_id());
    EXPECT_EQ(p.nthreads, 1);
    EXPECT_EQ(process_kill(child, KILL_CODE), 0);
    EXPECT_EQ(object_wait(child, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(query(child, OBJECT_INFO_PROCESS, &p, sizeof p), sizeof p);
    EXPECT_EQ(p.state, PROCESS_KILLED);
    EXPECT_EQ(p.exit_code, KILL_CODE);
    EXPECT_EQ(p.nthreads, 0);
    EXPECT_EQ(handle_close(child), 0);
    handle_t done = spawn_self("--exit", "42");
    ASSERT_TRUE(done > 0);
    EXPECT_EQ(object_wait(done, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(query(done, OBJECT_INFO_PROCESS, &p, sizeof p), sizeof p);
    EXPECT_EQ(p.state, PROCESS_EXITED);
    EXPECT_EQ(p.exit_code, EXIT_CODE);
    EXPECT_EQ(handle_close(done), 0);
}

TEST(thread_state_and_exit_status)
{
    struct thread_query_info t;
    handle_t ev = event_create(0, NULL);
    handle_t th = thread_start(wait_forever, &ev, PAGE_SIZE);

    ASSERT_TRUE(ev > 0 && th > 0);
    ASSERT_TRUE(settle_blocked(1));
    EXPECT_EQ(query(th, OBJECT_INFO_THREAD, &t, sizeof t), sizeof t);
    EXPECT_EQ(t.state, THREAD_STATE_BLOCKED);
    EXPECT_EQ(t.pid, process_self_id());
    EXPECT_EQ(t.priority, PRIORITY_NORMAL);
    EXPECT_EQ(event_set(ev), 0);
    EXPECT_EQ(object_wait(th, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(query(th, OBJECT_INFO_THREAD, &t, sizeof t), sizeof t);
    EXPECT_EQ(t.state, THREAD_STATE_DEAD);
    EXPECT_EQ(t.exit_code, 0);
    EXPECT_EQ(handle_close(th), 0);
    EXPECT_EQ(handle_close(ev), 0);
}

TEST(process_handles_lists_each_handle_with_its_rights)
{
    static struct handle_query_info list[HANDLES_ROOM];
    handle_t self = process_open(process_self_id());
    handle_t ev = event_create(0, EVENT_NAME);
    uint64_t needed = 0;
    int found = 0;

    ASSERT_TRUE(self > 0 && ev > 0);
    long r = object_query(self, OBJECT_INFO_PROCESS_HANDLES, list, sizeof list, &needed);
    ASSERT_TRUE(r > 0);
    EXPECT_EQ((uint64_t)r, needed);
    EXPECT_EQ(r % sizeof list[0], 0);
    EXPECT_EQ(r / (long)sizeof list[0], handles_held());
    for (long i = 0; i < r / (long)sizeof list[0]; i++)
        if (list[i].handle == ev) {
            found++;
            EXPECT_STR(list[i].basic.name, EVENT_NAME);
            EXPECT_EQ(list[i].basic.rights, EVENT_RIGHTS);
            EXPECT_EQ(list[i].basic.refs, 1);
        }
    EXPECT_EQ(found, 1);
    EXPECT_EQ(handle_close(ev), 0);
    EXPECT_EQ(handle_close(self), 0);
}

/* ---- errors ------------------------------------------------------------------------ */

TEST(a_buffer_one_byte_short_is_toobig_and_says_the_size)
{
    static struct handle_query_info list[HANDLES_ROOM];
    struct semaphore_query_info s;
    handle_t sem = semaphore_create(1, 2, 0, NULL);
    handle_t self = process_open(process_self_id());
    uint64_t needed = 0;

    ASSERT_TRUE(sem > 0 && self > 0);
    EXPECT_ERR(object_query(sem, OBJECT_INFO_SEMAPHORE, &s, sizeof s - 1, &needed), E_TOOBIG);
    EXPECT_EQ(needed, sizeof s);
    needed = 0;
    EXPECT_ERR(object_query(sem, OBJECT_INFO_BASIC, NULL, 0, &needed), E_TOOBIG);
    EXPECT_EQ(needed, sizeof(struct object_basic_info));
    EXPECT_ERR(object_query(sem, OBJECT_INFO_SEMAPHORE, &s, sizeof s - 1, NULL), E_TOOBIG);
    long all = object_query(self, OBJECT_INFO_PROCESS_HANDLES, list, sizeof list, NULL);
    ASSERT_TRUE(all > 0);
    EXPECT_ERR(object_query(self, OBJECT_INFO_PROCESS_HANDLES, list, (size_t)all - 1, &needed),
               E_TOOBIG);
    EXPECT_EQ(needed, (uint64_t)all);
    EXPECT_EQ(handle_close(self), 0);
    EXPECT_EQ(handle_close(sem), 0);
}

TEST(wrong_and_unknown_classes_are_clear_errors)
{
    struct object_basic_info b;
    handle_t ev = event_create(0, NULL);

    ASSERT_TRUE(ev > 0);
    EXPECT_ERR(query(ev, OBJECT_INFO_MUTEX, &b, sizeof b), E_WRONGTYPE);
    EXPECT_ERR(query(ev, OBJECT_INFO_PROCESS, &b, sizeof b), E_WRONGTYPE);
    EXPECT_ERR(query(ev, INFO_CLASS(OB_TYPE_EVENT, 99), &b, sizeof b), E_INVAL);
    EXPECT_ERR(query(ev, INFO_CLASS(OB_TYPE_ANY, 99), &b, sizeof b), E_INVAL);
    EXPECT_ERR(query(ev, -1, &b, sizeof b), E_INVAL);
    EXPECT_ERR(query(ev, 1L << 40, &b, sizeof b), E_INVAL);
    EXPECT_ERR(query(0, OBJECT_INFO_BASIC, &b, sizeof b), E_BADHANDLE);
    EXPECT_ERR(object_query(ev, OBJECT_INFO_BASIC, &b, sizeof b, (uint64_t *)KERNEL_HEAP_ADDR),
               E_FAULT);
    EXPECT_ERR(object_query(ev, OBJECT_INFO_BASIC, (void *)KERNEL_HEAP_ADDR, sizeof b, NULL), E_FAULT);
    handle_t file = file_open(self_path());
    ASSERT_TRUE(file > 0);
    EXPECT_EQ(basic_of(file).type, OB_TYPE_FILE);
    EXPECT_ERR(query(file, INFO_CLASS(OB_TYPE_FILE, 1), &b, sizeof b), E_INVAL);  /* no state */
    EXPECT_EQ(handle_close(file), 0);
    EXPECT_EQ(handle_close(ev), 0);
}
