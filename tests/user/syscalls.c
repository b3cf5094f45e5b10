/*
 * syscalls: every system call with normal arguments gives the result its
 * handler promises (the comment above each sys_ function in kernel/syscall/):
 * return values, what memory looks like after mem_map, what a child sees
 * of its arguments, how process_status reports each way of ending, and the
 * timeouts of object_wait and thread_sleep.  Bad arguments are badinput.c's.
 *
 * Children are this program in a helper mode (util.h) or /bin/echo.
 */
#include <stdio.h>
#include "tests/user/util.h"

#define README_PATH         "/README"           /* a file that is not an executable */
#define ECHO_PATH           "/bin/echo"
#define MISSING_PATH        "/bin/no-such-program"
#define EXIT_CODE           7
#define KILL_CODE           99
#define THREAD_EXIT_CODE    5
#define THREAD_ARG          0x5eed
#define SHORT_TIMEOUT_NS    (50 * NS_PER_MS)
#define SLEEP_NS            (30 * NS_PER_MS)
#define TIMEOUT_SLACK_NS    (2 * NS_PER_SEC)    /* "roughly that long": woken well within this */
#define CLOCK_READS         1000
#define REUSE_ROUNDS        1000
#define MAP_PAGES           2
#define FIXED_MAP_ADDR      (USER_STACK_TOP / 4)     /* far above what mem_map(NULL) hands out */
#define PATTERN             0xa5
#define PARTIAL_TAIL        3                   /* bytes left when reading near the end */

/* `mov $CODE_RESULT, %eax; ret`: code to run from a MEM_EXEC page. */
#define CODE_RESULT         42
static const unsigned char return_42[] = { 0xb8, CODE_RESULT, 0, 0, 0, 0xc3 };

/* ---- helper modes ------------------------------------------------------- */

static const char *const check_args[] = { "one", "two words", "" };

/* "--check-args ...": exits 0 when its arguments are exactly check_args. */
static int helper_check_args(int argc, char **argv)
{
    if (argc != (int)ARRAY_LEN(check_args))
        return 1;
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], check_args[i]) != 0)
            return 1;
    return 0;
}

/* "--check-handle": exits 0 when it got one handle and can read the file behind it. */
static int helper_check_handle(int argc, char **argv)
{
    const struct start_info *si = start_info();
    char c;

    (void)argc, (void)argv;
    return si->nhandles == 1 && file_read(si->handles[0], &c, 1, 0) == 1 ? 0 : 1;
}

/* "--write-readonly": reads a page mapped without MEM_WRITE, then writes it (faults). */
static int helper_write_readonly(int argc, char **argv)
{
    volatile char *p = (char *)mem_map(NULL, PAGE_SIZE, MEM_READ);

    (void)argc, (void)argv;
    if (p[0] != 0)
        return 1;
    p[0] = 1;
    return 2;
}

/* "--touch-unmapped": writes a page, unmaps it, reads it again (faults). */
static int helper_touch_unmapped(int argc, char **argv)
{
    volatile char *p = (char *)mem_map(NULL, PAGE_SIZE, MEM_WRITE);

    (void)argc, (void)argv;
    p[0] = 1;
    mem_unmap((void *)p, PAGE_SIZE);
    return p[0];
}

/* "--thread-exit": the only thread calls thread_exit: its code is the process's. */
static int helper_thread_exit(int argc, char **argv)
{
    (void)argc, (void)argv;
    thread_exit(THREAD_EXIT_CODE);
    return 1;
}

static const struct helper_mode helpers[] = {
    { "--exit", helper_exit },
    { "--sleep", helper_sleep },
    { "--check-args", helper_check_args },
    { "--check-handle", helper_check_handle },
    { "--write-readonly", helper_write_readonly },
    { "--touch-unmapped", helper_touch_unmapped },
    { "--thread-exit", helper_thread_exit },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* ---- shared helpers ------------------------------------------------------ */

/* The size file_list reports for |path|, or E_NOTFOUND. */
static long file_size(const char *path)
{
    char name[BOOTFS_PATH_MAX];
    long size;

    for (long i = 0; (size = file_list(i, name, sizeof name)) >= 0; i++)
        if (strcmp(name, path) == 0)
            return size;
    return size;
}

/* A child that sleeps until killed. */
static handle_t spawn_sleeper(void)
{
    handle_t h = spawn_self("--sleep", NULL);

    ASSERT_TRUE(h > 0);
    return h;
}

static void kill_and_reap(handle_t h)
{
    struct process_status st;

    EXPECT_EQ(process_kill(h, KILL_CODE), 0);
    EXPECT_EQ(reap(h, &st), 0);
}

/* ---- process_self_id, console_write -------------------------------------- */

TEST(process_self_id_is_positive_and_stable)
{
    long id = process_self_id();

    EXPECT_TRUE(id > 0);
    EXPECT_EQ(process_self_id(), id);
}

TEST(child_has_its_own_id)
{
    struct process_status st;

    ASSERT_EQ(run_self("--exit", NULL, &st), 0);
    EXPECT_TRUE(st.pid > 0);
    EXPECT_NE(st.pid, process_self_id());
}

TEST(console_write_returns_length)
{
    static const char msg[] = "syscalls: console_write\n";

    EXPECT_EQ(console_write(msg, strlen(msg)), (long)strlen(msg));
}

TEST(console_write_of_zero_bytes_returns_0)
{
    EXPECT_EQ(console_write("x", 0), 0);
    EXPECT_EQ(console_write(NULL, 0), 0);     /* nothing to read: the pointer is not touched */
}

/* ---- mem_map, mem_unmap --------------------------------------------------- */

TEST(mem_map_null_picks_aligned_user_address)
{
    long p = mem_map(NULL, PAGE_SIZE, MEM_WRITE);

    ASSERT_TRUE(p > 0);
    EXPECT_EQ(p % PAGE_SIZE, 0);
    EXPECT_TRUE((uint64_t)p >= USER_MMAP_BASE && (uint64_t)p < USER_STACK_TOP);
    EXPECT_EQ(mem_unmap((void *)p, PAGE_SIZE), 0);
}

TEST(mem_map_fixed_address_returns_it)
{
    EXPECT_EQ(mem_map((void *)FIXED_MAP_ADDR, PAGE_SIZE, MEM_WRITE), (long)FIXED_MAP_ADDR);
    *(volatile char *)FIXED_MAP_ADDR = 1;
    EXPECT_EQ(mem_unmap((void *)FIXED_MAP_ADDR, PAGE_SIZE), 0);
}

TEST(mem_map_memory_is_zeroed_and_writable)
{
    size_t len = MAP_PAGES * PAGE_SIZE;
    unsigned char *p = (unsigned char *)mem_map(NULL, len, MEM_WRITE);

    ASSERT_TRUE((long)p > 0);
    for (size_t i = 0; i < len; i++)
        ASSERT_EQ(p[i], 0);
    memset(p, PATTERN, len);
    EXPECT_EQ(p[0], PATTERN);
    EXPECT_EQ(p[len - 1], PATTERN);
    EXPECT_EQ(mem_unmap(p, len), 0);
}

TEST(mem_map_rounds_length_up_to_a_page)
{
    volatile char *p = (char *)mem_map(NULL, 1, MEM_WRITE);

    ASSERT_TRUE((long)p > 0);
    p[PAGE_SIZE - 1] = 1;               /* the whole page is there */
    EXPECT_EQ(mem_unmap((void *)p, 1), 0);
}

TEST(mem_map_over_a_mapped_page_is_exists)
{
    EXPECT_ERR(mem_map((void *)USER_BASE, PAGE_SIZE, MEM_WRITE), E_EXISTS);   /* our own code */
    ASSERT_EQ(mem_map((void *)FIXED_MAP_ADDR, PAGE_SIZE, MEM_WRITE), (long)FIXED_MAP_ADDR);
    EXPECT_ERR(mem_map((void *)FIXED_MAP_ADDR, PAGE_SIZE, MEM_WRITE), E_EXISTS);
    EXPECT_EQ(mem_unmap((void *)FIXED_MAP_ADDR, PAGE_SIZE), 0);
}

TEST(mem_map_again_after_unmap_is_zeroed)
{
    volatile char *p = (char *)FIXED_MAP_ADDR;

    ASSERT_EQ(mem_map((void *)p, PAGE_SIZE, MEM_WRITE), (long)p);
    p[0] = PATTERN;
    EXPECT_EQ(mem_unmap((void *)p, PAGE_SIZE), 0);
    ASSERT_EQ(mem_map((void *)p, PAGE_SIZE, MEM_WRITE), (long)p);
    EXPECT_EQ(p[0], 0);
    EXPECT_EQ(mem_unmap((void *)p, PAGE_SIZE), 0);
}

TEST(mem_map_without_write_is_readable_and_zeroed)
{
    volatile char *p = (char *)mem_map(NULL, PAGE_SIZE, MEM_READ);

    ASSERT_TRUE((long)p > 0);
    EXPECT_EQ(p[0], 0);
    EXPECT_EQ(p[PAGE_SIZE - 1], 0);
    EXPECT_EQ(mem_unmap((void *)p, PAGE_SIZE), 0);
}

TEST(mem_map_without_write_faults_on_write)
{
    struct process_status st;

    ASSERT_EQ(run_self("--write-readonly", NULL, &st), 0);
    EXPECT_EQ(st.state, PROCESS_FAULTED);
    EXPECT_EQ(st.fault_vector, VEC_PAGE_FAULT);
    EXPECT_EQ(st.fault_error & (FAULT_PF_PRESENT | FAULT_PF_WRITE), FAULT_PF_PRESENT | FAULT_PF_WRITE);
}

TEST(mem_unmap_then_touch_faults)
{
    struct process_status st;

    ASSERT_EQ(run_self("--touch-unmapped", NULL, &st), 0);
    EXPECT_EQ(st.state, PROCESS_FAULTED);
    EXPECT_EQ(st.fault_vector, VEC_PAGE_FAULT);
    EXPECT_EQ(st.fault_error & (FAULT_PF_PRESENT | FAULT_PF_WRITE), 0);
}

TEST(mem_unmap_of_unmapped_range_is_ok)
{
    EXPECT_EQ(mem_unmap((void *)FIXED_MAP_ADDR, PAGE_SIZE), 0);
}

TEST(mem_exec_page_runs_code)
{
    long p = mem_map(NULL, PAGE_SIZE, MEM_WRITE | MEM_EXEC);

    ASSERT_TRUE(p > 0);
    memcpy((void *)p, return_42, sizeof return_42);
    EXPECT_EQ(((int (*)(void))p)(), CODE_RESULT);
    EXPECT_EQ(mem_unmap((void *)p, PAGE_SIZE), 0);
}

TEST(mem_map_outside_user_space_is_inval)
{
    EXPECT_ERR(mem_map((void *)(FIXED_MAP_ADDR + 1), PAGE_SIZE, MEM_WRITE), E_INVAL);
    EXPECT_ERR(mem_map((void *)PAGE_SIZE, PAGE_SIZE, MEM_WRITE), E_INVAL);    /* below USER_BASE */
    EXPECT_ERR(mem_map((void *)(USER_TOP - PAGE_SIZE), 2 * PAGE_SIZE, MEM_WRITE), E_INVAL);
    EXPECT_ERR(mem_map((void *)USER_TOP, PAGE_SIZE, MEM_WRITE), E_INVAL);
    EXPECT_ERR(mem_map((void *)KERNEL_HEAP_ADDR, PAGE_SIZE, MEM_WRITE), E_INVAL);
    EXPECT_ERR(mem_unmap((void *)KERNEL_IMAGE_ADDR, PAGE_SIZE), E_INVAL);
    EXPECT_ERR(mem_unmap((void *)(FIXED_MAP_ADDR + 1), PAGE_SIZE), E_INVAL);
}

/* ---- file_open, file_read, file_list -------------------------------------- */

TEST(file_open_missing_is_notfound)
{
    EXPECT_ERR(file_open(MISSING_PATH), E_NOTFOUND);
}

TEST(file_read_whole_file_gives_listed_size)
{
    static char buf[PAGE_SIZE];
    long size = file_size(README_PATH);
    handle_t f = file_open(README_PATH);

    ASSERT_TRUE(size > PARTIAL_TAIL && size < (long)sizeof buf);
    ASSERT_TRUE(f > 0);
    EXPECT_EQ(file_read(f, buf, sizeof buf, 0), size);
    EXPECT_EQ(handle_close(f), 0);
}

TEST(file_read_at_offset_matches_whole_read)
{
    static char whole[PAGE_SIZE], part[PAGE_SIZE];
    handle_t f = file_open(README_PATH);
    long size = f > 0 ? file_read(f, whole, sizeof whole, 0) : f;

    ASSERT_TRUE(size > PARTIAL_TAIL);
    EXPECT_EQ(file_read(f, part, PARTIAL_TAIL, 1), PARTIAL_TAIL);
    EXPECT_EQ(memcmp(part, whole + 1, PARTIAL_TAIL), 0);
    EXPECT_EQ(handle_close(f), 0);
}

TEST(file_read_at_or_past_end_returns_0)
{
    char c;
    long size = file_size(README_PATH);
    handle_t f = file_open(README_PATH);

    ASSERT_TRUE(f > 0);
    EXPECT_EQ(file_read(f, &c, 1, size), 0);
    EXPECT_EQ(file_read(f, &c, 1, size + PAGE_SIZE), 0);
    EXPECT_EQ(handle_close(f), 0);
}

TEST(file_read_near_end_is_partial)
{
    char buf[2 * PARTIAL_TAIL];
    long size = file_size(README_PATH);
    handle_t f = file_open(README_PATH);

    ASSERT_TRUE(f > 0);
    EXPECT_EQ(file_read(f, buf, sizeof buf, size - PARTIAL_TAIL), PARTIAL_TAIL);
    EXPECT_EQ(handle_close(f), 0);
}

TEST(file_read_negative_offset_is_inval)
{
    char c;
    handle_t f = file_open(README_PATH);

    ASSERT_TRUE(f > 0);
    EXPECT_ERR(file_read(f, &c, 1, -1), E_INVAL);
    EXPECT_EQ(handle_close(f), 0);
}

TEST(file_list_names_each_file_once)
{
    char name[BOOTFS_PATH_MAX];
    int readme = 0, echo = 0;
    long i;

    for (i = 0; file_list(i, name, sizeof name) >= 0; i++) {
        EXPECT_EQ(name[0], '/');
        readme += strcmp(name, README_PATH) == 0;
        echo += strcmp(name, ECHO_PATH) == 0;
    }
    EXPECT_TRUE(i > 0);
    EXPECT_EQ(readme, 1);
    EXPECT_EQ(echo, 1);
}

TEST(file_list_past_end_is_notfound)
{
    char name[BOOTFS_PATH_MAX];
    long n = 0;

    while (file_list(n, name, sizeof name) >= 0)
        n++;
    EXPECT_ERR(file_list(n, name, sizeof name), E_NOTFOUND);
    EXPECT_ERR(file_list(n + 1, name, sizeof name), E_NOTFOUND);
    EXPECT_ERR(file_list(-1, name, sizeof name), E_NOTFOUND);
}

TEST(file_list_small_buffer_is_toobig)
{
    char name[BOOTFS_PATH_MAX];

    ASSERT_TRUE(file_list(0, name, sizeof name) >= 0);
    size_t need = strlen(name) + 1;
    EXPECT_ERR(file_list(0, name, need - 1), E_TOOBIG);
    EXPECT_ERR(file_list(0, name, 0), E_TOOBIG);
    EXPECT_TRUE(file_list(0, name, need) >= 0);
}

/* ---- process_spawn, process_status, process_kill -------------------------- */

TEST(spawn_echo_exits_0)
{
    const char *argv[] = { ECHO_PATH, "syscalls:", "echo", "ran", NULL };
    struct process_status st;

    ASSERT_EQ(run_child(ECHO_PATH, argv, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, 0);
}

TEST(spawn_passes_argv)
{
    const char *argv[] = { self_path(), "--check-args", check_args[0], check_args[1],
                           check_args[2], NULL };
    struct process_status st;

    ASSERT_EQ(run_child(self_path(), argv, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, 0);
}

TEST(spawn_with_null_argv_runs)
{
    struct process_status st;

    ASSERT_EQ(run_child(ECHO_PATH, NULL, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, 0);
}

TEST(spawn_passes_handles)
{
    const char *argv[] = { self_path(), "--check-handle", NULL };
    handle_t f = file_open(README_PATH);
    struct process_status st;

    ASSERT_TRUE(f > 0);
    handle_t h = process_spawn(self_path(), argv, &f, 1);
    ASSERT_TRUE(h > 0);
    ASSERT_EQ(reap(h, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, 0);
    EXPECT_EQ(handle_close(f), 0);              /* ours stays valid */
}

TEST(spawn_missing_path_is_notfound)
{
    const char *argv[] = { MISSING_PATH, NULL };

    EXPECT_ERR(process_spawn(MISSING_PATH, argv, NULL, 0), E_NOTFOUND);
}

TEST(spawn_non_elf_is_noexec)
{
    const char *argv[] = { README_PATH, NULL };

    EXPECT_ERR(process_spawn(README_PATH, argv, NULL, 0), E_NOEXEC);
}

TEST(process_status_of_running_child)
{
    struct process_status st;
    handle_t h = spawn_sleeper();

    EXPECT_EQ(process_status(h, &st), 0);
    EXPECT_EQ(st.state, PROCESS_RUNNING);
    EXPECT_TRUE(st.pid > 0);
    kill_and_reap(h);
}

TEST(process_status_of_exited_child)
{
    char code[8];
    struct process_status st;

    snprintf(code, sizeof code, "%d", EXIT_CODE);
    ASSERT_EQ(run_self("--exit", code, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, EXIT_CODE);
}

TEST(last_thread_exit_code_is_process_code)
{
    struct process_status st;

    ASSERT_EQ(run_self("--thread-exit", NULL, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, THREAD_EXIT_CODE);
}

TEST(process_kill_sleeping_child_records_code)
{
    struct process_status st;
    handle_t h = spawn_sleeper();

    EXPECT_EQ(process_kill(h, KILL_CODE), 0);
    ASSERT_EQ(reap(h, &st), 0);
    EXPECT_EQ(st.state, PROCESS_KILLED);
    EXPECT_EQ(st.exit_code, KILL_CODE);
}

TEST(process_kill_after_exit_keeps_exit_status)
{
    struct process_status st;
    handle_t h = spawn_self("--exit", NULL);

    ASSERT_TRUE(h > 0);
    EXPECT_EQ(object_wait(h, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(process_kill(h, KILL_CODE), 0);
    ASSERT_EQ(reap(h, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);    /* the first reason is the one recorded */
    EXPECT_EQ(st.exit_code, 0);
}

/* ---- object_wait, handle_close --------------------------------------------- */

TEST(object_wait_zero_polls_running_child)
{
    handle_t h = spawn_sleeper();

    EXPECT_ERR(object_wait(h, 0), E_TIMEDOUT);
    kill_and_reap(h);
}

TEST(object_wait_times_out_after_roughly_the_timeout)
{
    handle_t h = spawn_sleeper();
    long start = clock_now();

    EXPECT_ERR(object_wait(h, SHORT_TIMEOUT_NS), E_TIMEDOUT);
    long waited = clock_now() - start;
    EXPECT_TRUE(waited >= SHORT_TIMEOUT_NS);
    EXPECT_TRUE(waited < TIMEOUT_SLACK_NS);
    kill_and_reap(h);
}

TEST(object_wait_on_ended_child_returns_0)
{
    handle_t h = spawn_self("--exit", NULL);
    struct process_status st;

    ASSERT_TRUE(h > 0);
    EXPECT_EQ(object_wait(h, TIMEOUT_INFINITE), 0);
    EXPECT_EQ(object_wait(h, 0), 0);            /* stays signaled */
    EXPECT_EQ(reap(h, &st), 0);
}

TEST(object_wait_negative_timeout_is_inval)
{
    handle_t h = spawn_sleeper();

    EXPECT_ERR(object_wait(h, TIMEOUT_INFINITE - 1), E_INVAL);
    EXPECT_ERR(object_wait(h, INT64_MIN), E_INVAL);
    kill_and_reap(h);
}

TEST(object_wait_on_file_is_wrongtype)
{
    handle_t f = file_open(README_PATH);

    ASSERT_TRUE(f > 0);
    EXPECT_ERR(object_wait(f, 0), E_WRONGTYPE);
    EXPECT_EQ(handle_close(f), 0);
}

TEST(handle_close_twice_is_badhandle)
{
    handle_t f = file_open(README_PATH);

    ASSERT_TRUE(f > 0);
    EXPECT_EQ(handle_close(f), 0);
    EXPECT_ERR(handle_close(f), E_BADHANDLE);
}

/* Each round reuses the slot the last one freed: the old value must stay dead. */
TEST(closed_handle_stays_invalid_after_slot_reuse)
{
    static handle_t old[REUSE_ROUNDS];
    char c;
    int alive = 0;

    for (int i = 0; i < REUSE_ROUNDS; i++) {
        old[i] = file_open(README_PATH);
        ASSERT_TRUE(old[i] > 0);
        ASSERT_EQ(handle_close(old[i]), 0);
    }
    handle_t live = file_open(README_PATH);
    ASSERT_TRUE(live > 0);
    EXPECT_EQ(old[0] & HANDLE_SLOT_MASK, old[REUSE_ROUNDS - 1] & HANDLE_SLOT_MASK);
    for (int i = 0; i < REUSE_ROUNDS; i++)
        alive += old[i] == live || file_read(old[i], &c, 1, 0) != E_BADHANDLE ||
                    handle_close(old[i]) != E_BADHANDLE;
    EXPECT_EQ(alive, 0);
    EXPECT_EQ(file_read(live, &c, 1, 0), 1);
    EXPECT_EQ(handle_close(live), 0);
}

/* ---- threads ---------------------------------------------------------------- */

static volatile long raw_thread_got;

/* Started by thread_create itself: no caller, so the stack is realigned on entry. */
static __attribute__((force_align_arg_pointer, noreturn)) void raw_thread_entry(long arg)
{
    raw_thread_got = arg;
    thread_exit(THREAD_EXIT_CODE);
    __builtin_unreachable();
}

TEST(thread_create_runs_entry_with_arg)
{
    size_t len = THREAD_STACK_DEFAULT;
    long stack = mem_map(NULL, len, MEM_WRITE);

    ASSERT_TRUE(stack > 0);
    handle_t t = thread_create((const void *)raw_thread_entry, THREAD_ARG, (void *)(stack + len));
    ASSERT_TRUE(t > 0);
    EXPECT_EQ(object_wait(t, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(raw_thread_got, THREAD_ARG);
    EXPECT_EQ(handle_close(t), 0);
    EXPECT_EQ(mem_unmap((void *)stack, len), 0);
}

static void set_flag(void *arg)
{
    *(volatile int *)arg = 1;
}

TEST(thread_start_runs_function)
{
    static volatile int ran;
    handle_t t = thread_start(set_flag, (void *)&ran, 0);

    ASSERT_TRUE(t > 0);
    EXPECT_EQ(object_wait(t, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(ran, 1);
    EXPECT_EQ(handle_close(t), 0);
}

TEST(thread_sleep_advances_clock_at_least_that_much)
{
    long start = clock_now();

    EXPECT_EQ(thread_sleep(SLEEP_NS), 0);
    long slept = clock_now() - start;
    EXPECT_TRUE(slept >= SLEEP_NS);
    EXPECT_TRUE(slept < TIMEOUT_SLACK_NS);
}

TEST(thread_sleep_zero_returns_0)
{
    EXPECT_EQ(thread_sleep(0), 0);
}

TEST(thread_sleep_negative_is_inval)
{
    EXPECT_ERR(thread_sleep(-1), E_INVAL);
}

TEST(thread_yield_returns_0)
{
    EXPECT_EQ(thread_yield(), 0);
}

/* ---- clock_now, system_stats -------------------------------------------------- */

TEST(clock_now_is_monotonic)
{
    long prev = clock_now(), backwards = 0;

    EXPECT_TRUE(prev >= 0);
    for (int i = 0; i < CLOCK_READS; i++) {
        long now = clock_now();
        backwards += now < prev;
        prev = now;
    }
    EXPECT_EQ(backwards, 0);
}

TEST(system_stats_short_length_is_inval)
{
    static struct system_stats s;

    EXPECT_ERR(system_stats(&s, sizeof s - 1), E_INVAL);
    EXPECT_ERR(system_stats(&s, 0), E_INVAL);
}

TEST(system_stats_counts_are_sane)
{
    static struct system_stats s;
    uint64_t bytes = 0;

    ASSERT_EQ(system_stats(&s, sizeof s), (long)sizeof s);
    EXPECT_TRUE(s.total_frames > 0);
    EXPECT_TRUE(s.free_frames <= s.total_frames);
    EXPECT_TRUE(s.ntags > 0 && s.ntags <= STATS_MAX_TAGS);
    for (uint64_t i = 0; i < s.ntags && i < STATS_MAX_TAGS; i++) {
        EXPECT_TRUE(s.tags[i].live <= s.tags[i].peak);
        EXPECT_TRUE(s.tags[i].peak <= s.tags[i].total);
        bytes += s.tags[i].bytes;
    }
    EXPECT_EQ(s.heap_bytes, bytes);
}

/* The live count of the tag of |name| ("File"); 0 when it has none. */
static long live_count(const struct system_stats *s, const char name[4])
{
    uint32_t tag;

    memcpy(&tag, name, sizeof tag);
    for (uint64_t i = 0; i < s->ntags; i++)
        if (s->tags[i].tag == tag)
            return (long)s->tags[i].live;
    return 0;
}

TEST(system_stats_counts_an_open_file)
{
    static struct system_stats before, open, after;

    system_stats(&before, sizeof before);
    handle_t f = file_open(README_PATH);
    system_stats(&open, sizeof open);
    EXPECT_EQ(handle_close(f), 0);
    system_stats(&after, sizeof after);
    EXPECT_EQ(live_count(&open, "File"), live_count(&before, "File") + 1);
    EXPECT_EQ(live_count(&after, "File"), live_count(&before, "File"));
}
