/*
 * Port messages (message.c): what a port's queue holds between a send and
 * a receive.  A message owns a copy of the sender's bytes and a reference
 * to every object whose handle it carries; the handles themselves leave the
 * sender's table only when the message is sent (message_take_handles) and
 * enter the receiver's when it is delivered (message_deliver).
 */
#ifndef EMBER_MESSAGE_H
#define EMBER_MESSAGE_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/abi/types.h"
#include "kernel/lib/list.h"
#include "kernel/mm/usercopy.h"
#include "kernel/ob/object.h"

struct port_call;

struct carried_handle {
    struct ob *object;              /* a reference */
    handle_t source;                /* the sender's handle, closed when the message is sent */
    rights_t rights;                /* what the receiver's handle gets: the sender's rights */
    bool counted;                   /* in flight, still counted as an open handle (see message.c) */
};

struct message {
    struct list_node node;          /* in a port's queue or in-service list */
    uint64_t id;                    /* unique, never reused; a reply has its request's */
    uint32_t kind;                  /* PORT_MSG_* */
    uint32_t len;                   /* bytes in |data| */
    uint32_t capacity;              /* bytes |data| has room for */
    uint32_t nhandles;              /* entries of |handles| still carried */
    bool received;                  /* taken by the server (in-service list) or handed to a receiver */
    uint64_t pid, tid;              /* the sender */
    uint64_t context;               /* the connection's, for messages from a client */
    struct port_call *call;         /* connect, request: the caller waiting; NULL once it left */
    struct carried_handle handles[PORT_MAX_HANDLES];
    uint8_t data[];
};

/*
 * A message of |kind| with room for |len| bytes, sent by the current thread:
 * *|spare| when there is one big enough (it is taken), else a new one.
 * |spare| may be NULL.  NULL when out of memory.
 */
struct message *message_alloc(uint32_t kind, uint32_t len, struct message **spare);
/* Frees |m|; the handles it still carries are closed. */
void message_free(struct message *m);
/*
 * Frees |m| as message_free does, but keeps its memory in *|spare| if that
 * is empty or smaller: a port keeps a message it was done with for the next
 * one sent through it, so a request/reply loop allocates nothing.
 */
void message_recycle(struct message *m, struct message **spare);
/* message_copy_in for a description that lists handles. */
long message_copy_carried(struct message *m, const struct port_message *d);
/*
 * Fills |m| (allocated for |d|->len bytes) from the user's description |d|
 * (a kernel copy): copies the bytes and looks up the |d|->nhandles handles,
 * each with RIGHT_TRANSFER.  Nothing moves yet.  Returns 0, E_FAULT,
 * E_INVAL (a handle listed twice), E_BADHANDLE or E_ACCESS.
 */
static inline long message_copy_in(struct message *m, const struct port_message *d)
{
    if (d->nhandles)
        return message_copy_carried(m, d);
    return m->len ? copy_from_user(m->data, user_ptr_of((uint64_t)d->data), m->len) : 0;
}
/* Whether |m| carries a handle to |o|. */
bool message_carries(const struct message *m, const struct ob *o);
/* message_take_handles for a message that carries some. */
void message_take_carried(struct message *m);
/* Sends |m|'s handles: removes them from the current process's table. */
static inline void message_take_handles(struct message *m)
{
    if (m->nhandles)                /* most carry none: not even a call on the request path */
        message_take_carried(m);
}
/*
 * Delivers |m| to the current process, all or nothing: the bytes to |d|->data,
 * the handles installed and their values to |d|->handles, and |d| (with what
 * arrived filled in) to |ud|.  On E_TOOBIG (|d|'s room is too small), |ud|
 * still gets the sizes needed; on any error |m| is left as it was and the
 * process's handle table too.  Returns 0, E_TOOBIG, E_FAULT, E_LIMIT, E_NOMEM.
 */
long message_deliver(struct message *m, struct port_message *d, user_ptr ud);

#endif
