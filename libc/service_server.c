/*
 * service_server.c: the server side of the driver protocol (service.h),
 * shared by every driver: accepting connections, closing the ends of
 * clients that left, and answering requests.
 *
 * A driver's server port receives everything: connection requests,
 * requests on accepted connections (each marked with the context we gave
 * the connection: here its slot in |clients|) and PORT_MSG_CLOSED notices.
 * svc_serve_one takes one message and does the right thing with it,
 * calling the driver's |answer| for requests.  The operations every driver
 * has are done here: SVC_PING is answered (from the driver's own loop, so
 * a driver whose loop is stuck does not answer the supervisor's ping), and
 * the fault injections: after SVC_CRASH the next request writes through
 * NULL, SVC_HANG never returns.
 *
 * Exports: svc_serve_one, svc_reply_later.  No locks: a driver serves from one thread.
 */
#include <stdbool.h>
#include <service.h>

#define MAX_CLIENTS     64
#define HANG_NAP_NS     1000000000L

static handle_t clients[MAX_CLIENTS];  /* server ends, by context; 0: a free slot */
static bool crash_next;                 /* SVC_CRASH came: fault on the next request */

static void accept_client(handle_t port, uint64_t id)
{
    for (int slot = 0; slot < MAX_CLIENTS; slot++) {
        if (clients[slot] == 0) {
            handle_t end = port_accept(port, id, (uint64_t)slot);
            if (end > 0)
                clients[slot] = end;
            else
                port_refuse(port, id);
            return;
        }
    }
    port_refuse(port, id);              /* full: the client gets E_ACCESS */
}

static void client_left(uint64_t slot)
{
    if (slot < MAX_CLIENTS && clients[slot]) {
        handle_close(clients[slot]);
        clients[slot] = 0;
    }
}

/* The operations every driver has, or the driver's own |answer|. */
static void common_ops(const struct svc_request *req, handle_t handle, const struct port_message *m,
                       struct svc_reply *rep, svc_answer_fn answer)
{
    if (crash_next) {
        volatile int *null = NULL;
        *null = 1;                      /* the injected bug: it ends this driver, nothing else */
    }
    if (req->op == SVC_CRASH)
        crash_next = true;
    else if (req->op == SVC_HANG)
        for (;;)
            thread_sleep(HANG_NAP_NS);      /* stuck: no more answers, pings included */
    else if (req->op != SVC_PING)
        answer(req, handle, m, rep);
}

long svc_serve_one(handle_t port, svc_answer_fn answer)
{
    static struct svc_request req;
    static struct svc_reply rep;
    static handle_t carried;
    struct port_message m = { .data = &req, .data_room = sizeof req, .handles = &carried,
                              .handles_room = 1 };
    long r = port_receive(port, &m, 0, 0);

    if (r < 0)
        return r;
    if (m.kind == PORT_MSG_CONNECT)
        accept_client(port, m.id);
    else if (m.kind == PORT_MSG_CLOSED)
        client_left(m.context);
    if (m.kind != PORT_MSG_REQUEST)
        return 0;
    rep.status = 0;
    rep.len = 0;
    rep.flags = 0;
    if (m.len < SVC_REQUEST_HEADER || req.len > m.len - SVC_REQUEST_HEADER)
        rep.status = E_INVAL;           /* never trust the client */
    else
        common_ops(&req, m.nhandles ? carried : 0, &m, &rep, answer);
    return rep.flags & SVC_REPLY_LATER ? 0 : svc_reply_later(port, m.id, &rep);
}

long svc_reply_later(handle_t port, uint64_t id, const struct svc_reply *rep)
{
    struct port_message out = { .data = (void *)rep, .len = (uint32_t)(SVC_REPLY_HEADER + rep->len),
                                .id = id };

    return port_reply(port, &out);
}
