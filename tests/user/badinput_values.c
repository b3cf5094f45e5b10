/*
 * badinput_values: the arguments of system calls that are plain numbers
 * (TESTING.md, "Bad input every syscall must survive"): every call number
 * is described in libc's syscall_descs, and a number outside the table is
 * E_NOSYS; every flag bit a call does not know is E_INVAL; an address
 * argument outside user space (ADDR arguments are range-checked, not
 * dereferenced) is E_INVAL.  The flag checks also leave the kernel's object
 * counts and our handle count as they were.  Driven from the table through
 * badinput.h where the table can say it, by hand where it cannot.
 */
#include "tests/user/badinput.h"

int main(int argc, char **argv)
{
    return suite_main(argc, argv, fixture_helpers, ARRAY_LEN(fixture_helpers));
}

TEST(every_call_is_described)
{
    for (int nr = 0; nr < SYSCALL_COUNT; nr++) {
        EXPECT_NE(syscall_descs[nr].name, NULL);
        EXPECT_TRUE(syscall_descs[nr].nargs >= 0 && syscall_descs[nr].nargs <= MAX_ARGS);
    }
}

TEST(bad_syscall_numbers_are_nosys)
{
    static const long numbers[] = {
        -1, SYSCALL_COUNT, SYSCALL_COUNT + 1, 1L << 31, 1L << 32, INT64_MIN, INT64_MAX,
    };
    char desc[DESC_MAX];

    for (size_t i = 0; i < ARRAY_LEN(numbers); i++) {
        snprintf(desc, sizeof desc, "syscall0(%#lx)", numbers[i]);
        EXPECT_EQ_AT(desc, syscall0(numbers[i]), E_NOSYS);
    }
}

/* FLAGS argument |i| of call |nr| set to each bit the call does not know, one at a time. */
static void check_unknown_flags(int nr, int i, void *ctx)
{
    char what[DESC_MAX];

    (void)ctx;
    for (int bit = 0; bit < FLAG_BITS; bit++) {
        if (known_flags_of(&syscall_descs[nr]) & (1UL << bit))
            continue;
        snprintf(what, sizeof what, "1 << %d", bit);
        expect_with_arg(nr, i, (long)(1UL << bit), E_INVAL, what);
    }
}

TEST(unknown_flag_bits_are_inval)
{
    fixture_init();
    for_each_argument(is_flags, check_unknown_flags, NULL);
    fixture_fini();
}

static void thread_entry_unused(void)
{
}

TEST(addresses_outside_user_space_are_inval)
{
    static const uint64_t bad[] = {
        NONCANONICAL_ADDR, DIRECT_MAP_BASE, KERNEL_HEAP_ADDR, KERNEL_IMAGE_ADDR, UINT64_MAX,
    };
    long stack = mem_map(NULL, PAGE_SIZE, MEM_WRITE);
    char desc[DESC_MAX];

    ASSERT_TRUE(stack > 0);
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        void *p = (void *)bad[i];
        snprintf(desc, sizeof desc, "mem_map(addr = %#lx)", bad[i]);
        EXPECT_EQ_AT(desc, mem_map(p, PAGE_SIZE, MEM_WRITE), E_INVAL);
        snprintf(desc, sizeof desc, "mem_unmap(addr = %#lx)", bad[i]);
        EXPECT_EQ_AT(desc, mem_unmap(p, PAGE_SIZE), E_INVAL);
        snprintf(desc, sizeof desc, "thread_create(entry = %#lx)", bad[i]);
        EXPECT_EQ_AT(desc, thread_create(p, 0, (void *)(stack + PAGE_SIZE)), E_INVAL);
        snprintf(desc, sizeof desc, "thread_create(stack_top = %#lx)", bad[i]);
        if (bad[i] != USER_TOP)             /* a stack may end at the top of user space */
            EXPECT_EQ_AT(desc, thread_create((const void *)thread_entry_unused, 0, p), E_INVAL);
    }
    EXPECT_EQ(mem_unmap((void *)stack, PAGE_SIZE), 0);
}
