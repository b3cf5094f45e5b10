#include <test.h>
#include <string.h>
TEST(one) { EXPECT_EQ(1 + 1, 2); EXPECT_ERR(handle_close(12345), E_BADHANDLE); }
TEST(two) { ASSERT_TRUE(strlen("ab") == 2); EXPECT_STR("a", "a"); EXPECT_NE((void *)0, (void*)1); }
