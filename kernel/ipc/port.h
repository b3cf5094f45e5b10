/*
 * Ports: NT-style LPC (port.c, the call path in docs/07-ports.md).
 *
 * Three kinds of port object, one type:
 *   server port   named; its one queue receives connection requests and
 *                 every message its clients send, so a server loop is one
 *                 port_receive per message, whoever sent it;
 *   client end    what port_connect returns: requests and datagrams go to
 *                 the server port; its own queue gets the server's datagrams;
 *   server end    what port_accept returns: datagrams to that one client;
 *                 closing it ends the connection.
 * A port is signaled when its queue holds a message, or when it is closed
 * (a server port without handles, an end whose connection ended).
 *
 * Every function that takes a message takes it over: on error it is freed
 * (the handles it carries were never taken from the sender).
 */
#ifndef EMBER_PORT_H
#define EMBER_PORT_H

#include <stdint.h>
#include "kernel/ipc/message.h"
#include "kernel/lib/list.h"
#include "kernel/ob/object.h"

extern const struct ob_type port_type;

/*
 * A thread waiting for the answer to its connect or request.  It lives on
 * the caller's kernel stack; whoever answers fills in |result| and the
 * answer, and wakes the thread.
 */
struct port_call {
    struct list_node node;          /* a request's: in its client end's list of calls */
    struct thread *thread;
    struct ob *inbox;               /* the server port where the request waits */
    struct ob *from;                /* a request's client end */
    struct message *request;        /* until answered or withdrawn */
    long result;                    /* 0, or why the call failed */
    uint32_t data_room;             /* what the caller can take back: a longer reply is E_TOOBIG */
    uint32_t handles_room;
    struct message *reply;          /* a request's answer */
    struct ob *connected;           /* a connect's answer: the new client end, a reference */
};

/*
 * A server port (one reference) taking messages of up to |max_message| bytes
 * and |max_handles| handles; NULL when out of memory.
 */
struct ob *port_create(uint32_t max_message, uint32_t max_handles);
/*
 * A message of |kind| holding what the user's description |d| (a kernel
 * copy) says, to send through |o|: within |o|'s limits (else E_TOOBIG),
 * from |o|'s spare when it fits (message_alloc), filled by message_copy_in
 * (its errors; nothing moved yet).  E_NOMEM when out of memory.
 */
long port_message_from_user(struct ob *o, uint32_t kind, const struct port_message *d,
                            struct message **out);
/* Frees |m|, received through |o| (message_recycle, into |o|'s spare). */
void port_message_free(struct ob *o, struct message *m);
/*
 * Queues the connect request |m| on the server port |server| and waits for
 * the answer.  Returns 0 with the new client end in *|client| (a reference),
 * or E_ACCESS (refused), E_PEERCLOSED (the server port closed), E_TOOBIG,
 * E_AGAIN (its queue is full), E_CANCELED (the thread is being killed).
 */
long port_connect(struct ob *server, struct message *m, struct ob **client);
/*
 * Answers the connect request |id| received on |server|: installs the
 * server end in the current process and wakes the client.  Returns the
 * handle, or E_INVAL (not a server port), E_NOTFOUND (no such request
 * waiting for an answer), E_PEERCLOSED (its client gave up), E_NOMEM, E_LIMIT.
 */
long port_accept(struct ob *server, uint64_t id, uint64_t context);
/* Refuses connect request |id|: its client gets E_ACCESS.  0, E_INVAL, E_NOTFOUND, E_PEERCLOSED. */
long port_refuse(struct ob *server, uint64_t id);
/*
 * Sends the request |m| through the client end |client| and waits for the
 * reply, which comes back in |call|->reply, until |deadline| (a tick,
 * DEADLINE_NONE, or WAIT_POLL).  |call| needs only its room fields set.
 * Returns 0, or E_INVAL, E_PEERCLOSED, E_AGAIN, E_CANCELED (see port_send
 * for the first ones), or E_TIMEDOUT: the request is withdrawn (a server
 * that received it gets E_PEERCLOSED when it replies), and the handles it
 * carried are gone with it.
 */
long port_request(struct ob *client, struct message *m, struct port_call *call, uint64_t deadline);
/*
 * Queues the datagram |m| for the other side of the connection |end|.
 * Returns 0, or E_INVAL (|end| is a server port, or |m| carries a port of
 * this connection), E_PEERCLOSED (the connection ended), E_AGAIN (the
 * receiving queue holds PORT_QUEUE_MAX messages).
 */
long port_send(struct ob *end, struct message *m);
/*
 * Answers request |id| received on |server| with |reply| and wakes its
 * caller.  Returns 0, or E_INVAL, E_NOTFOUND, E_PEERCLOSED (the caller is
 * gone: nothing moved), E_TOOBIG (more than the caller has room for).
 */
long port_reply(struct ob *server, struct message *reply, uint64_t id);
/*
 * Receiving, in three steps around the copy-out: port_take waits (through
 * handle |h|, until |deadline|) for the next message and takes it out of the
 * queue; then either port_taken (delivered: a request or connect now waits
 * for its answer, anything else is freed) or port_untake (not delivered:
 * back at the head of the queue).  port_take returns 0, E_INVAL (a server
 * end), E_PEERCLOSED (closed and empty), E_TIMEDOUT, E_CANCELED.
 */
long port_take(struct ob *o, handle_t h, uint64_t deadline, struct message **out);
/* How many messages went straight to a thread waiting in port_take, since boot (the fast path). */
uint64_t port_handoffs(void);
void port_taken(struct ob *o, struct message *m);
void port_untake(struct ob *o, struct message *m);

#endif
