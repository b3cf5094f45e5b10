/*
 * port_call.c: calls through ports (port.h): a thread that sends a connect
 * or a request waits for its answer; the server answers by message id.
 *
 * The caller blocks on a struct port_call on its own kernel stack, which
 * its message points to.  The server finds the message it received among
 * those it has not answered yet (|in_service|), fills in the answer and
 * wakes the caller.  Whoever ends a call, the answerer, a dying connection
 * (port.c) or the caller itself when it is woken to die, unlinks the call
 * from its message first, so an answer and a failure can never both land:
 * a server answering a caller who left gets E_PEERCLOSED, and a caller
 * woken to die after its answer came takes the answer.
 *
 * Exports: port_connect, port_accept, port_refuse, port_request,
 * port_reply; to port.c, port_call_withdraw and port_discard.
 * No locks: uniprocessor non-preemptible kernel.  Only call_wait blocks,
 * and it looks at the call again when it wakes.
 */
#include "kernel/abi/errors.h"
#include "kernel/abi/rights.h"
#include "kernel/ipc/port_private.h"
#include "kernel/ob/handle.h"
#include "kernel/ob/wait.h"
#include "kernel/proc/process.h"
#include "kernel/sched/sched.h"

/* ---- a call's life ----------------------------------------------------------------- */

/* |m| goes to |inbox| and its sender waits on |c|; a request also joins its client end's calls. */
static void call_start(struct port_call *c, struct port *inbox, struct port *from, struct message *m)
{
    c->thread = current_thread();
    c->inbox = &inbox->ob;
    c->from = from ? &from->ob : NULL;
    c->request = m;
    c->reply = NULL;
    c->connected = NULL;
    m->call = c;
    list_init(&c->node);
    if (from)
        list_push_back(&from->calls, &c->node);
}

/* Ends |c| with |result| (its answer, if any, filled in already) and wakes its thread. */
static void call_end(struct port_call *c, long result)
{
    if (c->request)
        c->request->call = NULL;
    c->request = NULL;
    list_remove(&c->node);
    c->result = result;
    sched_wake(c->thread, result);
}

void port_call_withdraw(struct port_call *c, long result)
{
    struct message *m = c->request;

    if (m && !m->received) {
        port_queue_remove(port_of(c->inbox), m);
        call_end(c, result);
        message_free(m);                /* its handles had left the sender: they close */
    } else {
        call_end(c, result);            /* received: the server's answer will find no caller */
    }
}

/*
 * Blocks until |c| ends or |deadline| passes (WAIT_POLL: at once).  A wake
 * with no answer means the thread is being killed or the deadline came:
 * the call is withdrawn with that result (E_CANCELED, E_TIMEDOUT).
 */
static long call_wait(struct port_call *c, uint64_t deadline)
{
    while (c->request) {
        long r = deadline == WAIT_POLL ? E_TIMEDOUT : sched_block(deadline);
        if (c->request)
            port_call_withdraw(c, r);
    }
    return c->result;
}

void port_discard(struct message *m)
{
    if (m->call)
        call_end(m->call, E_PEERCLOSED);
    message_free(m);
}

/* ---- answering ----------------------------------------------------------------------- */

/* The connect or request |id| that |s| received and has not answered, if it is of |kind|. */
static struct message *find_in_service(struct port *s, uint64_t id, uint32_t kind)
{
    struct list_node *pos;

    LIST_FOR_EACH(pos, &s->in_service) {
        struct message *m = LIST_ENTRY(pos, struct message, node);
        if (m->id == id)
            return m->kind == kind ? m : NULL;
    }
    return NULL;
}

/* The unanswered |kind| message |id| of the server port |o|, whose caller still waits. */
static inline long answerable(struct ob *o, uint64_t id, uint32_t kind, struct message **out)
{
    struct port *s = port_of(o);
    struct message *m = s->kind == PORT_SERVER ? find_in_service(s, id, kind) : NULL;

    if (!m)
        return s->kind == PORT_SERVER ? E_NOTFOUND : E_INVAL;
    if (!m->call) {                     /* its caller gave up: nobody to answer */
        list_remove(&m->node);
        message_free(m);
        return E_PEERCLOSED;
    }
    *out = m;
    return 0;
}

/* Answers |m|, received on |server|, with |result| and frees it. */
static void answer(struct ob *server, struct message *m, long result)
{
    list_remove(&m->node);
    call_end(m->call, result);
    port_message_free(server, m);
}

/* ---- connecting ---------------------------------------------------------------------- */

static long check_connect(const struct port *s, const struct message *m)
{
    if (s->kind != PORT_SERVER)
        return E_INVAL;
    if (s->closed)
        return E_PEERCLOSED;
    if (m->len > s->max_message)
        return E_TOOBIG;
    return s->queued >= PORT_QUEUE_MAX ? E_AGAIN : 0;
}

long port_connect(struct ob *server, struct message *m, struct ob **client)
{
    struct port *s = port_of(server);
    struct port_call call;
    long err = check_connect(s, m);

    if (err < 0) {
        message_free(m);
        return err;
    }
    call_start(&call, s, NULL, m);
    port_queue_push(s, m);
    err = call_wait(&call, DEADLINE_NONE);
    *client = call.connected;
    return err;
}

/* Undoes what connect_ends made before it failed. */
static void free_ends(struct message *notice, struct port *client, struct port *end)
{
    if (notice)
        message_free(notice);
    if (client)
        ob_unref(&client->ob);
    if (end)
        ob_unref(&end->ob);
}

/* The two linked ends of a new connection to |s| for the connect request |req|; E_NOMEM. */
static long connect_ends(struct port *s, const struct message *req, uint64_t context,
                         struct port **client, struct port **end)
{
    struct message *notice = message_alloc(PORT_MSG_CLOSED, 0, NULL);

    *client = port_end_alloc(PORT_CLIENT, s);
    *end = port_end_alloc(PORT_SERVER_END, s);
    if (!notice || !*client || !*end) {
        free_ends(notice, *client, *end);
        return E_NOMEM;
    }
    notice->pid = req->pid;
    notice->tid = req->tid;
    notice->context = context;
    (*end)->notice = notice;
    (*client)->context = context;
    (*client)->peer = *end;
    (*end)->peer = *client;
    (*client)->closed = (*end)->closed = false;
    list_push_back(&s->ends, &(*end)->end_node);
    return 0;
}

long port_accept(struct ob *server, uint64_t id, uint64_t context)
{
    struct port *client = NULL, *end = NULL;
    struct message *m;
    long err = answerable(server, id, PORT_MSG_CONNECT, &m);

    if (err == 0)
        err = connect_ends(port_of(server), m, context, &client, &end);
    if (err < 0)
        return err;
    handle_t h = handle_install(current_process(), &end->ob, PORT_RIGHTS);
    ob_unref(&end->ob);                 /* the handle holds it now, or the connection goes */
    if (h < 0) {
        ob_unref(&client->ob);          /* the request stays: accept again, or refuse */
        return h;
    }
    m->call->connected = &client->ob;
    answer(server, m, 0);
    return h;
}

long port_refuse(struct ob *server, uint64_t id)
{
    struct message *m;
    long err = answerable(server, id, PORT_MSG_CONNECT, &m);

    if (err == 0)
        answer(server, m, E_ACCESS);
    return err;
}

/* ---- requests and replies --------------------------------------------------------------- */

long port_request(struct ob *client, struct message *m, struct port_call *call, uint64_t deadline)
{
    struct port *c = port_of(client);
    long err = c->kind != PORT_CLIENT ? E_INVAL : port_check_send(c, c->server, m);

    if (err < 0) {
        message_free(m);
        return err;
    }
    message_take_handles(m);            /* cannot touch this connection: checked above */
    m->context = c->context;
    call_start(call, c->server, c, m);
    port_queue_push(c->server, m);
    return call_wait(call, deadline);
}

long port_reply(struct ob *server, struct message *reply, uint64_t id)
{
    struct message *m;
    long err = answerable(server, id, PORT_MSG_REQUEST, &m);
    struct port_call *c = err == 0 ? m->call : NULL;

    if (c && (reply->len > c->data_room || reply->nhandles > c->handles_room))
        err = E_TOOBIG;
    else if (c && reply->nhandles && port_carried_by(port_of(c->from), reply))
        err = E_INVAL;                  /* a port of the caller's connection, or the server's */
    if (err < 0) {
        message_free(reply);
        return err;
    }
    message_take_handles(reply);
    reply->id = id;
    c->reply = reply;
    answer(server, m, 0);
    return 0;
}
