/*
 * drivers_supervisor: svcmgr and svc (issue 9, items 4 and 5).  Each case
 * starts its own svcmgr with the root resource and /etc/services.test (the
 * clock driver, and "flaky", a program that exits at once), as init starts
 * the real one.  Checked: a driver that faults, is killed or hangs is
 * restarted, with the reason logged and listed, while its client's calls
 * keep working (the one in flight is sent again); quick crashes mark a
 * service failed; stop, start and restart do what they say; 100 restarts
 * leave the object counts and free frames as they were.
 */
#include <service.h>
#include <stdio.h>
#include "tests/user/pipe_util.h"
#include "tests/user/util.h"

#define SVCMGR_PATH     "/bin/svcmgr"
#define SVC_PATH        "/bin/svc"
#define TEST_LIST       "/etc/services.test"
#define SETTLE_POLL_NS  (20 * NS_PER_MS)
#define STEADY_NS       (700 * NS_PER_MS)   /* long enough for the pinger to have reconnected */
#define RESTARTS        100
#define TEXT_MAX        (SVC_DATA_MAX + 1)

static handle_t supervisor;
static long supervisor_pid;
static struct svc_conn mgr = { SVCMGR_PORT_NAME, 0 };

/* Starts svcmgr with the test list (and |fast|: no quick-crash limit, 10 ms backoff); waits for the clock. */
static void start_supervisor(bool fast)
{
    const char *plain[] = { SVCMGR_PATH, TEST_LIST, NULL };
    const char *quick[] = { SVCMGR_PATH, "-q", "1000", "-c", "10", TEST_LIST, NULL };
    const char *const *argv = fast ? quick : plain;
    handle_t hs[STARTUP_ROOT_HANDLE + 1] = { 0, 0, 0, startup_resource() };
    struct process_status st;
    struct clock_time t;

    supervisor = process_spawn(SVCMGR_PATH, argv, hs, STARTUP_ROOT_HANDLE + 1);
    ASSERT_TRUE(supervisor > 0);
    process_status(supervisor, &st);
    supervisor_pid = (long)st.pid;
    ASSERT_EQ(clock_read(&t), 0);
}

/* svc list's text into |text|. */
static void list(char *text)
{
    memset(text, 0, TEXT_MAX);
    ASSERT_EQ(svc_call(&mgr, SVCMGR_LIST, NULL, 0, 0, text, SVC_DATA_MAX), 0);
}

static long command(uint32_t op, const char *name)
{
    return svc_call(&mgr, op, name, (uint32_t)strlen(name), 0, NULL, 0);
}

static const char *wait_for(const char *name, const char *want, char *text);

/*
 * Stops every service (so nothing is restarted behind our back), then
 * svcmgr: a driver it left would outlive the case, holding its line.
 */
static void stop_supervisor(void)
{
    static const char *const names[] = { "clock", "flaky" };
    char text[TEXT_MAX];
    struct process_status st;

    for (size_t i = 0; i < ARRAY_LEN(names); i++) {
        EXPECT_EQ(command(SVCMGR_STOP, names[i]), 0);
        EXPECT_TRUE(strstr(wait_for(names[i], "stopped", text), "stopped") != NULL);
    }
    process_kill(supervisor, KILL_CODE);
    reap(supervisor, &st);
    if (mgr.port > 0)
        handle_close(mgr.port);
    mgr.port = 0;
}

/* The line of service |name| in |text|, or "" (a pointer into |text|, line ended at its '\n'). */
static char *line_of(char *text, const char *name)
{
    for (char *l = text; *l; ) {
        char *end = strchr(l, '\n');
        if (strncmp(l, name, strlen(name)) == 0 && l[strlen(name)] == ' ') {
            if (end)
                *end = '\0';
            return l;
        }
        if (!end)
            break;
        l = end + 1;
    }
    return "";
}

/* Waits (up to CHILD_TIMEOUT_NS) until |name|'s line contains |want|; returns the line. */
static const char *wait_for(const char *name, const char *want, char *text)
{
    long deadline = clock_now() + CHILD_TIMEOUT_NS;
    const char *l;

    do {
        list(text);
        l = line_of(text, name);
        if (strstr(l, want))
            return l;
        thread_sleep(SETTLE_POLL_NS);
    } while (clock_now() < deadline);
    return l;
}

/* The pid svc list shows for the clock. */
static long clock_pid(void)
{
    char text[TEXT_MAX];

    list(text);
    return atol(line_of(text, "clock") + strlen("clock"));
}

TEST(the_supervisor_starts_its_services)
{
    char text[TEXT_MAX];

    start_supervisor(false);
    EXPECT_TRUE(strstr(wait_for("clock", "running", text), "running") != NULL);
    EXPECT_TRUE(clock_pid() > 0);
    stop_supervisor();
}

TEST(a_faulting_driver_is_restarted_and_its_client_carries_on)
{
    char text[TEXT_MAX];
    struct clock_time t;

    start_supervisor(false);
    ASSERT_EQ(command(SVCMGR_CRASH, "clock"), 0);
    for (int i = 0; i < 20; i++) {              /* a client reading the clock all along */
        EXPECT_EQ(clock_read(&t), 0);
        thread_sleep(50 * NS_PER_MS);
    }
    const char *l = wait_for("clock", "page fault", text);
    EXPECT_TRUE(strstr(l, "running") && strstr(l, "page fault at 0x0, write"));
    stop_supervisor();
}

TEST(a_killed_driver_is_restarted)
{
    char text[TEXT_MAX];
    struct clock_time t;
    handle_t h;

    start_supervisor(false);
    ASSERT_TRUE((h = process_open(clock_pid())) > 0);
    EXPECT_EQ(process_kill(h, KILL_CODE), 0);
    handle_close(h);
    EXPECT_EQ(clock_read(&t), 0);
    EXPECT_TRUE(strstr(wait_for("clock", "killed (code 77)", text), "running") != NULL);
    stop_supervisor();
}

TEST(a_hung_driver_is_killed_and_restarted)
{
    char text[TEXT_MAX];
    struct clock_time t;

    start_supervisor(false);
    long before = clock_pid();
    ASSERT_EQ(command(SVCMGR_HANG, "clock"), 0);
    thread_sleep(STEADY_NS);                    /* the pinger has passed it on */
    EXPECT_EQ(clock_read(&t), 0);               /* waits through the hang, then is sent again */
    EXPECT_TRUE(strstr(wait_for("clock", "hung", text), "running") != NULL);
    EXPECT_NE(clock_pid(), before);
    stop_supervisor();
}

TEST(quick_crashes_mark_a_service_failed)
{
    char text[TEXT_MAX];

    start_supervisor(false);
    EXPECT_TRUE(strstr(wait_for("flaky", "failed", text), "failed") != NULL);
    EXPECT_EQ(command(SVCMGR_START, "flaky"), 0);   /* svc start gives it another round */
    EXPECT_TRUE(strstr(wait_for("flaky", "failed", text), "failed") != NULL);
    EXPECT_ERR(command(SVCMGR_START, "nonesuch"), E_NOTFOUND);
    EXPECT_ERR(command(SVCMGR_CRASH, "flaky"), E_INVAL);    /* not running, no port */
    stop_supervisor();
}

TEST(stop_start_and_restart)
{
    char text[TEXT_MAX];
    struct clock_time t;

    start_supervisor(false);
    ASSERT_EQ(command(SVCMGR_STOP, "clock"), 0);
    EXPECT_TRUE(strstr(wait_for("clock", "stopped", text), "stopped by svc") != NULL);
    EXPECT_EQ(object_open(CLOCK_PORT_NAME, OB_TYPE_PORT), E_NOTFOUND);
    ASSERT_EQ(command(SVCMGR_START, "clock"), 0);
    EXPECT_EQ(clock_read(&t), 0);
    long before = clock_pid();
    ASSERT_EQ(command(SVCMGR_RESTART, "clock"), 0);
    EXPECT_TRUE(strstr(wait_for("clock", "restarted by svc", text), "running") != NULL);
    EXPECT_EQ(clock_read(&t), 0);
    EXPECT_NE(clock_pid(), before);
    stop_supervisor();
}

TEST(the_svc_tool_lists_and_controls)
{
    const char *list_argv[] = { SVC_PATH, "list", NULL };
    const char *bad_argv[] = { SVC_PATH, "crash", "nonesuch", NULL };
    struct process_status st;
    char out[TEXT_MAX * 2];

    start_supervisor(false);
    ASSERT_EQ(run_with_pipes(SVC_PATH, list_argv, "", out, sizeof out, &st), 0);
    EXPECT_EQ(st.exit_code, 0);
    EXPECT_TRUE(strstr(out, "NAME") && strstr(out, "clock") && strstr(out, "running"));
    ASSERT_EQ(run_with_pipes(SVC_PATH, bad_argv, "", out, sizeof out, &st), 0);
    EXPECT_EQ(st.exit_code, 1);
    EXPECT_TRUE(strstr(out, "no such service") != NULL);
    stop_supervisor();
}

/* Our view of the kernel's counts, once the clock answers and the pinger has settled. */
static void steady_stats(struct system_stats *s)
{
    struct clock_time t;

    ASSERT_EQ(clock_read(&t), 0);
    thread_sleep(STEADY_NS);
    system_stats(s, sizeof *s);
}

TEST(a_hundred_restarts_leak_nothing)
{
    static struct system_stats before, after;
    struct clock_time t;

    char text[TEXT_MAX];

    start_supervisor(true);                     /* no quick-crash limit for this one */
    ASSERT_EQ(command(SVCMGR_STOP, "flaky"), 0);    /* it would restart every 10 ms meanwhile */
    wait_for("flaky", "stopped", text);
    steady_stats(&before);
    for (int i = 0; i < RESTARTS; i++) {
        handle_t h = process_open(clock_pid());
        ASSERT_TRUE(h > 0);
        process_kill(h, KILL_CODE);
        object_wait(h, CHILD_TIMEOUT_NS);
        handle_close(h);
        ASSERT_EQ(clock_read(&t), 0);           /* back, and answering */
    }
    steady_stats(&after);
    for (uint64_t i = 0; i < after.ntags; i++) {
        const struct stats_tag *b = stats_find(&before, after.tags[i].tag);
        char desc[48];
        snprintf(desc, sizeof desc, "live %.4s after %d restarts", (const char *)&after.tags[i].tag,
                 RESTARTS);
        EXPECT_EQ_AT(desc, (long)after.tags[i].live, b ? (long)b->live : 0);
    }
    EXPECT_EQ(after.free_frames, before.free_frames);
    EXPECT_TRUE(stats_live(&after, "Intr") == 1 && stats_live(&after, "IoPt") == 1);
    stop_supervisor();
}
