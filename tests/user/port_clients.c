/*
 * port_clients: ports when a client goes away (ARCHITECTURE.md sections 4
 * and 6; docs/07-ports.md, "When a side dies"): a client killed while the
 * server holds its request: the reply fails with E_PEERCLOSED and the
 * server gets a PORT_MSG_CLOSED notice naming it; killed before the server
 * received the request: the request is withdrawn and only the notice comes;
 * a connector killed while waiting: its connect request is gone (and one
 * killed after it was received cannot be accepted); closing the client end
 * tells the server after what was sent before it, and cancels (E_CANCELED)
 * the calls another thread is making through it.  The server side going
 * away is port_peers.c's.
 */
#include "tests/user/port_util.h"

#define NAME            "/obj/test.clients"

/* ---- helper processes --------------------------------------------------------- */

/* "--call": connects and sends one request, which is never answered. */
static int helper_call(int argc, char **argv)
{
    char buf[MSG_MAX];
    struct port_message req = outgoing("help", 5, NULL, 0), rep = incoming(buf, sizeof buf, NULL, 0);
    long h = connect_retry(NAME);

    (void)argc, (void)argv;
    return h < 0 ? 1 : (int)-port_request(h, &req, &rep);
}

/* "--connect": asks to connect, and waits. */
static int helper_connect(int argc, char **argv)
{
    (void)argc, (void)argv;
    return (int)-port_connect(NAME, NULL, 0);
}

static const struct helper_mode helpers[] = {
    { "--call", helper_call },
    { "--connect", helper_connect },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* ---- a client dies --------------------------------------------------------------- */

/* Serves |s| until a connect comes, accepts it; returns the server end. */
static handle_t accept_next(handle_t s)
{
    char buf[MSG_MAX];
    struct port_message m;

    ASSERT_EQ(receive_one(s, &m, buf, sizeof buf), 0);
    ASSERT_EQ(m.kind, PORT_MSG_CONNECT);
    return port_accept(s, m.id, CONTEXT);
}

/*
 * A server port *|s| and a "--call" child connected to it, accepted as
 * *|end|; its request is on the way.  Returns the child's handle.
 */
static handle_t serve_a_caller(handle_t *s, handle_t *end)
{
    handle_t child;

    *s = port_create(NAME, MSG_MAX, 0);
    child = spawn_self("--call", NULL);
    ASSERT_TRUE(*s > 0 && child > 0);
    *end = accept_next(*s);
    return child;
}

TEST(client_killed_while_server_holds_its_request)
{
    handle_t s, end;
    handle_t child = serve_a_caller(&s, &end);
    char buf[MSG_MAX];
    struct port_message m;

    ASSERT_EQ(receive_one(s, &m, buf, sizeof buf), 0);
    ASSERT_EQ(m.kind, PORT_MSG_REQUEST);
    uint64_t pid = m.pid;
    kill_and_reap(child);
    struct port_message r = outgoing("too late", 9, NULL, 0);
    r.id = m.id;
    EXPECT_ERR(port_reply(s, &r), E_PEERCLOSED);
    ASSERT_EQ(receive_one(s, &m, buf, sizeof buf), 0);
    EXPECT_EQ(m.kind, PORT_MSG_CLOSED);         /* the server learns the client left */
    EXPECT_EQ(m.context, CONTEXT);
    EXPECT_EQ(m.pid, pid);
    EXPECT_EQ(object_wait(end, 0), 0);          /* its end is signaled: closed */
    EXPECT_ERR(port_send(end, &r), E_PEERCLOSED);
    handle_close(end);
    handle_close(s);
}

TEST(client_killed_before_its_request_is_received)
{
    handle_t s, end;
    handle_t child = serve_a_caller(&s, &end);
    char buf[MSG_MAX];
    struct port_message m;

    ASSERT_EQ(object_wait(s, WAIT_NS), 0);      /* its request is queued */
    kill_and_reap(child);
    ASSERT_EQ(receive_one(s, &m, buf, sizeof buf), 0);
    EXPECT_EQ(m.kind, PORT_MSG_CLOSED);         /* the request was withdrawn */
    EXPECT_ERR(port_receive(s, &m, 0, 0), E_TIMEDOUT);
    handle_close(end);
    handle_close(s);
}

TEST(connector_killed_while_waiting)
{
    handle_t s = port_create(NAME, MSG_MAX, 0);
    handle_t first = spawn_self("--connect", NULL);
    char buf[MSG_MAX];
    struct port_message m;

    ASSERT_TRUE(s > 0 && first > 0);
    ASSERT_EQ(object_wait(s, WAIT_NS), 0);      /* queued, not received */
    kill_and_reap(first);
    EXPECT_ERR(port_receive(s, &m, 0, 0), E_TIMEDOUT);     /* withdrawn */
    handle_t second = spawn_self("--connect", NULL);
    ASSERT_EQ(receive_one(s, &m, buf, sizeof buf), 0);     /* received, then killed */
    kill_and_reap(second);
    EXPECT_ERR(port_accept(s, m.id, 0), E_PEERCLOSED);
    EXPECT_ERR(port_refuse(s, m.id), E_NOTFOUND);           /* dropped with the answer */
    handle_close(s);
}

TEST(closing_the_client_end_tells_the_server)
{
    handle_t s, client, end;
    struct port_message m;
    char buf[MSG_MAX];

    open_connection(NAME, &s, &client, &end);
    struct port_message d = outgoing("bye", 4, NULL, 0);
    EXPECT_EQ(port_send(client, &d), 0);
    EXPECT_EQ(handle_close(client), 0);
    ASSERT_EQ(receive_one(s, &m, buf, sizeof buf), 0);
    EXPECT_EQ(m.kind, PORT_MSG_DATAGRAM);       /* what it sent first, then the notice */
    ASSERT_EQ(receive_one(s, &m, buf, sizeof buf), 0);
    EXPECT_EQ(m.kind, PORT_MSG_CLOSED);
    EXPECT_EQ(m.context, CONTEXT);
    EXPECT_EQ(m.len, 0);
    EXPECT_EQ(m.pid, process_self_id());
    EXPECT_ERR(port_send(end, &d), E_PEERCLOSED);
    handle_close(end);
    handle_close(s);
}

/* A thread waiting in a request on a client end that another thread closes: E_CANCELED. */
TEST(closing_your_own_end_cancels_its_calls)
{
    handle_t s, client, end;
    struct caller c;
    struct port_message m;
    char buf[MSG_MAX];

    open_connection(NAME, &s, &client, &end);
    ASSERT_EQ(start_call(&c, client, "q", NULL, 0), 0);
    ASSERT_EQ(receive_one(s, &m, buf, sizeof buf), 0);     /* received and held */
    EXPECT_EQ(handle_close(client), 0);
    EXPECT_EQ(join(c.thread), 0);
    EXPECT_ERR(c.result, E_CANCELED);
    ASSERT_EQ(receive_one(s, &m, buf, sizeof buf), 0);
    EXPECT_EQ(m.kind, PORT_MSG_CLOSED);
    handle_close(end);
    handle_close(s);
}
