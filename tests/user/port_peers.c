/*
 * port_peers: ports when the server side goes away, and what goes with a
 * port (ARCHITECTURE.md sections 4 and 6; docs/07-ports.md, "When a side
 * dies"):
 *
 *   a server killed while 8 clients are mid-call (4 requests received and
 *   held, 4 still queued): every client gets E_PEERCLOSED, none hangs, and
 *   every later call fails the same way;
 *   closing the server port fails every call and connect waiting on it
 *   (E_PEERCLOSED) and frees its name at once; closing a server end fails
 *   its client's call the same way;
 *   handles in flight are closed when their port goes (the runner's leak
 *   check, and the counts here);
 *   ports nested inside messages 200 deep are torn down, by closing and by
 *   a process exit, without exhausting the kernel stack;
 *   a restarted server registers the same name again and clients reconnect;
 *   the kvserver/kvclient demo survives its server being killed and restarted.
 */
#include "tests/user/port_util.h"

#define NAME            "/obj/test.peers"
#define READY_NAME      "/obj/test.peers.ready"
#define KV_NAME         "/obj/kv"                   /* user/kv.h */
#define CLIENTS         8
#define HELD            4                           /* of CLIENTS: received, the rest stay queued */
#define NEST_DEPTH      200
#define IN_FLIGHT       10
#define KV_NOT_FOUND    2                           /* kvclient's exit code for "no such key" */

/* ---- helper processes --------------------------------------------------------- */

/* "--hold": accepts every client, takes HELD requests and never answers them; then sets READY_NAME. */
static int helper_hold(int argc, char **argv)
{
    char buf[MSG_MAX];
    struct port_message m;
    handle_t s = port_create(NAME, MSG_MAX, 0), ready = object_open(READY_NAME, OB_TYPE_EVENT);
    int held = 0;

    (void)argc, (void)argv;
    while (held < HELD && s > 0 && receive_one(s, &m, buf, sizeof buf) >= 0) {
        if (m.kind == PORT_MSG_CONNECT)
            port_accept(s, m.id, 0);
        held += m.kind == PORT_MSG_REQUEST;
    }
    event_set(ready);
    return helper_sleep(0, NULL);
}

/* "--echo": a server answering every request with its own bytes, forever. */
static int helper_echo(int argc, char **argv)
{
    char buf[MSG_MAX];
    struct port_message m = incoming(buf, sizeof buf, NULL, 0);
    handle_t s = port_create(NAME, MSG_MAX, 0);
    unsigned long flags = 0;

    (void)argc, (void)argv;
    while (s > 0) {
        m.data_room = sizeof buf;
        long r = port_receive(s, &m, flags, TIMEOUT_INFINITE);
        flags = r == 0 && m.kind == PORT_MSG_REQUEST ? PORT_RECEIVE_REPLY : 0;
        if (r == 0 && m.kind == PORT_MSG_CONNECT)
            port_accept(s, m.id, 0);
    }
    return 1;
}

static int build_nest(void);

/* "--nest": builds the 200-deep nest and exits with every handle open. */
static int helper_nest(int argc, char **argv)
{
    (void)argc, (void)argv;
    return build_nest();
}

static const struct helper_mode helpers[] = {
    { "--hold", helper_hold },
    { "--echo", helper_echo },
    { "--nest", helper_nest },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* ---- a server dies ------------------------------------------------------------ */

struct client {
    handle_t port, go;
    volatile long result;
    handle_t thread;
};

static volatile int connected;

static void client_main(void *arg)
{
    struct client *c = arg;
    char buf[MSG_MAX];
    struct port_message req = outgoing("q", 2, NULL, 0), rep = incoming(buf, sizeof buf, NULL, 0);

    c->port = connect_retry(NAME);
    __atomic_add_fetch(&connected, 1, __ATOMIC_SEQ_CST);
    object_wait(c->go, TIMEOUT_INFINITE);
    c->result = c->port < 0 ? c->port : port_request(c->port, &req, &rep);
}

TEST(server_killed_mid_call_fails_every_client)
{
    struct client c[CLIENTS];
    handle_t ready = event_create(EVENT_MANUAL_RESET, READY_NAME);
    handle_t go = event_create(EVENT_MANUAL_RESET, NULL);
    handle_t server = spawn_self("--hold", NULL);
    long deadline = clock_now() + WAIT_NS;

    ASSERT_TRUE(server > 0);
    for (int i = 0; i < CLIENTS; i++) {
        c[i] = (struct client){ 0, go, NOT_YET, 0 };
        ASSERT_TRUE((c[i].thread = thread_start(client_main, &c[i], THREAD_STACK)) > 0);
    }
    while (connected < CLIENTS && clock_now() < deadline)
        thread_yield();
    ASSERT_EQ(connected, CLIENTS);
    event_set(go);
    ASSERT_EQ(object_wait(ready, WAIT_NS), 0);  /* HELD requests received, the rest queued */
    ASSERT_TRUE(settle_blocked(CLIENTS));       /* every client inside port_request */
    kill_and_reap(server);
    for (int i = 0; i < CLIENTS; i++) {
        EXPECT_EQ(join(c[i].thread), 0);        /* none hangs */
        EXPECT_ERR(c[i].result, E_PEERCLOSED);
    }
    struct port_message d = outgoing("x", 1, NULL, 0);
    EXPECT_ERR(port_send(c[0].port, &d), E_PEERCLOSED);           /* and later calls too */
    EXPECT_EQ(object_wait(c[0].port, 0), 0);                       /* signaled: peer gone */
    EXPECT_ERR(port_receive(c[0].port, &d, 0, 0), E_PEERCLOSED);
    for (int i = 0; i < CLIENTS; i++)
        handle_close(c[i].port);
    handle_close(ready);
    handle_close(go);
}

TEST(closing_the_server_port_fails_everyone_and_frees_the_name)
{
    handle_t s, client, end;
    struct caller c;
    struct connector k = { NAME, NULL, 0, NOT_YET };

    open_connection(NAME, &s, &client, &end);
    ASSERT_EQ(start_call(&c, client, "q", NULL, 0), 0);
    handle_t t = thread_start(connector_main, &k, THREAD_STACK);
    ASSERT_TRUE(settle_blocked(2));             /* a request and a connect, both queued */
    EXPECT_EQ(handle_close(s), 0);
    EXPECT_EQ(join(c.thread), 0);
    EXPECT_ERR(c.result, E_PEERCLOSED);
    EXPECT_EQ(join(t), 0);
    EXPECT_ERR(k.result, E_PEERCLOSED);
    handle_t again = port_create(NAME, MSG_MAX, 0);  /* the name is free at once */
    EXPECT_TRUE(again > 0);
    struct port_message d = outgoing("x", 1, NULL, 0);
    EXPECT_ERR(port_send(client, &d), E_PEERCLOSED);
    EXPECT_ERR(port_send(end, &d), E_PEERCLOSED);
    handle_close(again);
    handle_close(client);
    handle_close(end);
}

TEST(closing_the_server_end_fails_its_client)
{
    handle_t s, client, end;
    struct caller c;
    char buf[MSG_MAX];
    struct port_message m;

    open_connection(NAME, &s, &client, &end);
    ASSERT_EQ(start_call(&c, client, "q", NULL, 0), 0);
    ASSERT_EQ(receive_one(s, &m, buf, sizeof buf), 0);     /* received and held */
    struct port_message d = outgoing("last words", 11, NULL, 0);
    EXPECT_EQ(port_send(end, &d), 0);
    EXPECT_EQ(handle_close(end), 0);
    EXPECT_EQ(join(c.thread), 0);
    EXPECT_ERR(c.result, E_PEERCLOSED);
    struct port_message r = outgoing("late", 5, NULL, 0);
    r.id = m.id;
    EXPECT_ERR(port_reply(s, &r), E_PEERCLOSED);           /* its caller is gone */
    EXPECT_EQ(receive_one(client, &m, buf, sizeof buf), 0);    /* what was sent before still arrives */
    EXPECT_STR(buf, "last words");
    EXPECT_ERR(receive_one(client, &m, buf, sizeof buf), E_PEERCLOSED);
    EXPECT_ERR(port_request(client, &d, &m), E_PEERCLOSED);
    handle_close(client);
    handle_close(s);
}

TEST(restarted_server_registers_the_name_again)
{
    char buf[MSG_MAX];
    struct port_message req = outgoing("hi", 3, NULL, 0), rep = incoming(buf, sizeof buf, NULL, 0);
    handle_t server = spawn_self("--echo", NULL);
    long client = connect_retry(NAME);

    ASSERT_TRUE(server > 0 && client > 0);
    EXPECT_EQ(port_request(client, &req, &rep), 0);
    EXPECT_STR(buf, "hi");
    kill_and_reap(server);
    EXPECT_ERR(port_request(client, &req, &rep), E_PEERCLOSED);
    handle_close(client);
    server = spawn_self("--echo", NULL);        /* the same name, registered again */
    client = connect_retry(NAME);
    ASSERT_TRUE(client > 0);
    rep = incoming(buf, sizeof buf, NULL, 0);
    EXPECT_EQ(port_request(client, &req, &rep), 0);
    EXPECT_STR(buf, "hi");
    handle_close(client);
    kill_and_reap(server);
}

/* ---- what goes with a port ----------------------------------------------------------- */

TEST(handles_in_flight_are_closed_with_their_port)
{
    handle_t s, client, end;
    long events = live_count("Evnt");

    open_connection(NAME, &s, &client, &end);
    for (int i = 0; i < IN_FLIGHT; i++) {
        handle_t up = event_create(0, NULL), down = event_create(0, NULL);
        struct port_message d = outgoing("e", 1, &up, 1);
        ASSERT_EQ(port_send(client, &d), 0);
        d = outgoing("e", 1, &down, 1);
        ASSERT_EQ(port_send(end, &d), 0);
    }
    EXPECT_EQ(live_count("Evnt"), events + 2 * IN_FLIGHT);
    EXPECT_EQ(handle_close(s), 0);              /* never received: dropped, events closed */
    EXPECT_EQ(live_count("Evnt"), events + IN_FLIGHT);
    EXPECT_EQ(handle_close(client), 0);         /* its queue too */
    EXPECT_EQ(live_count("Evnt"), events);
    handle_close(end);
}

/*
 * A port nested inside messages NEST_DEPTH deep: client end i holds, in its
 * queue, a datagram carrying a handle to client end i + 1, and so on.  One
 * connector thread makes the connections while this thread accepts them.
 */
struct nest {
    handle_t server, client[NEST_DEPTH], end[NEST_DEPTH];
};

static struct nest nest;

static void nest_connector(void *arg)
{
    (void)arg;
    for (int i = 0; i < NEST_DEPTH; i++)
        nest.client[i] = port_connect(NAME, NULL, 0);
}

static int build_nest(void)
{
    char buf[MSG_MAX];
    struct port_message m;

    if ((nest.server = port_create(NAME, MSG_MAX, 1)) < 0)
        return 1;
    handle_t t = thread_start(nest_connector, NULL, THREAD_STACK);
    for (int i = 0; i < NEST_DEPTH; i++)
        if (receive_one(nest.server, &m, buf, sizeof buf) < 0 ||
            (nest.end[i] = port_accept(nest.server, m.id, i)) < 0)
            return 1;
    if (join(t) < 0)
        return 1;
    for (int i = 0; i + 1 < NEST_DEPTH; i++) {
        handle_t inner = handle_duplicate(nest.client[i + 1], 0, RIGHT_SAME);
        struct port_message d = outgoing("nest", 5, &inner, 1);
        if (inner < 0 || port_send(nest.end[i], &d) < 0)
            return 1;
    }
    return 0;
}

TEST(ports_nested_200_deep_are_torn_down)
{
    long ports = live_count("Port"), messages = live_count("PMsg");
    struct process_status st;

    ASSERT_EQ(build_nest(), 0);
    for (int i = 0; i < NEST_DEPTH; i++)       /* each end but the last holds the next */
        EXPECT_EQ(object_wait(nest.client[i], 0), i + 1 < NEST_DEPTH ? 0 : E_TIMEDOUT);
    for (int i = 0; i < NEST_DEPTH; i++) {      /* the outermost first */
        handle_close(nest.client[i]);
        handle_close(nest.end[i]);
    }
    handle_close(nest.server);
    EXPECT_EQ(live_count("Port"), ports);
    EXPECT_EQ(live_count("PMsg"), messages);
    ASSERT_EQ(run_self("--nest", NULL, &st), 0);    /* and by a process exit */
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, 0);
    EXPECT_EQ(live_count("Port"), ports);
    EXPECT_EQ(live_count("PMsg"), messages);
}

/* ---- the demo ------------------------------------------------------------------------ */

/* Runs kvclient with |args| (at most 8); its exit code, or -1. */
static long kvclient(const char *const *args, int n)
{
    const char *argv[10] = { "/bin/kvclient" };
    struct process_status st;

    for (int i = 0; i < n; i++)
        argv[i + 1] = args[i];
    argv[n + 1] = NULL;
    if (run_child("/bin/kvclient", argv, &st) < 0 || st.state != PROCESS_EXITED)
        return -1;
    return st.exit_code;
}

static handle_t start_kvserver(void)
{
    const char *argv[] = { "/bin/kvserver", NULL };
    handle_t h = process_spawn("/bin/kvserver", argv, NULL, 0);
    long deadline = clock_now() + WAIT_NS;
    handle_t probe;

    while ((probe = object_open(KV_NAME, OB_TYPE_PORT)) < 0 && clock_now() < deadline)
        thread_sleep(RETRY_NS);
    if (probe > 0)
        handle_close(probe);
    return h;
}

TEST(kv_demo_survives_a_server_restart)
{
    static const char *set_a[] = { "set", "a", "1" }, *get_a[] = { "get", "a" };
    static const char *slow[] = { "set", "x", "1", "sleep", "1000", "set", "y", "2", "get", "y" };
    static const char *get_x[] = { "get", "x" };
    handle_t server = start_kvserver();
    struct process_status st;

    ASSERT_TRUE(server > 0);
    EXPECT_EQ(kvclient(set_a, 3), 0);
    EXPECT_EQ(kvclient(get_a, 2), 0);
    const char *argv[12] = { "/bin/kvclient" };
    memcpy(argv + 1, slow, sizeof slow);
    handle_t client = process_spawn("/bin/kvclient", argv, NULL, 0);   /* one connection, held */
    ASSERT_TRUE(client > 0);
    long deadline = clock_now() + WAIT_NS;
    while (kvclient(get_x, 2) != 0 && clock_now() < deadline)  /* its first set is done */
        thread_sleep(RETRY_NS);
    kill_and_reap(server);
    server = start_kvserver();                  /* a new server: an empty store */
    ASSERT_TRUE(server > 0);
    ASSERT_EQ(reap(client, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, 0);                 /* it reconnected for "set y" */
    EXPECT_EQ(kvclient(get_a, 2), KV_NOT_FOUND);
    kill_and_reap(server);
}
