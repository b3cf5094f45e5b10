/*
 * port_util.h: helpers for the port suites (ports_*.c, port_peers.c,
 * port_clients.c): message descriptors, a connection made inside one
 * process, a request made from a thread, connecting to a server that is
 * still starting, kernel counts by tag.  A header of static functions, so
 * not a suite.
 */
#ifndef EMBER_TESTS_USER_PORT_UTIL_H
#define EMBER_TESTS_USER_PORT_UTIL_H

#include <stdio.h>
#include "tests/user/util.h"

#define MSG_MAX             256                 /* the test ports' max_message */
#define CONTEXT             0xc0ffee            /* what the cases give port_accept */
#define WAIT_NS             (10 * NS_PER_SEC)   /* for anything that should come at once */
#define RETRY_NS            NS_PER_MS           /* between tries while a server is starting */
#define THREAD_STACK        (16 * 1024)

/* A descriptor to send |len| bytes of |data| and |n| handles from |hs|. */
static inline struct port_message outgoing(const void *data, size_t len, handle_t *hs, size_t n)
{
    return (struct port_message){ .data = (void *)data, .len = (uint32_t)len, .handles = hs,
                                  .nhandles = (uint32_t)n };
}

/* A descriptor to receive into |room| bytes at |buf| and |hroom| handles at |hs|. */
static inline struct port_message incoming(void *buf, size_t room, handle_t *hs, size_t hroom)
{
    return (struct port_message){ .data = buf, .data_room = (uint32_t)room, .handles = hs,
                                  .handles_room = (uint32_t)hroom };
}

/* Waits for the thread |t| to end (it should, at once) and closes its handle. */
static inline long join(handle_t t)
{
    long r = object_wait(t, WAIT_NS);

    handle_close(t);
    return r;
}

/* The live objects of |tag| ("Port", "PMsg", "Evnt") in the kernel right now. */
static inline long live_count(const char *tag)
{
    static struct system_stats s;

    system_stats(&s, sizeof s);
    return stats_live(&s, tag);
}

/* port_connect, retrying while the server has not registered |name| yet (for WAIT_NS at most). */
static inline long connect_retry(const char *name)
{
    long deadline = clock_now() + WAIT_NS, h;

    while ((h = port_connect(name, NULL, 0)) == E_NOTFOUND && clock_now() < deadline)
        thread_sleep(RETRY_NS);
    return h;
}

/*
 * A helper process's one call: connects to |name| and sends |text| as a
 * request, returning what port_request returned (the cases kill it while
 * it waits in there).
 */
static inline int request_once(const char *name, const char *text)
{
    handle_t port = connect_retry(name);
    char in[MSG_MAX];
    struct port_message req = outgoing(text, strlen(text) + 1, NULL, 0);
    struct port_message rep = incoming(in, sizeof in, NULL, 0);

    return port > 0 ? (int)port_request(port, &req, &rep) : 1;
}

/* ---- a connection inside this process ------------------------------------- */

/* A thread that connects, so that this one can accept. */
struct connector {
    const char *name;
    const void *data;
    size_t len;
    volatile long result;
};

static inline void connector_main(void *arg)
{
    struct connector *c = arg;

    c->result = port_connect(c->name, c->data, c->len);
}

/* Receives the next message on |port| into |m| (over |buf|), waiting at most WAIT_NS. */
static inline long receive_one(handle_t port, struct port_message *m, void *buf, size_t room)
{
    *m = incoming(buf, room, NULL, 0);
    return port_receive(port, m, 0, WAIT_NS);
}

/*
 * A server port |name| and one connection to it: *|client| is the client
 * end, *|end| the server end (accepted with CONTEXT).  ASSERTs on failure.
 */
static inline void open_connection(const char *name, handle_t *server, handle_t *client, handle_t *end)
{
    struct connector c = { name, NULL, 0, NOT_YET };
    struct port_message m;
    char buf[MSG_MAX];

    *server = port_create(name, MSG_MAX, PORT_MAX_HANDLES);
    ASSERT_TRUE(*server > 0);
    handle_t t = thread_start(connector_main, &c, THREAD_STACK);
    ASSERT_TRUE(t > 0);
    ASSERT_EQ(receive_one(*server, &m, buf, sizeof buf), 0);
    ASSERT_EQ(m.kind, PORT_MSG_CONNECT);
    *end = port_accept(*server, m.id, CONTEXT);
    ASSERT_TRUE(*end > 0);
    ASSERT_EQ(join(t), 0);
    *client = c.result;
    ASSERT_TRUE(*client > 0);
}

static inline void close_connection(handle_t server, handle_t client, handle_t end)
{
    EXPECT_EQ(handle_close(client), 0);
    EXPECT_EQ(handle_close(end), 0);
    EXPECT_EQ(handle_close(server), 0);
}

/* ---- a request made by another thread -------------------------------------- */

struct caller {
    handle_t port;
    struct port_message request, reply;
    char out[MSG_MAX], in[MSG_MAX];
    handle_t out_handles[PORT_MAX_HANDLES], in_handles[PORT_MAX_HANDLES];
    volatile long result;
    handle_t thread;
};

static inline void caller_main(void *arg)
{
    struct caller *c = arg;

    c->result = port_request(c->port, &c->request, &c->reply);
}

/*
 * Starts a thread sending |text| (and |n| handles of |hs|) as a request
 * through |port|, with room for a reply of |room| bytes and |hroom| handles.
 */
static inline long start_call_room(struct caller *c, handle_t port, const char *text,
                                   const handle_t *hs, size_t n, size_t room, size_t hroom)
{
    c->port = port;
    snprintf(c->out, sizeof c->out, "%s", text);
    if (n)
        memcpy(c->out_handles, hs, n * sizeof hs[0]);
    c->request = outgoing(c->out, strlen(c->out) + 1, c->out_handles, n);
    c->reply = incoming(c->in, room, c->in_handles, hroom);
    c->result = NOT_YET;
    c->thread = thread_start(caller_main, c, THREAD_STACK);
    return c->thread < 0 ? c->thread : 0;
}

static inline long start_call(struct caller *c, handle_t port, const char *text, const handle_t *hs,
                              size_t n)
{
    return start_call_room(c, port, text, hs, n, MSG_MAX, PORT_MAX_HANDLES);
}

#endif
