/*
 * ports_fastpath: the hand-over of a message to a thread already waiting in
 * port_receive (kernel/ipc/port.c, port_queue_push; docs/07-ports.md, "The
 * fast path"), and the queue it replaces, case by case:
 *
 *   a request to a waiting receiver is handed over (the kernel's count of
 *   hand-overs, system_stats.port_handoffs, moves: a fast path that never
 *   triggers fails here), one to a server that is busy is queued (the
 *   port's queue holds it until the receive), and one that carries handles
 *   is queued even when a receiver waits;
 *   a receive that fails after the hand-over (bad buffer, too small) puts
 *   the message back first in the queue; a receiver that times out or whose
 *   handle is closed leaves no slot behind; two receivers each get one;
 *   bad requests and too-big replies with the other side waiting change
 *   nothing; a caller killed after its request was handed over leaves the
 *   server an E_PEERCLOSED reply.
 *
 * The slowpath layer of `make test` boots with fastpath=off and runs these
 * again: nothing may be handed over then, and every case must still pass.
 */
#include <string.h>
#include <test.h>
#include "tests/user/port_util.h"

#define NAME            "/obj/test.fastpath"
#define SHORT_NS        (20 * NS_PER_MS)
#define REQUEST_TEXT    "handed over?"
#define REPLY_TEXT      "yes"

static struct system_stats stats;

/* The kernel's count of messages handed to a waiting receiver since boot. */
static uint64_t handoffs(void)
{
    return system_stats(&stats, sizeof stats) < 0 ? 0 : stats.port_handoffs;
}

/* The messages waiting in |port|'s queue now. */
static long queued(handle_t port)
{
    struct port_query_info info;

    if (object_query(port, OBJECT_INFO_PORT, &info, sizeof info, NULL) != (long)sizeof info)
        return -1;
    return (long)info.queued;
}

/* ---- a server thread in port_receive ------------------------------------------- */

struct receiver {
    handle_t port;
    void *data;                     /* where the bytes go: |buf|, or a bad address */
    uint32_t room;
    long timeout;
    int priority;                   /* to take before receiving; 0: keep the creator's */
    char buf[MSG_MAX];
    handle_t hs[PORT_MAX_HANDLES];
    struct port_message m;
    volatile long result;
    handle_t thread;
};

static void receiver_main(void *arg)
{
    struct receiver *r = arg;

    if (r->priority)
        thread_set_priority(0, r->priority);
    r->m = incoming(r->data, r->room, r->hs, PORT_MAX_HANDLES);
    r->result = port_receive(r->port, &r->m, 0, r->timeout);
}

/* Starts a thread receiving on |port| into |data| (NULL: its own buffer) and waits until it blocks. */
static void start_receiver(struct receiver *r, handle_t port, void *data, uint32_t room, long timeout)
{
    r->port = port;
    r->data = data ? data : r->buf;
    r->room = room;
    r->timeout = timeout;
    r->priority = 0;
    r->result = NOT_YET;
    memset(r->buf, 0, sizeof r->buf);
    r->thread = thread_start(receiver_main, r, THREAD_STACK);
    ASSERT_TRUE(r->thread > 0);
    ASSERT_TRUE(settle_blocked(1));
}

/* Answers request |id| on |s| with REPLY_TEXT: port_reply's result. */
static long reply_to(handle_t s, uint64_t id)
{
    struct port_message a = outgoing(REPLY_TEXT, sizeof REPLY_TEXT, NULL, 0);

    a.id = id;
    return port_reply(s, &a);
}

/* The caller |c| waits with its request first in |s|'s queue: receive it, answer it, check it got the answer. */
static void serve_queued(handle_t s, struct caller *c)
{
    struct port_message m;
    char buf[MSG_MAX];

    EXPECT_EQ(queued(s), 1);
    ASSERT_EQ(receive_one(s, &m, buf, sizeof buf), 0);
    EXPECT_EQ(queued(s), 0);
    EXPECT_STR(buf, REQUEST_TEXT);
    EXPECT_EQ(reply_to(s, m.id), 0);
    EXPECT_EQ(join(c->thread), 0);
    EXPECT_EQ(c->result, 0);
    EXPECT_STR(c->in, REPLY_TEXT);
}

/* After a case that started at |before|: at least one hand-over, or none with fastpath=off. */
static void expect_handed(uint64_t before)
{
    uint64_t n = handoffs() - before;

    if (stats.direct_switch_on)
        EXPECT_TRUE(n >= 1);
    else
        EXPECT_EQ(n, 0u);
}

/* ---- which path a request takes ----------------------------------------------- */

TEST(request_to_waiting_receiver_is_handed_over)
{
    handle_t s, client, end;
    struct receiver r;

    open_connection(NAME, &s, &client, &end);
    start_receiver(&r, s, NULL, MSG_MAX, WAIT_NS);
    uint64_t before = handoffs();
    struct caller c;
    ASSERT_EQ(start_call(&c, client, REQUEST_TEXT, NULL, 0), 0);
    EXPECT_EQ(join(r.thread), 0);               /* the receiver got it... */
    expect_handed(before);                      /* ...straight from the caller */
    EXPECT_EQ(r.result, 0);
    EXPECT_EQ(r.m.kind, PORT_MSG_REQUEST);
    EXPECT_STR(r.buf, REQUEST_TEXT);
    EXPECT_EQ(r.m.context, CONTEXT);
    EXPECT_EQ(queued(s), 0);
    EXPECT_EQ(reply_to(s, r.m.id), 0);
    EXPECT_EQ(join(c.thread), 0);
    EXPECT_EQ(c.result, 0);
    EXPECT_STR(c.in, REPLY_TEXT);
    close_connection(s, client, end);
}

TEST(request_to_busy_server_is_queued)
{
    handle_t s, client, end;
    struct caller c;

    open_connection(NAME, &s, &client, &end);
    ASSERT_EQ(start_call(&c, client, REQUEST_TEXT, NULL, 0), 0);
    ASSERT_TRUE(settle_blocked(1));             /* nobody receives: the caller waits */
    serve_queued(s, &c);                        /* the slow path: it was in the queue */
    close_connection(s, client, end);
}

/* A message with handles is never handed over (port_transit.c must see it queued); it arrives all the same. */
TEST(request_with_handle_to_waiting_receiver)
{
    handle_t s, client, end, ev = event_create(0, NULL);
    struct receiver r;
    struct caller c;

    ASSERT_TRUE(ev > 0);
    open_connection(NAME, &s, &client, &end);
    start_receiver(&r, s, NULL, MSG_MAX, WAIT_NS);
    ASSERT_EQ(start_call(&c, client, REQUEST_TEXT, &ev, 1), 0);
    EXPECT_EQ(join(r.thread), 0);
    EXPECT_EQ(r.result, 0);
    EXPECT_STR(r.buf, REQUEST_TEXT);
    EXPECT_EQ(r.m.nhandles, 1u);
    EXPECT_EQ(object_wait(r.hs[0], 0), E_TIMEDOUT);     /* the event itself, unset */
    EXPECT_EQ(handle_close(r.hs[0]), 0);
    EXPECT_ERR(handle_close(ev), E_BADHANDLE);          /* it moved */
    EXPECT_EQ(queued(s), 0);
    EXPECT_EQ(reply_to(s, r.m.id), 0);
    EXPECT_EQ(join(c.thread), 0);
    EXPECT_EQ(c.result, 0);
    close_connection(s, client, end);
}

/* ---- a receive that fails after the hand-over ---------------------------------- */

/* The receiver waits with |data|/|room|, fails with |err|, and the request stays first in the queue. */
static void receive_fails_after_handover(void *data, uint32_t room, long err)
{
    handle_t s, client, end;
    struct receiver r;
    struct caller c;

    open_connection(NAME, &s, &client, &end);
    start_receiver(&r, s, data, room, WAIT_NS);
    ASSERT_EQ(start_call(&c, client, REQUEST_TEXT, NULL, 0), 0);
    EXPECT_EQ(join(r.thread), 0);
    EXPECT_ERR(r.result, err);
    if (err == E_TOOBIG)
        EXPECT_EQ(r.m.len, sizeof REQUEST_TEXT);    /* the size it needs */
    ASSERT_TRUE(settle_blocked(1));             /* the caller still waits */
    serve_queued(s, &c);                        /* back in the queue, not lost */
    close_connection(s, client, end);
}

TEST(receive_into_bad_buffer_after_handover_requeues)
{
    receive_fails_after_handover((void *)1, MSG_MAX, E_FAULT);
}

TEST(receive_too_small_after_handover_requeues)
{
    receive_fails_after_handover(NULL, 2, E_TOOBIG);
}

/* ---- receivers that leave ------------------------------------------------------- */

/* After the receiver left without a message, a request is queued: no slot points at it. */
static void request_is_queued(handle_t s, handle_t client)
{
    struct caller c;

    ASSERT_EQ(start_call(&c, client, REQUEST_TEXT, NULL, 0), 0);
    ASSERT_TRUE(settle_blocked(1));
    serve_queued(s, &c);
}

/*
 * A receiver that leaves without a message, by its deadline (|timeout|) or
 * because the duplicate handle it waits through is closed (|by_close|),
 * ends with |err| and leaves no slot behind.
 */
static void receiver_leaves(long timeout, int by_close, long err)
{
    handle_t s, client, end;
    struct receiver r;

    open_connection(NAME, &s, &client, &end);
    handle_t dup = handle_duplicate(s, 0, RIGHT_SAME);
    ASSERT_TRUE(dup > 0);
    start_receiver(&r, dup, NULL, MSG_MAX, timeout);
    if (by_close)
        EXPECT_EQ(handle_close(dup), 0);        /* the wait through it ends */
    EXPECT_EQ(join(r.thread), 0);
    EXPECT_ERR(r.result, err);
    request_is_queued(s, client);
    if (!by_close)
        EXPECT_EQ(handle_close(dup), 0);
    close_connection(s, client, end);
}

TEST(receiver_timeout_leaves_no_slot) { receiver_leaves(SHORT_NS, 0, E_TIMEDOUT); }
TEST(receiver_handle_closed_cancels_and_leaves_no_slot) { receiver_leaves(WAIT_NS, 1, E_CANCELED); }

TEST(two_waiting_receivers_each_get_one)
{
    handle_t s, client, end;
    struct receiver a, b;
    struct port_message d1 = outgoing("one", 4, NULL, 0), d2 = outgoing("two", 4, NULL, 0);

    open_connection(NAME, &s, &client, &end);
    start_receiver(&a, s, NULL, MSG_MAX, WAIT_NS);
    b.port = s;
    b.data = b.buf;
    b.room = MSG_MAX;
    b.timeout = WAIT_NS;
    b.priority = 0;
    b.result = NOT_YET;
    memset(b.buf, 0, sizeof b.buf);
    b.thread = thread_start(receiver_main, &b, THREAD_STACK);
    ASSERT_TRUE(b.thread > 0);
    ASSERT_TRUE(settle_blocked(2));
    EXPECT_EQ(port_send(client, &d1), 0);
    EXPECT_EQ(port_send(client, &d2), 0);
    EXPECT_EQ(join(a.thread), 0);
    EXPECT_EQ(join(b.thread), 0);
    EXPECT_EQ(a.result, 0);
    EXPECT_EQ(b.result, 0);
    EXPECT_EQ(a.m.kind, PORT_MSG_DATAGRAM);
    EXPECT_TRUE((strcmp(a.buf, "one") == 0 && strcmp(b.buf, "two") == 0) ||
                (strcmp(a.buf, "two") == 0 && strcmp(b.buf, "one") == 0));
    EXPECT_EQ(queued(s), 0);
    close_connection(s, client, end);
}

/* ---- bad input with the other side waiting -------------------------------------- */

TEST(bad_requests_leave_the_waiting_receiver_waiting)
{
    handle_t s, client, end, ev = event_create(0, NULL);
    struct receiver r;
    char in[MSG_MAX], big[MSG_MAX + 1];
    struct port_message rep = incoming(in, sizeof in, NULL, 0);
    struct port_message bad_data = outgoing((void *)1, 8, NULL, 0);
    struct port_message too_big = outgoing(big, sizeof big, NULL, 0);
    handle_t twice[2] = { ev, ev };
    struct port_message dup_handles = outgoing("x", 2, twice, 2);

    ASSERT_TRUE(ev > 0);
    open_connection(NAME, &s, &client, &end);
    start_receiver(&r, s, NULL, MSG_MAX, WAIT_NS);
    EXPECT_ERR(port_request(client, &bad_data, &rep), E_FAULT);
    EXPECT_ERR(port_request(client, &too_big, &rep), E_TOOBIG);
    EXPECT_ERR(port_request(client, &dup_handles, &rep), E_INVAL);
    EXPECT_ERR(port_request(client, &bad_data, (struct port_message *)1), E_FAULT);
    EXPECT_ERR(port_request(end, &rep, &rep), E_INVAL);    /* a server end makes no calls */
    EXPECT_EQ(r.result, NOT_YET);               /* nothing reached it */
    EXPECT_TRUE(settle_blocked(1));
    struct caller c;
    ASSERT_EQ(start_call(&c, client, REQUEST_TEXT, NULL, 0), 0);
    EXPECT_EQ(join(r.thread), 0);
    EXPECT_EQ(r.result, 0);
    EXPECT_STR(r.buf, REQUEST_TEXT);
    EXPECT_EQ(reply_to(s, r.m.id), 0);
    EXPECT_EQ(join(c.thread), 0);
    EXPECT_EQ(handle_close(ev), 0);
    close_connection(s, client, end);
}

TEST(too_big_reply_leaves_the_waiting_caller_waiting)
{
    handle_t s, client, end;
    struct receiver r;
    struct caller c;
    char big[MSG_MAX];

    memset(big, 'b', sizeof big);
    open_connection(NAME, &s, &client, &end);
    start_receiver(&r, s, NULL, MSG_MAX, WAIT_NS);
    ASSERT_EQ(start_call_room(&c, client, REQUEST_TEXT, NULL, 0, 8, 0), 0);
    EXPECT_EQ(join(r.thread), 0);
    ASSERT_EQ(r.result, 0);
    struct port_message a = outgoing(big, sizeof big, NULL, 0);
    a.id = r.m.id;
    EXPECT_ERR(port_reply(s, &a), E_TOOBIG);    /* more than the caller has room for */
    EXPECT_ERR(port_reply(s, &(struct port_message){ .id = r.m.id, .data = (void *)1, .len = 4 }),
               E_FAULT);
    ASSERT_TRUE(settle_blocked(1));             /* the caller still waits */
    EXPECT_EQ(c.result, NOT_YET);
    a = outgoing(REPLY_TEXT, sizeof REPLY_TEXT, NULL, 0);
    a.id = r.m.id;
    EXPECT_EQ(port_reply(s, &a), 0);
    EXPECT_EQ(join(c.thread), 0);
    EXPECT_EQ(c.result, 0);
    EXPECT_STR(c.in, REPLY_TEXT);
    close_connection(s, client, end);
}

/* ---- a caller killed after the hand-over ---------------------------------------- */

static int client_mode(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return request_once(NAME, REQUEST_TEXT);           /* killed while in there */
}

TEST(caller_killed_after_handover_gets_no_reply)
{
    handle_t server = port_create(NAME, MSG_MAX, PORT_MAX_HANDLES);
    struct receiver r;
    struct port_message m;
    char buf[MSG_MAX];

    ASSERT_TRUE(server > 0);
    handle_t child = spawn_self("--client", "");
    ASSERT_TRUE(child > 0);
    ASSERT_EQ(receive_one(server, &m, buf, sizeof buf), 0);
    ASSERT_EQ(m.kind, PORT_MSG_CONNECT);
    uint64_t before = handoffs();
    start_receiver(&r, server, NULL, MSG_MAX, WAIT_NS);   /* waiting before the request comes */
    handle_t end = port_accept(server, m.id, CONTEXT);    /* the child sends it at once */
    ASSERT_TRUE(end > 0);
    EXPECT_EQ(join(r.thread), 0);
    ASSERT_EQ(r.result, 0);
    ASSERT_EQ(r.m.kind, PORT_MSG_REQUEST);
    expect_handed(before);
    kill_and_reap(child);                       /* the caller dies waiting for us */
    EXPECT_ERR(reply_to(server, r.m.id), E_PEERCLOSED);
    EXPECT_EQ(handle_close(end), 0);
    EXPECT_EQ(handle_close(server), 0);
}

/* "--low-client": client_mode below the test's priority, so it runs only when the test lets it. */
static int low_client_mode(int argc, char **argv)
{
    thread_set_priority(0, PRIORITY_NORMAL - 1);
    return client_mode(argc, argv);
}

/*
 * Opens the window between a hand-over and the receiver's turn on
 * |server|: a caller process below this thread (*|child|) connects and is
 * accepted (the server end is returned), a receiver thread |r| below this
 * one waits on |port| (until |timeout|), and this thread stays ready above
 * both (yielding lets only the aged caller in) until the caller is blocked
 * in its call, its request handed over on the fast path.
 */
static handle_t open_window(handle_t server, handle_t port, struct receiver *r, long timeout,
                            handle_t *child)
{
    struct process_status st;
    struct port_message m;
    char buf[MSG_MAX];
    long deadline = clock_now() + SETTLE_NS;

    EXPECT_EQ(thread_set_priority(0, PRIORITY_NORMAL), 0);
    *child = spawn_self("--low-client", "");
    EXPECT_TRUE(*child > 0);
    EXPECT_EQ(process_status(*child, &st), 0);
    EXPECT_EQ(receive_one(server, &m, buf, sizeof buf), 0);
    EXPECT_EQ(m.kind, PORT_MSG_CONNECT);
    r->port = port;
    r->data = r->buf;
    r->room = MSG_MAX;
    r->timeout = timeout;
    r->priority = PRIORITY_NORMAL - 1;
    r->result = NOT_YET;
    r->thread = thread_start(receiver_main, r, THREAD_STACK);
    EXPECT_TRUE(r->thread > 0);
    EXPECT_TRUE(settle_blocked(1));
    uint64_t before = handoffs();
    handle_t end = port_accept(server, m.id, CONTEXT);
    EXPECT_TRUE(end > 0);
    while ((blocked_threads_of(st.pid) < 1 || (stats.direct_switch_on && handoffs() == before)) &&
           clock_now() < deadline)
        thread_yield();
    EXPECT_EQ(handoffs() != before, stats.direct_switch_on != 0);
    EXPECT_EQ(r->result, NOT_YET);              /* the receiver has not run yet */
    return end;
}

/*
 * The window between a hand-over and the receiver's turn: the test stays
 * ready above both the caller and the receiver, so when the caller hands
 * its request over and blocks, the test runs first and kills it.  The
 * caller's withdrawal must leave the message to the receiver (it is the
 * receiver's now, in no queue): the receiver still gets it and its reply
 * finds nobody, and the server port's queue count is untouched (a later
 * datagram is not refused as if the queue were full).  With fastpath=off
 * the request waits in the queue and leaves it with its caller, and the
 * receiver gets the caller's PORT_MSG_CLOSED notice instead.
 */
TEST(caller_killed_between_handover_and_receiver_turn)
{
    handle_t server = port_create(NAME, MSG_MAX, PORT_MAX_HANDLES), child;
    struct receiver r;
    struct port_message m;
    char buf[MSG_MAX];

    ASSERT_TRUE(server > 0);
    handle_t end = open_window(server, server, &r, 300 * NS_PER_MS, &child);
    int handed = stats.direct_switch_on != 0;
    kill_and_reap(child);
    EXPECT_EQ(join(r.thread), 0);
    if (handed) {
        EXPECT_EQ(r.result, 0);
        EXPECT_EQ(r.m.kind, PORT_MSG_REQUEST);
        EXPECT_STR(r.buf, REQUEST_TEXT);
        EXPECT_ERR(reply_to(server, r.m.id), E_PEERCLOSED);
    } else {
        EXPECT_EQ(r.result, 0);                 /* withdrawn with its caller: the next is */
        EXPECT_EQ(r.m.kind, PORT_MSG_CLOSED);   /* the notice of its leaving */
    }
    if (handed) {
        ASSERT_EQ(receive_one(server, &m, buf, sizeof buf), 0);
        EXPECT_EQ(m.kind, PORT_MSG_CLOSED);
    }
    EXPECT_EQ(queued(server), 0);
    /* The queue's count is right: PORT_QUEUE_MAX datagrams still fit. */
    struct connector c = { NAME, NULL, 0, NOT_YET };
    handle_t t = thread_start(connector_main, &c, THREAD_STACK);
    ASSERT_TRUE(t > 0);
    ASSERT_EQ(receive_one(server, &m, buf, sizeof buf), 0);
    handle_t end2 = port_accept(server, m.id, CONTEXT);
    ASSERT_TRUE(end2 > 0);
    ASSERT_EQ(join(t), 0);
    struct port_message d = outgoing("d", 2, NULL, 0);
    for (int i = 0; i < PORT_QUEUE_MAX; i++)
        EXPECT_EQ(port_send(c.result, &d), 0);
    EXPECT_ERR(port_send(c.result, &d), E_AGAIN);
    EXPECT_EQ(handle_close(c.result), 0);
    EXPECT_EQ(handle_close(end2), 0);
    EXPECT_EQ(handle_close(end), 0);
    EXPECT_EQ(handle_close(server), 0);
}

/*
 * The same window, but the server port closes in it: its last handle goes
 * while the handed request waits for the receiver's turn.  The request is
 * dropped as queued ones are: the caller gets E_PEERCLOSED, and so does the
 * receiver when it runs (port_take), with nothing left behind.  With
 * fastpath=off the queued request is dropped with the queue and the
 * receiver's wait ends by the close.
 */
TEST(server_port_closed_between_handover_and_receiver_turn)
{
    handle_t server = port_create(NAME, MSG_MAX, PORT_MAX_HANDLES), child;
    struct receiver r;
    struct process_status st;

    ASSERT_TRUE(server > 0);
    handle_t mine = handle_duplicate(server, 0, RIGHT_SAME);  /* the receiver's: it outlives |server| */
    ASSERT_TRUE(mine > 0);
    handle_t end = open_window(server, mine, &r, WAIT_NS, &child);
    EXPECT_EQ(handle_close(end), 0);
    EXPECT_EQ(handle_close(server), 0);
    EXPECT_EQ(handle_close(mine), 0);           /* the last handle: the port closes */
    EXPECT_EQ(join(r.thread), 0);
    EXPECT_TRUE(r.result == E_PEERCLOSED || r.result == E_CANCELED);
    if (stats.direct_switch_on)
        EXPECT_ERR(r.result, E_PEERCLOSED);     /* it had the request, dropped with the port */
    EXPECT_EQ(reap(child, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, E_PEERCLOSED);      /* the caller's answer */
}

static const struct helper_mode modes[] = {
    { "--client", client_mode }, { "--low-client", low_client_mode },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, modes, sizeof modes / sizeof modes[0]);
}
