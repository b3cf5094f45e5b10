/*
 * port.c: the port object (port.h): server ports and the two ends of a
 * connection, their queues, datagrams, receiving, and how they end.  The
 * threads that wait for answers (connect, request) are port_call.c's.
 *
 * The idea, NT's: a client's messages do not go to a port of their own but
 * into the server port's one queue, tagged with the connection's context,
 * so one server thread serves every client with one port_receive per
 * message.  The server's datagrams to a client go to the client end's queue.
 *
 * Ending (the "fail its pending port calls and wake their peers" of
 * ARCHITECTURE.md section 4), when the last handle of a port closes:
 *   a server port closes: its name goes at once (a restarted server can
 *     register it again), every connection ends, and everything queued or
 *     in service is dropped, each waiting caller woken with E_PEERCLOSED;
 *   an end disconnects: the client's waiting callers get E_PEERCLOSED (or
 *     E_CANCELED when it was the client's own end that closed), both ends
 *     stay closed, and when the client left first the server port gets a
 *     PORT_MSG_CLOSED notice (allocated at accept, so leaving cannot fail);
 *     the client end's queue is dropped.
 * A dying process gets here by closing its handles; its own threads blocked
 * in calls were woken before that (process_end) and withdrew their calls.
 * A port without handles is closed and takes no more messages, so its queue
 * stays empty: nothing can sit in a queue that nobody can ever receive from.
 * A port end whose last handle travels in a message stays open (message.c
 * counts the handle in flight); dropping a message closes the ports it
 * held one after another (port_close_all), and ob_unref destroys
 * iteratively, so ports inside messages inside ports are closed and freed
 * without deepening the kernel stack.  A send that would put a port, in
 * the end, inside its own queue is refused (port_reaches, port_transit.c).
 *
 * Exports: port_type, port_create, port_message_from_user, port_send, port_take,
 * port_taken, port_untake; to port_call.c, the port_private.h helpers.
 * No locks: uniprocessor non-preemptible kernel.  Only port_take blocks,
 * and it looks at the queue again whenever it wakes.
 */
#include "kernel/abi/errors.h"
#include "kernel/abi/rights.h"
#include "kernel/ipc/port_private.h"
#include "kernel/mm/heap.h"
#include "kernel/ob/namespace.h"
#include "kernel/ob/query.h"
#include "kernel/ob/wait.h"
#include "kernel/sched/sched.h"

/* ---- the queue ------------------------------------------------------------------- */

/* Notices are not counted: one per connection at most, they must never be refused. */
static uint32_t counted(const struct message *m)
{
    return m->kind != PORT_MSG_CLOSED;
}

static uint64_t handoffs;                /* messages handed to a waiting receiver, since boot */

/*
 * The receiver of |p| if it can take a message now: its thread is still
 * blocked in its wait, not yet woken by a deadline, a kill or a closed
 * handle.  With the direct switch off (fastpath=off) nothing is handed
 * over, so the slowpath layer of the tests runs the queue alone.
 */
static struct port_receiver *waiting_receiver(const struct port *p)
{
    struct port_receiver *r = p->receiver;

    if (!r || r->thread->state != THREAD_BLOCKED || !r->thread->wait || r->thread->wait->done)
        return NULL;
    return sched_direct_switch_on() ? r : NULL;
}

/*
 * Queues |m| on |p|, or, when a thread waits in port_take on its empty
 * queue, hands |m| straight to that thread: no queue, no walk over the
 * waiters, and the scheduler's direct switch runs the receiver as soon as
 * the sender blocks (a request's caller at once, in call_wait).  Only a
 * message without handles is handed over: one that carries ports stays in
 * a queue, where port_reaches (port_transit.c) sees it until delivered.
 */
void port_queue_push(struct port *p, struct message *m)
{
    struct port_receiver *r = m->nhandles ? NULL : waiting_receiver(p);

    if (r) {
        p->receiver = NULL;
        r->m = m;
        m->received = true;             /* the receiver's now: a caller who leaves only unlinks */
        r->thread->wait->done = 1;      /* as ob_signal marks a wait it satisfies: nothing else may */
        handoffs++;
        sched_wake(r->thread, 0);
        return;
    }
    list_push_back(&p->queue, &m->node);
    p->queued += counted(m);
    ob_signal(&p->ob);
}

uint64_t port_handoffs(void)
{
    return handoffs;
}

void port_queue_remove(struct port *p, struct message *m)
{
    list_remove(&m->node);
    p->queued -= counted(m);
}

static void flush(struct list_node *list)
{
    struct list_node *n;

    while ((n = list_pop_front(list)))
        port_discard(LIST_ENTRY(n, struct message, node));
}

/* ---- ending ---------------------------------------------------------------------- */

/* The notice goes to the server if its client is the one leaving and the server still listens. */
static void leave_notice(struct port *end, const struct port *leaving)
{
    struct message *n = end->notice;

    end->notice = NULL;
    if (leaving->kind == PORT_CLIENT && !end->server->closed)
        port_queue_push(end->server, n);
    else
        message_free(n);
}

/* Ends the connection of |p| (either end), once. */
static void disconnect(struct port *p)
{
    if (p->closed)
        return;
    struct port *client = p->kind == PORT_CLIENT ? p : p->peer;
    struct port *end = p->kind == PORT_CLIENT ? p->peer : p;
    long why = p == client ? E_CANCELED : E_PEERCLOSED;

    client->closed = end->closed = true;
    client->peer = end->peer = NULL;
    list_remove(&end->end_node);
    while (!list_empty(&client->calls))
        port_call_withdraw(LIST_ENTRY(client->calls.next, struct port_call, node), why);
    leave_notice(end, p);
    ob_signal(&client->ob);
    ob_signal(&end->ob);
}

static void server_close(struct port *s)
{
    struct list_node *n;

    if (s->closed)
        return;
    s->closed = true;
    ob_name_remove(&s->ob);             /* now, not at destroy: the name is free for a restart */
    while ((n = list_pop_front(&s->ends)))
        disconnect(LIST_ENTRY(n, struct port, end_node));
    ob_signal(&s->ob);
}

/* The last handle closed (or the last reference went): end everything, drop what is queued. */
static void port_close(struct port *p)
{
    if (p->kind == PORT_SERVER)
        server_close(p);
    else
        disconnect(p);
    flush(&p->queue);
    p->queued = 0;
    flush(&p->in_service);
}

/*
 * Closing a port drops its queue, and a message dropped may hold the last
 * handle of another port (in flight), whose closing drops its own queue...
 * A chain of ports each carried in the previous one would recurse as deep
 * as it is long, so the closes such a drop causes wait in |to_close| (each
 * holding a reference) and the outermost close runs them one after another.
 */
static struct list_node to_close = LIST_INIT(to_close);
static bool closing;                    /* a port_close_all further up is draining |to_close| */

static void port_close_all(struct port *first)
{
    struct list_node *n;

    closing = true;
    port_close(first);
    while ((n = list_pop_front(&to_close))) {
        struct port *p = LIST_ENTRY(n, struct port, work_node);
        port_close(p);
        ob_unref(&p->ob);
    }
    closing = false;
}

static void port_on_last_handle(struct ob *o)
{
    if (closing) {
        ob_ref(o);
        list_push_back(&to_close, &port_of(o)->work_node);
    } else {
        port_close_all(port_of(o));
    }
}

static void port_destroy(struct ob *o)
{
    struct port *p = port_of(o);

    if (closing)                        /* done already, unless it never had a handle */
        port_close(p);
    else
        port_close_all(p);
    if (p->notice)
        message_free(p->notice);        /* an end that was never connected */
    if (p->spare)
        message_free(p->spare);
    if (p->server)
        ob_unref(&p->server->ob);
}

static bool port_is_signaled(struct ob *o, struct thread *waiter)
{
    (void)waiter;
    return !list_empty(&port_of(o)->queue) || port_of(o)->closed;
}

/* How many nodes |list| holds: bounded by the queue limits, walked only by a query. */
static uint64_t length_of(const struct list_node *list)
{
    uint64_t n = 0;

    for (const struct list_node *pos = list->next; pos != list; pos = pos->next)
        n++;
    return n;
}

/* OBJECT_INFO_PORT: what kind of port, its queue lengths, and the other end. */
static long port_query(struct ob *o, uint32_t info_class, struct query_out *q)
{
    static const uint32_t kinds[] = {
        [PORT_SERVER] = PORT_KIND_SERVER, [PORT_CLIENT] = PORT_KIND_CLIENT,
        [PORT_SERVER_END] = PORT_KIND_SERVER_END,
    };
    struct port *p = port_of(o);
    struct port_query_info info = {
        .kind = kinds[p->kind], .closed = p->closed,
        .queued = length_of(&p->queue), .in_service = length_of(&p->in_service),
        .calls = length_of(&p->calls), .peer_id = p->peer ? p->peer->ob.id : 0,
        .server_id = p->server ? p->server->ob.id : o->id,
        .max_message = p->max_message, .max_handles = p->max_handles,
    };

    return info_class == OBJECT_INFO_PORT ? query_put(q, &info, sizeof info) : E_INVAL;
}

const struct ob_type port_type = {
    .name = "port",
    .code = OB_TYPE_PORT,
    .tag = TAG("Port"),
    .valid_rights = PORT_RIGHTS,
    .default_rights = PORT_RIGHTS,
    .open_rights = RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_INFO,  /* connect by name, never receive */
    .destroy = port_destroy,
    .on_last_handle = port_on_last_handle,
    .is_signaled = port_is_signaled,
    .query = port_query,
};

/* ---- creating -------------------------------------------------------------------- */

static struct port *port_alloc(enum port_kind kind, uint32_t max_message, uint32_t max_handles)
{
    struct port *p = ob_create(&port_type, sizeof *p);

    if (!p)
        return NULL;
    p->kind = kind;
    p->max_message = max_message;
    p->max_handles = max_handles;
    list_init(&p->queue);
    list_init(&p->in_service);
    list_init(&p->ends);
    list_init(&p->end_node);
    list_init(&p->calls);
    list_init(&p->work_node);
    return p;
}

struct ob *port_create(uint32_t max_message, uint32_t max_handles)
{
    struct port *s = port_alloc(PORT_SERVER, max_message, max_handles);

    return s ? &s->ob : NULL;
}

struct port *port_end_alloc(enum port_kind kind, struct port *s)
{
    struct port *p = port_alloc(kind, s->max_message, s->max_handles);

    if (!p)
        return NULL;
    p->closed = true;
    ob_ref(&s->ob);
    p->server = s;
    return p;
}

long port_message_from_user(struct ob *o, uint32_t kind, const struct port_message *d,
                            struct message **out)
{
    struct port *p = port_of(o);

    if (d->len > p->max_message || d->nhandles > p->max_handles)
        return E_TOOBIG;
    struct message *m = message_alloc(kind, d->len, &p->spare);
    if (!m)
        return E_NOMEM;
    long err = message_copy_in(m, d);
    if (err < 0) {
        message_free(m);
        return err;
    }
    *out = m;
    return 0;
}

void port_message_free(struct ob *o, struct message *m)
{
    message_recycle(m, &port_of(o)->spare);
}

/* ---- sending ----------------------------------------------------------------------- */

bool port_carried_by(const struct port *p, const struct message *m)
{
    return message_carries(m, &p->ob) || (p->peer && message_carries(m, &p->peer->ob)) ||
           (p->server && message_carries(m, &p->server->ob));
}

long port_send(struct ob *end, struct message *m)
{
    struct port *p = port_of(end);
    struct port *to = p->kind == PORT_CLIENT ? p->server : p->peer;
    long err = port_check_send(p, to, m);

    if (err < 0) {
        message_free(m);
        return err;
    }
    message_take_handles(m);            /* cannot touch this connection: checked above */
    if (p->kind == PORT_CLIENT)
        m->context = p->context;
    port_queue_push(to, m);
    return 0;
}

/* ---- receiving --------------------------------------------------------------------- */

/*
 * Waits on the empty queue of |p| through |h|: 1 with *|out| when a sender
 * handed a message straight over (port_queue_push), 0 when woken to look
 * again, or the wait's error.  The first receiver takes the slot; others,
 * and the polls, wait through ob_wait alone.  The wait block stays the
 * generic one, so a deadline, a kill, a closed handle and a closed port end
 * the wait as they end any other.
 */
static long receive_wait(struct port *p, handle_t h, uint64_t deadline, struct message **out)
{
    struct port_receiver r = { current_thread(), NULL };

    if (!p->receiver && deadline != WAIT_POLL)
        p->receiver = &r;
    long err = ob_wait_one(&p->ob, h, deadline);
    if (p->receiver == &r)
        p->receiver = NULL;
    if (r.m) {                          /* once handed over, no other wake could end the wait */
        *out = r.m;
        return 1;
    }
    return err < 0 ? err : 0;
}

long port_take(struct ob *o, handle_t h, uint64_t deadline, struct message **out)
{
    struct port *p = port_of(o);

    if (p->kind == PORT_SERVER_END)
        return E_INVAL;                 /* its client's messages arrive at the server port */
    for (;;) {
        if (!list_empty(&p->queue)) {
            *out = LIST_ENTRY(p->queue.next, struct message, node);
            port_queue_remove(p, *out);
            return 0;
        }
        if (p->closed)
            return E_PEERCLOSED;
        long r = receive_wait(p, h, deadline, out);
        if (r > 0 && p->closed) {       /* closed after the hand-over: it goes as queued ones went */
            port_discard(*out);
            return E_PEERCLOSED;
        }
        if (r != 0)
            return r < 0 ? r : 0;       /* else look again: another receiver may have been first */
    }
}

void port_taken(struct ob *o, struct message *m)
{
    if (m->kind == PORT_MSG_CONNECT || m->kind == PORT_MSG_REQUEST) {
        m->received = true;             /* now waiting for its answer */
        list_push_back(&port_of(o)->in_service, &m->node);
    } else {
        port_message_free(o, m);
    }
}

void port_untake(struct ob *o, struct message *m)
{
    struct port *p = port_of(o);

    list_insert_before(p->queue.next, &m->node);
    m->received = false;                /* a handed-over one is queued now, like the rest */
    p->queued += counted(m);
}
