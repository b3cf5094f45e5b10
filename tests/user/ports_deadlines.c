/*
 * ports_deadlines: port_request_timeout, a request that waits at most its
 * timeout for the reply (issue 14, item 5; docs/07-ports.md, "A request with
 * a deadline"): answered in time it is port_request; unanswered, E_TIMEDOUT
 * withdraws it: still queued, it leaves the queue (the handles it carried
 * are closed with it); already received, the server's late reply is
 * E_PEERCLOSED.  A timeout of 0 withdraws at once; a negative one other than
 * TIMEOUT_INFINITE is E_INVAL with nothing sent.
 */
#include "tests/user/port_util.h"

#define NAME            "/obj/test.ports.deadlines"
#define SHORT_NS        (20 * NS_PER_MS)

/* A request made by another thread with a timeout. */
struct timed_caller {
    handle_t port;
    long timeout;
    handle_t carried;               /* a handle to send along, or 0 */
    char in[MSG_MAX];
    volatile long result;
};

static void timed_caller_main(void *arg)
{
    struct timed_caller *c = arg;
    struct port_message req = outgoing("ping", 5, &c->carried, c->carried ? 1 : 0);
    struct port_message rep = incoming(c->in, sizeof c->in, NULL, 0);

    c->result = port_request_timeout(c->port, &req, &rep, c->timeout);
}

static struct port_query_info info_of(handle_t p)
{
    struct port_query_info info;

    memset(&info, 0, sizeof info);
    EXPECT_EQ(object_query(p, OBJECT_INFO_PORT, &info, sizeof info, NULL), sizeof info);
    return info;
}

TEST(answered_in_time_it_is_a_request)
{
    handle_t s, client, end;
    struct timed_caller c = { 0, CHILD_TIMEOUT_NS, 0, "", NOT_YET };
    struct port_message m;
    char buf[MSG_MAX];

    open_connection(NAME, &s, &client, &end);
    c.port = client;
    handle_t t = thread_start(timed_caller_main, &c, THREAD_STACK);
    ASSERT_TRUE(t > 0);
    ASSERT_EQ(receive_one(s, &m, buf, sizeof buf), 0);
    struct port_message r = outgoing("pong", 5, NULL, 0);
    r.id = m.id;
    EXPECT_EQ(port_reply(s, &r), 0);
    EXPECT_EQ(join(t), 0);
    EXPECT_EQ(c.result, 0);
    EXPECT_STR(c.in, "pong");
    close_connection(s, client, end);
}

TEST(unreceived_it_times_out_and_leaves_the_queue_with_its_handles)
{
    handle_t s, client, end;
    handle_t ends[PIPE_ENDS];
    char ch;

    ASSERT_EQ(pipe_create(ends), 0);
    open_connection(NAME, &s, &client, &end);
    struct port_message req = outgoing("ping", 5, &ends[PIPE_WRITE_END], 1);
    struct port_message rep = incoming(NULL, 0, NULL, 0);
    EXPECT_ERR(port_request_timeout(client, &req, &rep, SHORT_NS), E_TIMEDOUT);
    EXPECT_EQ(info_of(s).queued, 0);                    /* withdrawn */
    EXPECT_EQ(pipe_read(ends[PIPE_READ_END], &ch, 1), 0);   /* the write end went with it */
    EXPECT_ERR(port_request_timeout(client, &req, &rep, 0), E_BADHANDLE);   /* it was moved */
    req = outgoing("ping", 5, NULL, 0);
    EXPECT_ERR(port_request_timeout(client, &req, &rep, 0), E_TIMEDOUT);     /* 0: at once */
    EXPECT_EQ(info_of(s).queued, 0);
    EXPECT_ERR(port_request_timeout(client, &req, &rep, -2), E_INVAL);
    EXPECT_EQ(info_of(s).queued, 0);
    EXPECT_EQ(handle_close(ends[PIPE_READ_END]), 0);
    close_connection(s, client, end);
}

TEST(received_but_late_the_reply_finds_nobody)
{
    handle_t s, client, end;
    struct timed_caller c = { 0, SHORT_NS, 0, "", NOT_YET };
    struct port_message m;
    char buf[MSG_MAX];

    open_connection(NAME, &s, &client, &end);
    c.port = client;
    handle_t t = thread_start(timed_caller_main, &c, THREAD_STACK);
    ASSERT_TRUE(t > 0);
    ASSERT_EQ(receive_one(s, &m, buf, sizeof buf), 0);
    EXPECT_EQ(join(t), 0);                              /* the caller gave up */
    EXPECT_EQ(c.result, E_TIMEDOUT);
    struct port_message r = outgoing("late", 5, NULL, 0);
    r.id = m.id;
    EXPECT_ERR(port_reply(s, &r), E_PEERCLOSED);
    EXPECT_EQ(info_of(s).in_service, 0);
    EXPECT_EQ(info_of(client).calls, 0);
    close_connection(s, client, end);
}
