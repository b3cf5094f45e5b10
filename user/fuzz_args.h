/*
 * fuzz_args.h: how the fuzzer (user/fuzz.c) makes one argument of each kind
 * of kernel/abi/syscalls.def.  A header of static functions, used by that one
 * program.
 *
 * Every kind has good values and bad ones, and most draws are good: a call
 * whose every argument is garbage only ever reaches the first check of its
 * handler, while a call with one bad argument among good ones reaches the
 * check for that argument.  The argument's name narrows the choice where the
 * kind alone would waste the draw ("timeout_ns" is a short wait, "pid" is a
 * process this worker knows, "path" a file of the boot filesystem).
 *
 * What a worker may touch is laid out so that the kernel can never be told
 * to write into the fuzzer's own state: output pointers go to the scratch
 * pages (followed by an unmapped guard page, so an over-long length faults
 * there) or to a read-only page; addresses handed to mem_map, mem_unmap and
 * section_map fall in an arena of their own, away from code, data and
 * stacks.
 */
#ifndef EMBER_USER_FUZZ_ARGS_H
#define EMBER_USER_FUZZ_ARGS_H

#include <ember.h>
#include <stdint.h>
#include <string.h>

#define SCRATCH_BYTES   (8 * 4096)      /* buffers the kernel may read and write */
#define POOL_SIZE       48              /* handle values a worker draws from */
#define NAMES           6               /* object names in use: few, so creates collide */
#define ARENA_BASE      0x010000000000ul     /* 1 TiB: below where the kernel picks (USER_MMAP_BASE) */
#define ARENA_PAGES     4096            /* 16 MiB of address space for mapping calls */
#define USER_TOP_ADDR   0x0000800000000000ul

struct rng {
    uint64_t s;
};

/* xorshift64*: small, fast and good enough to pick arguments. */
static uint64_t rng_next(struct rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 0x2545f4914f6cdd1dul;
}

static uint64_t rng_below(struct rng *r, uint64_t n)
{
    return n ? rng_next(r) % n : 0;
}

/* True with probability |percent|/100. */
static int rng_chance(struct rng *r, unsigned percent)
{
    return rng_below(r, 100) < percent;
}

/* splitmix64: spreads a small seed over all 64 bits (xorshift needs a nonzero state). */
static uint64_t seed_mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ul;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ul;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebul;
    return (x ^ (x >> 31)) | 1;
}

/* What one worker process draws from; its threads share it. */
struct fuzz_world {
    handle_t pool[POOL_SIZE];           /* live handles of every type, and some dead ones */
    const char *kind[POOL_SIZE];        /* what made each: "event", "pipe", ... or "" */
    handle_t closed;                    /* a handle value closed at start: never valid again */
    uint8_t *scratch;                   /* SCRATCH_BYTES, then an unmapped page */
    const uint8_t *readonly;            /* a mapped page without MEM_WRITE */
    long pids[3];                       /* this worker, its sleeper, a pid nobody has */
    uintptr_t thread_entry;             /* a function a new thread may start in */
    uintptr_t thread_stack;             /* top of a stack it may use */
    uintptr_t recent_addr;              /* where the last mem_map or section_map put memory */
};

/* A value from a list, by index chosen at random. */
#define PICK(r, list) ((list)[rng_below((r), sizeof(list) / sizeof((list)[0]))])

static const uint64_t bad_pointers[] = {
    0, 1, 0xfff, 0x1000, USER_TOP_ADDR - 8, USER_TOP_ADDR, 0xffff800000000000ul,
    0xffffffff80000000ul, 0xfffffffffffffffful, 0x8000000000000000ul,
};

static const uint64_t bad_lengths[] = {
    0, 1, 4095, 4096, 4097, 1ul << 31, (1ul << 32) - 1, 1ul << 32, 1ul << 63,
    0xfffffffffffffffful, SCRATCH_BYTES, SCRATCH_BYTES + 1,
};

static const char *const paths[] = { "/README", "/bin/true", "/nope", "", "/bin/", "/bin/echo" };

static const char *const names[NAMES] = { "/obj/fuzz-a", "/obj/fuzz-b", "/obj/fuzz-c", "/obj/fuzz-port", "", "/obj" };

/*
 * A handle of the kind the argument is named after ("event", "port", ...),
 * when the pool holds one: a handle of the right type gets past the lookup
 * and into the call's own checks.  Names that take any type match none.
 */
static int pool_of_kind(struct rng *r, const struct fuzz_world *w, const char *argname)
{
    int start = rng_below(r, POOL_SIZE);

    for (int i = 0; i < POOL_SIZE; i++) {
        int j = (start + i) % POOL_SIZE;
        if (w->kind[j] && strcmp(w->kind[j], argname) == 0)
            return j;
    }
    return -1;
}

static handle_t arg_handle(struct rng *r, struct fuzz_world *w, const char *argname)
{
    unsigned roll = rng_below(r, 100);
    int typed = roll < 55 ? pool_of_kind(r, w, argname) : -1;

    if (typed >= 0)
        return w->pool[typed];
    if (roll < 80)
        return w->pool[rng_below(r, POOL_SIZE)];
    if (roll < 88)
        return w->closed;
    if (roll < 92)
        return w->pool[rng_below(r, POOL_SIZE)] ^ (1ul << 32);     /* someone else's pid bits */
    if (roll < 96)
        return roll & 1 ? 0 : -1;
    return (handle_t)rng_next(r);
}

/*
 * An input buffer: random bytes with some live handle values among them,
 * so that handle arrays (object_wait_many, spawn) and port messages
 * sometimes name real objects.  A port_message laid over it gets a valid
 * data pointer and handle list half the time.
 */
static uintptr_t arg_in_buffer(struct rng *r, struct fuzz_world *w)
{
    uint64_t *q = (uint64_t *)w->scratch;

    int handles_only = rng_chance(r, 50);      /* a handle array that may be valid throughout */

    for (int i = 0; i < 32; i++)
        q[i] = handles_only || rng_chance(r, 50) ? (uint64_t)w->pool[rng_below(r, POOL_SIZE)]
                                                 : rng_below(r, 256);
    if (rng_chance(r, 50)) {
        struct port_message *m = (struct port_message *)(w->scratch + 512);
        m->data = w->scratch + 1024;
        m->len = rng_below(r, 80);
        m->data_room = rng_below(r, 4096);
        m->handles = (handle_t *)w->scratch;
        m->nhandles = rng_below(r, PORT_MAX_HANDLES + 2);
        m->handles_room = rng_below(r, PORT_MAX_HANDLES + 2);
        m->id = rng_chance(r, 50) ? rng_below(r, 8) : rng_next(r);
        return (uintptr_t)m;
    }
    return (uintptr_t)w->scratch + (rng_chance(r, 80) ? 0 : rng_below(r, SCRATCH_BYTES));
}

static uintptr_t arg_pointer(struct rng *r, struct fuzz_world *w, int out)
{
    unsigned roll = rng_below(r, 100);

    if (roll < 75)
        return out ? (uintptr_t)w->scratch + 2048 * rng_below(r, 4) : arg_in_buffer(r, w);
    if (roll < 82)
        return (uintptr_t)w->readonly;                  /* fine to read, a fault to write */
    if (roll < 86)
        return (uintptr_t)w->scratch + SCRATCH_BYTES - rng_below(r, 16);  /* runs into the guard */
    return PICK(r, bad_pointers);
}

static uint64_t arg_length(struct rng *r)
{
    return rng_chance(r, 75) ? rng_below(r, 2048) : PICK(r, bad_lengths);
}

static uint64_t arg_count(struct rng *r)
{
    return rng_chance(r, 85) ? rng_below(r, 10) : PICK(r, bad_lengths);
}

/* A string: a path or name that exists or may, an empty one, or one that never ends. */
static uintptr_t arg_string(struct rng *r, struct fuzz_world *w, const char *argname)
{
    unsigned roll = rng_below(r, 100);

    if (roll < 80)
        return (uintptr_t)(strcmp(argname, "path") == 0 ? PICK(r, paths) : PICK(r, names));
    if (roll < 88) {                                    /* no NUL before the guard page */
        char *end = (char *)w->scratch + SCRATCH_BYTES;
        memset(end - 100, 'n', 100);
        return (uintptr_t)(end - 1 - rng_below(r, 99));
    }
    return PICK(r, bad_pointers);
}

/* An argv: a short valid one, an empty one, or one with a bad pointer in it. */
static uintptr_t arg_argv(struct rng *r, struct fuzz_world *w)
{
    const char **v = (const char **)(w->scratch + 3 * 4096);
    unsigned roll = rng_below(r, 100);

    v[0] = "true";
    v[1] = roll < 70 ? NULL : roll < 85 ? (const char *)PICK(r, bad_pointers) : "x";
    v[2] = NULL;
    if (roll < 90)
        return (uintptr_t)v;
    return PICK(r, bad_pointers);
}

static uint64_t arg_flags(struct rng *r)
{
    unsigned roll = rng_below(r, 100);

    if (roll < 45)
        return 0;
    if (roll < 85)
        return 1ul << rng_below(r, 10);
    return rng_next(r);
}

/* An address for mapping calls: mostly inside the arena, page-aligned or not. */
static uint64_t arg_address(struct rng *r, struct fuzz_world *w, const char *argname)
{
    unsigned roll = rng_below(r, 100);

    if (strcmp(argname, "entry") == 0 && roll < 80)
        return w->thread_entry;
    if (strcmp(argname, "stack_top") == 0 && roll < 80)
        return w->thread_stack;
    if (roll < 15 && w->recent_addr)
        return w->recent_addr;
    if (roll < 70)
        return ARENA_BASE + 4096 * rng_below(r, ARENA_PAGES);
    if (roll < 80)
        return 0;
    if (roll < 85)
        return ARENA_BASE + rng_below(r, 4096 * ARENA_PAGES);
    return PICK(r, bad_pointers);
}

/* A plain number, chosen by what the argument is called. */
static uint64_t arg_value(struct rng *r, struct fuzz_world *w, const char *argname)
{
    static const long timeouts[] = { 0, 0, 0, 1000, 1000000, 5000000, TIMEOUT_INFINITE, -2 };
    static const long sleeps[] = { 0, 1000, 1000000, 3000000, -1 };
    static const uint64_t values[] = { 0, 1, 2, 3, 7, 8, 63, 64, 65, 4096, 0x7fffffff,
                                       0xffffffff, 1ul << 63, 0xfffffffffffffffful };

    if (strcmp(argname, "timeout_ns") == 0)
        return (uint64_t)PICK(r, timeouts);
    if (strcmp(argname, "ns") == 0)
        return (uint64_t)PICK(r, sleeps);
    if (strcmp(argname, "pid") == 0)
        return rng_chance(r, 80) ? (uint64_t)PICK(r, w->pids) : PICK(r, values);
    if (rng_chance(r, 70))
        return PICK(r, values);
    return rng_chance(r, 50) ? rng_below(r, 300) : rng_next(r);
}

#endif
