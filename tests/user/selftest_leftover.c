/*
 * selftest_leftover: checks the runner, not the kernel, so it runs only
 * when named (make test runs it in its "runner" layer and expects the first
 * case to FAIL).  A case that leaves a process running must be reported,
 * and that process ended before the next case, whose leak check must then
 * be clean.
 */
#include <test.h>
#include "util.h"

TEST(leaves_a_sleeper_running)
{
    EXPECT_TRUE(spawn_self("--sleep", NULL) > 0);     /* neither waited for nor killed */
}

TEST(the_next_case_sees_nothing_left)
{
    EXPECT_TRUE(process_self_id() > 0);
}

static const struct helper_mode helpers[] = {
    { "--sleep", helper_sleep },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}
