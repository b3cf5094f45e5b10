/*
 * jobs_limits: a job's limits bind its processes and the jobs nested in it
 * (issue 10, item 3).  For each resource (pages, processes, threads,
 * handles, objects) a helper runs in a job with a small limit, takes until
 * refused, and checks the refusal is E_QUOTA, that giving one back lets it
 * take one again, and that nothing else failed first; a thread's kernel
 * stack counts as pages.  The runner's leak check after each case shows
 * that every charge was given back.
 */
#include <stdio.h>
#include "tests/user/util.h"

#define SMALL               8           /* a limit small enough to reach in a loop */
#define PAGE_LIMIT          256         /* the helper's image, stack and kernel stack fit */
#define MAP_CHUNK           (8 * PAGE_SIZE)
#define TAKE_MAX            100000      /* a loop that never hits the limit is a failure */
#define HELPER_OK           0
#define KSTACK_PAGES_CHARGED 4          /* KSTACK_SIZE / PAGE_SIZE (kernel/sched/thread.h) */
#define ABI_CALL_SLOT       8           /* rsp + 8 is 16-byte aligned at a function's entry */

static struct job_limits unlimited(void)
{
    struct job_limits l;

    for (int r = 0; r < JOB_RESOURCES; r++)
        l.limit[r] = JOB_UNLIMITED;
    return l;
}

/* A job nested in ours with |limit| for |resource| and no other limit of its own. */
static handle_t job_with(int resource, uint64_t limit)
{
    struct job_limits l = unlimited();

    l.limit[resource] = limit;
    return job_create(0, &l);
}

/* Runs "SELF MODE" in |job| and returns its exit code (or -1000 + state if it did not exit). */
static long run_in(handle_t job, const char *mode)
{
    struct process_status st;

    ASSERT_EQ(job_set_spawn(job), 0);
    handle_t h = spawn_self(mode, NULL);
    ASSERT_EQ(job_set_spawn(0), 0);
    if (h < 0)
        return h;
    if (reap(h, &st) < 0 || st.state != PROCESS_EXITED)
        return -1000 - (long)st.state;
    return st.exit_code;
}

/* Each helper: 0 when it was refused with E_QUOTA and could take again after giving one back. */
static int helper_threads(int argc, char **argv)
{
    handle_t never = event_create(0, NULL);
    int n = 0;
    long err;

    (void)argc, (void)argv;
    while (n < TAKE_MAX && (err = thread_start(wait_forever, &never, 0)) > 0)
        n++;                            /* each waits, holding its place */
    return n == SMALL - 1 && err == E_QUOTA ? HELPER_OK : 1;   /* we are the first */
}

static int helper_handles(int argc, char **argv)
{
    handle_t last = 0, h;
    int n = 0;

    (void)argc, (void)argv;
    while (n < TAKE_MAX && (h = file_open("/bin/init")) > 0)
        last = h, n++;
    if (h != E_QUOTA || last <= 0)
        return 1;
    handle_close(last);
    return file_open("/bin/init") > 0 ? HELPER_OK : 2;
}

static int helper_objects(int argc, char **argv)
{
    handle_t last = 0, h;
    int n = 0;

    (void)argc, (void)argv;
    while (n < TAKE_MAX && (h = event_create(0, NULL)) > 0)
        last = h, n++;
    if (h != E_QUOTA || last <= 0)
        return 1;
    handle_close(last);
    return event_create(0, NULL) > 0 ? HELPER_OK : 2;
}

static int helper_pages(int argc, char **argv)
{
    long last = 0, a;
    int n = 0;

    (void)argc, (void)argv;
    while (n < TAKE_MAX && (a = mem_map(NULL, MAP_CHUNK, MEM_WRITE)) > 0)
        last = a, n++;
    if (a != E_QUOTA || last <= 0)
        return 1;
    mem_unmap((void *)last, MAP_CHUNK);
    return mem_map(NULL, MAP_CHUNK, MEM_WRITE) > 0 ? HELPER_OK : 2;
}

/*
 * A thread's kernel stack is charged as KSTACK_PAGES_CHARGED pages: with
 * one page fewer than that left under the limit, a thread is E_QUOTA; with
 * exactly that many, it starts.  Its user stack is a page mapped already.
 */
static int helper_stack_pages(int argc, char **argv)
{
    static long mapped[PAGE_LIMIT];
    handle_t never = event_create(0, NULL);
    int n = 0;
    long a;

    (void)argc, (void)argv;
    while (n < PAGE_LIMIT && (a = mem_map(NULL, PAGE_SIZE, MEM_WRITE)) > 0)
        mapped[n++] = a;
    if (a != E_QUOTA || n <= KSTACK_PAGES_CHARGED)
        return 1;
    for (int i = 1; i < KSTACK_PAGES_CHARGED; i++)
        mem_unmap((void *)mapped[--n], PAGE_SIZE);
    void *stack_top = (void *)(mapped[0] + PAGE_SIZE - ABI_CALL_SLOT);
    if (thread_create((const void *)wait_forever, (long)&never, stack_top) != E_QUOTA)
        return 2;
    mem_unmap((void *)mapped[--n], PAGE_SIZE);
    return thread_create((const void *)wait_forever, (long)&never, stack_top) > 0 ? HELPER_OK : 3;
}

TEST(threads_past_the_limit_are_quota)
{
    handle_t j = job_with(JOB_THREADS, SMALL);

    ASSERT_TRUE(j > 0);
    EXPECT_EQ(run_in(j, "--threads"), HELPER_OK);
    handle_close(j);
}

TEST(handles_past_the_limit_are_quota)
{
    handle_t j = job_with(JOB_HANDLES, 64);

    ASSERT_TRUE(j > 0);
    EXPECT_EQ(run_in(j, "--handles"), HELPER_OK);
    handle_close(j);
}

TEST(objects_past_the_limit_are_quota)
{
    handle_t j = job_with(JOB_OBJECTS, 64);

    ASSERT_TRUE(j > 0);
    EXPECT_EQ(run_in(j, "--objects"), HELPER_OK);
    handle_close(j);
}

TEST(pages_past_the_limit_are_quota)
{
    handle_t j = job_with(JOB_PAGES, PAGE_LIMIT);

    ASSERT_TRUE(j > 0);
    EXPECT_EQ(run_in(j, "--pages"), HELPER_OK);
    handle_close(j);
}

TEST(a_kernel_stack_past_the_page_limit_is_quota)
{
    handle_t j = job_with(JOB_PAGES, PAGE_LIMIT);

    ASSERT_TRUE(j > 0);
    EXPECT_EQ(run_in(j, "--stack-pages"), HELPER_OK);
    handle_close(j);
}

TEST(processes_past_the_limit_are_quota_and_nothing_changes)
{
    handle_t j = job_with(JOB_PROCESSES, 2), h[2];
    struct process_status st;

    ASSERT_TRUE(j > 0);
    ASSERT_EQ(job_set_spawn(j), 0);
    h[0] = spawn_self("--sleep", NULL);
    h[1] = spawn_self("--sleep", NULL);
    long before = handles_held();
    EXPECT_ERR(spawn_self("--sleep", NULL), E_QUOTA);
    EXPECT_EQ(handles_held(), before);
    ASSERT_EQ(job_set_spawn(0), 0);
    ASSERT_TRUE(h[0] > 0 && h[1] > 0);
    EXPECT_EQ(job_kill(j, KILL_CODE), 0);
    for (int i = 0; i < 2; i++) {
        EXPECT_EQ(reap(h[i], &st), 0);
        EXPECT_EQ(st.state, PROCESS_KILLED);
    }
    handle_close(j);
}

TEST(a_nested_job_is_bound_by_its_parents_limits)
{
    handle_t outer = job_with(JOB_PROCESSES, 1), inner, h;
    struct process_status st;

    ASSERT_TRUE(outer > 0);
    ASSERT_TRUE((inner = job_create(outer, NULL)) > 0);
    ASSERT_EQ(job_set_spawn(inner), 0);
    h = spawn_self("--sleep", NULL);
    EXPECT_ERR(spawn_self("--sleep", NULL), E_QUOTA);      /* inner has no limit; outer's binds */
    ASSERT_EQ(job_set_spawn(0), 0);
    ASSERT_TRUE(h > 0);
    EXPECT_EQ(job_kill(outer, KILL_CODE), 0);              /* kills inside the nested job too */
    EXPECT_EQ(reap(h, &st), 0);
    EXPECT_EQ(st.state, PROCESS_KILLED);
    handle_close(inner);
    handle_close(outer);
}

TEST(limits_check_their_arguments)
{
    handle_t j = job_create(0, NULL), f = file_open("/bin/init");

    ASSERT_TRUE(j > 0);
    EXPECT_ERR(job_create(f, NULL), E_WRONGTYPE);
    EXPECT_ERR(job_set_spawn(f), E_WRONGTYPE);
    EXPECT_ERR(job_kill(f, 0), E_WRONGTYPE);
    EXPECT_ERR(job_create(0, (void *)1), E_FAULT);
    handle_t deeper[JOB_DEPTH_MAX + 1], parent = j;
    int made = 0;
    long err = 0;
    while (made < JOB_DEPTH_MAX + 1 && (err = job_create(parent, NULL)) > 0)
        parent = deeper[made++] = err;
    EXPECT_ERR(err, E_LIMIT);
    EXPECT_TRUE(made < JOB_DEPTH_MAX);
    while (made > 0)
        handle_close(deeper[--made]);
    handle_close(f);
    handle_close(j);
}

static const struct helper_mode helpers[] = {
    { "--sleep", helper_sleep },
    { "--threads", helper_threads },
    { "--handles", helper_handles },
    { "--objects", helper_objects },
    { "--pages", helper_pages },
    { "--stack-pages", helper_stack_pages },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}
