/*
 * fuzz_port.h: the fuzzer's scripted request and reply (user/fuzz.c).
 *
 * A port request needs a server that receives it and replies to its id
 * while the caller waits; random draws never line those up, so no seed got
 * a port_request or a port_reply through (docs/11-fuzzing.md).  So each
 * worker runs one more thread, the server: it receives on the pool's port
 * with fuzzed buffers and answers every request with a fuzzed reply (its
 * bytes, length, handles and id, the handle it replies through, alone with
 * port_reply or together with the next receive), and accepts or refuses
 * the connections that reach it.  On the other side, half the port_request
 * and port_request_timeout draws go to the worker's connection with a
 * request whose fields are fuzzed.  Everything else about the calls (the
 * other threads racing them, kills, closes) stays random.
 */
#ifndef EMBER_USER_FUZZ_PORT_H
#define EMBER_USER_FUZZ_PORT_H

#include <ember.h>
#include <syscall_desc.h>
#include "user/fuzz_args.h"

#define SCRIPT_AREA         (5 * 4096)  /* where in the scratch pages a scripted request lies */
#define SCRIPT_REPLY_ROOM   4096        /* the reply's data room (at SCRIPT_AREA + 4096) */
#define SCRIPT_BYTES_MAX    300         /* a little over the worker's port's 256-byte limit */

/* The two ends a script uses, and how it tells the worker a call was made. */
struct port_script {
    handle_t server;                    /* the pool's server port */
    handle_t client;                    /* a connection to it */
    void (*note)(int call, long ret);   /* counts the call, as fuzz_one counts a drawn one */
};

/* Up to |max| handles from the pool, at |h|; how many (mostly none: each one sent moves). */
static uint32_t script_handles(struct rng *r, struct fuzz_world *w, handle_t *h, uint32_t max)
{
    uint32_t n = rng_chance(r, 70) ? 0 : rng_below(r, max + 1);

    for (uint32_t i = 0; i < n; i++)
        h[i] = w->pool[rng_below(r, POOL_SIZE)];
    return n;
}

/* A length: mostly one the port takes, sometimes over its limit or anything at all. */
static uint32_t script_length(struct rng *r)
{
    return rng_chance(r, 85) ? rng_below(r, SCRIPT_BYTES_MAX) : (uint32_t)arg_length(r);
}

/*
 * Turns the drawn arguments |a| of port_request or port_request_timeout
 * into a scripted request: our connection (mostly), a request message with
 * fuzzed fields and a reply message with room (mostly).  The timeout, if
 * any, stays as drawn.
 */
static void port_script_request(struct rng *r, struct fuzz_world *w, const struct port_script *s,
                                uint64_t a[6])
{
    uint8_t *area = w->scratch + SCRIPT_AREA;
    struct port_message *req = (struct port_message *)area, *rep = req + 1;
    handle_t *hs = (handle_t *)(area + 1024);

    *req = (struct port_message){ .data = area + 2048, .len = script_length(r),
                                  .handles = hs,
                                  .nhandles = script_handles(r, w, hs, PORT_MAX_HANDLES + 1) };
    if (req->len <= 2048)
        memset(req->data, (int)rng_below(r, 256), req->len);
    *rep = (struct port_message){ .data = area + 4096, .data_room = rng_below(r, SCRIPT_REPLY_ROOM + 1),
                                  .handles = hs + PORT_MAX_HANDLES + 1,
                                  .handles_room = rng_below(r, PORT_MAX_HANDLES + 1) };
    if (rng_chance(r, 90))
        a[0] = (uint64_t)s->client;
    a[1] = (uintptr_t)req;
    a[2] = rng_chance(r, 85) ? (uintptr_t)rep : arg_pointer(r, w, 1);
}

/* The server's buffers: one thread uses them. */
static uint8_t script_data[PORT_MAX_MESSAGE];
static handle_t script_got[PORT_MAX_HANDLES + 1];    /* received, or to send (one too many) */

static const long script_timeouts[] = { 0, 1000000, 5000000, TIMEOUT_INFINITE };

/* Sets |m| up to receive into the server's buffers, with fuzzed room. */
static void script_room(struct rng *r, struct port_message *m)
{
    m->data = script_data;
    m->data_room = rng_chance(r, 80) ? PORT_MAX_MESSAGE : rng_below(r, PORT_MAX_MESSAGE);
    m->handles = script_got;
    m->handles_room = rng_chance(r, 80) ? PORT_MAX_HANDLES : rng_below(r, PORT_MAX_HANDLES);
}

/* Receives the next message into |m|; its result, and < 0 when |m| holds no message. */
static long port_script_receive(struct rng *r, struct fuzz_world *w, const struct port_script *s,
                                struct port_message *m)
{
    int straight = rng_chance(r, 90);
    long ret;

    *m = (struct port_message){ 0 };
    script_room(r, m);
    ret = port_receive(s->server, straight ? m : (struct port_message *)arg_pointer(r, w, 1),
                       rng_chance(r, 95) ? 0 : arg_flags(r), PICK(r, script_timeouts));
    s->note(SYS_port_receive, ret);
    return straight ? ret : E_INVAL;
}

/*
 * Answers the message in |m|: a request gets a fuzzed reply, through
 * port_reply or through port_receive with PORT_RECEIVE_REPLY (which then
 * leaves the next message in |m| and returns >= 0); a connection is
 * accepted or refused.  Handles that came with it join the pool.
 */
static long port_script_answer(struct rng *r, struct fuzz_world *w, const struct port_script *s,
                               struct port_message *m)
{
    handle_t port = rng_chance(r, 85) ? s->server : arg_handle(r, w, "port");
    long ret;

    for (uint32_t i = 0; i < m->nhandles && i < PORT_MAX_HANDLES; i++)
        w->pool[rng_below(r, POOL_SIZE)] = script_got[i];
    if (m->kind == PORT_MSG_CONNECT) {
        int accept = rng_chance(r, 50);
        ret = accept ? port_accept(port, (long)m->id, (long)rng_below(r, 4)) : port_refuse(port, (long)m->id);
        s->note(accept ? SYS_port_accept : SYS_port_refuse, ret);
        return E_INVAL;
    }
    if (m->kind != PORT_MSG_REQUEST)
        return E_INVAL;                 /* a datagram or a close notice: nothing to answer */
    uint64_t id = rng_chance(r, 90) ? m->id : arg_value(r, w, "id");
    *m = (struct port_message){ .data = script_data, .len = script_length(r), .handles = script_got,
                                .nhandles = script_handles(r, w, script_got, PORT_MAX_HANDLES + 1),
                                .id = id };
    if (rng_chance(r, 50)) {
        ret = port_reply(port, rng_chance(r, 95) ? m : (struct port_message *)arg_pointer(r, w, 0));
        s->note(SYS_port_reply, ret);
        return E_INVAL;
    }
    script_room(r, m);                  /* the reply goes out of these buffers, the next comes in */
    ret = port_receive(port, m, PORT_RECEIVE_REPLY, PICK(r, script_timeouts));
    s->note(SYS_port_receive, ret);
    return ret;
}

#endif
