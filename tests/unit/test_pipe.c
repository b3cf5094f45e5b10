/*
 * test_pipe.c: the pipe ring (kernel/ipc/pipe.c) on the host, with the real
 * objects and heap over a fake physical memory, and these stand-ins:
 *
 *   - user memory is host memory (a user_ptr holds a host address); a copy
 *     touching |fault_at| copies the bytes before it, then fails with
 *     E_FAULT, as a real fault in the middle of `rep movs` does;
 *   - ob_wait_one cannot block here: it asks |while_blocked| (the peer, acting
 *     while we "sleep") to change the pipe until the end is signaled, and
 *     returns E_CANCELED if the peer has nothing more to do;
 *   - ob_signal counts the wakeups it was asked for.
 *
 * What it checks: bytes come out in order across the ring's wrap, in at
 * most two copies per pass; partial reads; end of file only after the last
 * write handle, once drained; E_PEERCLOSED, and the count so far for a
 * writer whose reader leaves midway; a write of up to PIPE_ATOMIC bytes is
 * never split; a faulting pass commits nothing; the write end's signal for
 * object_wait means "room for PIPE_ATOMIC bytes"; a call whose wait is
 * canceled (the thread is dying) returns at once; every allocation is freed.
 */
#include <stdlib.h>
#include "kernel/abi/errors.h"
#include "kernel/arch/x86_64/phys.h"
#include "kernel/ipc/pipe.h"
#include "kernel/mm/frame.h"
#include "kernel/mm/heap.h"
#include "kernel/ob/wait.h"
#include "kernel/proc/process.h"
#include "kernel/sched/sched.h"
#include "tests/unit/check.h"

#define MiB             (1024ull * 1024)
#define PHYS_SIZE       (16 * MiB)
#define ROUNDS          2000
#define SMALL           10
#define VIA             7               /* a handle value: ob_wait_one only passes it on */
#define SEED            12345u

struct cpu_local cpu_local;             /* what current_thread() reads */
static struct thread fake_thread;
static struct process fake_process;

/* ---- stand-ins for the rest of the kernel ----------------------------------- */

static const uint8_t *fault_at;         /* a copy touching this byte faults there */
static int copies, copies_in, waits, signals;     /* copies_in: from user memory (writes) */
static int (*while_blocked)(void);      /* the peer's next move; 0 when it has none */

static long fake_copy(void *dst, const void *src, size_t len, const uint8_t *user)
{
    size_t n = len;

    copies++;
    if (fault_at && fault_at >= user && fault_at < user + len)
        n = (size_t)(fault_at - user);
    memcpy(dst, src, n);
    return n == len ? 0 : E_FAULT;
}

long copy_from_user(void *dst, user_ptr src, size_t len)
{
    copies_in++;
    return fake_copy(dst, (const void *)src.addr, len, (const uint8_t *)src.addr);
}

long copy_to_user(user_ptr dst, const void *src, size_t len)
{
    return fake_copy((void *)dst.addr, src, len, (const uint8_t *)dst.addr);
}

long ob_wait_one(struct ob *o, handle_t h, uint64_t deadline)
{
    (void)h, (void)deadline;
    waits++;
    if (!o->type->is_signaled(o, current_thread()) && current_thread()->kill_pending)
        return E_CANCELED;              /* as the real one does: a dying thread never blocks */
    while (!o->type->is_signaled(o, current_thread()))
        if (!while_blocked || !while_blocked())
            return E_CANCELED;
    return 0;
}

void ob_signal(struct ob *o)
{
    (void)o;
    signals++;
}

bool ob_handoff(struct ob *o)           /* only called with a waiter queued: never here */
{
    (void)o;
    signals++;
    return false;
}

/* ---- helpers ------------------------------------------------------------------- */

static struct ob *ends[PIPE_ENDS];
#define R ends[PIPE_READ_END]
#define W ends[PIPE_WRITE_END]

static uint8_t in[2 * PIPE_CAPACITY], out[2 * PIPE_CAPACITY];

static user_ptr uptr(const void *p)
{
    return user_ptr_of((uint64_t)p);
}

static long rd(void *buf, size_t len)
{
    return pipe_read(R, VIA, uptr(buf), len, DEADLINE_NONE);
}

static long wr(const void *buf, size_t len)
{
    return pipe_write(W, VIA, uptr(buf), len, DEADLINE_NONE);
}

/* A fresh pipe whose ends each have one handle, as after pipe_create. */
static void open_pipe(void)
{
    pipe_create(ends, PIPE_CAPACITY, 0);
    ob_handle_opened(R);
    ob_handle_opened(W);
    fault_at = NULL;
    while_blocked = NULL;
    fake_thread.kill_pending = false;
}

/* Closes the handle of |end| (NULL: already closed) and drops the creator's reference. */
static void drop(struct ob **end)
{
    if (!*end)
        return;
    if ((*end)->handles)
        ob_handle_closed(*end);
    ob_unref(*end);
    *end = NULL;
}

static void close_handle(struct ob *end)
{
    ob_handle_closed(end);
}

static void fill(uint8_t *buf, size_t len, unsigned seed)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)(seed + i * 7);
}

/* ---- the tests ------------------------------------------------------------------- */

/* The byte at offset |k| of the test stream. */
static uint8_t stream_byte(size_t k)
{
    return (uint8_t)(k * 7 + k / 251);
}

static void bytes_come_out_in_order_across_the_wrap(void)
{
    unsigned r = SEED;
    size_t written = 0, read = 0;
    int wrong = 0;

    open_pipe();
    for (int i = 0; i < ROUNDS; i++) {
        size_t wlen = (r = r * 1103515245 + 12345) % PIPE_ATOMIC, rlen = (r >> 8) % PIPE_ATOMIC;
        if (wlen <= PIPE_CAPACITY - (written - read)) {
            for (size_t k = 0; k < wlen; k++)
                in[k] = stream_byte(written + k);
            int before = copies;
            CHECK_EQ(wr(in, wlen), (long)wlen);
            CHECK(copies - before <= 2);        /* one pass, at most two pieces */
            written += wlen;
        }
        if (rlen == 0 || read == written)
            continue;                           /* it would block */
        long got = rd(out, rlen);
        CHECK_EQ(got, (long)(rlen < written - read ? rlen : written - read));
        for (long k = 0; k < got; k++)
            wrong += out[k] != stream_byte(read + (size_t)k);
        read += (size_t)got;
    }
    CHECK(written > 2 * PIPE_CAPACITY);         /* it went around the ring */
    CHECK_EQ(wrong, 0);
    drop(&R);
    drop(&W);
}

static void read_returns_what_is_there(void)
{
    open_pipe();
    CHECK_EQ(wr("0123456789", SMALL), SMALL);
    CHECK_EQ(rd(out, 4), 4);
    CHECK(memcmp(out, "0123", 4) == 0);
    CHECK_EQ(rd(out, sizeof out), SMALL - 4);
    CHECK(memcmp(out, "456789", SMALL - 4) == 0);
    int w = waits;
    CHECK_EQ(rd(out, 1), E_CANCELED);           /* empty: it would block, and nobody comes */
    CHECK_EQ(waits, w + 1);
    CHECK_EQ(rd(NULL, 0), 0);                   /* zero bytes: never blocks */
    drop(&R);
    drop(&W);
}

static void end_of_file_after_last_write_handle_and_drain(void)
{
    open_pipe();
    CHECK_EQ(wr("bye", 3), 3);
    ob_handle_opened(W);                        /* a second write handle */
    close_handle(W);
    CHECK_EQ(rd(out, sizeof out), 3);
    CHECK_EQ(rd(out, 1), E_CANCELED);           /* one writer left: still no end of file */
    int s = signals;
    close_handle(W);                            /* the last one */
    CHECK(signals > s);                         /* the reader was told */
    CHECK(R->type->is_signaled(R, &fake_thread));
    CHECK_EQ(rd(out, 1), 0);
    CHECK_EQ(rd(out, 1), 0);
    drop(&R);
    drop(&W);
}

static void write_without_reader_is_peerclosed(void)
{
    open_pipe();
    close_handle(R);
    CHECK(W->type->is_signaled(W, &fake_thread));
    CHECK_EQ(wr("x", 1), E_PEERCLOSED);
    drop(&R);
    drop(&W);
}

static int close_reader(void)
{
    close_handle(R);
    return 1;
}

static void reader_leaving_midway_returns_count_so_far(void)
{
    open_pipe();
    while_blocked = close_reader;
    CHECK_EQ(wr(in, sizeof in), PIPE_CAPACITY);
    drop(&R);
    drop(&W);
}

static int drain_all(void)
{
    static uint8_t sink[PIPE_CAPACITY];
    return rd(sink, sizeof sink) > 0;
}

static void long_write_completes_across_blocking(void)
{
    open_pipe();
    fill(in, sizeof in, SEED);
    while_blocked = drain_all;
    CHECK_EQ(wr(in, sizeof in), (long)sizeof in);
    CHECK_EQ(rd(out, sizeof out), PIPE_CAPACITY);   /* the second half, whole */
    CHECK(memcmp(out, in + PIPE_CAPACITY, PIPE_CAPACITY) == 0);
    drop(&R);
    drop(&W);
}

static int drained;

/* Frees the ring a few bytes at a time: a small write must not start before it fits whole. */
static int drain_a_little(void)
{
    uint8_t sink[SMALL];
    drained += (int)rd(sink, sizeof sink);
    return 1;
}

static void small_write_waits_until_it_fits_whole(void)
{
    open_pipe();
    fill(in, sizeof in, SEED);
    CHECK_EQ(wr(in, PIPE_CAPACITY - SMALL), PIPE_CAPACITY - SMALL);  /* SMALL bytes of room */
    drained = 0;
    while_blocked = drain_a_little;
    int before = copies_in;
    CHECK_EQ(wr(in, PIPE_ATOMIC), PIPE_ATOMIC);
    CHECK(copies_in - before <= 2);             /* one pass: it was never split */
    CHECK(drained + SMALL >= PIPE_ATOMIC);      /* and it waited for the room */
    CHECK(drained + SMALL < PIPE_ATOMIC + SMALL);
    drop(&R);
    drop(&W);
}

static void write_end_signal_means_room_for_an_atomic_write(void)
{
    open_pipe();
    CHECK_EQ(wr(in, PIPE_CAPACITY - PIPE_ATOMIC + 1), PIPE_CAPACITY - PIPE_ATOMIC + 1);
    CHECK(!W->type->is_signaled(W, &fake_thread));  /* PIPE_ATOMIC - 1 bytes of room */
    CHECK_EQ(rd(out, 1), 1);
    CHECK(W->type->is_signaled(W, &fake_thread));
    CHECK(R->type->is_signaled(R, &fake_thread));
    drop(&R);
    drop(&W);
}

static void faulting_pass_commits_nothing(void)
{
    open_pipe();
    fill(in, sizeof in, SEED);
    CHECK_EQ(wr(in, PIPE_CAPACITY - SMALL), PIPE_CAPACITY - SMALL);
    CHECK_EQ(rd(out, PIPE_CAPACITY - SMALL), PIPE_CAPACITY - SMALL);   /* head near the end */
    fault_at = in + 2 * SMALL;
    CHECK_EQ(wr(in, 4 * SMALL), E_FAULT);       /* the second piece faults */
    fault_at = NULL;
    CHECK_EQ(wr("abcd", 4), 4);
    fault_at = out + 2;
    CHECK_EQ(rd(out, 4), E_FAULT);
    fault_at = NULL;
    CHECK_EQ(rd(out, sizeof out), 4);           /* nothing was consumed either */
    CHECK(memcmp(out, "abcd", 4) == 0);
    drop(&R);
    drop(&W);
}

/* The wait says E_CANCELED (the thread is dying): the pipe gives up at once, no retry loop. */
static void killed_thread_call_ends_canceled(void)
{
    open_pipe();
    fake_thread.kill_pending = true;
    int w = waits;
    CHECK_EQ(rd(out, 1), E_CANCELED);
    CHECK_EQ(waits, w + 1);
    fake_thread.kill_pending = false;
    drop(&R);
    drop(&W);
}

static void either_end_may_go_first(void)
{
    open_pipe();
    drop(&W);                                   /* the ring stays for the reader */
    CHECK_EQ(rd(out, 1), 0);
    drop(&R);
    open_pipe();
    drop(&R);
    CHECK_EQ(wr("x", 1), E_PEERCLOSED);
    drop(&W);
}

static void nothing_leaked(void)
{
    CHECK_EQ(heap_tag_stats(TAG("Pipe")).live, 0);
    CHECK_EQ(heap_tag_stats(TAG("PipR")).live, 0);
    CHECK_EQ(heap_tag_stats(TAG("PipW")).live, 0);
}

int main(void)
{
    const struct mem_region ram[] = { { PAGE_SIZE, PHYS_SIZE - PAGE_SIZE } };

    host_phys_base = aligned_alloc(PAGE_SIZE, PHYS_SIZE);
    if (!host_phys_base || frame_init(ram, 1, NULL, 0) < 0) {
        fprintf(stderr, "test_pipe: cannot set up the fake physical memory\n");
        return 1;
    }
    fake_thread.process = &fake_process;
    cpu_local.current = &fake_thread;
    RUN(bytes_come_out_in_order_across_the_wrap);
    RUN(read_returns_what_is_there);
    RUN(end_of_file_after_last_write_handle_and_drain);
    RUN(write_without_reader_is_peerclosed);
    RUN(reader_leaving_midway_returns_count_so_far);
    RUN(long_write_completes_across_blocking);
    RUN(small_write_waits_until_it_fits_whole);
    RUN(write_end_signal_means_room_for_an_atomic_write);
    RUN(faulting_pass_commits_nothing);
    RUN(killed_thread_call_ends_canceled);
    RUN(either_end_may_go_first);
    RUN(nothing_leaked);
    free(host_phys_base);
    return check_status();
}
