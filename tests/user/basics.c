/* basics: the runner's own sanity checks: a passing case, a process id, a stale handle. */
#include <test.h>

TEST(pid_is_positive)
{
    EXPECT_TRUE(process_self_id() > 0);
}

TEST(stale_handle_is_rejected)
{
    handle_t f = file_open("/bin/init");
    ASSERT_TRUE(f > 0);
    EXPECT_EQ(handle_close(f), 0);
    EXPECT_ERR(handle_close(f), E_BADHANDLE);
}
