/*
 * tools_query: the ps, handles and objs tools are built on object_query
 * (issue 14, item 1): each, run with its output in a pipe, shows what the
 * query call tells about this process: handles names our named event with
 * its rights, objs lists the event once however many handles we hold to
 * it, with the count, and ps shows us running, and our thread.
 */
#include <stdio.h>
#include "tests/user/pipe_util.h"

#define EVENT_NAME      "/obj/test.tools.event"
#define OUTPUT_MAX      (16 * 1024)
#define PID_TEXT        24

static char out[OUTPUT_MAX];

/* Runs /bin/|tool| with our pid as its argument (unless |no_pid|); its output in |out|. */
static long run_tool(const char *tool, int no_pid)
{
    char path[BOOTFS_PATH_MAX], pid[PID_TEXT];
    struct process_status st;

    snprintf(path, sizeof path, "/bin/%s", tool);
    snprintf(pid, sizeof pid, "%ld", process_self_id());
    const char *argv[] = { path, no_pid ? NULL : pid, NULL };
    long err = run_with_pipes(path, argv, "", out, sizeof out, &st);
    return err < 0 ? err : st.exit_code;
}

/* How many lines of |out| contain both |a| and |b|; an |a| starting with '^' must start the line. */
static int lines_with(const char *a, const char *b)
{
    int n = 0;

    for (char *line = out; line && *line;) {
        char *end = strchr(line, '\n');
        if (end)
            *end = '\0';
        int at_start = a[0] == '^' && strncmp(line, a + 1, strlen(a + 1)) == 0;
        n += (a[0] == '^' ? at_start : strstr(line, a) != NULL) && strstr(line, b);
        if (end)
            *end = '\n';
        line = end ? end + 1 : NULL;
    }
    return n;
}

TEST(handles_lists_our_handles_with_rights_and_names)
{
    handle_t ev = event_create(0, EVENT_NAME);

    ASSERT_TRUE(ev > 0);
    EXPECT_EQ(run_tool("handles", 0), 0);
    EXPECT_EQ(lines_with(EVENT_NAME, "DTws"), 1);   /* dup transfer wait signal ... */
    EXPECT_EQ(handle_close(ev), 0);
}

TEST(objs_lists_each_object_once_with_its_handle_count)
{
    char id[PID_TEXT];
    struct object_basic_info b;
    handle_t ev = event_create(0, EVENT_NAME);

    ASSERT_TRUE(ev > 0);
    handle_t again = handle_duplicate(ev, 0, RIGHT_SAME);
    ASSERT_TRUE(again > 0);
    ASSERT_TRUE(object_query(ev, OBJECT_INFO_BASIC, &b, sizeof b, NULL) > 0);
    snprintf(id, sizeof id, " %lu event", b.object_id);
    EXPECT_EQ(run_tool("objs", 0), 0);
    EXPECT_EQ(lines_with(id, EVENT_NAME), 1);
    EXPECT_EQ(lines_with("Evnt", ""), 1);           /* and the per-tag counts */
    EXPECT_EQ(handle_close(again), 0);
    EXPECT_EQ(handle_close(ev), 0);
}

TEST(ps_shows_us_running_with_our_threads)
{
    char me[PID_TEXT];
    struct thread_query_info t;
    handle_t self = process_open(process_self_id());

    ASSERT_TRUE(self > 0);
    ASSERT_EQ(object_query(self, OBJECT_INFO_PROCESS_THREADS, &t, sizeof t, NULL), sizeof t);
    EXPECT_EQ(handle_close(self), 0);
    snprintf(me, sizeof me, "^%5ld ", process_self_id());       /* a process row */
    EXPECT_EQ(run_tool("ps", 1), 0);
    EXPECT_EQ(lines_with(me, "running"), 1);
    snprintf(me, sizeof me, "^%5lu %5ld ", t.tid, process_self_id());   /* our thread's row */
    EXPECT_EQ(lines_with(me, ""), 1);
}

int main(int argc, char **argv)
{
    return test_main(argc, argv);
}
