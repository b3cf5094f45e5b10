/*
 * ports_calls: messages between the two ends of an LPC connection
 * (ARCHITECTURE.md section 6, the port row; docs/07-ports.md):
 *
 *   calls       request/reply carries bytes both ways, the reply answers
 *               its request's id (once), and id 0 is E_INVAL; a server loop replies and receives
 *               in one call (a reply that fails there receives nothing);
 *               datagrams go both ways; every message says who sent it;
 *               ports are signaled while a message is queued;
 *   limits      full queues are E_AGAIN (a request does not wait for room);
 *               messages past the port's limits are E_TOOBIG; a receive
 *               buffer too small is E_TOOBIG with the size needed, and the
 *               message stays queued.
 *
 * Handles in messages are ports_handles.c's, bad input ports_badinput.c's,
 * a side that dies port_peers.c's and port_clients.c's.
 */
#include "tests/user/port_util.h"

#define NAME            "/obj/test.ports"
#define LOOP_ROUNDS     100

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

/* Id 0 is no message's: a reply to it is malformed (E_INVAL), not a request gone (E_NOTFOUND). */
TEST(reply_with_id_0_is_inval_and_the_caller_still_waits)
{
    handle_t s, client, end;
    struct caller c;
    struct port_message m;
    char buf[MSG_MAX];

    open_connection(NAME, &s, &client, &end);
    ASSERT_EQ(start_call(&c, client, "ping", NULL, 0), 0);
    ASSERT_EQ(receive_one(s, &m, buf, sizeof buf), 0);
    struct port_message r = outgoing("pong!", 6, NULL, 0);
    r.id = 0;
    EXPECT_ERR(port_reply(s, &r), E_INVAL);
    EXPECT_ERR(port_receive(s, &r, PORT_RECEIVE_REPLY, 0), E_INVAL);
    EXPECT_EQ(c.result, NOT_YET);
    r = outgoing("pong!", 6, NULL, 0);
    r.id = m.id;
    EXPECT_EQ(port_reply(s, &r), 0);
    EXPECT_EQ(join(c.thread), 0);
    EXPECT_EQ(c.result, 0);
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
