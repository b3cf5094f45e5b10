/*
 * bench: instructions per operation (TESTING.md, "Benchmarks").
 *
 * Under QEMU with -icount shift=0, rdtsc advances by one per guest
 * instruction, so the difference of two reads is the instructions executed,
 * kernel and user together, and it repeats exactly.  Each operation runs a
 * warm-up, then LOOPS times between two reads; the line printed is
 *     bench: NAME INSTRUCTIONS
 * which scripts/bench.py sets beside the reference numbers.
 *
 *   bench                 every operation
 *   bench --yield N       (internal) the partner process of the yield test
 *   bench --pong N        (internal) the partner of event ping-pong: waits on
 *                         the first handle it was given, sets the second
 */
#include <ember.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WARMUP      100
#define LOOPS       10000
#define SPAWN_LOOPS 200

static inline unsigned long instructions(void)
{
    unsigned int lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((unsigned long)hi << 32) | lo;
}

static void report(const char *name, unsigned long start, long loops)
{
    printf("bench: %s %lu\n", name, (instructions() - start) / (unsigned long)loops);
}

static void bench_null_syscall(void)
{
    for (int i = 0; i < WARMUP; i++)
        process_self_id();
    unsigned long t = instructions();
    for (int i = 0; i < LOOPS; i++)
        process_self_id();
    report("null-syscall", t, LOOPS);
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
    handle_t partner = spawn_self("--yield", WARMUP + LOOPS);
    for (int i = 0; i < WARMUP; i++)
        thread_yield();
    unsigned long t = instructions();
    for (int i = 0; i < LOOPS; i++)
        thread_yield();
    report("yield-round", t, LOOPS);
    object_wait(partner, TIMEOUT_INFINITE);
    handle_close(partner);
}

/* Two processes, two auto-reset events: ping sets one and waits on the other. */
static void bench_event_pingpong(void)
{
    handle_t ping = event_create(0, NULL), pong = event_create(0, NULL);
    handle_t pass[] = { ping, pong };
    char count[24];
    snprintf(count, sizeof count, "%d", WARMUP + LOOPS);
    const char *argv[] = { "/bin/bench", "--pong", count, NULL };
    handle_t partner = process_spawn("/bin/bench", argv, pass, 2);
    unsigned long t = 0;

    for (int i = 0; i < WARMUP + LOOPS; i++) {
        if (i == WARMUP)
            t = instructions();
        event_set(ping);
        object_wait(pong, TIMEOUT_INFINITE);
    }
    report("event-pingpong", t, LOOPS);
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

static void bench_event_create_close(void)
{
    unsigned long t = 0;

    for (int i = 0; i < WARMUP + LOOPS; i++) {
        if (i == WARMUP)
            t = instructions();
        handle_close(event_create(0, NULL));
    }
    report("event-create-close", t, LOOPS);
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

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--yield") == 0) {
        for (long i = atol(argv[2]); i > 0; i--)
            thread_yield();
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
    bench_spawn();
    return 0;
}
