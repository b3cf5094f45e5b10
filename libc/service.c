/*
 * service.c: the client side of the driver protocol (service.h): one call,
 * which reconnects when the driver has died and been restarted.
 *
 * A driver's death fails our pending and later requests with E_PEERCLOSED
 * (the port's rule, docs/07-ports.md).  We then close the dead connection,
 * connect to the name again (it is gone until the supervisor has started a
 * new driver, so we poll for it, up to SVC_RECONNECT_NS) and send the same
 * request again.  A request the old driver finished just before dying is
 * thus done twice, and one it had not finished is done once: the drivers'
 * operations are written so that both are harmless (docs/09-drivers.md).
 *
 * Exports: svc_call, clock_read.  No locks: a connection belongs to one
 * thread at a time (clock_read's to whoever calls it: one thread per program).
 */
#include <string.h>
#include <service.h>

#define RECONNECT_POLL_NS   (10 * 1000000L)

/* Connects |c|, waiting up to SVC_RECONNECT_NS for its name to appear. */
static long reconnect(struct svc_conn *c)
{
    long deadline = clock_now() + SVC_RECONNECT_NS;
    handle_t port;

    if (c->port > 0)
        handle_close(c->port);
    c->port = 0;
    while ((port = port_connect(c->name, NULL, 0)) == E_NOTFOUND && clock_now() < deadline)
        thread_sleep(RECONNECT_POLL_NS);
    if (port < 0)
        return port;
    c->port = port;
    return 0;
}

/* One request and its reply; E_PEERCLOSED when the driver is gone. */
static long request_once(struct svc_conn *c, const struct svc_request *req, handle_t handle,
                         struct svc_reply *rep)
{
    struct port_message out = { .data = (void *)req, .len = (uint32_t)(SVC_REQUEST_HEADER + req->len) };
    struct port_message in = { .data = rep, .data_room = sizeof *rep };

    if (handle) {
        out.handles = &handle;
        out.nhandles = 1;
    }
    long r = port_request(c->port, &out, &in);
    if (r < 0)
        return r;
    if (in.len < SVC_REPLY_HEADER || rep->len > in.len - SVC_REPLY_HEADER)
        return E_INVAL;                 /* a malformed reply: never trust the server either */
    return 0;
}

/* Fills |req| for |op| and |len| bytes of |data|; E_TOOBIG when they do not fit. */
static long fill(struct svc_request *req, uint32_t op, const void *data, uint32_t len)
{
    if (len > SVC_DATA_MAX)
        return E_TOOBIG;
    req->op = op;
    req->len = len;
    memcpy(req->data, data, len);
    return 0;
}

/* The reply's data to |out| (at most |room| bytes), and its status. */
static long take(const struct svc_reply *rep, void *out, uint32_t room)
{
    memcpy(out, rep->data, rep->len < room ? rep->len : room);
    return rep->status;
}

long svc_call(struct svc_conn *c, uint32_t op, const void *data, uint32_t len, handle_t handle,
              void *out, uint32_t room)
{
    struct svc_request req;             /* on the stack: callers may be threads of one process */
    struct svc_reply rep;
    long r = fill(&req, op, data, len);

    if (r == 0 && c->port <= 0)
        r = reconnect(c);
    if (r == 0)
        r = request_once(c, &req, handle, &rep);
    if (r == E_PEERCLOSED && (r = reconnect(c)) == 0)
        r = request_once(c, &req, handle, &rep);    /* the driver was restarted: once more */
    return r < 0 ? r : take(&rep, out, room);
}

long svc_call_once(struct svc_conn *c, uint32_t op, const void *data, uint32_t len, handle_t handle,
                   void *out, uint32_t room)
{
    struct svc_request req;
    struct svc_reply rep;
    long r = fill(&req, op, data, len);

    if (r == 0 && c->port <= 0)
        r = c->port = port_connect(c->name, NULL, 0);
    if (r >= 0)
        r = request_once(c, &req, handle, &rep);
    if (r < 0 && c->port > 0)
        handle_close(c->port);
    if (r < 0)
        c->port = 0;
    return r < 0 ? r : take(&rep, out, room);
}

long clock_read(struct clock_time *t)
{
    static struct svc_conn clock = { CLOCK_PORT_NAME, 0 };

    memset(t, 0, sizeof *t);
    return svc_call(&clock, CLOCK_READ, NULL, 0, 0, t, sizeof *t);
}
