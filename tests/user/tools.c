/*
 * tools: the small programs a student lives with at the prompt.  `ls`
 * prints the boot filesystem sorted by path, with sizes; `help` has a line
 * for every program in /bin, and `help NAME` shows one or says there is
 * none.
 */
#include <stdio.h>
#include <stdlib.h>
#include "tests/user/pipe_util.h"

#define OUTPUT_MAX      16384
#define PATH_MAX_LEN    128

static char output[OUTPUT_MAX];

static long run(const char *path, const char *arg, struct process_status *st)
{
    const char *argv[] = { path, arg, NULL };

    return run_with_pipes(path, argv, "", output, sizeof output, st);
}

TEST(ls_sorts_by_path_and_gives_sizes)
{
    struct process_status st;
    char prev[PATH_MAX_LEN] = "", path[PATH_MAX_LEN];
    long size, lines = 0;

    ASSERT_EQ(run("/bin/ls", NULL, &st), 0);
    EXPECT_EQ(st.exit_code, 0);
    for (char *save, *l = strtok_r(output, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        char *end;
        size = strtol(l, &end, 10);
        ASSERT_TRUE(end != l && size >= 0);
        while (*end == ' ')
            end++;
        snprintf(path, sizeof path, "%s", end);
        EXPECT_TRUE(strcmp(prev, path) < 0);
        strcpy(prev, path);
        lines++;
    }
    EXPECT_TRUE(lines > 10);
}

TEST(ls_with_a_prefix_lists_only_those)
{
    struct process_status st;

    ASSERT_EQ(run("/bin/ls", "/bin/", &st), 0);
    EXPECT_TRUE(strstr(output, "/bin/sh\n") != NULL);
    EXPECT_TRUE(strstr(output, "/test/") == NULL);
}

/* Every program in /bin has a line of its own in `help`. */
TEST(help_describes_every_program)
{
    struct process_status st;
    char path[PATH_MAX_LEN], want[PATH_MAX_LEN + 2];
    int programs = 0;

    ASSERT_EQ(run("/bin/help", NULL, &st), 0);
    EXPECT_EQ(st.exit_code, 0);
    for (long i = 0; file_list(i, path, sizeof path) >= 0; i++) {
        if (strncmp(path, "/bin/", 5) != 0)
            continue;
        snprintf(want, sizeof want, "\n%s ", path + 5);
        char *at = strstr(output, want + 1) == output ? output : strstr(output, want);
        EXPECT_TRUE(at != NULL);
        programs++;
    }
    EXPECT_TRUE(programs > 10);
}

TEST(help_name_shows_one_and_refuses_an_unknown_one)
{
    struct process_status st;

    ASSERT_EQ(run("/bin/help", "echo", &st), 0);
    EXPECT_EQ(st.exit_code, 0);
    EXPECT_TRUE(strncmp(output, "echo ", 5) == 0);
    EXPECT_TRUE(strchr(output, '\n') == output + strlen(output) - 1);
    ASSERT_EQ(run("/bin/help", "nosuchprogram", &st), 0);
    EXPECT_EQ(st.exit_code, 1);
}

int main(int argc, char **argv)
{
    return suite_main(argc, argv, NULL, 0);
}
