/*
 * bench_scale: each operation against what drives its cost (make bench-scale).
 *
 * Under QEMU's -icount shift=0, rdtsc counts guest instructions (see
 * user/bench.c).  For each operation this program grows its driver step by
 * step (names that exist, handles open, wait-set size, processes alive, pages
 * mapped, message bytes, handles carried) and prints one line per point:
 *     scale: OPERATION DRIVER INSTRUCTIONS
 * scripts/bench_scale.py turns them into a CSV and a plot per operation.
 * A point the kernel refuses (a quota reached) ends that operation's curve
 * with a line "scale-stop: OPERATION DRIVER ERROR", so the plot shows where.
 *
 *   bench_scale                         every curve
 *   bench_scale --hold FIRST COUNT      (internal) creates COUNT named events,
 *                                       sets handle 0, waits on handle 1
 *   bench_scale --sleep                 (internal) sets handle 1 and waits on handle 0, in one call
 *   bench_scale --echo                  (internal) an LPC server replying to
 *                                       each request with its bytes and handles
 */
#include <ember.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_FMT        "/obj/scale.%ld"
#define ECHO_PORT       "/obj/scale.echo"
#define SAMPLES         100     /* operations averaged per point */
#define HOLD_BATCH      2000    /* names one holder process creates (under its handle quota) */
#define MAX_HOLDERS     16
#define MAX_SLEEPERS    100
#define PAGE            4096

static inline unsigned long instructions(void)
{
    unsigned int lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((unsigned long)hi << 32) | lo;
}

static void point(const char *op, long x, unsigned long start, long samples)
{
    printf("scale: %s %ld %lu\n", op, x, (instructions() - start) / (unsigned long)samples);
}

static void stop(const char *op, long x, long err)
{
    printf("scale-stop: %s %ld %s\n", op, x, errstr(err));
}

/* Starts "/bin/bench_scale ARGS..." with |handles|; returns its process handle. */
static handle_t spawn_partner(const char *mode, long a, long b, handle_t *handles, long n)
{
    char sa[24], sb[24];
    snprintf(sa, sizeof sa, "%ld", a);
    snprintf(sb, sizeof sb, "%ld", b);
    const char *argv[] = { "/bin/bench_scale", mode, sa, sb, NULL };
    return process_spawn("/bin/bench_scale", argv, handles, n);
}

/* ---- names: open and create, against the names that exist ---- */

/* Holders create names [0, total) in batches, so no process passes its handle quota. */
static long hold_names(long have, long total, handle_t quit, handle_t *holders, int *nholders)
{
    while (have < total && *nholders < MAX_HOLDERS) {
        long count = total - have < HOLD_BATCH ? total - have : HOLD_BATCH;
        handle_t ready = event_create(0, NULL);
        handle_t pass[] = { ready, quit };
        holders[(*nholders)++] = spawn_partner("--hold", have, count, pass, 2);
        object_wait(ready, TIMEOUT_INFINITE);
        handle_close(ready);
        have += count;
    }
    return have;
}

static void hold_partner(long first, long count)
{
    const struct start_info *si = start_info();
    char name[OB_NAME_MAX];

    for (long i = first; i < first + count; i++) {
        snprintf(name, sizeof name, NAME_FMT, i);
        if (event_create(0, name) < 0)
            break;
    }
    event_set(si->handles[0]);
    object_wait(si->handles[1], TIMEOUT_INFINITE);
}

static void curve_names(void)
{
    static const long steps[] = { 10, 30, 100, 300, 1000, 3000, 10000 };
    handle_t quit = event_create(EVENT_MANUAL_RESET, NULL), holders[MAX_HOLDERS];
    int nholders = 0;
    long have = 0;
    char name[OB_NAME_MAX];

    for (unsigned s = 0; s < sizeof steps / sizeof steps[0]; s++) {
        have = hold_names(have, steps[s], quit, holders, &nholders);
        unsigned long t = instructions();
        for (long i = 0; i < SAMPLES; i++) {   /* spread over all names, the newest included */
            snprintf(name, sizeof name, NAME_FMT, have - 1 - i * have / SAMPLES);
            handle_close(object_open(name, OB_TYPE_EVENT));
        }
        point("name-open", have, t, SAMPLES);
        snprintf(name, sizeof name, NAME_FMT, -1L);
        t = instructions();
        for (long i = 0; i < SAMPLES; i++)
            handle_close(event_create(0, name));
        point("name-create", have, t, SAMPLES);
    }
    event_set(quit);
    for (int i = 0; i < nholders; i++) {
        object_wait(holders[i], TIMEOUT_INFINITE);
        handle_close(holders[i]);
    }
    handle_close(quit);
}

/* ---- handles: install and close one, against the handles open ---- */

static void curve_handles(void)
{
    static const long steps[] = { 10, 30, 100, 300, 1000, 3000, 10000 };
    static handle_t open[10000];
    long n = 0;

    for (unsigned s = 0; s < sizeof steps / sizeof steps[0]; s++) {
        long h = 0;
        while (n < steps[s] && (h = event_create(0, NULL)) > 0)
            open[n++] = h;
        if (h < 0) {                            /* the quota: measure just below it, then stop */
            stop("handle-install", n, h);
            handle_close(open[--n]);
        }
        unsigned long t = instructions();
        for (long i = 0; i < SAMPLES; i++)
            handle_close(event_create(0, NULL));
        point("handle-install", n, t, SAMPLES);
        if (h < 0)
            break;
    }
    while (n > 0)
        handle_close(open[--n]);
}

/* ---- waiting on many: any and all, against the wait-set size ---- */

static void curve_wait(void)
{
    handle_t set[WAIT_MANY_MAX];
    long index;

    for (int n = 0; n < WAIT_MANY_MAX; n++)
        set[n] = event_create(EVENT_MANUAL_RESET | EVENT_SIGNALED, NULL);
    for (int n = 1; n <= WAIT_MANY_MAX; n = n < 8 ? n + 1 : n * 2) {
        unsigned long t = instructions();
        for (long i = 0; i < SAMPLES; i++)
            object_wait_many(set, n, 0, 0, &index);
        point("wait-any", n, t, SAMPLES);
        t = instructions();
        for (long i = 0; i < SAMPLES; i++)
            object_wait_many(set, n, WAIT_FOR_ALL, 0, &index);
        point("wait-all", n, t, SAMPLES);
    }
    for (int n = 0; n < WAIT_MANY_MAX; n++)
        handle_close(set[n]);
}

/* ---- processes: spawn, exit, wait, against the processes alive ---- */

static void curve_processes(void)
{
    static const long steps[] = { 1, 3, 10, 30, 100 };
    const char *argv[] = { "/bin/true", NULL };
    handle_t quit = event_create(EVENT_MANUAL_RESET, NULL), sleepers[MAX_SLEEPERS];
    long alive = 1;     /* this process */

    for (unsigned s = 0; s < sizeof steps / sizeof steps[0]; s++) {
        for (; alive < steps[s]; alive++) {
            handle_t asleep = event_create(0, NULL), pass[] = { quit, asleep };
            sleepers[alive - 1] = spawn_partner("--sleep", 0, 0, pass, 2);
            if (sleepers[alive - 1] < 0) {
                handle_close(asleep);
                stop("spawn", alive, sleepers[alive - 1]);
                goto done;
            }
            /* Its start-up is not the spawn being measured: wait until it sleeps. */
            object_wait(asleep, TIMEOUT_INFINITE);
            handle_close(asleep);
        }
        unsigned long t = instructions();
        for (long i = 0; i < SAMPLES / 5; i++) {
            handle_t h = process_spawn("/bin/true", argv, NULL, 0);
            object_wait(h, TIMEOUT_INFINITE);
            handle_close(h);
        }
        point("spawn", alive, t, SAMPLES / 5);
    }
done:
    event_set(quit);
    for (long i = 0; i < alive - 1; i++) {
        object_wait(sleepers[i], TIMEOUT_INFINITE);
        handle_close(sleepers[i]);
    }
    handle_close(quit);
}

/* ---- memory: map, touch, unmap, against the pages ---- */

static void curve_pages(void)
{
    static const long steps[] = { 1, 3, 10, 30, 100, 300, 1000, 3000, 10000 };

    for (unsigned s = 0; s < sizeof steps / sizeof steps[0]; s++) {
        long pages = steps[s];
        unsigned long t = instructions();
        long a = mem_map(NULL, pages * PAGE, MEM_WRITE);
        if (a < 0) {
            stop("mem-map", pages, a);
            return;
        }
        point("mem-map", pages, t, 1);
        t = instructions();
        for (long p = 0; p < pages; p++)
            ((volatile char *)a)[p * PAGE] = 1;
        point("mem-touch", pages, t, 1);
        t = instructions();
        mem_unmap((void *)a, pages * PAGE);
        point("mem-unmap", pages, t, 1);
    }
}

/* ---- LPC: a round trip, against the bytes and the handles it carries ---- */

static char lpc_out[PORT_MAX_MESSAGE], lpc_in[PORT_MAX_MESSAGE];

static void echo_partner(void)
{
    static char buf[PORT_MAX_MESSAGE];
    handle_t carried[PORT_MAX_HANDLES];
    struct port_message m = { .data = buf, .handles = carried };
    unsigned long flags = 0;
    handle_t port = port_create(ECHO_PORT, PORT_MAX_MESSAGE, PORT_MAX_HANDLES);

    for (;;) {
        m.data_room = sizeof buf;
        m.handles_room = PORT_MAX_HANDLES;
        if (port_receive(port, &m, flags, TIMEOUT_INFINITE) < 0 || m.kind == PORT_MSG_CLOSED)
            return;
        flags = 0;
        if (m.kind == PORT_MSG_CONNECT)
            port_accept(port, m.id, 0);
        else if (m.kind == PORT_MSG_REQUEST)
            flags = PORT_RECEIVE_REPLY;     /* send back what came: the bytes and the handles */
    }
}

static void round_trips(handle_t port, const char *op, long x, long bytes, handle_t *carry, long n)
{
    handle_t back[PORT_MAX_HANDLES];
    struct port_message req = { .data = lpc_out, .len = bytes, .handles = carry, .nhandles = n };
    struct port_message rep = { .data = lpc_in, .data_room = sizeof lpc_in,
                                .handles = back, .handles_room = PORT_MAX_HANDLES };
    unsigned long t = 0;

    for (long i = 0; i < SAMPLES + 10; i++) {
        if (i == 10)
            t = instructions();
        if (port_request(port, &req, &rep) < 0) {
            stop(op, x, E_INVAL);
            return;
        }
        memcpy(carry, back, n * sizeof *carry);     /* they came back under new values */
    }
    point(op, x, t, SAMPLES);
}

static void curve_lpc(void)
{
    handle_t carry[PORT_MAX_HANDLES], port;
    handle_t server = spawn_partner("--echo", 0, 0, NULL, 0);

    while ((port = port_connect(ECHO_PORT, NULL, 0)) == E_NOTFOUND)
        thread_yield();
    for (long bytes = 0; bytes <= PORT_MAX_MESSAGE; bytes = bytes ? bytes * 2 : 16)
        round_trips(port, "lpc-bytes", bytes, bytes, carry, 0);
    for (long n = 0; n < PORT_MAX_HANDLES; n++)
        carry[n] = event_create(0, NULL);
    for (long n = 0; n <= PORT_MAX_HANDLES; n++)
        round_trips(port, "lpc-handles", n, 0, carry, n);
    for (long n = 0; n < PORT_MAX_HANDLES; n++)
        handle_close(carry[n]);
    handle_close(port);
    object_wait(server, TIMEOUT_INFINITE);
    handle_close(server);
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--hold") == 0) {
        hold_partner(atol(argv[2]), atol(argv[3]));
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "--sleep") == 0) {     /* handles: quit, then "asleep" */
        handle_t quit = start_info()->handles[0], asleep = start_info()->handles[1];
        return object_signal_wait(asleep, quit, TIMEOUT_INFINITE) < 0;   /* asleep when it is set */
    }
    if (argc >= 2 && strcmp(argv[1], "--echo") == 0) {
        echo_partner();
        return 0;
    }
    curve_names();
    curve_handles();
    curve_wait();
    curve_processes();
    curve_pages();
    curve_lpc();
    printf("scale: done\n");
    return 0;
}
