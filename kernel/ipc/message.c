/*
 * message.c: port messages (message.h): allocation, copying the bytes in
 * and out, and carrying handles from one process's table to another's.
 *
 * A handle travels in three steps, so that a send that fails moves nothing:
 *   message_copy_in       looks each handle up: the message takes a
 *                         reference to its object; the sender's table is
 *                         untouched, so any later error just drops these;
 *   message_take_handles  once the send cannot fail any more, closes the
 *                         sender's handles;
 *   message_deliver       installs new handles in the receiver's table,
 *                         with the sender's rights, then drops the message's
 *                         references.
 * While in flight a handle is an object reference held by the message, plus
 * one count of "open handles" (|counted|): a pipe end or a port end
 * travelling to a server has not been closed, and its peer must not see it
 * gone; messages sent to a port end in flight wait in its queue for whoever
 * receives it.  Ports hold messages, so a port in flight could end up,
 * handle-less, in a queue that leads back to itself, where nothing could
 * ever free it: port.c refuses the send that would close such a cycle
 * (port_check_send), and closes the ports a dropped message held one after
 * another, never by recursion (port_close_all).
 *
 * Exports: message_alloc, message_free, message_copy_carried (message_copy_in in message.h), message_carries,
 * message_take_carried (message_take_handles in message.h), message_deliver.
 * No locks: uniprocessor non-preemptible kernel, and nothing here blocks.
 */
#include "kernel/abi/errors.h"
#include "kernel/abi/rights.h"
#include "kernel/ipc/message.h"
#include "kernel/ipc/port.h"
#include "kernel/lib/panic.h"
#include "kernel/mm/heap.h"
#include "kernel/ob/handle.h"
#include "kernel/proc/process.h"

#define MESSAGE_TAG TAG("PMsg")

static uint64_t next_id = 1;

/* Fills in |m| as a message of |kind| with |len| bytes, sent by the current thread. */
static struct message *message_init(struct message *m, uint32_t kind, uint32_t len)
{
    struct thread *t = current_thread();

    list_init(&m->node);
    m->id = next_id++;
    m->kind = kind;
    m->len = len;
    m->nhandles = 0;
    m->received = false;
    m->pid = t->process->pid;
    m->tid = t->tid;
    m->context = 0;
    m->call = NULL;
    return m;
}

/* A message from the heap: out of line, so the spare's path saves no registers for kmalloc. */
static __attribute__((noinline)) struct message *message_new(uint32_t kind, uint32_t len)
{
    struct message *m = kmalloc(sizeof *m + len, MESSAGE_TAG);

    if (!m)
        return NULL;
    m->capacity = len;
    return message_init(m, kind, len);
}

struct message *message_alloc(uint32_t kind, uint32_t len, struct message **spare)
{
    struct message *m = spare ? *spare : NULL;

    if (!m || m->capacity < len)
        return message_new(kind, len);
    *spare = NULL;
    return message_init(m, kind, len);
}

/* Drops the message's hold on |c|: its reference, and its open-handle count if it kept one. */
static void drop_carried(struct carried_handle *c)
{
    if (c->counted)
        ob_handle_closed(c->object);    /* may be the last: the type's hook runs */
    ob_unref(c->object);
}

static void drop_handles(struct message *m)
{
    for (uint32_t i = 0; i < m->nhandles; i++)
        drop_carried(&m->handles[i]);
    m->nhandles = 0;
}

/* Most messages carry no handles: test that inline, on the request/reply fast path. */
static inline void drop_any_handles(struct message *m)
{
    if (m->nhandles)
        drop_handles(m);
}

void message_free(struct message *m)
{
    drop_handles(m);
    kfree(m);
}

void message_recycle(struct message *m, struct message **spare)
{
    drop_any_handles(m);
    if (*spare && (*spare)->capacity >= m->capacity) {
        kfree(m);
        return;
    }
    if (*spare)                         /* in a request/reply loop it is empty: no call */
        kfree(*spare);                  /* keep the bigger: it fits more of what comes next */
    *spare = m;
}

/* Takes a reference to the object behind |h| into the next free slot of |m|. */
static long carry(struct message *m, handle_t h)
{
    struct process *p = current_process();
    struct carried_handle *c = &m->handles[m->nhandles];
    long err = handle_get(p, h, NULL, RIGHT_TRANSFER, &c->object);

    if (err < 0)
        return err;
    if (handle_peek(p, h)->attributes & HANDLE_PROTECT_CLOSE) {
        ob_unref(c->object);
        return E_ACCESS;                /* sending it would close it */
    }
    c->source = h;
    c->rights = (rights_t)handle_rights(p, h);
    c->counted = false;                 /* not yet: message_take_handles decides */
    m->nhandles++;
    return 0;
}

static bool listed_before(const handle_t *hs, uint32_t i)
{
    for (uint32_t j = 0; j < i; j++)
        if (hs[j] == hs[i])
            return true;
    return false;
}

long message_copy_carried(struct message *m, const struct port_message *d)
{
    handle_t hs[PORT_MAX_HANDLES];

    ASSERT(d->len == m->len && d->nhandles && d->nhandles <= PORT_MAX_HANDLES);
    if (m->len && copy_from_user(m->data, user_ptr_of((uint64_t)d->data), m->len) < 0)
        return E_FAULT;
    if (copy_from_user(hs, user_ptr_of((uint64_t)d->handles), d->nhandles * sizeof hs[0]) < 0)
        return E_FAULT;
    for (uint32_t i = 0; i < d->nhandles; i++) {
        long err = listed_before(hs, i) ? E_INVAL : carry(m, hs[i]);  /* one handle cannot move twice */
        if (err < 0)
            return err;
    }
    return 0;
}

bool message_carries(const struct message *m, const struct ob *o)
{
    for (uint32_t i = 0; i < m->nhandles; i++)
        if (m->handles[i].object == o)
            return true;
    return false;
}

void message_take_carried(struct message *m)
{
    struct process *p = current_process();

    for (uint32_t i = 0; i < m->nhandles; i++) {
        struct carried_handle *c = &m->handles[i];
        struct handle_entry *e = handle_peek(p, c->source);
        ASSERT(e && e->object == c->object);    /* nothing ran since message_copy_in */
        c->counted = true;
        ob_handle_opened(c->object);            /* so closing the sender's is not the last */
        handle_close(p, c->source);
    }
}

/* Closes the |n| handles |hs| just installed: the message still holds each object. */
static void uninstall_handles(const handle_t *hs, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        handle_close(current_process(), hs[i]);
}

/* Installs |m|'s handles in the current process, their values in |hs|; all or none. */
static long install_handles(const struct message *m, handle_t *hs)
{
    struct process *p = current_process();

    for (uint32_t i = 0; i < m->nhandles; i++) {
        hs[i] = handle_install(p, m->handles[i].object, m->handles[i].rights);
        if (hs[i] < 0) {
            long err = hs[i];
            uninstall_handles(hs, i);
            return err;
        }
    }
    return 0;
}

/* What |m| tells its receiver, into |d|. */
static void describe(const struct message *m, struct port_message *d)
{
    d->len = m->len;
    d->nhandles = m->nhandles;
    d->id = m->id;
    d->context = m->context;
    d->pid = m->pid;
    d->tid = m->tid;
    d->kind = m->kind;
}

/* The rest of message_deliver for a message with handles: install them, write both lists. */
static __attribute__((noinline)) long deliver_carried(struct message *m, struct port_message *d,
                                                      user_ptr ud)
{
    handle_t hs[PORT_MAX_HANDLES];
    long err = install_handles(m, hs);

    if (err < 0)
        return err;
    if (copy_to_user(user_ptr_of((uint64_t)d->handles), hs, m->nhandles * sizeof hs[0]) < 0 ||
        copy_to_user(ud, d, sizeof *d) < 0) {
        uninstall_handles(hs, m->nhandles);
        return E_FAULT;
    }
    drop_handles(m);                    /* the receiver's handles hold the objects now */
    return 0;
}

long message_deliver(struct message *m, struct port_message *d, user_ptr ud)
{
    describe(m, d);
    if (m->len > d->data_room || m->nhandles > d->handles_room)
        return copy_to_user(ud, d, sizeof *d) < 0 ? E_FAULT : E_TOOBIG;
    if (m->len && copy_to_user(user_ptr_of((uint64_t)d->data), m->data, m->len) < 0)
        return E_FAULT;
    if (m->nhandles)                    /* the common case has none: a test, not a call */
        return deliver_carried(m, d, ud);
    return copy_to_user(ud, d, sizeof *d) < 0 ? E_FAULT : 0;
}
