/*
 * sys_port.c: the port (LPC) calls: create, connect, accept, refuse,
 * request, send, receive, reply.
 *
 * Each handler copies in the struct port_message it was given (and, for one
 * the call writes back, checks at once that it can: nothing has happened
 * yet if not), looks the port up, builds a kernel message from the user's
 * bytes and handles (message_copy_in: copied, looked up, nothing moved) and
 * hands it to kernel/ipc; what comes back is written out by message_deliver.
 * Limits and error codes are documented in kernel/ipc/port.h and
 * docs/07-ports.md.
 */
#include "kernel/ipc/port.h"
#include "kernel/ob/handle.h"
#include "kernel/ob/namespace.h"
#include "kernel/proc/process.h"
#include "kernel/sched/sched.h"
#include "kernel/syscall/create.h"

struct port_limits {
    uint32_t max_message, max_handles;
};

static long desc_in(struct port_message *d, uint64_t u)
{
    return copy_from_user(d, user_ptr_of(u), sizeof *d);
}

/* A descriptor the call fills in at the end: read it, and make sure now that it can be written. */
static long desc_inout(struct port_message *d, uint64_t u)
{
    long err = desc_in(d, u);

    return err < 0 ? err : check_writable(user_ptr_of(u), sizeof *d);
}

static long get_port(handle_t h, rights_t rights, struct ob **out)
{
    return handle_get(current_process(), h, &port_type, rights, out);
}

static struct ob *make_port(void *limits)
{
    const struct port_limits *l = limits;

    return port_create(l->max_message, l->max_handles);
}

// long port_create(const char *name, size_t max_message, size_t max_handles)
// A server port called |name| (required: clients find it by name).  E_INVAL
// past PORT_MAX_MESSAGE or PORT_MAX_HANDLES, E_EXISTS when the name is taken.
long sys_port_create(const struct syscall_args *a)
{
    struct port_limits l = { (uint32_t)a->arg[1], (uint32_t)a->arg[2] };

    if (!a->arg[0] || a->arg[1] > PORT_MAX_MESSAGE || a->arg[2] > PORT_MAX_HANDLES)
        return E_INVAL;
    return create_object(&port_type, user_ptr_of(a->arg[0]), 0, make_port, &l);
}

/* The connect message: |len| bytes from |data|, copied before the name is even looked up. */
static long connect_message(user_ptr data, size_t len, struct message **out)
{
    if (!user_range_ok(data.addr, len))
        return E_FAULT;
    if (len > PORT_MAX_MESSAGE)
        return E_TOOBIG;
    *out = message_alloc(PORT_MSG_CONNECT, (uint32_t)len, NULL);
    if (!*out)
        return E_NOMEM;
    if (copy_from_user((*out)->data, data, len) < 0) {
        message_free(*out);
        return E_FAULT;
    }
    return 0;
}

// long port_connect(const char *name, const void *data, size_t len)
// Connects to the server port |name|, sending |len| bytes of connect data;
// waits until the server accepts (returns the client end's handle) or
// refuses (E_ACCESS).  E_NOTFOUND, E_WRONGTYPE, E_TOOBIG, E_AGAIN, E_PEERCLOSED.
long sys_port_connect(const struct syscall_args *a)
{
    char name[OB_NAME_MAX];
    struct message *m;
    struct ob *client;
    long err = strncpy_from_user(name, user_ptr_of(a->arg[0]), sizeof name);

    if (err >= 0)
        err = connect_message(user_ptr_of(a->arg[1]), a->arg[2], &m);
    if (err < 0)
        return err;
    struct ob *server = ob_name_lookup(name);
    if (!server || server->type != &port_type) {
        message_free(m);
        return server ? E_WRONGTYPE : E_NOTFOUND;
    }
    ob_ref(server);                     /* the name does not keep it alive while we wait */
    err = port_connect(server, m, &client);
    ob_unref(server);
    if (err < 0)
        return err;
    handle_t h = handle_install(current_process(), client, port_type.default_rights);
    ob_unref(client);                   /* without a handle, the new connection ends here */
    return h;
}

// long port_accept(handle_t port, long id, long context)
// Accepts connect request |id|; messages from this client will carry
// |context|.  Returns the server end's handle.
long sys_port_accept(const struct syscall_args *a)
{
    struct ob *o;
    long r = get_port(a->arg[0], RIGHT_WRITE, &o);

    if (r < 0)
        return r;
    r = port_accept(o, a->arg[1], a->arg[2]);
    ob_unref(o);
    return r;
}

// long port_refuse(handle_t port, long id): connect request |id| fails with E_ACCESS.
long sys_port_refuse(const struct syscall_args *a)
{
    struct ob *o;
    long r = get_port(a->arg[0], RIGHT_WRITE, &o);

    if (r < 0)
        return r;
    r = port_refuse(o, a->arg[1]);
    ob_unref(o);
    return r;
}

/* A request through the client end |h| (|ureq|, |urep|: user descriptors), waiting until |deadline|. */
static long request(handle_t h, uint64_t ureq, uint64_t urep, uint64_t deadline)
{
    struct port_message req, rep;
    struct message *m;
    struct ob *o;
    long err = desc_in(&req, ureq);

    if (err == 0)
        err = desc_inout(&rep, urep);
    if (err == 0)
        err = get_port(h, RIGHT_WRITE, &o);
    if (err < 0)
        return err;
    err = port_message_from_user(o, PORT_MSG_REQUEST, &req, &m);
    if (err == 0) {
        struct port_call call;          /* port_request fills in the rest */
        call.data_room = rep.data_room;
        call.handles_room = rep.handles_room;
        err = port_request(o, m, &call, deadline);
        if (err == 0) {
            err = message_deliver(call.reply, &rep, user_ptr_of(urep));
            port_message_free(o, call.reply);  /* undelivered: its handles close */
        }
    }
    ob_unref(o);
    return err;
}

// long port_request(handle_t port, const struct port_message *request, struct port_message *reply)
// Sends |request| through a client end and waits: 0 with the reply in |reply|.
long sys_port_request(const struct syscall_args *a)
{
    return request(a->arg[0], a->arg[1], a->arg[2], DEADLINE_NONE);
}

// long port_request_timeout(handle_t port, const struct port_message *request,
//                           struct port_message *reply, long timeout_ns)
// port_request, waiting at most |timeout_ns| for the reply: E_TIMEDOUT
// withdraws the request (its handles are gone; a later reply finds nobody).
long sys_port_request_timeout(const struct syscall_args *a)
{
    uint64_t deadline;
    long err = timeout_to_deadline((long)a->arg[3], &deadline);

    return err < 0 ? err : request(a->arg[0], a->arg[1], a->arg[2], deadline);
}

// long port_send(handle_t port, const struct port_message *message): a datagram.
long sys_port_send(const struct syscall_args *a)
{
    struct port_message d;
    struct message *m;
    struct ob *o;
    long err = desc_in(&d, a->arg[1]);

    if (err == 0)
        err = get_port(a->arg[0], RIGHT_WRITE, &o);
    if (err < 0)
        return err;
    err = port_message_from_user(o, PORT_MSG_DATAGRAM, &d, &m);
    if (err == 0)
        err = port_send(o, m);
    ob_unref(o);
    return err;
}

/*
 * The reply |d| describes, to request |d|->id.  Id 0 is never a message's
 * (ids start at 1): E_INVAL, a malformed reply, rather than E_NOTFOUND.
 */
static long reply(struct ob *o, const struct port_message *d)
{
    struct message *m;

    if (d->id == 0)
        return E_INVAL;
    long err = port_message_from_user(o, PORT_MSG_REPLY, d, &m);

    return err < 0 ? err : port_reply(o, m, d->id);
}

// long port_reply(handle_t port, const struct port_message *message)
// Answers request |message->id| received on the server port |port|.
long sys_port_reply(const struct syscall_args *a)
{
    struct port_message d;
    struct ob *o;
    long err = desc_in(&d, a->arg[1]);

    if (err == 0)
        err = get_port(a->arg[0], RIGHT_WRITE, &o);
    if (err < 0)
        return err;
    err = reply(o, &d);
    ob_unref(o);
    return err;
}

/* Waits for the next message on |o| and delivers it; undelivered, it stays first in the queue. */
static long receive(struct ob *o, handle_t h, uint64_t deadline, struct port_message *d, user_ptr ud)
{
    struct message *m;
    long err = port_take(o, h, deadline, &m);

    if (err < 0)
        return err;
    err = message_deliver(m, d, ud);
    if (err < 0)
        port_untake(o, m);
    else
        port_taken(o, m);
    return err;
}

// long port_receive(handle_t port, struct port_message *message, unsigned long flags, long timeout_ns)
// Waits for the next message into |message|.  With PORT_RECEIVE_REPLY,
// first sends |message| as the reply to request |message->id|; if that
// fails, its error is returned and nothing is received.
long sys_port_receive(const struct syscall_args *a)
{
    unsigned long flags = a->arg[2];
    struct port_message d;
    uint64_t deadline;
    struct ob *o;

    if (flags & ~(unsigned long)PORT_RECEIVE_REPLY)
        return E_INVAL;
    long err = timeout_to_deadline((long)a->arg[3], &deadline);
    if (err == 0)
        err = desc_inout(&d, a->arg[1]);
    if (err == 0)
        err = get_port(a->arg[0], RIGHT_READ | (flags & PORT_RECEIVE_REPLY ? RIGHT_WRITE : 0), &o);
    if (err < 0)
        return err;
    if (flags & PORT_RECEIVE_REPLY)
        err = reply(o, &d);
    if (err == 0)
        err = receive(o, a->arg[0], deadline, &d, user_ptr_of(a->arg[1]));
    ob_unref(o);
    return err;
}
