/*
 * ports: the LPC contract while both sides live (ARCHITECTURE.md section 6,
 * the port row; docs/07-ports.md):
 *
 *   names       a server port needs a name, taken names are E_EXISTS,
 *               limits past PORT_MAX_* are E_INVAL, the name goes with the
 *               port's last handle; connecting to no port is E_NOTFOUND;
 *   connecting  the server receives PORT_MSG_CONNECT with the connect data
 *               and the client's pid and tid, and accepts (both sides get a
 *               port) or refuses (the client gets E_ACCESS);
 *   calls       request/reply carries bytes both ways, the reply answers
 *               its request's id; a server loop replies and receives in one
 *               call (a reply that fails there receives nothing); datagrams
 *               go both ways; every message says who sent it;
 *   handles     move with a message (gone from the sender, installed with
 *               the same rights at the receiver); on any error nothing
 *               moves; a pipe end in flight still counts as open, a port
 *               sent as its last handle closes;
 *   limits      full queues are E_AGAIN; messages past the port's limits
 *               are E_TOOBIG; a receive buffer too small is E_TOOBIG with
 *               the size needed, and the message stays queued;
 *   bad input   bad descriptors and buffers are E_FAULT, and nothing moves
 *               or is lost; wrong handles, kinds and rights.
 * What happens when a side dies is port_peers.c's.  Each case runs in a
 * process of its own, with the runner's leak check around it.
 */
#include "tests/user/port_util.h"

#define NAME            "/obj/test.ports"
#define OTHER_NAME      "/obj/test.ports.other"
#define LOOP_ROUNDS     100

/* ---- names and connecting ----------------------------------------------------- */

TEST(create_needs_a_free_name_and_sane_limits)
{
    handle_t s = port_create(NAME, MSG_MAX, PORT_MAX_HANDLES);

    ASSERT_TRUE(s > 0);
    EXPECT_ERR(port_create(NAME, MSG_MAX, 0), E_EXISTS);
    EXPECT_ERR(port_create(NULL, MSG_MAX, 0), E_INVAL);
    EXPECT_ERR(port_create(OTHER_NAME, PORT_MAX_MESSAGE + 1, 0), E_INVAL);
    EXPECT_ERR(port_create(OTHER_NAME, MSG_MAX, PORT_MAX_HANDLES + 1), E_INVAL);
    EXPECT_EQ(handle_close(s), 0);
    s = port_create(NAME, PORT_MAX_MESSAGE, PORT_MAX_HANDLES);  /* the name went with it */
    ASSERT_TRUE(s > 0);
    EXPECT_EQ(handle_close(s), 0);
}

TEST(connect_needs_a_server_port)
{
    handle_t e = event_create(0, OTHER_NAME);

    EXPECT_ERR(port_connect(NAME, NULL, 0), E_NOTFOUND);
    EXPECT_ERR(port_connect(OTHER_NAME, NULL, 0), E_WRONGTYPE);
    EXPECT_ERR(port_connect(NAME, (void *)1, 1), E_FAULT);
    handle_t s = port_create(NAME, MSG_MAX, 0);
    EXPECT_ERR(port_connect(NAME, "x", MSG_MAX + 1), E_TOOBIG);
    handle_close(s);
    handle_close(e);
}

TEST(accept_tells_who_connects_and_gives_both_sides_a_port)
{
    struct connector c = { NAME, "hello", 6, NOT_YET };
    struct port_message m;
    char buf[MSG_MAX];
    handle_t s = port_create(NAME, MSG_MAX, 0);

    ASSERT_TRUE(s > 0);
    handle_t t = thread_start(connector_main, &c, THREAD_STACK);
    ASSERT_EQ(receive_one(s, &m, buf, sizeof buf), 0);
    EXPECT_EQ(m.kind, PORT_MSG_CONNECT);
    EXPECT_EQ(m.len, 6);
    EXPECT_STR(buf, "hello");
    EXPECT_EQ(m.pid, process_self_id());
    EXPECT_NE(m.tid, 0);
    EXPECT_EQ(c.result, NOT_YET);               /* still waiting for the answer */
    handle_t end = port_accept(s, m.id, CONTEXT);
    EXPECT_TRUE(end > 0);
    EXPECT_ERR(port_accept(s, m.id, CONTEXT), E_NOTFOUND);     /* answered once */
    EXPECT_EQ(join(t), 0);
    EXPECT_TRUE(c.result > 0);
    EXPECT_NE(c.result, end);
    close_connection(s, c.result, end);
}

TEST(refused_connect_is_access)
{
    struct connector c = { NAME, NULL, 0, NOT_YET };
    struct port_message m;
    char buf[MSG_MAX];
    handle_t s = port_create(NAME, MSG_MAX, 0);

    handle_t t = thread_start(connector_main, &c, THREAD_STACK);
    ASSERT_EQ(receive_one(s, &m, buf, sizeof buf), 0);
    ASSERT_EQ(m.kind, PORT_MSG_CONNECT);
    EXPECT_ERR(port_reply(s, &m), E_NOTFOUND);     /* a connect is not a request */
    EXPECT_EQ(port_refuse(s, m.id), 0);
    EXPECT_EQ(join(t), 0);
    EXPECT_ERR(c.result, E_ACCESS);
    EXPECT_ERR(port_refuse(s, m.id), E_NOTFOUND);
    EXPECT_ERR(port_receive(s, &m, 0, 0), E_TIMEDOUT);     /* nothing left behind */
    handle_close(s);
}

/* ---- calls ------------------------------------------------------------------- */

TEST(request_reply_round_trip)
{
    handle_t s, client, end;
    struct caller c;
    struct port_message m;
    char buf[MSG_MAX];

    open_connection(NAME, &s, &client, &end);
    ASSERT_EQ(start_call(&c, client, "ping", NULL, 0), 0);
    ASSERT_EQ(receive_one(s, &m, buf, sizeof buf), 0);
    EXPECT_EQ(m.kind, PORT_MSG_REQUEST);
    EXPECT_STR(buf, "ping");
    EXPECT_EQ(m.len, 5);
    EXPECT_EQ(m.context, CONTEXT);
    EXPECT_EQ(m.pid, process_self_id());
    EXPECT_NE(m.tid, 0);
    struct port_message r = outgoing("pong!", 6, NULL, 0);
    r.id = m.id;
    EXPECT_EQ(port_reply(s, &r), 0);
    EXPECT_EQ(join(c.thread), 0);
    EXPECT_EQ(c.result, 0);
    EXPECT_EQ(c.reply.kind, PORT_MSG_REPLY);
    EXPECT_EQ(c.reply.id, m.id);                /* the reply answers that request */
    EXPECT_EQ(c.reply.len, 6);
    EXPECT_STR(c.in, "pong!");
    EXPECT_EQ(c.reply.pid, process_self_id());
    EXPECT_EQ(port_reply(s, &r), E_NOTFOUND);  /* answered once */
    close_connection(s, client, end);
}

/* Replies go by id: two callers answered in the other order each get their own. */
TEST(replies_match_their_requests)
{
    handle_t s, client, end;
    struct caller a, b;
    struct port_message ma, mb;
    char bufa[MSG_MAX], bufb[MSG_MAX];

    open_connection(NAME, &s, &client, &end);
    ASSERT_EQ(start_call(&a, client, "first", NULL, 0), 0);
    ASSERT_EQ(receive_one(s, &ma, bufa, sizeof bufa), 0);
    ASSERT_EQ(start_call(&b, client, "second", NULL, 0), 0);
    ASSERT_EQ(receive_one(s, &mb, bufb, sizeof bufb), 0);
    EXPECT_NE(ma.id, mb.id);
    struct port_message r = outgoing("for-second", 11, NULL, 0);
    r.id = mb.id;
    EXPECT_EQ(port_reply(s, &r), 0);
    r = outgoing("for-first", 10, NULL, 0);
    r.id = ma.id;
    EXPECT_EQ(port_reply(s, &r), 0);
    EXPECT_EQ(join(a.thread), 0);
    EXPECT_EQ(join(b.thread), 0);
    EXPECT_STR(a.in, "for-first");
    EXPECT_STR(b.in, "for-second");
    EXPECT_EQ(a.reply.id, ma.id);
    EXPECT_EQ(b.reply.id, mb.id);
    close_connection(s, client, end);
}

/* The server loop of docs/07-ports.md: each port_receive replies to the last request. */
struct looping_client {
    handle_t port;
    volatile long done;                 /* round trips that came back right */
};

static void looping_client_main(void *arg)
{
    struct looping_client *l = arg;
    char in[MSG_MAX], out[MSG_MAX];

    for (long i = 0; i < LOOP_ROUNDS; i++) {
        snprintf(out, sizeof out, "%ld", i);
        struct port_message req = outgoing(out, strlen(out) + 1, NULL, 0);
        struct port_message rep = incoming(in, sizeof in, NULL, 0);
        if (port_request(l->port, &req, &rep) == 0 && atol(in) == i + 1)
            l->done++;
    }
}

TEST(reply_and_receive_loop)
{
    handle_t s, client, end;
    struct looping_client l = { 0, 0 };
    char buf[MSG_MAX];
    struct port_message m = incoming(buf, sizeof buf, NULL, 0);
    unsigned long flags = 0;

    open_connection(NAME, &s, &client, &end);
    l.port = client;
    handle_t t = thread_start(looping_client_main, &l, THREAD_STACK);
    for (long served = 0; served < LOOP_ROUNDS; served++) {
        m.data_room = sizeof buf;
        ASSERT_EQ(port_receive(s, &m, flags, WAIT_NS), 0);
        ASSERT_EQ(m.kind, PORT_MSG_REQUEST);
        snprintf(buf, sizeof buf, "%ld", atol(buf) + 1);   /* the reply, in the same buffer */
        m.len = strlen(buf) + 1;
        flags = PORT_RECEIVE_REPLY;
    }
    EXPECT_ERR(port_receive(s, &m, flags, NS_PER_MS), E_TIMEDOUT);  /* the last reply went */
    EXPECT_EQ(join(t), 0);
    EXPECT_EQ(l.done, LOOP_ROUNDS);
    close_connection(s, client, end);
}

/* A reply that fails inside port_receive is its error, and nothing is received. */
TEST(failed_reply_in_receive_receives_nothing)
{
    handle_t s, client, end;
    char buf[MSG_MAX];

    open_connection(NAME, &s, &client, &end);
    struct port_message d = outgoing("waiting", 8, NULL, 0);
    ASSERT_EQ(port_send(client, &d), 0);
    struct port_message m = incoming(buf, sizeof buf, NULL, 0);
    m.id = 12345;                               /* no such request */
    EXPECT_ERR(port_receive(s, &m, PORT_RECEIVE_REPLY, WAIT_NS), E_NOTFOUND);
    m = incoming(buf, sizeof buf, NULL, 0);
    EXPECT_EQ(port_receive(s, &m, 0, 0), 0);    /* the datagram is still there */
    EXPECT_STR(buf, "waiting");
    close_connection(s, client, end);
}

TEST(datagrams_go_both_ways)
{
    handle_t s, client, end;
    struct port_message m;
    char buf[MSG_MAX];

    open_connection(NAME, &s, &client, &end);
    struct port_message d = outgoing("up", 3, NULL, 0);
    EXPECT_EQ(port_send(client, &d), 0);
    ASSERT_EQ(receive_one(s, &m, buf, sizeof buf), 0);
    EXPECT_EQ(m.kind, PORT_MSG_DATAGRAM);
    EXPECT_STR(buf, "up");
    EXPECT_EQ(m.context, CONTEXT);
    EXPECT_EQ(m.pid, process_self_id());
    EXPECT_ERR(port_reply(s, &m), E_NOTFOUND);     /* nobody waits for an answer */
    d = outgoing("down", 5, NULL, 0);
    EXPECT_EQ(port_send(end, &d), 0);
    ASSERT_EQ(receive_one(client, &m, buf, sizeof buf), 0);
    EXPECT_EQ(m.kind, PORT_MSG_DATAGRAM);
    EXPECT_STR(buf, "down");
    EXPECT_ERR(port_send(s, &d), E_INVAL);          /* a server port only receives */
    EXPECT_ERR(port_receive(end, &m, 0, 0), E_INVAL);  /* its client's messages come to s */
    close_connection(s, client, end);
}

TEST(ports_are_waitable)
{
    handle_t s, client, end;
    struct port_message m;
    char buf[MSG_MAX];

    open_connection(NAME, &s, &client, &end);
    EXPECT_ERR(object_wait(s, 0), E_TIMEDOUT);
    EXPECT_ERR(object_wait(client, 0), E_TIMEDOUT);
    struct port_message d = outgoing("x", 1, NULL, 0);
    EXPECT_EQ(port_send(client, &d), 0);
    EXPECT_EQ(object_wait(s, 0), 0);            /* a message is queued */
    EXPECT_EQ(receive_one(s, &m, buf, sizeof buf), 0);
    EXPECT_ERR(object_wait(s, 0), E_TIMEDOUT);
    EXPECT_ERR(port_receive(s, &m, 0, NS_PER_MS), E_TIMEDOUT);
    EXPECT_ERR(port_receive(s, &m, 0, -2), E_INVAL);
    close_connection(s, client, end);
}

/* ---- handles ---------------------------------------------------------------------- */

TEST(event_passed_in_a_request_moves)
{
    handle_t s, client, end, ev = event_create(EVENT_MANUAL_RESET, NULL);
    struct caller c;
    handle_t got[PORT_MAX_HANDLES];
    char buf[MSG_MAX];

    open_connection(NAME, &s, &client, &end);
    long rights = handle_rights_of(ev);
    ASSERT_EQ(start_call(&c, client, "take this", &ev, 1), 0);
    struct port_message m = incoming(buf, sizeof buf, got, PORT_MAX_HANDLES);
    ASSERT_EQ(port_receive(s, &m, 0, WAIT_NS), 0);
    ASSERT_EQ(m.nhandles, 1);
    EXPECT_ERR(event_set(ev), E_BADHANDLE);     /* gone from the sender */
    EXPECT_EQ(event_set(got[0]), 0);            /* and working at the receiver */
    EXPECT_EQ(object_wait(got[0], 0), 0);
    EXPECT_EQ(handle_rights_of(got[0]), rights);
    /* ...and back in the reply. */
    struct port_message r = outgoing("back", 5, got, 1);
    r.id = m.id;
    EXPECT_EQ(port_reply(s, &r), 0);
    EXPECT_ERR(object_wait(got[0], 0), E_BADHANDLE);
    EXPECT_EQ(join(c.thread), 0);
    EXPECT_EQ(c.result, 0);
    ASSERT_EQ(c.reply.nhandles, 1);
    EXPECT_EQ(object_wait(c.in_handles[0], 0), 0);  /* the same event: still set */
    handle_close(c.in_handles[0]);
    close_connection(s, client, end);
}

/* A send that fails leaves every listed handle where it was. */
TEST(failed_sends_move_nothing)
{
    handle_t s, client, end;
    handle_t ev = event_create(0, NULL), ev2 = event_create(0, NULL);
    handle_t no_transfer = handle_duplicate(ev, 0, RIGHT_DUPLICATE | RIGHT_SIGNAL | RIGHT_WAIT);

    open_connection(NAME, &s, &client, &end);
    handle_t hs[] = { ev, no_transfer };
    struct port_message d = outgoing("x", 1, hs, 2);
    EXPECT_ERR(port_send(client, &d), E_ACCESS);            /* needs RIGHT_TRANSFER */
    handle_t bad[] = { ev, 0x7777 };
    d = outgoing("x", 1, bad, 2);
    EXPECT_ERR(port_send(client, &d), E_BADHANDLE);
    handle_t twice[] = { ev, ev };
    d = outgoing("x", 1, twice, 2);
    EXPECT_ERR(port_send(client, &d), E_INVAL);             /* one handle cannot move twice */
    handle_t nine[PORT_MAX_HANDLES + 1] = { ev };
    d = outgoing("x", 1, nine, PORT_MAX_HANDLES + 1);
    EXPECT_ERR(port_send(client, &d), E_TOOBIG);
    d = outgoing("x", 1, &client, 1);
    EXPECT_ERR(port_send(client, &d), E_INVAL);             /* its own connection's port */
    d = outgoing("x", 1, &s, 1);
    EXPECT_ERR(port_send(client, &d), E_INVAL);
    d = outgoing(NULL, 1, &ev, 1);
    EXPECT_ERR(port_send(client, &d), E_FAULT);
    EXPECT_EQ(event_set(ev), 0);                /* all still ours */
    EXPECT_EQ(event_set(no_transfer), 0);
    EXPECT_EQ(handle_close(end), 0);            /* and a send to a gone peer */
    d = outgoing("x", 1, &ev2, 1);
    EXPECT_ERR(port_send(client, &d), E_PEERCLOSED);
    EXPECT_EQ(event_set(ev2), 0);
    struct port_message m;
    EXPECT_ERR(port_receive(s, &m, 0, 0), E_TIMEDOUT);     /* nothing was queued */
    handle_close(client);
    handle_close(s);
    handle_close(ev);
    handle_close(ev2);
    handle_close(no_transfer);
}

/* A reply that fails moves nothing either: the server keeps the handles. */
TEST(failed_reply_moves_nothing)
{
    handle_t s, client, end, ev = event_create(0, NULL);
    struct caller c;
    struct port_message m;
    char buf[MSG_MAX];

    open_connection(NAME, &s, &client, &end);
    ASSERT_EQ(start_call_room(&c, client, "q", NULL, 0, 4, PORT_MAX_HANDLES), 0);
    ASSERT_EQ(receive_one(s, &m, buf, sizeof buf), 0);
    struct port_message r = outgoing("too long", 9, &ev, 1);
    r.id = m.id;
    EXPECT_ERR(port_reply(s, &r), E_TOOBIG);   /* the caller has room for 4 bytes */
    EXPECT_EQ(event_set(ev), 0);
    r = outgoing("a", 2, &end, 1);
    r.id = m.id;
    EXPECT_ERR(port_reply(s, &r), E_INVAL);    /* a port of the caller's own connection */
    EXPECT_TRUE(handle_rights_of(end) > 0);
    r = outgoing("a", 2, NULL, 0);
    r.id = m.id;
    EXPECT_EQ(port_reply(s, &r), 0);           /* the request was still there to answer */
    EXPECT_EQ(join(c.thread), 0);
    EXPECT_EQ(c.result, 0);
    close_connection(s, client, end);
    handle_close(ev);
}

/* A pipe's write end in flight is not closed: its reader sees no end of file. */
TEST(pipe_end_in_flight_still_counts_as_open)
{
    handle_t s, client, end, ends[PIPE_ENDS], got[PORT_MAX_HANDLES];
    char buf[MSG_MAX];

    ASSERT_EQ(pipe_create(ends), 0);
    open_connection(NAME, &s, &client, &end);
    struct port_message d = outgoing("w", 1, &ends[PIPE_WRITE_END], 1);
    ASSERT_EQ(port_send(client, &d), 0);
    EXPECT_ERR(object_wait(ends[PIPE_READ_END], 0), E_TIMEDOUT);   /* no data, no end of file */
    struct port_message m = incoming(buf, sizeof buf, got, PORT_MAX_HANDLES);
    ASSERT_EQ(port_receive(s, &m, 0, WAIT_NS), 0);
    ASSERT_EQ(m.nhandles, 1);
    EXPECT_EQ(pipe_write(got[0], "hi", 2), 2);
    EXPECT_EQ(pipe_read(ends[PIPE_READ_END], buf, sizeof buf), 2);
    handle_close(got[0]);
    EXPECT_EQ(pipe_read(ends[PIPE_READ_END], buf, sizeof buf), 0);  /* now it is closed */
    handle_close(ends[PIPE_READ_END]);
    close_connection(s, client, end);
}

/*
 * A port is the one type that does not count as open in flight: sent away as
 * its last handle, it closes at once (its name is free); a duplicate sent
 * while the sender keeps one works at the receiver.
 */
TEST(a_port_sent_as_its_last_handle_closes)
{
    handle_t s, client, end, got[PORT_MAX_HANDLES];
    handle_t other = port_create(OTHER_NAME, MSG_MAX, 0);
    char buf[MSG_MAX];

    open_connection(NAME, &s, &client, &end);
    handle_t dup = handle_duplicate(other, 0, RIGHT_SAME);
    struct port_message d = outgoing("dup", 4, &dup, 1);
    ASSERT_EQ(port_send(client, &d), 0);
    struct port_message m = incoming(buf, sizeof buf, got, PORT_MAX_HANDLES);
    ASSERT_EQ(port_receive(s, &m, 0, WAIT_NS), 0);
    EXPECT_ERR(object_wait(got[0], 0), E_TIMEDOUT);            /* open, and empty */
    handle_close(got[0]);
    d = outgoing("last", 5, &other, 1);
    ASSERT_EQ(port_send(client, &d), 0);
    handle_t again = port_create(OTHER_NAME, MSG_MAX, 0);      /* the name went with it */
    EXPECT_TRUE(again > 0);
    m = incoming(buf, sizeof buf, got, PORT_MAX_HANDLES);
    ASSERT_EQ(port_receive(s, &m, 0, WAIT_NS), 0);
    ASSERT_EQ(m.nhandles, 1);
    EXPECT_ERR(port_receive(got[0], &m, 0, 0), E_PEERCLOSED);  /* arrived closed */
    handle_close(got[0]);
    handle_close(again);
    close_connection(s, client, end);
}

/* ---- limits ------------------------------------------------------------------------ */

TEST(full_queues_are_again)
{
    handle_t s, client, end, ev = event_create(0, NULL);
    struct port_message m;
    char buf[MSG_MAX];

    open_connection(NAME, &s, &client, &end);
    struct port_message d = outgoing("x", 1, NULL, 0);
    for (int i = 0; i < PORT_QUEUE_MAX; i++)
        ASSERT_EQ(port_send(client, &d), 0);
    d = outgoing("x", 1, &ev, 1);
    EXPECT_ERR(port_send(client, &d), E_AGAIN);
    EXPECT_EQ(event_set(ev), 0);                /* the handle stayed */
    struct port_message reply = incoming(buf, sizeof buf, NULL, 0);
    EXPECT_ERR(port_request(client, &d, &reply), E_AGAIN);     /* a request does not wait for room */
    EXPECT_ERR(port_connect(NAME, NULL, 0), E_AGAIN);
    ASSERT_EQ(receive_one(s, &m, buf, sizeof buf), 0);
    d = outgoing("x", 1, NULL, 0);
    EXPECT_EQ(port_send(client, &d), 0);        /* room for one again */
    EXPECT_ERR(port_send(client, &d), E_AGAIN);
    for (int i = 0; i < PORT_QUEUE_MAX; i++)   /* the server's queue to its client: the same */
        ASSERT_EQ(port_send(end, &d), 0);
    EXPECT_ERR(port_send(end, &d), E_AGAIN);
    close_connection(s, client, end);
    handle_close(ev);
}

TEST(messages_past_the_limits_are_toobig)
{
    static char big[PORT_MAX_MESSAGE + 1];
    handle_t s, client, end;
    struct port_message m;
    char buf[MSG_MAX];

    open_connection(NAME, &s, &client, &end);
    struct port_message d = outgoing(big, MSG_MAX + 1, NULL, 0);   /* the port's limit is MSG_MAX */
    EXPECT_ERR(port_send(client, &d), E_TOOBIG);
    d = outgoing(big, MSG_MAX, NULL, 0);
    EXPECT_EQ(port_send(client, &d), 0);
    m = incoming(buf, 10, NULL, 0);            /* too small: told the size, nothing lost */
    EXPECT_ERR(port_receive(s, &m, 0, WAIT_NS), E_TOOBIG);
    EXPECT_EQ(m.len, MSG_MAX);
    m = incoming(buf, sizeof buf, NULL, 0);
    EXPECT_EQ(port_receive(s, &m, 0, WAIT_NS), 0);
    EXPECT_EQ(m.len, MSG_MAX);
    struct caller c;
    ASSERT_EQ(start_call_room(&c, client, "q", NULL, 0, 4, 0), 0);
    ASSERT_EQ(receive_one(s, &m, buf, sizeof buf), 0);
    struct port_message r = outgoing("toolong", 8, NULL, 0);
    r.id = m.id;
    EXPECT_ERR(port_reply(s, &r), E_TOOBIG);   /* more than the caller has room for */
    r.len = 4;
    EXPECT_EQ(port_reply(s, &r), 0);
    EXPECT_EQ(join(c.thread), 0);
    EXPECT_EQ(c.reply.len, 4);
    close_connection(s, client, end);
}

/* ---- bad input ----------------------------------------------------------------------- */

TEST(bad_descriptors_and_buffers_fault)
{
    handle_t s, client, end, ev = event_create(0, NULL);
    struct port_message m, reply;
    char buf[MSG_MAX];
    void *hole = unmapped_page();
    long ro = mem_map(NULL, PAGE_SIZE, MEM_READ);

    open_connection(NAME, &s, &client, &end);
    EXPECT_ERR(port_send(client, NULL), E_FAULT);
    EXPECT_ERR(port_send(client, hole), E_FAULT);
    struct port_message d = outgoing(hole, 1, NULL, 0);
    EXPECT_ERR(port_send(client, &d), E_FAULT);
    d = outgoing("x", 1, hole, 1);
    EXPECT_ERR(port_send(client, &d), E_FAULT);
    d = outgoing((void *)KERNEL_IMAGE_ADDR, 16, NULL, 0);
    EXPECT_ERR(port_send(client, &d), E_FAULT);
    d = outgoing("x", 1, NULL, 0);
    EXPECT_ERR(port_request(client, &d, (void *)ro), E_FAULT);     /* the reply must be writable */
    EXPECT_ERR(port_receive(s, (void *)ro, 0, 0), E_FAULT);
    EXPECT_ERR(port_receive(s, &m, 0, 0), E_TIMEDOUT);             /* nothing was queued */
    d = outgoing("x", 1, &ev, 1);
    EXPECT_EQ(port_send(client, &d), 0);
    handle_t got[PORT_MAX_HANDLES];
    long slot = next_handle_slot();
    m = incoming((void *)ro, MSG_MAX, got, PORT_MAX_HANDLES);
    EXPECT_ERR(port_receive(s, &m, 0, WAIT_NS), E_FAULT);          /* a read-only buffer */
    m = incoming(buf, sizeof buf, hole, PORT_MAX_HANDLES);
    EXPECT_ERR(port_receive(s, &m, 0, WAIT_NS), E_FAULT);          /* nowhere for the handle */
    EXPECT_EQ(next_handle_slot(), slot);                           /* nor was one left behind */
    m = incoming(buf, sizeof buf, got, PORT_MAX_HANDLES);
    EXPECT_EQ(port_receive(s, &m, 0, WAIT_NS), 0);                 /* still there, whole */
    EXPECT_EQ(m.nhandles, 1);
    EXPECT_EQ(event_set(got[0]), 0);
    reply = incoming(buf, sizeof buf, NULL, 0);
    EXPECT_ERR(port_request(client, NULL, &reply), E_FAULT);
    EXPECT_ERR(port_reply(s, NULL), E_FAULT);
    EXPECT_ERR(port_receive(s, &m, 0x100, 0), E_INVAL);            /* unknown flag */
    handle_close(got[0]);
    mem_unmap((void *)ro, PAGE_SIZE);
    close_connection(s, client, end);
}

TEST(wrong_handles_kinds_and_rights)
{
    handle_t s, client, end, ev = event_create(0, NULL);
    struct port_message m;
    char buf[MSG_MAX];

    open_connection(NAME, &s, &client, &end);
    struct port_message d = outgoing("x", 1, NULL, 0), reply = incoming(buf, sizeof buf, NULL, 0);
    EXPECT_ERR(port_send(ev, &d), E_WRONGTYPE);
    EXPECT_ERR(port_send(0, &d), E_BADHANDLE);
    EXPECT_ERR(port_request(s, &d, &reply), E_INVAL);      /* requests go through a client end */
    EXPECT_ERR(port_request(end, &d, &reply), E_INVAL);
    EXPECT_ERR(port_accept(client, 1, 0), E_INVAL);
    EXPECT_ERR(port_accept(s, 12345, 0), E_NOTFOUND);
    EXPECT_ERR(port_refuse(end, 1), E_INVAL);
    d.id = 1;
    EXPECT_ERR(port_reply(client, &d), E_INVAL);
    handle_t read_only = handle_duplicate(client, 0, RIGHT_READ | RIGHT_WAIT);
    EXPECT_ERR(port_send(read_only, &d), E_ACCESS);
    handle_t write_only = handle_duplicate(s, 0, RIGHT_WRITE);
    m = incoming(buf, sizeof buf, NULL, 0);
    EXPECT_ERR(port_receive(write_only, &m, 0, 0), E_ACCESS);
    handle_close(read_only);
    handle_close(write_only);
    handle_close(ev);
    close_connection(s, client, end);
}
