/*
 * jobs_life: a job's life (issue 10, item 3).  A job is signaled when its
 * last process has ended, not before; killing it ends every process in it
 * and in the jobs nested in it; every process shows the job it belongs to;
 * job_list shows usage and limits; a process may send its children only
 * into its own job or one nested in it.  And the reserve: a job without
 * limits that takes every page it can still leaves the root job (where
 * the runner, init and the shell live) enough to start and kill.
 */
#include <stdio.h>
#include "tests/user/pipe_util.h"
#include "tests/user/util.h"

#define JOBS_MAX        64
#define HOG_CHUNK       (64 * PAGE_SIZE)
#define HOG_READY       "--hog"
#define SH_PATH         "/bin/sh"
#define PS_OUTPUT_MAX   8192

static const struct job_info *find_job(const struct job_info *list, long n, uint64_t id)
{
    for (long i = 0; i < n && i < JOBS_MAX; i++)
        if (list[i].id == id)
            return &list[i];
    return NULL;
}

/* The id of the job process |pid| belongs to, from process_list; 0 if not found. */
static uint64_t job_of(uint64_t pid)
{
    static struct process_info procs[256];
    long n = process_list(procs, sizeof procs);

    for (long i = 0; i < n && i < 256; i++)
        if (procs[i].pid == pid)
            return procs[i].job_id;
    return 0;
}

static uint64_t pid_of(handle_t h)
{
    struct process_status st;

    return process_status(h, &st) == 0 ? st.pid : 0;
}

TEST(a_job_is_signaled_when_its_last_process_ends)
{
    handle_t j = job_create(0, NULL), a, b;
    struct process_status st;

    ASSERT_TRUE(j > 0);
    EXPECT_ERR(object_wait(j, 0), E_TIMEDOUT);     /* no process yet: not "ended" */
    ASSERT_EQ(job_set_spawn(j), 0);
    a = spawn_self("--sleep", NULL);
    b = spawn_self("--sleep", NULL);
    ASSERT_EQ(job_set_spawn(0), 0);
    ASSERT_TRUE(a > 0 && b > 0);
    EXPECT_EQ(process_kill(a, KILL_CODE), 0);
    EXPECT_EQ(reap(a, &st), 0);
    EXPECT_ERR(object_wait(j, 0), E_TIMEDOUT);     /* b still runs */
    EXPECT_EQ(process_kill(b, KILL_CODE), 0);
    EXPECT_EQ(object_wait(j, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(reap(b, &st), 0);
    handle_close(j);
}

TEST(every_process_shows_its_job_and_job_list_its_usage)
{
    static struct job_info list[JOBS_MAX];
    struct job_limits l;
    handle_t j, h;

    for (int r = 0; r < JOB_RESOURCES; r++)
        l.limit[r] = JOB_UNLIMITED;
    l.limit[JOB_PROCESSES] = 3;
    ASSERT_TRUE((j = job_create(0, &l)) > 0);
    ASSERT_EQ(job_set_spawn(j), 0);
    h = spawn_self("--sleep", NULL);
    ASSERT_EQ(job_set_spawn(0), 0);
    ASSERT_TRUE(h > 0);
    uint64_t mine = job_of(process_self_id()), its = job_of(pid_of(h));
    EXPECT_TRUE(mine != 0 && its != 0 && mine != its);
    long n = job_list(list, sizeof list);
    const struct job_info *info = find_job(list, n, its);
    ASSERT_TRUE(info != NULL);
    EXPECT_EQ(info->parent_id, mine);
    EXPECT_EQ(info->usage[JOB_PROCESSES], 1);
    EXPECT_EQ(info->limit[JOB_PROCESSES], 3);
    EXPECT_TRUE(info->usage[JOB_THREADS] == 1 && info->usage[JOB_PAGES] > 0);
    EXPECT_EQ(info->limit[JOB_PAGES], JOB_UNLIMITED);
    EXPECT_EQ(job_kill(j, KILL_CODE), 0);
    struct process_status st;
    EXPECT_EQ(reap(h, &st), 0);
    handle_close(j);
}

/* "--spawn-into": tries to send its children into the job handle it was given (handles[3]). */
static int helper_spawn_into(int argc, char **argv)
{
    (void)argc, (void)argv;
    return job_set_spawn(start_info()->handles[STDIO_HANDLES]) == E_ACCESS ? 0 : 1;
}

TEST(children_go_only_into_ones_own_job_or_below)
{
    handle_t mine = job_create(0, NULL), other = job_create(0, NULL);
    struct process_status st;

    ASSERT_TRUE(mine > 0 && other > 0);
    const char *argv[] = { self_path(), "--spawn-into", NULL };
    handle_t pass[STDIO_HANDLES + 1] = { 0, 0, 0, other };
    ASSERT_EQ(job_set_spawn(mine), 0);
    handle_t h = process_spawn(self_path(), argv, pass, STDIO_HANDLES + 1);
    ASSERT_EQ(job_set_spawn(0), 0);
    ASSERT_TRUE(h > 0);
    EXPECT_EQ(reap(h, &st), 0);
    EXPECT_EQ(st.exit_code, 0);                     /* a sibling job is out of its reach */
    handle_close(mine);
    handle_close(other);
}

/* "--hog": maps memory until refused, sets the event it was given, then sleeps. */
static int helper_hog(int argc, char **argv)
{
    long err;

    (void)argc, (void)argv;
    while ((err = mem_map(NULL, HOG_CHUNK, MEM_WRITE)) > 0)
        ;
    while ((err = mem_map(NULL, PAGE_SIZE, MEM_WRITE)) > 0)
        ;
    event_set(start_info()->handles[STDIO_HANDLES]);
    return helper_sleep(0, NULL) + (int)err;
}

TEST(the_root_job_keeps_a_reserve_when_a_job_takes_all_it_can)
{
    handle_t j = job_create(0, NULL), ready = event_create(0, NULL);
    struct process_status st;

    ASSERT_TRUE(j > 0 && ready > 0);
    const char *argv[] = { self_path(), HOG_READY, NULL };
    handle_t pass[STDIO_HANDLES + 1] = { 0, 0, 0, ready };
    ASSERT_EQ(job_set_spawn(j), 0);
    handle_t hog = process_spawn(self_path(), argv, pass, STDIO_HANDLES + 1);
    ASSERT_EQ(job_set_spawn(0), 0);
    ASSERT_TRUE(hog > 0);
    EXPECT_EQ(object_wait(ready, CHILD_TIMEOUT_NS), 0);
    /* The hog holds all it could; we, in the root job, can still start a program and kill. */
    struct process_status echo_st;
    EXPECT_EQ(run_self("--exit", NULL, &echo_st), 0);
    EXPECT_EQ(echo_st.state, PROCESS_EXITED);
    EXPECT_EQ(job_kill(j, KILL_CODE), 0);
    EXPECT_EQ(reap(hog, &st), 0);
    EXPECT_EQ(st.state, PROCESS_KILLED);
    handle_close(ready);
    handle_close(j);
}

/* The job column of the ps row (pid parent job state ... name) whose name is |name|; 0 if none. */
static uint64_t job_column(const char *out, const char *name)
{
    size_t len = strlen(name);

    for (const char *line = out; *line;) {
        const char *end = strchr(line, '\n');
        char *p;
        if (!end)
            break;
        strtoul(line, &p, 10);                              /* pid */
        strtoul(p, &p, 10);                                 /* parent */
        uint64_t job = strtoul(p, &p, 10);
        if (p != line && end - line > (long)len && end[-(long)len - 1] == ' ' &&
            strncmp(end - len, name, len) == 0)
            return job;
        line = end + 1;
    }
    return 0;
}

/* The shell runs each command line in a job of its own, nested in the shell's. */
TEST(the_shell_runs_each_line_in_a_job_of_its_own)
{
    static char out[PS_OUTPUT_MAX];
    const char *argv[] = { SH_PATH, NULL };
    struct process_status st;

    ASSERT_EQ(run_with_pipes(SH_PATH, argv, "ps\nexit 0\n", out, sizeof out, &st), 0);
    uint64_t sh_job = job_column(out, "sh"), ps_job = job_column(out, "ps");
    EXPECT_TRUE(sh_job != 0 && ps_job != 0);
    EXPECT_NE(ps_job, sh_job);
    char parent_row[64];
    snprintf(parent_row, sizeof parent_row, "\n%5lu %6lu ", (unsigned long)ps_job, (unsigned long)sh_job);
    EXPECT_NE(strstr(out, parent_row), NULL);           /* the jobs table: ps's job under sh's */
}

static const struct helper_mode helpers[] = {
    { "--exit", helper_exit },
    { "--sleep", helper_sleep },
    { "--spawn-into", helper_spawn_into },
    { HOG_READY, helper_hog },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}
