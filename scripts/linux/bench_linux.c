/*
 * bench_linux.c: the Linux side of `make bench`, run as /init of an initramfs.
 *
 * scripts/bench_linux.py boots a Debian kernel in the same QEMU as Ember
 * (same CPU model, -icount shift=0, one CPU), with this static program as the
 * first process.  Each operation does the same work as the row of the same
 * name in user/bench.c, with Linux's own calls, and prints the same line:
 *     bench: NAME INSTRUCTIONS
 * Under -icount shift=0, rdtsc advances by one per guest instruction, so the
 * difference of two reads counts kernel and user instructions together.
 * The loop counts are Ember's (WARMUP, LOOPS, ROUNDS, SPAWN_LOOPS).
 *
 * Same work means: the two-process rows switch between two processes each
 * round; yield runs both processes under SCHED_FIFO on CPU 0, so that each
 * sched_yield really switches; the shared-memory row maps a 4 KiB memfd with
 * MAP_POPULATE (Ember's sections are committed when mapped); spawn runs /true,
 * a static program built to the size of Ember's /bin/true (true_linux.c).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#define WARMUP      100
#define LOOPS       10000
#define ROUNDS      10
#define SPAWN_LOOPS 200
#define LPC_BYTES   64
#define PAGE_BYTES  4096
#define STREAM_CHUNK  (64 * 1024)
#define STREAM_BYTES  (4 * 1024 * 1024)
#define STREAM_WARMUP (1024 * 1024)

static char stream_buf[STREAM_CHUNK];

static inline unsigned long instructions(void)
{
    unsigned int lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((unsigned long)hi << 32) | lo;
}

static void report(const char *name, unsigned long per)
{
    printf("bench: %s %lu\n", name, per);
    fflush(stdout);
}

/* A single-process operation: ROUNDS rounds, the cheapest reported (a timer tick is not the path). */
#define BEST_OF_ROUNDS(name, op)                                            \
    do {                                                                    \
        unsigned long best = ~0ul;                                          \
        for (int i = 0; i < WARMUP; i++)                                    \
            op;                                                             \
        for (int r = 0; r < ROUNDS; r++) {                                  \
            unsigned long t = instructions();                               \
            for (int i = 0; i < LOOPS / ROUNDS; i++)                        \
                op;                                                         \
            unsigned long per = (instructions() - t) / (LOOPS / ROUNDS);    \
            best = per < best ? per : best;                                 \
        }                                                                   \
        report(name, best);                                                 \
    } while (0)

/* Two processes, two fds each way: |ping| sends on |to| and waits on |from|. */
struct duplex {
    int to, from;           /* the parent's ends */
    int child_to, child_from;
};

/* Runs |ping| in the parent and |pong| in a child, WARMUP + LOOPS times each; reports per round. */
static void pingpong(const char *name, struct duplex d, void (*ping)(struct duplex *),
                     void (*pong)(struct duplex *))
{
    unsigned long t = 0;
    pid_t child = fork();

    if (child == 0) {
        for (int i = 0; i < WARMUP + LOOPS; i++)
            pong(&d);
        _exit(0);
    }
    for (int i = 0; i < WARMUP + LOOPS; i++) {
        if (i == WARMUP)
            t = instructions();
        ping(&d);
    }
    report(name, (instructions() - t) / LOOPS);
    waitpid(child, NULL, 0);
}

static void close_duplex(struct duplex d)
{
    close(d.to);
    close(d.from);
    close(d.child_to);
    close(d.child_from);
}

/* ---- eventfd: a counter that a read resets, Ember's auto-reset event ---- */

static void event_ping(struct duplex *d)
{
    uint64_t v = 1;
    write(d->to, &v, sizeof v);
    read(d->from, &v, sizeof v);
}

static void event_pong(struct duplex *d)
{
    uint64_t v;
    read(d->child_from, &v, sizeof v);
    write(d->child_to, &v, sizeof v);
}

static void bench_event_pingpong(void)
{
    int a = eventfd(0, 0), b = eventfd(0, 0);
    struct duplex d = { .to = a, .from = b, .child_to = b, .child_from = a };

    pingpong("event-pingpong", d, event_ping, event_pong);
    close(a);
    close(b);
}

/* ---- pipes: one byte each way ---- */

static void pipe_ping(struct duplex *d)
{
    char c = 'x';
    write(d->to, &c, 1);
    read(d->from, &c, 1);
}

static void pipe_pong(struct duplex *d)
{
    char c;
    read(d->child_from, &c, 1);
    write(d->child_to, &c, 1);
}

static void bench_pipe_pingpong(void)
{
    int there[2], back[2];

    pipe(there);
    pipe(back);
    struct duplex d = { .to = there[1], .from = back[0], .child_to = back[1], .child_from = there[0] };
    pingpong("pipe-pingpong", d, pipe_ping, pipe_pong);
    close_duplex(d);
}

/* 4 MiB in 64 KiB writes to a reader in another process, which acks once at the end. */
static void bench_pipe_stream(void)
{
    int there[2], back[2];
    char ack = '!';

    pipe(there);
    pipe(back);
    pid_t child = fork();
    if (child == 0) {
        long got = 0, r = 1;
        while (got < STREAM_WARMUP + STREAM_BYTES && r > 0)
            got += r = read(there[0], stream_buf, STREAM_CHUNK);
        write(back[1], &ack, 1);
        _exit(0);
    }
    for (long sent = 0; sent < STREAM_WARMUP; sent += STREAM_CHUNK)
        write(there[1], stream_buf, STREAM_CHUNK);
    unsigned long t = instructions();
    for (long sent = 0; sent < STREAM_BYTES; sent += STREAM_CHUNK)
        write(there[1], stream_buf, STREAM_CHUNK);
    read(back[0], &ack, 1);
    report("pipe-stream-kib", (instructions() - t) / (STREAM_BYTES / 1024));
    waitpid(child, NULL, 0);
    close_duplex((struct duplex){ there[0], there[1], back[0], back[1] });
}

/* ---- AF_UNIX seqpacket: Ember's LPC request and reply, 64 bytes each way ---- */

static void lpc_ping(struct duplex *d)
{
    static char out[LPC_BYTES], in[LPC_BYTES];
    send(d->to, out, sizeof out, 0);
    recv(d->from, in, sizeof in, 0);
}

static void lpc_pong(struct duplex *d)
{
    static char buf[LPC_BYTES];
    recv(d->child_from, buf, sizeof buf, 0);
    send(d->child_to, buf, sizeof buf, 0);
}

static void bench_lpc_roundtrip(void)
{
    int sv[2];

    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
    struct duplex d = { .to = sv[0], .from = sv[0], .child_to = sv[1], .child_from = sv[1] };
    pingpong("lpc-roundtrip", d, lpc_ping, lpc_pong);
    close(sv[0]);
    close(sv[1]);
}

/* ---- yield: both processes SCHED_FIFO on CPU 0, so each yield switches ---- */

static void yield_once(struct duplex *d)
{
    (void)d;
    sched_yield();
}

static void bench_yield(void)
{
    cpu_set_t cpu0;
    struct sched_param fifo = { .sched_priority = 1 };

    CPU_ZERO(&cpu0);
    CPU_SET(0, &cpu0);
    if (sched_setaffinity(0, sizeof cpu0, &cpu0) < 0 || sched_setscheduler(0, SCHED_FIFO, &fifo) < 0) {
        printf("bench: yield-round not measured: cannot run SCHED_FIFO on CPU 0\n");
        return;
    }
    pingpong("yield-round", (struct duplex){ -1, -1, -1, -1 }, yield_once, yield_once);
    struct sched_param other = { .sched_priority = 0 };
    sched_setscheduler(0, SCHED_OTHER, &other);
}

/* ---- one-process rows ---- */

static void bench_section_map(void)
{
    int fd = memfd_create("bench", 0);

    ftruncate(fd, PAGE_BYTES);
    BEST_OF_ROUNDS("section-map", ({
        char *p = mmap(NULL, PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, 0);
        *(volatile char *)p = 1;
        munmap(p, PAGE_BYTES);
    }));
    close(fd);
}

/* vfork + exec + wait, all in one frame: the vfork child borrows it until execve. */
static void spawn_wait_true(void)
{
    static char *argv[] = { "/true", NULL }, *envp[] = { NULL };
    pid_t child = vfork();

    if (child == 0) {
        execve("/true", argv, envp);
        _exit(127);
    }
    waitpid(child, NULL, 0);
}

static void bench_spawn(void)
{
    unsigned long t = 0;

    for (int i = 0; i < WARMUP / 10 + SPAWN_LOOPS; i++) {
        if (i == WARMUP / 10)
            t = instructions();
        spawn_wait_true();
    }
    report("spawn-exit-wait", (instructions() - t) / SPAWN_LOOPS);
}

/* What the table's heading names: the kernel release and its Meltdown/Spectre mitigations. */
static void describe_kernel(void)
{
    struct utsname u;
    char line[200] = "unknown";
    FILE *f;

    uname(&u);
    printf("linux: release %s %s\n", u.release, u.version);
    mount("sysfs", "/sys", "sysfs", 0, NULL);
    f = fopen("/sys/devices/system/cpu/vulnerabilities/meltdown", "r");
    if (f && fgets(line, sizeof line, f))
        line[strcspn(line, "\n")] = 0;
    printf("linux: meltdown %s\n", line);
    if (f)
        fclose(f);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    describe_kernel();
    BEST_OF_ROUNDS("null-syscall", syscall(SYS_getpid));
    bench_yield();
    bench_event_pingpong();
    BEST_OF_ROUNDS("event-create-close", close(eventfd(0, 0)));
    bench_pipe_pingpong();
    bench_pipe_stream();
    bench_section_map();
    bench_lpc_roundtrip();
    bench_spawn();
    printf("linux: done\n");
    fflush(stdout);
    reboot(RB_POWER_OFF);
    return 0;
}
