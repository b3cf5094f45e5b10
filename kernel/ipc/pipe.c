/*
 * pipe.c: pipes (pipe.h).
 *
 * The idea: one ring buffer, struct pipe, and two small objects that point
 * at it, the read end ("PipR") and the write end ("PipW").  Each end is
 * waitable, and a thread that must block in pipe_read or pipe_write simply
 * waits on its own end with ob_wait: the end's is_signaled hook is exactly
 * the condition it needs.  Every change that could satisfy someone calls
 * ob_signal on the end that cares: a write signals the read end, a read the
 * write end, a closing end its peer.
 *
 * Ends close in two steps, as objects do.  When an end's last handle goes
 * (on_last_handle) its side is marked closed: readers then see end of file
 * once the ring is drained, writers E_PEERCLOSED.  When an end's last
 * reference goes (destroy) it lets go of the ring; the second end to go
 * frees it.
 *
 * Bytes move straight between user memory and the ring, in at most two
 * copies per pass (the ring wraps).  A pass commits only after its copies
 * succeeded, so a fault moves nothing in that pass.
 *
 * Exports: pipe_read_type, pipe_write_type, pipe_create, pipe_read,
 * pipe_peek, pipe_write, pipe_set_nonblock.  No locks: uniprocessor non-preemptible kernel, and a user
 * copy never sleeps (user pages are mapped eagerly), so nobody else runs
 * while the ring is being changed.
 */
#include "kernel/abi/errors.h"
#include "kernel/abi/rights.h"
#include "kernel/ipc/pipe.h"
#include "kernel/mm/heap.h"
#include "kernel/ob/query.h"
#include "kernel/ob/wait.h"
#include "kernel/sched/sched.h"

#define PIPE_END_RIGHTS (RIGHT_WAIT | RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_INFO)

struct pipe_end {
    struct ob ob;
    struct pipe *pipe;
    bool nonblock;                      /* PIPE_NONBLOCK: its calls never wait */
};

struct pipe {
    struct pipe_end *ends[PIPE_ENDS];   /* NULL once that end is destroyed */
    bool closed[PIPE_ENDS];             /* that end's last handle is gone */
    uint32_t capacity;                  /* bytes |ring| holds */
    uint32_t head;                      /* where the next read starts */
    uint32_t count;                     /* bytes in the ring */
    struct list_node blocked_writers;   /* struct blocked_writer.node */
    uint8_t ring[];
};

/* A writer waiting for room, on its own kernel stack: how much room it needs. */
struct blocked_writer {
    struct list_node node;
    struct thread *thread;
    size_t need;
};

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

static struct pipe *pipe_of(struct ob *o)
{
    return ((struct pipe_end *)o)->pipe;
}

static int side_of(struct ob *o)
{
    return o->type == &pipe_write_type ? PIPE_WRITE_END : PIPE_READ_END;
}

static int peer_of(int side)
{
    return side == PIPE_READ_END ? PIPE_WRITE_END : PIPE_READ_END;
}

static size_t room(const struct pipe *p)
{
    return p->capacity - p->count;
}

/* |pos| (below twice the capacity) brought back into the ring: no division on the hot path. */
static uint32_t wrap(const struct pipe *p, uint32_t pos)
{
    return pos >= p->capacity ? pos - p->capacity : pos;
}

/* The most that goes in one piece: PIPE_ATOMIC, or the whole ring when it is smaller. */
static size_t atomic_size(const struct pipe *p)
{
    return min_size(PIPE_ATOMIC, p->capacity);
}

/* Wakes whoever waits on end |side| (it may have become signaled). */
static void signal_end(struct pipe *p, int side)
{
    if (p->ends[side])
        ob_signal(&p->ends[side]->ob);
}

/* Room came: writers waiting for it look again (each waits for its own need: the walk decides). */
static void wake_writers(struct pipe *p)
{
    struct pipe_end *w = p->ends[PIPE_WRITE_END];

    if (w && !list_empty(&w->ob.waiters))
        ob_signal(&w->ob);
}

/*
 * Bytes came: any reader's wait is satisfied, so the first one waiting gets
 * them straight (ob_handoff: the direct switch runs it when the writer
 * blocks), and any others the walk, as signal_end would.
 */
static void wake_readers(struct pipe *p)
{
    struct pipe_end *r = p->ends[PIPE_READ_END];

    if (r && !list_empty(&r->ob.waiters) && !ob_handoff(&r->ob))
        ob_signal(&r->ob);
}

/* ---- waiting ------------------------------------------------------------- */

/* The room thread |t| waits for: its own need when blocked in pipe_write, else one atomic write's. */
static size_t room_wanted(struct pipe *p, struct thread *t)
{
    struct list_node *pos;

    LIST_FOR_EACH(pos, &p->blocked_writers) {
        struct blocked_writer *w = LIST_ENTRY(pos, struct blocked_writer, node);
        if (w->thread == t)
            return w->need;
    }
    return atomic_size(p);
}

static bool read_end_is_signaled(struct ob *o, struct thread *t)
{
    (void)t;
    return pipe_of(o)->count > 0 || pipe_of(o)->closed[PIPE_WRITE_END];
}

static bool write_end_is_signaled(struct ob *o, struct thread *t)
{
    struct pipe *p = pipe_of(o);

    return p->closed[PIPE_READ_END] || room(p) >= room_wanted(p, t);
}

/*
 * Blocks on end |o| until its is_signaled hook holds or |deadline| passes
 * (E_TIMEDOUT); E_CANCELED if the handle closes or the thread is being
 * killed (sched_block sees to that).  A non-blocking end, or the deadline
 * WAIT_POLL, never blocks: E_AGAIN.
 */
static long block_on(struct ob *o, handle_t via, uint64_t deadline)
{
    if (deadline == WAIT_POLL || ((struct pipe_end *)o)->nonblock)
        return E_AGAIN;
    return ob_wait_one(o, via, deadline);
}

static long wait_for_room(struct ob *o, handle_t via, size_t need, uint64_t deadline)
{
    struct blocked_writer w = { .thread = current_thread(), .need = need };

    list_push_back(&pipe_of(o)->blocked_writers, &w.node);
    long err = block_on(o, via, deadline);
    list_remove(&w.node);
    return err;
}

/* ---- the end objects ------------------------------------------------------ */

/* End |o| has no handle left: its peer sees end of file or E_PEERCLOSED. */
static void pipe_end_on_last_handle(struct ob *o)
{
    struct pipe *p = pipe_of(o);
    int side = side_of(o);

    p->closed[side] = true;
    signal_end(p, peer_of(side));
}

static void pipe_end_destroy(struct ob *o)
{
    struct pipe *p = pipe_of(o);
    int side = side_of(o);

    if (!p->closed[side])               /* never had a handle: a create that was undone */
        pipe_end_on_last_handle(o);
    p->ends[side] = NULL;
    if (!p->ends[peer_of(side)])
        kfree(p);
}

/* OBJECT_INFO_PIPE_READ / _WRITE: the ring as this end sees it, and the other end. */
static long pipe_end_query(struct ob *o, uint32_t info_class, struct query_out *q)
{
    struct pipe *p = pipe_of(o);
    int peer = peer_of(side_of(o));
    struct pipe_query_info info = {
        .buffered = p->count, .capacity = p->capacity,
        .peer_id = p->ends[peer] ? p->ends[peer]->ob.id : 0, .peer_closed = p->closed[peer],
        .flags = ((struct pipe_end *)o)->nonblock ? PIPE_NONBLOCK : 0,
    };

    if (info_class != INFO_CLASS(o->type->code, 1))
        return E_INVAL;
    return query_put(q, &info, sizeof info);
}

const struct ob_type pipe_read_type = {
    .name = "pipe-read",
    .code = OB_TYPE_PIPE_READ,
    .tag = TAG("PipR"),
    .valid_rights = PIPE_END_RIGHTS | RIGHT_READ,
    .default_rights = PIPE_END_RIGHTS | RIGHT_READ,
    .destroy = pipe_end_destroy,
    .on_last_handle = pipe_end_on_last_handle,
    .is_signaled = read_end_is_signaled,
    .query = pipe_end_query,
};

const struct ob_type pipe_write_type = {
    .name = "pipe-write",
    .code = OB_TYPE_PIPE_WRITE,
    .tag = TAG("PipW"),
    .valid_rights = PIPE_END_RIGHTS | RIGHT_WRITE,
    .default_rights = PIPE_END_RIGHTS | RIGHT_WRITE,
    .destroy = pipe_end_destroy,
    .on_last_handle = pipe_end_on_last_handle,
    .is_signaled = write_end_is_signaled,
    .query = pipe_end_query,
};

static struct ob *make_end(struct pipe *p, int side, const struct ob_type *type, unsigned long flags)
{
    struct pipe_end *e = ob_create(type, sizeof *e);

    if (!e)
        return NULL;
    e->pipe = p;
    e->nonblock = flags & PIPE_NONBLOCK;
    p->ends[side] = e;
    return &e->ob;
}

long pipe_create(struct ob *ends[PIPE_ENDS], uint32_t capacity, unsigned long flags)
{
    struct pipe *p = kmalloc(sizeof *p + capacity, TAG("Pipe"));     /* the ring needs no zeroing */

    if (!p)
        return E_NOMEM;
    p->ends[PIPE_READ_END] = p->ends[PIPE_WRITE_END] = NULL;
    p->closed[PIPE_READ_END] = p->closed[PIPE_WRITE_END] = false;
    p->capacity = capacity;
    p->head = p->count = 0;
    list_init(&p->blocked_writers);
    ends[PIPE_READ_END] = make_end(p, PIPE_READ_END, &pipe_read_type, flags);
    if (!ends[PIPE_READ_END]) {
        kfree(p);
        return E_NOMEM;
    }
    ends[PIPE_WRITE_END] = make_end(p, PIPE_WRITE_END, &pipe_write_type, flags);
    if (!ends[PIPE_WRITE_END]) {
        ob_unref(ends[PIPE_READ_END]);  /* the last end to go frees the ring */
        return E_NOMEM;
    }
    return 0;
}

/* ---- moving bytes ------------------------------------------------------- */

/* Copies |n| bytes from the ring at |pos| to |dst|: two pieces when they wrap. */
static inline long ring_to_user(const struct pipe *p, uint32_t pos, user_ptr dst, size_t n)
{
    size_t first = min_size(n, p->capacity - pos);
    long err = copy_to_user(dst, p->ring + pos, first);

    if (err == 0 && n > first)
        err = copy_to_user(user_ptr_add(dst, first), p->ring, n - first);
    return err;
}

/* Copies |n| bytes from |src| into the ring at |pos|: two pieces when they wrap. */
static long user_to_ring(struct pipe *p, uint32_t pos, user_ptr src, size_t n)
{
    size_t first = min_size(n, p->capacity - pos);
    long err = copy_from_user(p->ring + pos, src, first);

    if (err == 0 && n > first)
        err = copy_from_user(p->ring, user_ptr_add(src, first), n - first);
    return err;
}

long pipe_read(struct ob *o, handle_t via, user_ptr buf, size_t len, uint64_t deadline)
{
    struct pipe *p = pipe_of(o);
    long err;

    if (len == 0)                       /* a probe: is anything left to read, ever? */
        return p->count == 0 && p->closed[PIPE_WRITE_END] ? E_PEERCLOSED : 0;
    while (p->count == 0) {
        if (p->closed[PIPE_WRITE_END])
            return 0;                   /* end of file */
        if ((err = block_on(o, via, deadline)) < 0)
            return err;
    }
    size_t n = min_size(len, p->count);
    if ((err = ring_to_user(p, p->head, buf, n)) < 0)
        return err;
    p->head = wrap(p, p->head + (uint32_t)n);
    p->count -= n;
    wake_writers(p);
    return (long)n;
}

long pipe_peek(struct ob *o, user_ptr buf, size_t len)
{
    struct pipe *p = pipe_of(o);
    size_t n = min_size(len, p->count);

    if (p->count == 0 && p->closed[PIPE_WRITE_END])
        return E_PEERCLOSED;
    long err = n ? ring_to_user(p, p->head, buf, n) : 0;
    return err < 0 ? err : (long)n;
}

/* |n| more bytes are in the ring: a reader waiting for them may go. */
static void commit_write(struct pipe *p, size_t n)
{
    p->count += n;
    wake_readers(p);
}

/*
 * Each pass waits for room for the rest, or for one atomic write's worth of
 * it if the rest is longer (so a small write is never split), then fills
 * what room there is.
 */
static long write_passes(struct ob *o, handle_t via, user_ptr buf, size_t len, uint64_t deadline)
{
    struct pipe *p = pipe_of(o);
    size_t done = 0;
    long err;

    while (done < len) {
        if (p->closed[PIPE_READ_END])
            return done ? (long)done : E_PEERCLOSED;
        size_t need = min_size(len - done, atomic_size(p));
        if (room(p) < need) {
            if ((err = wait_for_room(o, via, need, deadline)) < 0)
                return done ? (long)done : err;
            continue;
        }
        size_t n = min_size(len - done, room(p));
        uint32_t tail = wrap(p, p->head + p->count);
        if ((err = user_to_ring(p, tail, user_ptr_add(buf, done), n)) < 0)
            return err;
        commit_write(p, n);
        done += n;
    }
    return (long)done;
}

/*
 * The usual write (a ping-pong's byte, a line of text) fits whole in the
 * room there is, without wrapping, and the reader is still there: one copy,
 * no loop.  What the first pass of write_passes would do for it.
 */
long pipe_write(struct ob *o, handle_t via, user_ptr buf, size_t len, uint64_t deadline)
{
    struct pipe *p = pipe_of(o);
    uint32_t tail = wrap(p, p->head + p->count);
    long err;

    if (len == 0 || len > room(p) || len > p->capacity - tail || p->closed[PIPE_READ_END])
        return write_passes(o, via, buf, len, deadline);
    if ((err = copy_from_user(p->ring + tail, buf, len)) < 0)
        return err;
    commit_write(p, len);
    return (long)len;
}

void pipe_set_nonblock(struct ob *o, bool nonblock)
{
    ((struct pipe_end *)o)->nonblock = nonblock;
}
