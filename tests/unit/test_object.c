/*
 * test_object.c: the reference-count rules of kernel objects
 * (kernel/ob/object.h) and their names (kernel/ob/namespace.h), with the
 * real heap over a fake physical memory:
 *
 *   - ob_create gives a zeroed object of the type's tag with one reference,
 *     no handles, a new id (unique, increasing) and the creator's pid;
 *   - the last ob_unref runs destroy once and frees the memory; the last
 *     handle closed runs on_last_handle once (and frees nothing by itself);
 *   - counts saturate at OB_COUNT_MAX, pinning the object, and an underflow
 *     is a broken invariant: ASSERT, so panic;
 *   - destruction is iterative: a chain of objects each holding the next is
 *     destroyed by one ob_unref without nesting destroy hooks, in order;
 *   - a name is unique, found without taking a reference, and goes when its
 *     object is destroyed, not before.
 *
 * ob_create learns its creator through ob_hooks.charge_object, which reads
 * current_process() through cpu_local.current: this file provides the hook,
 * the fake thread and the process.  Tests share the heap and run in
 * order; the last one checks that nothing leaked.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kernel/abi/errors.h"
#include "kernel/arch/x86_64/phys.h"
#include "kernel/mm/frame.h"
#include "kernel/mm/heap.h"
#include "kernel/ob/directory.h"
#include "kernel/ob/namespace.h"
#include "kernel/ob/object.h"
#include "kernel/proc/process.h"
#include "tests/unit/check.h"
#include "tests/unit/ob_fixture.h"

#define MiB             (1024ull * 1024)
#define PHYS_SIZE       (16 * MiB)
#define LINK_TAG        TAG("Link")
#define NAME_TAG        TAG("Name")     /* namespace.c's tag for names */
#define CREATOR_PID     42
#define BIG_SIZE        5000            /* larger than a slab block: whole pages */
#define IDS             1000
#define CHAIN           100000          /* long enough to overflow the stack if destruction recursed */
#define REFS            10
#define COLLIDING       8               /* names in one hash bucket */
#define COLLIDE_TRIES   1000000

static struct process fake_process;
static uint64_t free_before, names_at_boot;

/*
 * ob_hooks.charge_object as kernel/proc/job.c's, without the job (jobs are
 * tested in ring 3): the creator is the current thread's process, or the kernel.
 */
static long charge_object(struct job **job, uint64_t *creator_pid)
{
    *job = NULL;
    *creator_pid = current_process() ? current_process()->pid : 0;
    return 0;
}

static struct ob *new_thing(void)
{
    return ob_create(&thing_type, sizeof(struct ob));
}

/* ---- creation ------------------------------------------------------------- */

static void create_fills_the_header(void)
{
    struct tag_stats before = heap_tag_stats(THING_TAG);
    uint8_t *o = ob_create(&thing_type, BIG_SIZE);
    struct ob *h = (struct ob *)o;

    CHECK(o != NULL);
    CHECK(h->type == &thing_type);
    CHECK_EQ(h->refs, 1);
    CHECK_EQ(h->handles, 0);
    CHECK(h->id > 0);
    CHECK_EQ(h->creator_pid, CREATOR_PID);
    CHECK(h->name == NULL);
    CHECK(list_empty(&h->waiters));
    for (size_t i = sizeof *h; i < BIG_SIZE; i++)
        CHECK_EQ(o[i], 0);                      /* the type's part starts zeroed */
    CHECK_EQ(heap_tag_stats(THING_TAG).live, before.live + 1);
    CHECK_EQ(heap_tag_stats(THING_TAG).bytes, before.bytes + BIG_SIZE);
    ob_unref(h);
    CHECK_EQ(heap_tag_stats(THING_TAG).live, before.live);
}

static void creator_is_zero_without_a_process(void)
{
    struct ob *o;

    fake_thread.process = NULL;                 /* the idle thread creating something */
    o = new_thing();
    fake_thread.process = &fake_process;
    CHECK(o != NULL);
    CHECK_EQ(o->creator_pid, 0);
    ob_unref(o);
}

static void ids_are_unique_and_increasing(void)
{
    uint64_t last = 0;

    for (int i = 0; i < IDS; i++) {
        struct ob *o = new_thing();
        CHECK(o != NULL);
        CHECK(o->id > last);
        last = o->id;
        ob_unref(o);                            /* freed memory is reused: the id is not */
    }
}

static void create_out_of_memory_is_null_and_counts_nothing(void)
{
    struct tag_stats before = heap_tag_stats(THING_TAG);

    CHECK(ob_create(&thing_type, PHYS_SIZE) == NULL);
    CHECK_EQ(heap_tag_stats(THING_TAG).live, before.live);
    CHECK_EQ(heap_tag_stats(THING_TAG).total, before.total);
}

/* ---- references and handles ------------------------------------------------ */

static void last_unref_destroys_once(void)
{
    struct ob *o = new_thing();
    int gone = destroyed;

    CHECK(o != NULL);
    for (int i = 0; i < REFS; i++)
        ob_ref(o);
    CHECK_EQ(o->refs, REFS + 1);
    for (int i = 0; i < REFS; i++) {
        ob_unref(o);
        CHECK_EQ(destroyed, gone);
    }
    CHECK_EQ(o->refs, 1);
    ob_unref(o);
    CHECK_EQ(destroyed, gone + 1);
}

static void last_handle_hook_runs_once_and_frees_nothing(void)
{
    struct ob *o = new_thing();
    int hooks = last_handles, gone = destroyed;

    CHECK(o != NULL);
    ob_handle_opened(o);
    ob_handle_opened(o);
    ob_handle_closed(o);
    CHECK_EQ(last_handles, hooks);
    ob_handle_closed(o);
    CHECK_EQ(last_handles, hooks + 1);
    CHECK_EQ(destroyed, gone);                  /* the reference still holds it */
    CHECK_EQ(o->refs, 1);
    ob_handle_opened(o);                        /* a handle made again later: */
    ob_handle_closed(o);                        /* its last close runs the hook again */
    CHECK_EQ(last_handles, hooks + 2);
    ob_unref(o);
    CHECK_EQ(destroyed, gone + 1);
}

static void saturated_counts_pin_the_object(void)
{
    struct ob *o = new_thing();
    int gone = destroyed, hooks = last_handles;

    CHECK(o != NULL);
    o->refs = OB_COUNT_MAX - 1;
    ob_ref(o);
    ob_ref(o);
    CHECK_EQ(o->refs, OB_COUNT_MAX);            /* saturated, not wrapped to 0 */
    ob_unref(o);
    CHECK_EQ(o->refs, OB_COUNT_MAX);            /* and pinned */
    o->handles = OB_COUNT_MAX - 1;
    ob_handle_opened(o);
    ob_handle_opened(o);
    CHECK_EQ(o->handles, OB_COUNT_MAX);
    ob_handle_closed(o);
    CHECK_EQ(o->handles, OB_COUNT_MAX);
    CHECK_EQ(destroyed, gone);
    CHECK_EQ(last_handles, hooks);
    o->handles = 0;                             /* unpin by hand, to free it */
    o->refs = 1;
    ob_unref(o);
    CHECK_EQ(destroyed, gone + 1);
}

/* Runs |fn|(|o|) in a child process; whether it ended by SIGABRT (panic's abort). */
static int panics(void (*fn)(struct ob *o), struct ob *o)
{
    int status;
    pid_t pid;

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        freopen("/dev/null", "w", stderr);      /* the PANIC line is expected */
        fn(o);
        _exit(0);
    }
    return pid > 0 && waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
           WTERMSIG(status) == SIGABRT;
}

static void unref(struct ob *o) { ob_unref(o); }
static void close_handle(struct ob *o) { ob_handle_closed(o); }

static void underflow_panics(void)
{
    struct ob *o = new_thing();

    CHECK(o != NULL);
    CHECK(panics(close_handle, o));             /* no handle was open */
    o->refs = 0;                                /* as if it had been dropped once too often */
    CHECK(panics(unref, o));
    o->refs = 1;
    ob_unref(o);
}

/* ---- iterative destruction --------------------------------------------------- */

struct link {
    struct ob ob;
    struct ob *next;                /* a reference to the next link, dropped on destroy */
    int index;
};

static int depth, max_depth, destroyed_links, out_of_order;

static void link_destroy(struct ob *o)
{
    struct link *l = (struct link *)o;

    if (++depth > max_depth)
        max_depth = depth;
    out_of_order += l->index != destroyed_links++;
    if (l->next)
        ob_unref(l->next);
    depth--;
}

static const struct ob_type link_type = { .name = "link", .code = 101, .tag = LINK_TAG,
                                          .destroy = link_destroy };

static void chain_is_destroyed_iteratively_in_order(void)
{
    struct link *head = NULL;

    for (int i = CHAIN - 1; i >= 0; i--) {      /* each link holds the one after it */
        struct link *l = ob_create(&link_type, sizeof *l);
        CHECK(l != NULL);
        l->next = head ? &head->ob : NULL;
        l->index = i;
        head = l;
    }
    CHECK_EQ(heap_tag_stats(LINK_TAG).live, CHAIN);
    ob_unref(&head->ob);
    CHECK_EQ(destroyed_links, CHAIN);
    CHECK_EQ(max_depth, 1);                     /* no destroy ran inside another */
    CHECK_EQ(out_of_order, 0);
    CHECK_EQ(heap_tag_stats(LINK_TAG).live, 0);
}

/* ---- names --------------------------------------------------------------------- */

static void name_is_unique_and_found_without_a_reference(void)
{
    struct ob *a = new_thing(), *b = new_thing();

    CHECK(a != NULL && b != NULL);
    CHECK(ob_name_lookup("/obj/unit.a") == NULL);
    CHECK_EQ(ob_name_set(a, "/obj/unit.a"), 0);
    CHECK(ob_name_lookup("/obj/unit.a") == a);
    CHECK_EQ(a->refs, 1);                       /* lookup borrows */
    CHECK_EQ(ob_name_set(b, "/obj/unit.a"), E_EXISTS);
    CHECK(b->name == NULL);
    CHECK_EQ(ob_name_set(b, "/obj/unit.a2"), 0);
    CHECK(ob_name_lookup("/obj/unit.a2") == b);
    CHECK(ob_name_lookup("/obj/unit.") == NULL);
    CHECK_EQ(heap_tag_stats(NAME_TAG).live, names_at_boot + 2);
    ob_unref(a);
    ob_unref(b);
}

static void name_goes_with_the_object_not_before(void)
{
    struct ob *o = new_thing();

    CHECK(o != NULL);
    CHECK_EQ(ob_name_set(o, "/obj/unit.held"), 0);
    ob_ref(o);
    ob_handle_opened(o);
    ob_handle_closed(o);                        /* last handle gone, references remain */
    ob_unref(o);
    CHECK(ob_name_lookup("/obj/unit.held") == o);
    ob_unref(o);                                /* the last reference */
    CHECK(ob_name_lookup("/obj/unit.held") == NULL);
    CHECK_EQ(heap_tag_stats(NAME_TAG).live, names_at_boot);
    struct ob *again = new_thing();
    CHECK_EQ(ob_name_set(again, "/obj/unit.held"), 0);     /* free to take again */
    ob_unref(again);
}

/*
 * Names that fall in one bucket (found by trying names until COLLIDING of
 * them share the bucket of the first): each is found as itself, a removed
 * one from the front, the middle or the end of the chain takes only itself,
 * and a name in another directory with the same text is another name.
 */
static void colliding_names_are_told_apart(void)
{
    static char names[COLLIDING][32];
    struct ob *o[COLLIDING];
    struct ob_name_key k, first;
    int n = 0;

    snprintf(names[0], sizeof names[0], "/obj/c0");
    CHECK_EQ(ob_path_walk(NULL, names[0], &first), 0);
    for (int i = 1; n + 1 < COLLIDING && i < COLLIDE_TRIES; i++) {
        snprintf(names[n + 1], sizeof names[0], "/obj/c%d", i);
        CHECK_EQ(ob_path_walk(NULL, names[n + 1], &k), 0);
        n += (k.hash % OB_NAME_BUCKETS) == (first.hash % OB_NAME_BUCKETS);
    }
    CHECK_EQ(n + 1, COLLIDING);
    for (int i = 0; i < COLLIDING; i++) {
        o[i] = new_thing();
        CHECK(ob_name_lookup(names[i]) == NULL);
        CHECK_EQ(ob_name_set(o[i], names[i]), 0);
    }
    for (int i = 0; i < COLLIDING; i++) {
        CHECK(ob_name_lookup(names[i]) == o[i]);
        CHECK_EQ(ob_name_set(o[0], names[i]), E_EXISTS);
    }
    int gone[] = { 0, COLLIDING / 2, COLLIDING - 1 };   /* the chain's ends and middle */
    for (size_t g = 0; g < sizeof gone / sizeof gone[0]; g++) {
        ob_unref(o[gone[g]]);
        o[gone[g]] = NULL;
        for (int i = 0; i < COLLIDING; i++)
            CHECK(ob_name_lookup(names[i]) == o[i]);
    }
    struct ob *dir = directory_create(), *other = new_thing();
    ob_name_key(&k, dir, "c1", 2);                      /* same text, another directory */
    CHECK(ob_name_find(&k) == NULL);
    CHECK_EQ(ob_name_insert(&k, other), 0);
    CHECK(ob_name_find(&k) == other && ob_name_lookup(names[1]) == o[1]);
    ob_unref(other);
    ob_unref(dir);
    for (int i = 0; i < COLLIDING; i++)
        if (o[i])
            ob_unref(o[i]);
    CHECK_EQ(heap_tag_stats(NAME_TAG).live, names_at_boot);
}

/* ob_mark: the second mark in a pass says "seen"; a new pass starts clean, with nothing to clear. */
static void mark_finds_an_object_twice_in_one_pass(void)
{
    struct ob *a = new_thing(), *b = new_thing();
    uint64_t pass = ob_mark_pass();

    CHECK(ob_mark(a, pass) && ob_mark(b, pass));
    CHECK(!ob_mark(a, pass) && !ob_mark(b, pass));
    pass = ob_mark_pass();
    CHECK(ob_mark(b, pass));
    CHECK(ob_mark(a, pass));
    CHECK(!ob_mark(b, pass));
    ob_unref(a);
    ob_unref(b);
}

/* Last: every object and name freed, every frame back. */
static void nothing_leaked(void)
{
    CHECK_EQ(heap_tag_stats(THING_TAG).live, 0);
    CHECK_EQ(heap_tag_stats(THING_TAG).bytes, 0);
    CHECK_EQ(heap_tag_stats(LINK_TAG).live, 0);
    CHECK_EQ(heap_tag_stats(NAME_TAG).live, names_at_boot);
    CHECK_EQ(frame_free_count() + heap_cached_pages(), free_before);
}

int main(void)
{
    const struct mem_region ram[] = { { PAGE_SIZE, PHYS_SIZE - PAGE_SIZE } };

    host_phys_base = aligned_alloc(PAGE_SIZE, PHYS_SIZE);
    if (!host_phys_base || frame_init(ram, 1, NULL, 0) < 0) {
        fprintf(stderr, "test_object: cannot set up the fake physical memory\n");
        return 1;
    }
    fake_process.pid = CREATOR_PID;
    fake_thread.process = &fake_process;
    cpu_local.current = &fake_thread;
    ob_hooks.charge_object = charge_object;
    ob_namespace_init();                        /* the root, /obj and /svc: for ever */
    names_at_boot = heap_tag_stats(NAME_TAG).live;
    free_before = frame_free_count();
    RUN(create_fills_the_header);
    RUN(creator_is_zero_without_a_process);
    RUN(ids_are_unique_and_increasing);
    RUN(create_out_of_memory_is_null_and_counts_nothing);
    RUN(last_unref_destroys_once);
    RUN(last_handle_hook_runs_once_and_frees_nothing);
    RUN(saturated_counts_pin_the_object);
    RUN(underflow_panics);
    RUN(chain_is_destroyed_iteratively_in_order);
    RUN(name_is_unique_and_found_without_a_reference);
    RUN(name_goes_with_the_object_not_before);
    RUN(colliding_names_are_told_apart);
    RUN(mark_finds_an_object_twice_in_one_pass);
    RUN(nothing_leaked);
    free(host_phys_base);
    return check_status();
}
