/*
 * selftest_failures: checks how failures are reported, not the kernel, so it
 * runs only when named (make test's "runner" layer runs it and expects both
 * cases to FAIL).  Each failing check must print its expression, the
 * expected and the actual value and its file:line; a case's later failures
 * and whatever else it prints must reach the host's report; a run with
 * several failing cases must end with a summary naming each of them.
 */
#include <stdio.h>
#include <test.h>

TEST(three_checks_fail_and_it_prints)
{
    long answer = 41;

    printf("selftest: about to check the answer\n");
    EXPECT_EQ(answer, 42);
    EXPECT_STR("blue", "green");
    EXPECT_ERR(handle_close(0), 0);
    ASSERT_TRUE(answer == 42);
    printf("selftest: not reached\n");
}

TEST(a_second_case_fails_too)
{
    ASSERT_NE(process_self_id(), process_self_id());
}
