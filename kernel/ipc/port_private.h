/*
 * port_private.h: what port.c (the port object, its queue, its ending) and
 * port_call.c (threads waiting for answers) share.  Nothing else includes it.
 */
#ifndef EMBER_PORT_PRIVATE_H
#define EMBER_PORT_PRIVATE_H

#include <stdbool.h>
#include "kernel/abi/errors.h"
#include "kernel/ipc/port.h"

#define PORT_RIGHTS (RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_WAIT | RIGHT_READ | RIGHT_WRITE | \
                     RIGHT_INFO)

enum port_kind {
    PORT_SERVER,
    PORT_CLIENT,                    /* a client's end of a connection */
    PORT_SERVER_END,                /* the server's end of a connection */
};

/*
 * A thread blocked in port_take on an empty queue, in its port's receiver
 * slot: a message sent now is handed to it (|m|) instead of being queued.
 * It lives on the receiving thread's kernel stack.
 */
struct port_receiver {
    struct thread *thread;
    struct message *m;              /* handed over: in no queue, not counted in |queued| */
};

struct port {
    struct ob ob;
    enum port_kind kind;
    bool closed;                    /* server: its last handle went; ends: disconnected */
    uint32_t max_message;           /* ends: their server port's */
    uint32_t max_handles;
    uint32_t queued;                /* messages in |queue| that count against PORT_QUEUE_MAX */
    struct list_node queue;         /* struct message.node, waiting to be received */
    struct list_node in_service;    /* server: connects and requests received, not yet answered */
    struct list_node ends;          /* server: its server ends, by end_node */
    struct list_node end_node;
    struct list_node calls;         /* client end: struct port_call.node of its waiting callers */
    struct port *server;            /* ends: their server port (a reference) */
    struct port *peer;              /* ends: the other end while connected (no reference:
                                       whichever goes first disconnects both) */
    uint64_t context;               /* client end: what its messages carry, from port_accept */
    struct message *notice;         /* server end: the PORT_MSG_CLOSED for its client's leaving */
    struct message *spare;          /* the last message done with, for the next send (message.h) */
    struct port_receiver *receiver; /* the first thread waiting in port_take, while the queue is empty */
    struct list_node work_node;     /* in port.c's list of ports to close, or of ports to visit */
    uint64_t visited;               /* the walk (port_transit.c) that last visited it */
};

static inline struct port *port_of(const struct ob *o)
{
    return (struct port *)o;
}

/* port.c */
void port_queue_push(struct port *p, struct message *m);
void port_queue_remove(struct port *p, struct message *m);
/* A new end of a connection to |s| (one reference), closed until linked; NULL when out of memory. */
struct port *port_end_alloc(enum port_kind kind, struct port *s);
/* Whether |m| carries |p| or another port of its connection. */
bool port_carried_by(const struct port *p, const struct message *m);

/* port_transit.c */
/*
 * Whether |target| is among the ports |m| carries, or the ports queued in
 * theirs, and so on: queueing |m| on |target| would then close a cycle.
 */
bool port_reaches(const struct message *m, const struct port *target);

/*
 * Whether |m| may leave through the end |p| for |to|'s queue now: 0,
 * E_INVAL, E_PEERCLOSED, E_AGAIN.  Inline: every request passes here.
 */
static inline long port_check_send(const struct port *p, const struct port *to, const struct message *m)
{
    /*
     * Carrying a port of its own connection could close the path the message
     * is on; carrying one that leads back to |to| would make a cycle that
     * nothing can free once the handles outside it are closed.
     */
    if (p->kind == PORT_SERVER || (m->nhandles && (port_carried_by(p, m) || port_reaches(m, to))))
        return E_INVAL;
    if (p->closed)
        return E_PEERCLOSED;
    return to->queued >= PORT_QUEUE_MAX ? E_AGAIN : 0;
}

/* port_call.c */
/* Ends the call |c| unanswered with |result|: a request not yet received leaves its queue. */
void port_call_withdraw(struct port_call *c, long result);
/* Drops |m| (in no list any more) unanswered: a caller still waiting gets E_PEERCLOSED. */
void port_discard(struct message *m);

#endif
