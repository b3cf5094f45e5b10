/*
 * fuzz: a ring-3 system-call fuzzer.
 *
 *   fuzz SEED CALLS [SEED CALLS ...]   fuzz with each seed for CALLS calls
 *   fuzz FIRST-LAST CALLS              every seed from FIRST to LAST
 *
 * For one seed the fuzzer (the parent) starts worker processes one after
 * another until CALLS calls have been made.  A worker draws calls from the
 * table that kernel/abi/syscalls.def generates (libc/syscall_desc.c) and
 * makes each argument by its kind (user/fuzz_args.h): live handles of every
 * type, closed and forged handle values, good and bad pointers, lengths,
 * strings and flags.  Two more threads of the worker do the same at the same
 * time, a fourth serves the worker's port (user/fuzz_port.h: requests and
 * replies need a partner at the same moment), and a sleeping child process is there to receive handles
 * (handle_duplicate into it, spawn with handles, messages on ports) and to
 * be killed.  The parent watches a progress counter the worker keeps in a
 * shared section: a worker that stops making calls (a call that waits for
 * ever is a fair draw) is killed, and now and then one is killed at random
 * mid-run.  After the last worker of a seed the parent ends anything they
 * left running and compares the kernel's per-tag object counts, heap bytes
 * and free frames with those from before the seed: any difference is a
 * leak, reported by tag.
 *
 * The output is deterministic for a seed under make's -icount clock, and
 * always names the seed: `make fuzz SEED=n CALLS=m` repeats a run.  Lines:
 *   fuzz: seed N: C calls, W workers (X exited, K killed, F faulted)
 *   fuzz: seed N: LEAK Evnt +1 (+64 bytes)
 *   fuzz: seed N: ok                   (or FAILED)
 *   fuzz: DONE seeds=S failed=F
 * The exit code is 0 only when no seed leaked.
 *
 * Not drawn, and why: console_write (the kernel's log path) and process_trace
 * would fill the serial line, the channel the test harness reads, with random
 * bytes.  The bad-input suites cover both.
 */
#include <ember.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall_desc.h>
#include "user/fuzz_args.h"
#include "user/fuzz_port.h"

#define WORKER_CALLS    400             /* calls per worker before a fresh one starts */
#define WATCH_NS        (20 * 1000000L)
#define STALL_WATCHES   5               /* no progress for this many watches: killed */
#define KILL_STALLED    97              /* exit codes the parent kills with */
#define KILL_AT_RANDOM  98
#define EXIT_LEAK       1

static const char *const not_drawn[] = { "console_write", "process_trace" };

/* What a worker publishes to its parent, in a shared section. */
struct progress {
    volatile uint64_t calls;
    volatile uint64_t last_call;        /* the syscall number in progress */
    volatile uint32_t succeeded[SYSCALL_COUNT];     /* per call, over all workers of a seed */
};
_Static_assert(sizeof(struct progress) <= 4096, "the progress section is one page");

/* ---- the worker ------------------------------------------------------------ */

static struct fuzz_world world;
static struct progress *progress;
static long budget;
static int drawable[SYSCALL_COUNT], ndrawable;
static struct port_script script;

/* Where a thread made by a drawn thread_create starts: a short sleep, then exit, all in registers. */
__attribute__((naked)) static void fuzz_thread_entry(void)
{
    __asm__ volatile("mov %0, %%eax\n\t"
                     "mov $1000000, %%edi\n\t"
                     "syscall\n\t"
                     "mov %1, %%eax\n\t"
                     "xor %%edi, %%edi\n\t"
                     "syscall\n\t"
                     "ud2"
                     : : "i"(SYS_thread_sleep), "i"(SYS_thread_exit));
}

static void list_drawable(void)
{
    for (int n = 0; n < SYSCALL_COUNT; n++) {
        int skip = 0;
        for (size_t i = 0; i < sizeof not_drawn / sizeof not_drawn[0]; i++)
            skip |= strcmp(syscall_descs[n].name, not_drawn[i]) == 0;
        if (!skip)
            drawable[ndrawable++] = n;
    }
}

static uint64_t make_arg(struct rng *r, enum syscall_arg_kind kind, const char *argname)
{
    switch (kind) {
    case ARG_HANDLE:  return (uint64_t)arg_handle(r, &world, argname);
    case ARG_PTR_IN:  return arg_pointer(r, &world, 0);
    case ARG_PTR_OUT: return arg_pointer(r, &world, 1);
    case ARG_LEN:     return arg_length(r);
    case ARG_COUNT:   return arg_count(r);
    case ARG_STRING:  return arg_string(r, &world, argname);
    case ARG_NAME:    return rng_chance(r, 15) ? 0 : arg_string(r, &world, argname);
    case ARG_ARGV:    return arg_argv(r, &world);
    case ARG_FLAGS:   return arg_flags(r);
    case ARG_ADDR:    return arg_address(r, &world, argname);
    case ARG_VALUE:   return arg_value(r, &world, argname);
    case ARG_NONE:    break;
    }
    return 0;
}

/*
 * What kind of handle call |n| returns, named as the HANDLE arguments are
 * ("event" from event_create, "process" from process_spawn), or "".
 */
static const char *kind_made_by(int n)
{
    static const struct { int call; const char *kind; } made[] = {
        { SYS_process_spawn, "process" }, { SYS_process_open, "process" },
        { SYS_thread_create, "thread" }, { SYS_file_open, "file" }, { SYS_event_create, "event" },
        { SYS_mutex_create, "mutex" }, { SYS_semaphore_create, "semaphore" },
        { SYS_pipe_create, "pipe" }, { SYS_section_create, "section" },
        { SYS_port_create, "port" }, { SYS_port_connect, "port" }, { SYS_port_accept, "port" },
        { SYS_timer_create, "timer" }, { SYS_directory_create, "directory" },
    };

    for (size_t i = 0; i < sizeof made / sizeof made[0]; i++)
        if (made[i].call == n)
            return made[i].kind;
    return "";
}

/* A positive result that looks like a handle value joins the pool, in place of a random one. */
static void keep_handle(struct rng *r, long ret, const char *kind)
{
    if (ret > 0xffff) {
        int i = rng_below(r, POOL_SIZE);
        world.pool[i] = ret;
        world.kind[i] = kind;
    }
}

/* One drawn call, made; what it returned. */
static long fuzz_one(struct rng *r)
{
    int n = drawable[rng_below(r, ndrawable)];
    const struct syscall_desc *d = &syscall_descs[n];
    uint64_t a[6] = { 0 };

    /* Ending the worker or a helper early wastes the rest of its calls: rarely. */
    if ((n == SYS_process_exit || n == SYS_thread_exit) && !rng_chance(r, 5))
        return 0;
    for (int i = 0; i < d->nargs; i++)
        a[i] = make_arg(r, d->kinds[i], d->arg_names[i]);
    if ((n == SYS_port_request || n == SYS_port_request_timeout) && script.client > 0 &&
        rng_chance(r, 50))
        port_script_request(r, &world, &script, a);     /* to the scripted server */
    progress->last_call = n;
    long ret = syscall6(n, a[0], a[1], a[2], a[3], a[4], a[5]);
    if (ret >= 0)
        progress->succeeded[n]++;
    keep_handle(r, ret, kind_made_by(n));
    if ((n == SYS_mem_map || n == SYS_section_map) && ret > 0)
        world.recent_addr = (uintptr_t)ret;         /* so unmapping calls can hit a mapping */
    if (n == SYS_pipe_create && ret == 0 && a[0] == (uintptr_t)world.scratch) {
        keep_handle(r, ((handle_t *)world.scratch)[PIPE_READ_END], "pipe");
        keep_handle(r, ((handle_t *)world.scratch)[PIPE_WRITE_END], "pipe");
    }
    return ret;
}

static void fuzz_loop(void *seed)
{
    struct rng r = { seed_mix((uint64_t)seed) };

    while ((long)progress->calls < budget) {
        fuzz_one(&r);
        progress->calls++;
    }
}

/* Counts a call the port script made, as fuzz_loop counts a drawn one. */
static void note_call(int n, long ret)
{
    progress->last_call = n;
    if (ret >= 0)
        progress->succeeded[n]++;
    progress->calls++;
}

/* The scripted server (user/fuzz_port.h): answers what reaches the pool's port. */
static void serve_port(void *seed)
{
    struct rng r = { seed_mix((uint64_t)seed) };
    struct port_message m;
    long got = E_INVAL;

    while ((long)progress->calls < budget)
        got = got >= 0 ? port_script_answer(&r, &world, &script, &m)
                       : port_script_receive(&r, &world, &script, &m);
}

static handle_t client_end;

static void connect_client(void *unused)
{
    (void)unused;
    client_end = port_connect("/obj/fuzz-port", NULL, 0);
}

/*
 * A live connection on the worker's port, both ends in the pool: random
 * draws almost never get through connect-receive-accept on their own, and
 * without one every request, reply and datagram stops at the handle check.
 */
static handle_t connect_pair(handle_t server)
{
    struct port_message m = { 0 };
    handle_t t = thread_start(connect_client, NULL, 0);

    if (t < 0 || port_receive(server, &m, 0, TIMEOUT_INFINITE) < 0 || m.kind != PORT_MSG_CONNECT)
        return E_INVAL;
    handle_t ours = port_accept(server, (long)m.id, 1);
    object_wait(t, TIMEOUT_INFINITE);
    handle_close(t);
    return ours;
}

/* One object of every type the kernel makes, for the pool. */
static void fill_pool(struct rng *r)
{
    handle_t ends[PIPE_ENDS] = { 0 };
    const char *sleeper_argv[] = { "fuzz", "--sleeper", NULL };
    handle_t server = port_create("/obj/fuzz-port", 256, 2);
    handle_t server_end = connect_pair(server);

    pipe_create(ends);
    script = (struct port_script){ server, client_end, note_call };
    const struct { handle_t h; const char *kind; } made[] = {
        { event_create(0, NULL), "event" },
        { event_create(EVENT_MANUAL_RESET, "/obj/fuzz-a"), "event" },
        { mutex_create(0, NULL), "mutex" },
        { semaphore_create(1, 4, 0, NULL), "semaphore" },
        { ends[PIPE_READ_END], "pipe" },
        { ends[PIPE_WRITE_END], "pipe" },
        { section_create(8192, 0, NULL), "section" },
        { server, "port" },
        { server_end, "port" },
        { client_end, "port" },
        { file_open("/README"), "file" },
        { timer_create(0, NULL), "timer" },
        { process_spawn("/bin/fuzz", sleeper_argv, NULL, 0), "process" },
        { process_open(process_self_id()), "process" },
        /* the helpers: they draw calls as main does */
        { thread_start(fuzz_loop, (void *)rng_next(r), 0), "thread" },
        { thread_start(fuzz_loop, (void *)rng_next(r), 0), "thread" },
        { thread_start(serve_port, (void *)rng_next(r), 0), "thread" },
    };
    int i = sizeof made / sizeof made[0];

    for (int j = 0; j < POOL_SIZE; j++) {
        int k = j < i ? j : (int)rng_below(r, i);
        world.pool[j] = made[k].h;
        world.kind[j] = made[k].kind;
    }
    world.closed = event_create(0, NULL);
    handle_close(world.closed);
}

static long sleeper_pid(void)
{
    struct process_status st;

    for (int i = 0; i < POOL_SIZE; i++)
        if (process_status(world.pool[i], &st) == 0 && st.pid != (uint64_t)process_self_id())
            return (long)st.pid;
    return 1000000;
}

static int run_worker(uint64_t seed, long calls)
{
    const struct start_info *si = start_info();
    struct rng r = { seed_mix(seed) };

    if (si->nhandles <= STDIO_HANDLES)
        return 2;
    long p = section_map(si->handles[STDIO_HANDLES], 0, NULL, MEM_WRITE);
    long s = mem_map(NULL, SCRATCH_BYTES + 4096, MEM_WRITE);
    long ro = mem_map(NULL, 4096, 0);
    if (p < 0 || s < 0 || ro < 0)
        return 3;
    mem_unmap((void *)(s + SCRATCH_BYTES), 4096);           /* the guard page */
    progress = (struct progress *)p;
    budget = calls;
    world.scratch = (uint8_t *)s;
    world.readonly = (const uint8_t *)ro;
    world.thread_entry = (uintptr_t)fuzz_thread_entry;
    world.thread_stack = (uintptr_t)world.scratch + SCRATCH_BYTES - 64;
    list_drawable();
    fill_pool(&r);
    world.pids[0] = process_self_id();
    world.pids[1] = sleeper_pid();
    world.pids[2] = 1000000;
    fuzz_loop((void *)rng_next(&r));
    process_exit(0);                    /* ends the helpers too, wherever they wait */
    return 0;
}

/* ---- the parent ------------------------------------------------------------ */

static struct system_stats before, after;   /* static: nothing allocated between snapshots */

struct tally {
    long workers, exited, killed, faulted, calls;
};


/* Watches worker |w| until it ends: killed when it stalls, or at |kill_at| calls if that is set. */
static void watch(handle_t w, volatile struct progress *pr, long kill_at)
{
    uint64_t seen = pr->calls;
    int still = 0;

    while (object_wait(w, WATCH_NS) == E_TIMEDOUT) {
        if (kill_at && (long)pr->calls >= kill_at) {
            process_kill(w, KILL_AT_RANDOM);
        } else if (pr->calls == seen && ++still >= STALL_WATCHES) {
            process_kill(w, KILL_STALLED);
        } else if (pr->calls != seen) {
            seen = pr->calls;
            still = 0;
        }
    }
}

static void count_end(handle_t w, struct tally *t)
{
    struct process_status st;

    process_status(w, &st);
    t->workers++;
    if (st.state == PROCESS_FAULTED)
        t->faulted++;
    else if (st.state == PROCESS_KILLED)
        t->killed++;
    else
        t->exited++;
    process_end_descendants(KILL_STALLED);
}

/*
 * How deep the seed went: a call that never succeeded was only ever turned
 * away by its checks, so its body went untested.  Printed with the seed, so
 * the docs' numbers come from a run.
 */
static void report_coverage(uint64_t seed, volatile struct progress *pr)
{
    char never[512];
    int len = 0, reached = 0;

    never[0] = '\0';
    for (int i = 0; i < ndrawable; i++) {
        int n = drawable[i];
        if (n == SYS_process_exit || n == SYS_thread_exit)
            continue;                                   /* they never return */
        if (pr->succeeded[n])
            reached++;
        else if (len < (int)sizeof never - 40)
            len += snprintf(never + len, sizeof never - len, " %s", syscall_descs[n].name);
    }
    printf("fuzz: seed %lu: %d of %d calls succeeded at least once;%s%s\n", seed, reached,
           ndrawable - 2, len ? " never:" : " all did", never);
}

/* Runs workers for |calls| calls in all; the tally says how they ended. */
static void fuzz_seed(uint64_t seed, long calls, struct tally *t)
{
    struct rng r = { seed_mix(seed) };
    handle_t sh = section_create(4096, 0, NULL);
    long addr = sh < 0 ? sh : section_map(sh, 0, NULL, MEM_WRITE);
    volatile struct progress *pr = (volatile struct progress *)addr;
    char seedbuf[24], callbuf[24];

    if (addr < 0) {
        printf("fuzz: seed %lu: cannot make the progress section: %s\n", seed, errstr(addr));
        return;
    }
    while (t->calls < calls) {
        long n = calls - t->calls < WORKER_CALLS ? calls - t->calls : WORKER_CALLS;
        snprintf(seedbuf, sizeof seedbuf, "%lu", rng_next(&r));
        snprintf(callbuf, sizeof callbuf, "%ld", n);
        const char *argv[] = { "fuzz", "--worker", seedbuf, callbuf, NULL };
        handle_t hs[] = { 0, 0, 0, sh };
        pr->calls = 0;
        handle_t w = process_spawn("/bin/fuzz", argv, hs, 4);
        if (w < 0) {
            printf("fuzz: seed %lu: cannot start a worker: %s\n", seed, errstr(w));
            break;
        }
        watch(w, pr, rng_chance(&r, 10) ? (long)rng_below(&r, n) + 1 : 0);
        count_end(w, t);
        handle_close(w);
        t->calls += pr->calls ? (long)pr->calls : 1;     /* a worker that made none still counts */
    }
    report_coverage(seed, pr);
    section_unmap(0, (void *)addr);
    handle_close(sh);
}



/*
 * One seed, leak-checked: the seed's own runner (fuzz --seed) is a process
 * of its own, so that what it keeps (a larger handle table, page tables
 * for the progress section) goes with it before the second snapshot.
 */
static int run_seed(uint64_t seed, long calls)
{
    char seedbuf[24], callbuf[24];
    const char *argv[] = { "fuzz", "--seed", seedbuf, callbuf, NULL };
    struct process_status st = { 0 };

    snprintf(seedbuf, sizeof seedbuf, "%lu", seed);
    snprintf(callbuf, sizeof callbuf, "%ld", calls);
    printf("fuzz: seed %lu: %ld calls\n", seed, calls);
    system_stats(&before, sizeof before);
    handle_t h = process_spawn("/bin/fuzz", argv, NULL, 0);
    if (h >= 0) {
        object_wait(h, TIMEOUT_INFINITE);
        process_status(h, &st);
        process_end_descendants(KILL_STALLED);
        handle_close(h);
    }
    system_stats(&after, sizeof after);
    char prefix[48];
    snprintf(prefix, sizeof prefix, "fuzz: seed %lu: LEAK ", seed);
    int leaks = stats_report_leaks(&before, &after, prefix);
    if (h < 0 || st.state != PROCESS_EXITED || st.exit_code != 0)
        printf("fuzz: seed %lu: its runner did not finish: %s\n", seed, h < 0 ? errstr(h) : "see above");
    int ok = leaks == 0 && h >= 0 && st.state == PROCESS_EXITED && st.exit_code == 0;
    printf("fuzz: seed %lu: %s\n", seed, ok ? "ok" : "FAILED");
    return ok;
}

/* The runner of one seed: workers until |calls| calls are made, then a summary line. */
static int seed_runner(uint64_t seed, long calls)
{
    struct tally t = { 0 };

    thread_set_priority(0, PRIORITY_MAX);   /* above every worker: the watchdog runs whatever they do */
    list_drawable();
    fuzz_seed(seed, calls, &t);
    printf("fuzz: seed %lu: %ld calls, %ld workers (%ld exited, %ld killed, %ld faulted)\n",
           seed, t.calls, t.workers, t.exited, t.killed, t.faulted);
    return 0;
}

static int usage(void)
{
    printf("usage: fuzz SEED CALLS [SEED CALLS ...]   or   fuzz FIRST-LAST CALLS\n");
    return 2;
}

int main(int argc, char **argv)
{
    int seeds = 0, failed = 0;

    if (argc == 2 && strcmp(argv[1], "--sleeper") == 0)
        return (int)object_wait(event_create(0, NULL), TIMEOUT_INFINITE);     /* until killed */
    if (argc == 4 && strcmp(argv[1], "--worker") == 0)
        return run_worker(strtoul(argv[2], NULL, 10), strtol(argv[3], NULL, 10));
    if (argc == 4 && strcmp(argv[1], "--seed") == 0)
        return seed_runner(strtoul(argv[2], NULL, 10), strtol(argv[3], NULL, 10));
    if (argc < 3 || argc % 2 == 0)
        return usage();
    thread_set_priority(0, PRIORITY_MAX);
    handle_close(event_create(0, NULL));    /* our own handle table, made before the first snapshot */
    for (int i = 1; i + 1 < argc; i += 2) {
        char *dash;
        uint64_t first = strtoul(argv[i], &dash, 10), last = first;
        long calls = strtol(argv[i + 1], NULL, 10);
        if (*dash == '-')
            last = strtoul(dash + 1, NULL, 10);
        if (calls <= 0 || last < first)
            return usage();
        for (uint64_t s = first; s <= last; s++, seeds++)
            failed += !run_seed(s, calls);
    }
    printf("fuzz: DONE seeds=%d failed=%d\n", seeds, failed);
    return failed ? EXIT_LEAK : 0;
}
