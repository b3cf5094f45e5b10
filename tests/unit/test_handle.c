/*
 * test_handle.c: the contract of the handle tables (kernel/ob/handle.h),
 * with the real object code (object.c, namespace.c) on the real heap over a
 * fake physical memory:
 *
 *   - a value packs slot, generation and pid; handle_get returns a new
 *     reference and fails in the fixed order E_BADHANDLE, E_WRONGTYPE,
 *     E_ACCESS, changing nothing when it fails;
 *   - a closed value stays invalid while its slot is reused (the generation
 *     is never 0, and a slot whose generation would wrap retires, so a value
 *     never comes back); a value never resolves in another process's table;
 *   - the most recently freed slot is used first (a free list: O(1)); the
 *     table holds HANDLE_QUOTA handles and then says E_LIMIT; closing makes
 *     room again; retired slots do not count against the quota;
 *   - duplicating never adds rights, needs RIGHT_DUPLICATE, and
 *     RIGHT_TRANSFER into another table;
 *   - each handle holds one reference and one handle count; the last close
 *     runs on_last_handle; destroying a table closes everything and frees
 *     its memory.
 *
 * The kernel's current_process() reads cpu_local.current: this file
 * provides a fake thread and process for it, and stands in for wait.c's
 * ob_wait_cancel (recording the call) since waiting needs the scheduler.  Tests share the heap and run
 * in order; the last one checks that nothing leaked.
 */
#include <stdlib.h>
#include "kernel/abi/errors.h"
#include "kernel/abi/rights.h"
#include "kernel/arch/x86_64/phys.h"
#include "kernel/mm/frame.h"
#include "kernel/mm/heap.h"
#include "kernel/ob/handle.h"
#include "kernel/ob/wait.h"
#include "kernel/proc/process.h"
#include "tests/unit/check.h"
#include "tests/unit/ob_fixture.h"

#define MiB             (1024ull * 1024)
#define PHYS_SIZE       (16 * MiB)
#define SLOT_MASK       0xffffull       /* handle.h: slot in bits 0..15 */
#define GEN_SHIFT       16              /* generation in bits 16..31 */
#define GEN_MASK        0xffffull
#define PID_SHIFT       32              /* pid in bits 32..62; pids stop at HANDLE_PID_MAX */
#define PID_FAR         24              /* a pid this many bits away still must not resolve */
#define GEN_VALUES      0xffff          /* generations 1..0xffff */
#define INITIAL_SLOTS   16              /* handle.c: the first table */
#define HTAB_TAG        TAG("HTab")
#define PID_A           7
#define PID_B           8
#define MANY            100

static struct process proc_a, proc_b;
static uint64_t free_before;            /* frames free before the first allocation */

static const struct ob_type other_type = {
    .name = "other", .code = 101, .tag = THING_TAG,
    .valid_rights = RIGHTS_ALL, .default_rights = RIGHTS_ALL,
};

/* ob_wait_cancel's stand-in: what handle_close asked it to cancel. */
static struct {
    int calls;
    struct ob *object;
    struct process *process;
    handle_t handle;
} cancel;

void ob_wait_cancel(struct ob *o, struct process *p, handle_t h)
{
    cancel.calls++;
    cancel.object = o;
    cancel.process = p;
    cancel.handle = h;
}

/* Empties both tables, so each test starts from slot 0 whatever the one before left. */
static void fresh_tables(void)
{
    handle_table_destroy(&proc_a.handles);
    handle_table_destroy(&proc_b.handles);
    handle_table_init(&proc_a.handles, PID_A);
    handle_table_init(&proc_b.handles, PID_B);
}

static struct ob *new_thing(void)
{
    return ob_create(&thing_type, sizeof(struct ob));
}

static uint64_t slot_of(handle_t h) { return (uint64_t)h & SLOT_MASK; }
static uint64_t gen_of(handle_t h)  { return ((uint64_t)h >> GEN_SHIFT) & GEN_MASK; }
static uint64_t pid_of(handle_t h)  { return (uint64_t)h >> PID_SHIFT; }

static void value_encodes_slot_generation_and_pid(void)
{
    struct ob *o = new_thing();
    handle_t h;

    CHECK(o != NULL);
    h = handle_install(&proc_a, o, RIGHT_WAIT);
    CHECK(h > 0);
    CHECK_EQ(slot_of(h), 0);
    CHECK_EQ(gen_of(h), 1);
    CHECK_EQ(pid_of(h), PID_A);
    CHECK_EQ(o->refs, 2);                       /* the creator's and the handle's */
    CHECK_EQ(o->handles, 1);
    CHECK_EQ(handle_close(&proc_a, h), 0);
    CHECK_EQ(o->refs, 1);
    CHECK_EQ(o->handles, 0);
    ob_unref(o);
}

static void get_returns_a_new_reference(void)
{
    struct ob *o = new_thing(), *out = NULL;
    handle_t h = handle_install(&proc_a, o, RIGHT_WAIT | RIGHT_SIGNAL);

    CHECK(h > 0);
    CHECK_EQ(handle_get(&proc_a, h, &thing_type, RIGHT_WAIT | RIGHT_SIGNAL, &out), 0);
    CHECK(out == o);
    CHECK_EQ(o->refs, 3);
    ob_unref(out);
    CHECK_EQ(handle_get(&proc_a, h, NULL, 0, &out), 0);    /* no type, no right: any handle */
    ob_unref(out);
    CHECK_EQ(o->refs, 2);
    CHECK_EQ(handle_close(&proc_a, h), 0);
    ob_unref(o);
}

static void get_fails_in_fixed_order_and_changes_nothing(void)
{
    struct ob *o = new_thing(), *out = NULL;
    handle_t h = handle_install(&proc_a, o, RIGHT_WAIT);

    CHECK(h > 0);
    CHECK_EQ(handle_get(&proc_a, h + 1, &other_type, RIGHT_SIGNAL, &out), E_BADHANDLE);
    CHECK_EQ(handle_get(&proc_a, 0, NULL, 0, &out), E_BADHANDLE);
    CHECK_EQ(handle_get(&proc_a, -1, NULL, 0, &out), E_BADHANDLE);
    CHECK_EQ(handle_get(&proc_a, h, &other_type, RIGHT_SIGNAL, &out), E_WRONGTYPE);
    CHECK_EQ(handle_get(&proc_a, h, &thing_type, RIGHT_SIGNAL, &out), E_ACCESS);
    CHECK_EQ(handle_get(&proc_a, h, &thing_type, RIGHT_WAIT | RIGHT_SIGNAL, &out), E_ACCESS);
    CHECK(out == NULL);
    CHECK_EQ(o->refs, 2);
    CHECK_EQ(handle_close(&proc_a, h), 0);
    ob_unref(o);
}

static void closed_value_stays_invalid_while_slot_is_reused(void)
{
    struct ob *o = new_thing(), *out;
    handle_t old = handle_install(&proc_a, o, RIGHT_WAIT), now;

    CHECK(old > 0);
    CHECK_EQ(handle_close(&proc_a, old), 0);
    CHECK_EQ(handle_close(&proc_a, old), E_BADHANDLE);
    now = handle_install(&proc_a, o, RIGHT_WAIT);
    CHECK_EQ(slot_of(now), slot_of(old));
    CHECK(now != old);
    CHECK_EQ(handle_get(&proc_a, old, NULL, 0, &out), E_BADHANDLE);
    CHECK_EQ(handle_rights(&proc_a, old), E_BADHANDLE);
    CHECK(handle_peek(&proc_a, old) == NULL);
    CHECK_EQ(handle_close(&proc_a, old), E_BADHANDLE);
    CHECK_EQ(o->handles, 1);                    /* the stale close did not close |now| */
    CHECK_EQ(handle_close(&proc_a, now), 0);
    ob_unref(o);
}

/*
 * Every generation of a slot is 1..GEN_VALUES, never 0; after GEN_VALUES
 * closes the slot retires: the first value never comes back, and the next
 * install takes another slot (issue 10: "handles never come back").
 */
static void slot_retires_instead_of_wrapping(void)
{
    static uint8_t seen[GEN_VALUES + 1];
    struct ob *o = new_thing(), *out;
    handle_t first = handle_install(&proc_a, o, 0), h = first;
    int repeats = 0;

    CHECK(first > 0);
    for (uint32_t i = 0; i < GEN_VALUES; i++) {
        repeats += seen[gen_of(h)]++;
        CHECK(gen_of(h) != 0);
        CHECK_EQ(slot_of(h), slot_of(first));
        CHECK_EQ(handle_close(&proc_a, h), 0);
        h = handle_install(&proc_a, o, 0);
        CHECK(h > 0);
        if (i + 1 < GEN_VALUES)
            CHECK_EQ(slot_of(h), slot_of(first));
    }
    CHECK_EQ(repeats, 0);
    CHECK(h != first);
    CHECK(slot_of(h) != slot_of(first));        /* the slot retired */
    CHECK_EQ(proc_a.handles.retired, 1);
    CHECK_EQ(handle_get(&proc_a, first, NULL, 0, &out), E_BADHANDLE);
    CHECK_EQ(handle_close(&proc_a, h), 0);
    h = handle_install(&proc_a, o, 0);          /* never the retired slot again */
    CHECK(slot_of(h) != slot_of(first));
    CHECK_EQ(handle_close(&proc_a, h), 0);
    ob_unref(o);
}

/* A retired slot is not a handle: the table still takes HANDLE_QUOTA open ones, growing past it. */
static void retired_slots_do_not_count_against_the_quota(void)
{
    static handle_t h[HANDLE_QUOTA];
    struct ob *o = new_thing();
    handle_t x = handle_install(&proc_a, o, 0);

    for (uint32_t i = 0; i < GEN_VALUES; i++) {
        CHECK_EQ(handle_close(&proc_a, x), 0);
        x = handle_install(&proc_a, o, 0);
    }
    CHECK_EQ(handle_close(&proc_a, x), 0);
    CHECK_EQ(proc_a.handles.retired, 1);
    for (int i = 0; i < HANDLE_QUOTA; i++)
        CHECK((h[i] = handle_install(&proc_a, o, 0)) > 0);
    CHECK(proc_a.handles.capacity > HANDLE_QUOTA);
    CHECK_EQ(handle_install(&proc_a, o, 0), E_LIMIT);
    handle_table_destroy(&proc_a.handles);
    handle_table_init(&proc_a.handles, PID_A);
    CHECK_EQ(o->handles, 0);
    ob_unref(o);
}

/*
 * Installs |o| in both tables (same slot, same generation) and returns what
 * looking up |from|'s value in |in| says: E_BADHANDLE, as only the pid
 * differs.  Both tables are emptied again.
 */
static long resolves_across(struct process *from, struct process *in, struct ob *o)
{
    handle_t h = handle_install(from, o, RIGHT_WAIT), there = handle_install(in, o, RIGHT_WAIT);
    struct ob *out;
    long got = E_INVAL;

    if (h > 0 && there > 0 && slot_of(h) == slot_of(there) && gen_of(h) == gen_of(there)) {
        got = handle_get(in, h, NULL, 0, &out);
        if (got == 0)
            ob_unref(out);
    }
    handle_table_destroy(&from->handles);
    handle_table_destroy(&in->handles);
    return got;
}

static void value_does_not_resolve_in_another_table(void)
{
    struct process x, y;
    struct ob *o = new_thing();

    handle_table_init(&x.handles, PID_A);
    handle_table_init(&y.handles, PID_B);
    CHECK_EQ(resolves_across(&x, &y, o), E_BADHANDLE);
    handle_table_init(&x.handles, PID_A);
    handle_table_init(&y.handles, PID_B);
    CHECK_EQ(resolves_across(&y, &x, o), E_BADHANDLE);
    ob_unref(o);
}

/*
 * Pids never repeat and stop at HANDLE_PID_MAX, which a value carries whole:
 * a process whose pid differs by 2^24, or the last pid there can be, must
 * not resolve another's value.
 */
static void value_does_not_resolve_for_a_far_pid(void)
{
    struct process near, far, last;
    struct ob *o = new_thing();

    handle_table_init(&near.handles, PID_A);
    handle_table_init(&far.handles, PID_A + (1ull << PID_FAR));
    handle_table_init(&last.handles, HANDLE_PID_MAX);
    long got = resolves_across(&near, &far, o);
    long got_last = resolves_across(&near, &last, o);
    ob_unref(o);
    CHECK_EQ(got, E_BADHANDLE);
    CHECK_EQ(got_last, E_BADHANDLE);
}

/* Slots come from a free list: new ones in order, then the most recently freed first. */
static void most_recently_freed_slot_is_used(void)
{
    struct ob *o = new_thing();
    handle_t h[5];

    for (int i = 0; i < 5; i++) {
        h[i] = handle_install(&proc_a, o, 0);
        CHECK_EQ(slot_of(h[i]), (uint64_t)i);
    }
    CHECK_EQ(handle_close(&proc_a, h[3]), 0);
    CHECK_EQ(handle_close(&proc_a, h[1]), 0);
    h[1] = handle_install(&proc_a, o, 0);
    CHECK_EQ(slot_of(h[1]), 1);
    h[3] = handle_install(&proc_a, o, 0);
    CHECK_EQ(slot_of(h[3]), 3);
    CHECK_EQ(slot_of(handle_install(&proc_a, o, 0)), 5);
    handle_table_destroy(&proc_a.handles);
    handle_table_init(&proc_a.handles, PID_A);
    CHECK_EQ(o->handles, 0);
    CHECK_EQ(o->refs, 1);
    ob_unref(o);
}

static void table_grows_to_quota_then_limits(void)
{
    static handle_t h[HANDLE_QUOTA];
    struct ob *o = new_thing();
    uint64_t tables_before = heap_tag_stats(HTAB_TAG).live;

    for (int i = 0; i < HANDLE_QUOTA; i++) {
        h[i] = handle_install(&proc_a, o, RIGHT_WAIT);
        CHECK(h[i] > 0);
    }
    CHECK_EQ(proc_a.handles.count, HANDLE_QUOTA);
    CHECK_EQ(proc_a.handles.capacity, HANDLE_QUOTA);
    CHECK_EQ(heap_tag_stats(HTAB_TAG).live, tables_before + 1);  /* the old arrays were freed */
    CHECK_EQ(handle_install(&proc_a, o, RIGHT_WAIT), E_LIMIT);
    CHECK_EQ(o->handles, HANDLE_QUOTA);         /* the refused install counted nothing */
    CHECK_EQ(o->refs, HANDLE_QUOTA + 1);
    CHECK_EQ(handle_close(&proc_a, h[HANDLE_QUOTA / 2]), 0);
    h[HANDLE_QUOTA / 2] = handle_install(&proc_a, o, RIGHT_WAIT);
    CHECK_EQ(slot_of(h[HANDLE_QUOTA / 2]), HANDLE_QUOTA / 2);
    int hooks = last_handles;
    for (int i = 0; i < HANDLE_QUOTA; i++)
        CHECK_EQ(handle_close(&proc_a, h[i]), 0);
    CHECK_EQ(last_handles, hooks + 1);          /* only the very last close */
    handle_table_destroy(&proc_a.handles);
    handle_table_init(&proc_a.handles, PID_A);
    CHECK_EQ(heap_tag_stats(HTAB_TAG).live, tables_before);
    ob_unref(o);
}

static void duplicate_keeps_or_drops_rights_never_adds(void)
{
    struct ob *o = new_thing();
    handle_t h = handle_install(&proc_a, o, RIGHT_DUPLICATE | RIGHT_WAIT), d;

    d = handle_duplicate(&proc_a, h, &proc_a, RIGHT_SAME);
    CHECK(d > 0 && d != h);
    CHECK_EQ(handle_rights(&proc_a, d), RIGHT_DUPLICATE | RIGHT_WAIT);
    CHECK_EQ(handle_close(&proc_a, d), 0);
    d = handle_duplicate(&proc_a, h, &proc_a, RIGHT_WAIT);
    CHECK_EQ(handle_rights(&proc_a, d), RIGHT_WAIT);
    CHECK_EQ(handle_duplicate(&proc_a, d, &proc_a, RIGHT_SAME), E_ACCESS);   /* no RIGHT_DUPLICATE */
    CHECK_EQ(handle_duplicate(&proc_a, d, &proc_a, 0), E_ACCESS);
    CHECK_EQ(handle_close(&proc_a, d), 0);
    CHECK_EQ(handle_duplicate(&proc_a, h, &proc_a, RIGHT_WAIT | RIGHT_SIGNAL), E_ACCESS);
    CHECK_EQ(handle_duplicate(&proc_a, h + 1, &proc_a, RIGHT_SAME), E_BADHANDLE);
    CHECK_EQ(o->handles, 1);
    CHECK_EQ(handle_close(&proc_a, h), 0);
    ob_unref(o);
}

static void duplicate_into_another_table_needs_transfer(void)
{
    struct ob *o = new_thing();
    handle_t stay = handle_install(&proc_a, o, RIGHT_DUPLICATE | RIGHT_WAIT);
    handle_t go = handle_install(&proc_a, o, RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_WAIT), there;

    CHECK_EQ(handle_duplicate(&proc_a, stay, &proc_b, RIGHT_SAME), E_ACCESS);
    there = handle_duplicate(&proc_a, go, &proc_b, RIGHT_WAIT);
    CHECK(there > 0);
    CHECK_EQ(pid_of(there), PID_B);
    CHECK_EQ(handle_rights(&proc_b, there), RIGHT_WAIT);
    CHECK_EQ(handle_rights(&proc_a, there), E_BADHANDLE);
    CHECK_EQ(o->handles, 3);
    CHECK_EQ(handle_close(&proc_b, there), 0);
    CHECK_EQ(handle_close(&proc_a, go), 0);
    CHECK_EQ(handle_close(&proc_a, stay), 0);
    ob_unref(o);
}

static void last_close_runs_the_hook_once(void)
{
    struct ob *o = new_thing();
    handle_t a = handle_install(&proc_a, o, 0), b = handle_install(&proc_b, o, 0);
    int hooks = last_handles, gone = destroyed;

    ob_unref(o);                                /* only the handles hold it now */
    CHECK_EQ(handle_close(&proc_a, a), 0);
    CHECK_EQ(last_handles, hooks);
    CHECK_EQ(destroyed, gone);
    CHECK_EQ(handle_close(&proc_b, b), 0);
    CHECK_EQ(last_handles, hooks + 1);
    CHECK_EQ(destroyed, gone + 1);
}

/* A wait block stand-in on the object: closing a handle to it must cancel waits through it. */
static void close_cancels_waits_through_that_handle(void)
{
    struct ob *o = new_thing();
    struct list_node waiter;
    handle_t h = handle_install(&proc_a, o, RIGHT_WAIT), other = handle_install(&proc_a, o, 0);

    cancel.calls = 0;
    CHECK_EQ(handle_close(&proc_a, other), 0);  /* nobody waits: nothing to cancel */
    CHECK_EQ(cancel.calls, 0);
    list_push_back(&o->waiters, &waiter);
    CHECK_EQ(handle_close(&proc_a, h), 0);
    list_remove(&waiter);
    CHECK_EQ(cancel.calls, 1);
    CHECK(cancel.object == o);
    CHECK(cancel.process == &proc_a);
    CHECK_EQ(cancel.handle, h);
    ob_unref(o);
}

/* The for_each callback: counts the handles it sees whose entry (a copy) is the one they resolve to. */
static void count_entry(handle_t h, struct handle_entry *e, void *ctx)
{
    struct handle_entry *live = handle_peek(&proc_a, h);

    if (live && live->object == e->object && live->rights == e->rights)
        ++*(int *)ctx;
}

static void for_each_visits_every_open_handle_once(void)
{
    struct ob *o = new_thing();
    handle_t h[MANY];
    int seen = 0;

    for (int i = 0; i < MANY; i++)
        h[i] = handle_install(&proc_a, o, 0);
    for (int i = 0; i < MANY; i += 2)
        CHECK_EQ(handle_close(&proc_a, h[i]), 0);
    handle_for_each(&proc_a, count_entry, &seen);
    CHECK_EQ(seen, MANY / 2);
    for (int i = 1; i < MANY; i += 2)
        CHECK_EQ(handle_close(&proc_a, h[i]), 0);
    ob_unref(o);
}

static void destroying_a_table_closes_everything(void)
{
    struct ob *kept = new_thing(), *owned = new_thing();
    int hooks = last_handles, gone = destroyed;
    uint64_t tables = heap_tag_stats(HTAB_TAG).live;

    for (int i = 0; i < MANY; i++) {
        CHECK(handle_install(&proc_b, kept, 0) > 0);
        CHECK(handle_install(&proc_b, owned, 0) > 0);
    }
    ob_unref(owned);                            /* the table's handles hold it alone */
    handle_table_destroy(&proc_b.handles);
    CHECK_EQ(last_handles, hooks + 2);
    CHECK_EQ(destroyed, gone + 1);
    CHECK_EQ(kept->handles, 0);
    CHECK_EQ(kept->refs, 1);
    CHECK_EQ(heap_tag_stats(HTAB_TAG).live, tables);   /* the table's array is freed */
    handle_table_init(&proc_b.handles, PID_B);
    ob_unref(kept);
}

/* Last: every object, name and table freed, every frame back. */
static void nothing_leaked(void)
{
    handle_table_destroy(&proc_a.handles);
    handle_table_destroy(&proc_b.handles);
    CHECK_EQ(heap_tag_stats(THING_TAG).live, 0);
    CHECK_EQ(heap_tag_stats(HTAB_TAG).live, 0);
    CHECK_EQ(heap_tag_stats(HTAB_TAG).bytes, 0);
    CHECK_EQ(frame_free_count() + heap_cached_pages(), free_before);
}

/* Each test starts with empty tables, whatever the one before left behind when it failed. */
#define ENTRY(name) { name, #name }
static const struct {
    void (*run)(void);
    const char *name;
} tests[] = {
    ENTRY(value_encodes_slot_generation_and_pid),
    ENTRY(get_returns_a_new_reference),
    ENTRY(get_fails_in_fixed_order_and_changes_nothing),
    ENTRY(closed_value_stays_invalid_while_slot_is_reused),
    ENTRY(slot_retires_instead_of_wrapping),
    ENTRY(retired_slots_do_not_count_against_the_quota),
    ENTRY(value_does_not_resolve_in_another_table),
    ENTRY(value_does_not_resolve_for_a_far_pid),
    ENTRY(most_recently_freed_slot_is_used),
    ENTRY(table_grows_to_quota_then_limits),
    ENTRY(duplicate_keeps_or_drops_rights_never_adds),
    ENTRY(duplicate_into_another_table_needs_transfer),
    ENTRY(last_close_runs_the_hook_once),
    ENTRY(close_cancels_waits_through_that_handle),
    ENTRY(for_each_visits_every_open_handle_once),
    ENTRY(destroying_a_table_closes_everything),
};

int main(void)
{
    const struct mem_region ram[] = { { PAGE_SIZE, PHYS_SIZE - PAGE_SIZE } };

    host_phys_base = aligned_alloc(PAGE_SIZE, PHYS_SIZE);
    if (!host_phys_base || frame_init(ram, 1, NULL, 0) < 0) {
        fprintf(stderr, "test_handle: cannot set up the fake physical memory\n");
        return 1;
    }
    free_before = frame_free_count();
    fake_thread.process = &proc_a;
    cpu_local.current = &fake_thread;
    proc_a.pid = PID_A;
    proc_b.pid = PID_B;
    handle_table_init(&proc_a.handles, PID_A);
    handle_table_init(&proc_b.handles, PID_B);
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        fresh_tables();
        check_run(tests[i].run, tests[i].name, __FILE__);
    }
    RUN(nothing_leaked);
    free(host_phys_base);
    return check_status();
}
