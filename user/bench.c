/*
 * bench: instructions per operation (TESTING.md, "Benchmarks").
 *
 * Under QEMU with -icount shift=0, rdtsc advances by one per guest
 * instruction, so the difference of two reads is the instructions executed,
 * kernel and user together, and it repeats exactly.  Each operation runs a
 * warm-up, then |loops| times between two reads; the line printed is
 *     bench: NAME INSTRUCTIONS
 * which scripts/bench.py sets beside the reference numbers.
 *
 *   bench                 every operation
 *   bench --yield N       (internal) the partner process of the yield test
 *   bench --lpc N         (internal) the partner of lpc-roundtrip: serves N
 *                         requests on an LPC port
 *   bench --pong N        (internal) the partner of event ping-pong: waits on
 *                         the first handle it was given, sets the second
 *   bench --pipe-pong N   (internal) the partner of pipe ping-pong: echoes N
 *                         bytes from its stdin pipe to its stdout pipe
 *   bench --drain N       (internal) the partner of the pipe stream: reads N
 *                         bytes from stdin, then writes one byte to stdout
 *   bench --trace NAME    only the operation NAME (event-pingpong, pipe-pingpong,
 *                         lpc-roundtrip, null-syscall), TRACE_LOOPS times a
 *                         round, round after round, after the line
 *                         "bench-trace: go": scripts/bench_trace.py logs the
 *                         instructions of a window of it, then stops QEMU
 */
#include <ember.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <service.h>
#include "kernel/drv/cmos.h"

#define WARMUP      100
#define ROUNDS      10
#define SPAWN_LOOPS 200
#define CLOCK_LOOPS 1000
#define CONSOLE_LOOPS 300
#define CONSOLE_LINE 64
#define TRACE_LOOPS 1000000         /* bench --trace: long enough for the tracer's window */

static long loops = 10000;          /* per operation between the two reads */
#define COM1_BASE   0x3f8
#define COM1_PORTS  8
#define COM1_IRQ    4

static inline unsigned long instructions(void)
{
    unsigned int lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((unsigned long)hi << 32) | lo;
}

static void report(const char *name, unsigned long start, long n)
{
    printf("bench: %s %lu\n", name, (instructions() - start) / (unsigned long)n);
}

/*
 * The single-process operations run in ROUNDS rounds and report the cheapest:
 * a round that a timer tick (every 10 ms: 10 million instructions here)
 * landed in also counts the tick, which is not the path being measured.
 * The loops call the operation directly, as the reference loops do.
 */
static unsigned long fewer(unsigned long best, unsigned long start, long n)
{
    unsigned long per = (instructions() - start) / (unsigned long)n;
    return per < best ? per : best;
}

static void bench_null_syscall(void)
{
    const long per_round = loops / ROUNDS;     /* in a register: the loop reads no memory */
    unsigned long best = ~0ul;

    for (int i = 0; i < WARMUP; i++)
        process_self_id();
    for (int r = 0; r < ROUNDS; r++) {
        unsigned long t = instructions();
        for (long i = per_round; i > 0; i--)   /* counting down: as short as a constant bound */
            process_self_id();
        best = fewer(best, t, per_round);
    }
    printf("bench: null-syscall %lu\n", best);
}

static void bench_event_create_close(void)
{
    const long per_round = loops / ROUNDS;
    unsigned long best = ~0ul;

    for (int i = 0; i < WARMUP; i++)
        handle_close(event_create(0, NULL));
    for (int r = 0; r < ROUNDS; r++) {
        unsigned long t = instructions();
        for (long i = per_round; i > 0; i--)   /* counting down: as short as a constant bound */
            handle_close(event_create(0, NULL));
        best = fewer(best, t, per_round);
    }
    printf("bench: event-create-close %lu\n", best);
}

static handle_t spawn_self(const char *mode, long n)
{
    char count[24];
    snprintf(count, sizeof count, "%ld", n);
    const char *argv[] = { "/bin/bench", mode, count, NULL };
    return process_spawn("/bin/bench", argv, NULL, 0);
}

/* Two processes yield to each other: one round is a yield by each. */
static void bench_yield(void)
{
    handle_t partner = spawn_self("--yield", WARMUP + loops);
    for (int i = 0; i < WARMUP; i++)
        thread_yield();
    unsigned long t = instructions();
    for (int i = 0; i < loops; i++)
        thread_yield();
    report("yield-round", t, loops);
    object_wait(partner, TIMEOUT_INFINITE);
    handle_close(partner);
}

/* Two processes, two auto-reset events: ping sets one and waits on the other. */
static void bench_event_pingpong(void)
{
    handle_t ping = event_create(0, NULL), pong = event_create(0, NULL);
    handle_t pass[] = { ping, pong };
    char count[24];
    snprintf(count, sizeof count, "%ld", WARMUP + loops);
    const char *argv[] = { "/bin/bench", "--pong", count, NULL };
    handle_t partner = process_spawn("/bin/bench", argv, pass, 2);
    const long total = WARMUP + loops;
    unsigned long t = 0;

    for (long i = 0; i < total; i++) {
        if (i == WARMUP)
            t = instructions();
        event_set(ping);
        object_wait(pong, TIMEOUT_INFINITE);
    }
    report("event-pingpong", t, loops);
    object_wait(partner, TIMEOUT_INFINITE);
    handle_close(partner);
    handle_close(ping);
    handle_close(pong);
}

static void pong_partner(long n)
{
    const struct start_info *si = start_info();

    for (long i = 0; i < n; i++) {
        object_wait(si->handles[0], TIMEOUT_INFINITE);
        event_set(si->handles[1]);
    }
}

/* ---- pipes and sections (kernel/ipc/pipe.c, section.c) ---- */

#define STREAM_CHUNK        (64 * 1024)
#define STREAM_BYTES        (4 * 1024 * 1024)
#define STREAM_WARMUP       (1024 * 1024)
#define KIB                 1024
#define SECTION_BENCH_SIZE  4096

static char stream_buf[STREAM_CHUNK];

/* Starts "/bin/bench MODE N" reading pipe end |in| and writing |out|. */
static handle_t spawn_partner_io(const char *mode, long n, handle_t in, handle_t out)
{
    char count[24];
    snprintf(count, sizeof count, "%ld", n);
    const char *argv[] = { "/bin/bench", mode, count, NULL };
    return spawn_io("/bin/bench", argv, in, out);
}

/* Makes two pipes and a partner reading the first and writing the second; we keep the other ends. */
static handle_t pipe_partner(const char *mode, long n, handle_t *to, handle_t *from)
{
    handle_t there[PIPE_ENDS], back[PIPE_ENDS];

    pipe_create(there);
    pipe_create(back);
    handle_t partner = spawn_partner_io(mode, n, there[PIPE_READ_END], back[PIPE_WRITE_END]);
    handle_close(there[PIPE_READ_END]);
    handle_close(back[PIPE_WRITE_END]);
    *to = there[PIPE_WRITE_END];
    *from = back[PIPE_READ_END];
    return partner;
}

static void end_partner(handle_t partner, handle_t to, handle_t from)
{
    handle_close(to);
    handle_close(from);
    object_wait(partner, TIMEOUT_INFINITE);
    handle_close(partner);
}

/* One byte there, one byte back, through two pipes between two processes. */
static void bench_pipe_pingpong(void)
{
    const long total = WARMUP + loops;
    handle_t to, from, partner = pipe_partner("--pipe-pong", total, &to, &from);
    unsigned long t = 0;
    char c = 'x';

    for (long i = 0; i < total; i++) {
        if (i == WARMUP)
            t = instructions();
        pipe_write(to, &c, 1);
        pipe_read(from, &c, 1);
    }
    report("pipe-pingpong", t, loops);
    end_partner(partner, to, from);
}

/* The partner of pipe ping-pong: echoes |n| bytes from stdin to stdout. */
static void pipe_pong_partner(long n)
{
    const struct start_info *si = start_info();
    char c;

    for (long i = 0; i < n; i++) {
        pipe_read(si->handles[STDIN_HANDLE], &c, 1);
        pipe_write(si->handles[STDOUT_HANDLE], &c, 1);
    }
}

static void stream(handle_t to, long bytes)
{
    for (long sent = 0; sent < bytes; sent += STREAM_CHUNK)
        pipe_write(to, stream_buf, STREAM_CHUNK);
}

/* STREAM_BYTES in STREAM_CHUNK writes; done when the reader says it has them all. */
static void bench_pipe_stream(void)
{
    handle_t to, from, partner = pipe_partner("--drain", STREAM_WARMUP + STREAM_BYTES, &to, &from);
    char ack;

    stream(to, STREAM_WARMUP);
    unsigned long t = instructions();
    stream(to, STREAM_BYTES);
    pipe_read(from, &ack, 1);
    report("pipe-stream-kib", t, STREAM_BYTES / KIB);
    end_partner(partner, to, from);
}

/* The partner of the stream: reads |n| bytes in STREAM_CHUNK reads, then sends one byte back. */
static void drain_partner(long n)
{
    const struct start_info *si = start_info();
    long got = 0, r = 1;

    while (got < n && r > 0)
        got += r = pipe_read(si->handles[STDIN_HANDLE], stream_buf, STREAM_CHUNK);
    pipe_write(si->handles[STDOUT_HANDLE], "!", 1);
}

/* Map a 4 KiB section made once, touch it, unmap it. */
static void bench_section_map(void)
{
    handle_t s = section_create(SECTION_BENCH_SIZE, 0, NULL);
    const long total = WARMUP + loops;
    unsigned long t = 0;

    for (long i = 0; i < total; i++) {
        if (i == WARMUP)
            t = instructions();
        long a = section_map(s, 0, NULL, MEM_WRITE);
        *(volatile char *)a = 1;
        section_unmap(0, (const void *)a);
    }
    report("section-map", t, loops);
    handle_close(s);
}

/* ---- ports (kernel/ipc/port.c) ---- */

#define LPC_PORT_NAME   "/obj/bench.lpc"
#define LPC_BYTES       64

/* The partner of lpc-roundtrip: a server answering |n| requests of LPC_BYTES with LPC_BYTES. */
static void lpc_server(long n)
{
    static char buf[LPC_BYTES];
    struct port_message m = { .data = buf };
    unsigned long flags = 0;            /* PORT_RECEIVE_REPLY: |m| holds the reply to send first */
    handle_t port = port_create(LPC_PORT_NAME, LPC_BYTES, 0);

    while (port > 0 && n > 0) {
        m.data_room = sizeof buf;
        if (port_receive(port, &m, flags, TIMEOUT_INFINITE) < 0)
            return;
        flags = 0;
        if (m.kind == PORT_MSG_CONNECT) {
            port_accept(port, m.id, 0);
        } else if (m.kind == PORT_MSG_REQUEST) {
            m.len = LPC_BYTES;          /* the reply: the buffer as it came */
            flags = PORT_RECEIVE_REPLY;
            n--;
        }
    }
    if (flags)
        port_reply(port, &m);           /* the last one */
}

/* Two processes: a request of LPC_BYTES and its reply of LPC_BYTES, per round trip. */
static void bench_lpc_roundtrip(void)
{
    static char out[LPC_BYTES], in[LPC_BYTES];
    struct port_message req = { .data = out, .len = LPC_BYTES };
    struct port_message rep = { .data = in, .data_room = LPC_BYTES };
    const long total = WARMUP + loops;
    handle_t partner = spawn_self("--lpc", total), port;
    unsigned long t = 0;

    while ((port = port_connect(LPC_PORT_NAME, NULL, 0)) == E_NOTFOUND)
        thread_yield();                 /* until the partner has registered the name */
    for (long i = 0; i < total; i++) {
        if (i == WARMUP)
            t = instructions();
        port_request(port, &req, &rep);
    }
    report("lpc-roundtrip", t, loops);
    handle_close(port);
    object_wait(partner, TIMEOUT_INFINITE);
    handle_close(partner);
}

static void bench_spawn(void)
{
    const char *argv[] = { "/bin/true", NULL };
    unsigned long t = 0;

    for (int i = 0; i < WARMUP / 10 + SPAWN_LOOPS; i++) {
        if (i == WARMUP / 10)
            t = instructions();
        handle_t h = process_spawn("/bin/true", argv, NULL, 0);
        object_wait(h, TIMEOUT_INFINITE);
        handle_close(h);
    }
    report("spawn-exit-wait", t, SPAWN_LOOPS);
}

/* Reads the clock through rtcd, the ring-3 driver: an LPC round trip to it (it must be running). */
static void bench_clock_driver(void)
{
    struct clock_time t;
    unsigned long start = 0;

    for (int i = 0; i < WARMUP + CLOCK_LOOPS; i++) {
        if (i == WARMUP)
            start = instructions();
        if (clock_read(&t) < 0) {
            printf("bench: clock-read-driver: a read failed\n");
            return;
        }
    }
    report("clock-read-driver", start, CLOCK_LOOPS);
}

/* Starts rtcd as svcmgr does (we are the first process: we hold the root resource), or returns 0. */
static handle_t start_rtcd(void)
{
    const char *argv[] = { "/bin/rtcd", NULL };
    handle_t hs[DRIVER_HANDLES] = { 0 };
    handle_t h;

    hs[DRIVER_IOPORT_HANDLE] = ioport_create(startup_resource(), CMOS_INDEX_PORT, CMOS_PORTS);
    hs[DRIVER_IRQ_HANDLE] = interrupt_create(startup_resource(), CMOS_IRQ);
    if (hs[DRIVER_IOPORT_HANDLE] < 0 || hs[DRIVER_IRQ_HANDLE] < 0)
        return 0;
    h = process_spawn(argv[0], argv, hs, DRIVER_HANDLES);
    handle_close(hs[DRIVER_IOPORT_HANDLE]);
    handle_close(hs[DRIVER_IRQ_HANDLE]);
    return h > 0 ? h : 0;
}

/* Starts consoled on COM1 as svcmgr does, or returns 0. */
static handle_t start_consoled(void)
{
    const char *argv[] = { "/bin/consoled", NULL };
    handle_t hs[DRIVER_HANDLES] = { 0 };
    handle_t h, probe;

    hs[DRIVER_IOPORT_HANDLE] = ioport_create(startup_resource(), COM1_BASE, COM1_PORTS);
    hs[DRIVER_IRQ_HANDLE] = interrupt_create(startup_resource(), COM1_IRQ);
    if (hs[DRIVER_IOPORT_HANDLE] < 0 || hs[DRIVER_IRQ_HANDLE] < 0)
        return 0;
    h = process_spawn(argv[0], argv, hs, DRIVER_HANDLES);
    handle_close(hs[DRIVER_IOPORT_HANDLE]);
    handle_close(hs[DRIVER_IRQ_HANDLE]);
    while (h > 0 && (probe = object_open(CONSOLE_PORT_NAME, OB_TYPE_PORT)) < 0)
        thread_yield();                 /* until it has registered */
    if (h > 0)
        handle_close(probe);
    return h > 0 ? h : 0;
}

/*
 * A 64-byte line to the console: through consoled (a CONSOLE_WRITE round
 * trip, the driver's `out`s to the UART), and through the kernel's log path
 * (console_write) for comparison.  Each writes CONSOLE_LOOPS lines of dots.
 */
static void bench_console_write(void)
{
    static char line[CONSOLE_LINE];
    struct svc_conn conn = { CONSOLE_PORT_NAME, 0 };
    handle_t consoled = start_consoled();
    unsigned long start = 0;

    memset(line, '.', sizeof line - 1);
    line[sizeof line - 1] = '\n';
    for (int i = 0; consoled && i < WARMUP + CONSOLE_LOOPS; i++) {
        if (i == WARMUP)
            start = instructions();
        svc_call_once(&conn, CONSOLE_WRITE, line, sizeof line, 0, NULL, 0);
    }
    if (consoled) {
        report("console-write-driver", start, CONSOLE_LOOPS);
        handle_close(conn.port);
        process_kill(consoled, 0);
        object_wait(consoled, TIMEOUT_INFINITE);
        handle_close(consoled);
    }
    for (int i = 0; i < WARMUP + CONSOLE_LOOPS; i++) {
        if (i == WARMUP)
            start = instructions();
        console_write(line, sizeof line);
    }
    report("console-write-kernel", start, CONSOLE_LOOPS);
}

/* The same read through the kernel-mode driver (a boot with clock=kernel: bench --kclock). */
static void bench_clock_kernel(void)
{
    struct clock_time t;
    unsigned long start = 0;

    for (int i = 0; i < WARMUP + CLOCK_LOOPS; i++) {
        if (i == WARMUP)
            start = instructions();
        if (kclock_read(&t) < 0) {
            printf("bench: clock-read-kernel: a read failed (a boot without clock=kernel)\n");
            return;
        }
    }
    report("clock-read-kernel", start, CLOCK_LOOPS);
}

static const struct traced {
    const char *name;
    void (*run)(void);
} traced[] = {
    { "null-syscall", bench_null_syscall },
    { "event-pingpong", bench_event_pingpong },
    { "pipe-pingpong", bench_pipe_pingpong },
    { "lpc-roundtrip", bench_lpc_roundtrip },
    { "spawn-exit-wait", bench_spawn },
};

/* bench --trace NAME: one operation, for long, so a tracer can sample it. */
static int trace_one(const char *name)
{
    for (size_t i = 0; i < sizeof traced / sizeof traced[0]; i++) {
        if (strcmp(traced[i].name, name) == 0) {
            loops = TRACE_LOOPS;
            printf("bench-trace: go\n");
            for (;;)
                traced[i].run();        /* until the tracer stops QEMU */
        }
    }
    printf("bench: --trace: no operation %s\n", name);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--trace") == 0)
        return trace_one(argv[2]);
    if (argc == 2 && strcmp(argv[1], "--kclock") == 0) {
        bench_clock_kernel();
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "--yield") == 0) {
        for (long i = atol(argv[2]); i > 0; i--)
            thread_yield();
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "--pipe-pong") == 0) {
        pipe_pong_partner(atol(argv[2]));
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "--drain") == 0) {
        drain_partner(atol(argv[2]));
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "--lpc") == 0) {
        lpc_server(atol(argv[2]));
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "--pong") == 0) {
        pong_partner(atol(argv[2]));
        return 0;
    }
    bench_null_syscall();
    bench_yield();
    bench_event_pingpong();
    bench_event_create_close();
    bench_pipe_pingpong();
    bench_pipe_stream();
    bench_section_map();
    bench_lpc_roundtrip();
    bench_spawn();
    bench_console_write();
    handle_t rtcd = start_rtcd();
    if (rtcd) {
        bench_clock_driver();
        process_kill(rtcd, 0);
        object_wait(rtcd, TIMEOUT_INFINITE);
        handle_close(rtcd);
    }
    return 0;
}
