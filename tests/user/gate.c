/*
 * gate: the corners of the SYSCALL gate (kernel/arch/x86_64/syscall_entry.S),
 * the one door from ring 3 into the kernel.  What a caller can set up that
 * the gate must not trust: a return address past the end of user space
 * (SYSRET to a non-canonical address would fault in ring 0: the gate must
 * return through IRETQ and fault the process instead), a bogus stack
 * pointer, and RFLAGS bits that change what kernel code does (DF: string
 * direction; AC: SMAP's user-access window; NT: IRET's task return; TF:
 * single-step).  MSR_SFMASK clears these on entry; the caller's RFLAGS
 * come back on return.
 *
 * TF: a program that single-steps over SYSCALL may run on or end with a
 * debug fault (vector 1); single_step_over_syscall_ends_cleanly accepts
 * both and checks that the kernel lives on.  What Ember does: SFMASK keeps
 * TF off in the kernel, SYSRET restores it from r11, and the trap comes in
 * ring 3 one instruction after the call: the child ends with a debug fault
 * at a user rip (no debugger catches it).
 */
#include <stdio.h>
#include "tests/user/util.h"

#define RFLAGS_TF           (1UL << 8)
#define RFLAGS_DF           (1UL << 10)
#define RFLAGS_NT           (1UL << 14)
#define RFLAGS_AC           (1UL << 18)
#define RED_ZONE            128             /* the System V red zone: pushes in asm skip it */
#define LAST_PAGE           (USER_TOP - PAGE_SIZE)
#define SYSCALL_OPCODE0     0x0f            /* SYSCALL is 0f 05 */
#define SYSCALL_LEN         2
#define READ_LEN            64
#define GUARD               0x5a            /* bytes around a buffer that must stay untouched */
#define NT_SLEEP_NS         (20 * NS_PER_MS)

/*
 * A raw system call made with the RFLAGS bits |set| turned on just before
 * it, and off again right after; the RFLAGS the call returned with go to
 * *|after|.
 */
static long syscall_with_flags(unsigned long set, long nr, long a1, long a2, long a3, long a4,
                               unsigned long *after)
{
    register long r10 __asm__("r10") = a4;
    unsigned long flags;

    __asm__ volatile("sub %[rz], %%rsp\n\t"
                     "pushfq\n\t"
                     "or %[set], (%%rsp)\n\t"
                     "popfq\n\t"
                     "syscall\n\t"
                     "pushfq\n\t"
                     "pop %[flags]\n\t"
                     "not %[set]\n\t"
                     "pushfq\n\t"
                     "and %[set], (%%rsp)\n\t"
                     "popfq\n\t"
                     "add %[rz], %%rsp"
                     : "+a"(nr), [flags] "=&r"(flags), [set] "+r"(set)
                     : "D"(a1), "S"(a2), "d"(a3), "r"(r10), [rz] "i"(RED_ZONE)
                     : "rcx", "r11", "memory", "cc");
    *after = flags;
    return nr;
}

/* ---- helper modes ---------------------------------------------------------- */

/*
 * The last page of user space, as code: int3s, then a SYSCALL in its last
 * two bytes.  tests/user/gate.ld links it there (a page mem_map could give
 * would have to be writable and executable at once, which it refuses).
 */
__asm__(".pushsection .user_top, \"ax\"\n"
        ".fill 4094, 1, 0xcc\n"
        "syscall\n"
        ".popsection");

/* "--syscall-at-top": a SYSCALL in the last two bytes of user space: it returns to USER_TOP. */
static int helper_syscall_at_top(int argc, char **argv)
{
    (void)argc, (void)argv;
    if (*(volatile unsigned char *)(USER_TOP - SYSCALL_LEN) != SYSCALL_OPCODE0)
        return 1;                               /* the link map did not put it there */
    __asm__ volatile("jmp *%1" : : "a"((long)SYS_process_self_id), "r"(USER_TOP - SYSCALL_LEN)
                     : "memory");
    return 2;
}

/* "--single-step": a system call with TF set; exits 0 if it gets past it. */
static int helper_single_step(int argc, char **argv)
{
    unsigned long after;

    (void)argc, (void)argv;
    return syscall_with_flags(RFLAGS_TF, SYS_process_self_id, 0, 0, 0, 0, &after) > 0 ? 0 : 1;
}

static const struct helper_mode helpers[] = {
    { "--syscall-at-top", helper_syscall_at_top },
    { "--single-step", helper_single_step },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* ---- the cases ---------------------------------------------------------------- */

TEST(syscall_returning_past_user_space_faults_only_the_caller)
{
    struct process_status st;

    ASSERT_EQ(run_self("--syscall-at-top", NULL, &st), 0);
    EXPECT_EQ(st.state, PROCESS_FAULTED);
    EXPECT_EQ(st.fault_vector, VEC_GP);
    EXPECT_EQ(st.fault_rip, USER_TOP);          /* where SYSRET would have gone */
    EXPECT_TRUE(process_self_id() > 0);         /* and the kernel is still here */
}

/* Reads READ_LEN bytes of /bin/echo into the middle of a guarded buffer, with |set| in RFLAGS. */
static void expect_read_with_flags(unsigned long set)
{
    static unsigned char plain[READ_LEN], buf[3 * READ_LEN];
    handle_t f = file_open(ECHO_PATH);
    unsigned long after;

    ASSERT_TRUE(f > 0);
    ASSERT_EQ(file_read(f, plain, READ_LEN, 0), READ_LEN);
    memset(buf, GUARD, sizeof buf);
    EXPECT_EQ(syscall_with_flags(set, SYS_file_read, f, (long)(buf + READ_LEN), READ_LEN, 0, &after),
              READ_LEN);
    EXPECT_EQ(memcmp(buf + READ_LEN, plain, READ_LEN), 0);
    EXPECT_EQ(buf[READ_LEN - 1], GUARD);        /* a backward copy would land below */
    EXPECT_EQ(buf[2 * READ_LEN], GUARD);
    EXPECT_EQ(after & set, set);                /* our flags come back */
    EXPECT_EQ(handle_close(f), 0);
}

TEST(direction_flag_set_does_not_reverse_copies)
{
    static const char msg[] = "gate: console_write with DF set\n";
    unsigned long after;

    EXPECT_EQ(syscall_with_flags(RFLAGS_DF, SYS_console_write, (long)msg, sizeof msg - 1, 0, 0, &after),
              (long)sizeof msg - 1);
    expect_read_with_flags(RFLAGS_DF);
}

TEST(alignment_check_flag_set_does_not_open_kernel_memory)
{
    static char buf[READ_LEN];
    handle_t f = file_open(ECHO_PATH);
    unsigned long after;

    ASSERT_TRUE(f > 0);
    expect_read_with_flags(RFLAGS_AC);
    EXPECT_EQ(syscall_with_flags(RFLAGS_AC, SYS_console_write, (long)KERNEL_HEAP_ADDR, READ_LEN, 0, 0,
                                 &after), E_FAULT);
    EXPECT_EQ(syscall_with_flags(RFLAGS_AC, SYS_file_read, f, (long)KERNEL_HEAP_ADDR, READ_LEN, 0,
                                 &after), E_FAULT);
    EXPECT_EQ(syscall_with_flags(RFLAGS_AC, SYS_file_read, f, (long)buf, READ_LEN, 0, &after),
              READ_LEN);
    EXPECT_EQ(handle_close(f), 0);
}

TEST(nested_task_flag_set_returns_normally)
{
    unsigned long after;

    EXPECT_EQ(syscall_with_flags(RFLAGS_NT, SYS_process_self_id, 0, 0, 0, 0, &after), process_self_id());
    EXPECT_EQ(after & RFLAGS_NT, RFLAGS_NT);
    EXPECT_EQ(syscall_with_flags(RFLAGS_NT, SYS_thread_sleep, NT_SLEEP_NS, 0, 0, 0, &after), 0);
    expect_read_with_flags(RFLAGS_NT);
}

TEST(single_step_over_syscall_ends_cleanly)
{
    struct process_status st;

    ASSERT_EQ(run_self("--single-step", NULL, &st), 0);
    EXPECT_TRUE((st.state == PROCESS_EXITED && st.exit_code == 0) ||
                (st.state == PROCESS_FAULTED && st.fault_vector == VEC_DEBUG));
    if (st.state == PROCESS_FAULTED)
        EXPECT_TRUE(st.fault_rip >= USER_BASE && st.fault_rip < USER_TOP);     /* not in the kernel */
    EXPECT_TRUE(process_self_id() > 0);
}

/* The gate switches stacks before it touches memory: the caller's rsp may be anything. */
static long self_id_with_stack(uint64_t rsp)
{
    long nr = SYS_process_self_id;

    __asm__ volatile("mov %%rsp, %%r12\n\t"
                     "mov %[rsp], %%rsp\n\t"
                     "syscall\n\t"
                     "mov %%r12, %%rsp"
                     : "+a"(nr)
                     : [rsp] "r"(rsp)
                     : "rcx", "r11", "r12", "memory");
    return nr;
}

TEST(syscall_with_bogus_stack_pointer_works)
{
    long id = process_self_id();

    EXPECT_EQ(self_id_with_stack(0), id);
    EXPECT_EQ(self_id_with_stack(KERNEL_HEAP_ADDR), id);
    EXPECT_EQ(self_id_with_stack(KERNEL_IMAGE_ADDR), id);
    EXPECT_EQ(self_id_with_stack(NONCANONICAL_ADDR), id);
}

/* Everything but rax (the result), rcx and r11 (the instruction's) survives a call. */
TEST(syscall_preserves_registers)
{
    static const uint64_t want[] = { 0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666,
                                     0x7777, 0x8888, 0x9999, 0xaaaa, 0xbbbb, 0xcccc };
    static uint64_t got[ARRAY_LEN(want)];
    uint64_t *out = got;

    __asm__ volatile("sub %[rz], %%rsp\n\t"
                     "push %%rbx\n\t"
                     "push %%rbp\n\t"
                     "push %%rax\n\t"                  /* where the results go */
                     "mov 0(%%rsi), %%rbx\n\t"
                     "mov 8(%%rsi), %%rbp\n\t"
                     "mov 16(%%rsi), %%rdx\n\t"
                     "mov 24(%%rsi), %%r8\n\t"
                     "mov 32(%%rsi), %%r9\n\t"
                     "mov 40(%%rsi), %%r10\n\t"
                     "mov 48(%%rsi), %%r12\n\t"
                     "mov 56(%%rsi), %%r13\n\t"
                     "mov 64(%%rsi), %%r14\n\t"
                     "mov 72(%%rsi), %%r15\n\t"
                     "mov %%rsi, %%rdi\n\t"            /* rdi and rsi: their own values */
                     "mov %[nr], %%eax\n\t"
                     "syscall\n\t"
                     "pop %%rax\n\t"
                     "mov %%rbx, 0(%%rax)\n\t"
                     "mov %%rbp, 8(%%rax)\n\t"
                     "mov %%rdx, 16(%%rax)\n\t"
                     "mov %%r8, 24(%%rax)\n\t"
                     "mov %%r9, 32(%%rax)\n\t"
                     "mov %%r10, 40(%%rax)\n\t"
                     "mov %%r12, 48(%%rax)\n\t"
                     "mov %%r13, 56(%%rax)\n\t"
                     "mov %%r14, 64(%%rax)\n\t"
                     "mov %%r15, 72(%%rax)\n\t"
                     "mov %%rdi, 80(%%rax)\n\t"
                     "mov %%rsi, 88(%%rax)\n\t"
                     "pop %%rbp\n\t"
                     "pop %%rbx\n\t"
                     "add %[rz], %%rsp"
                     : "+a"(out)
                     : "S"(want), [nr] "i"(SYS_process_self_id), [rz] "i"(RED_ZONE)
                     : "rcx", "rdx", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
                       "memory", "cc");
    for (size_t i = 0; i < ARRAY_LEN(want) - 2; i++)
        EXPECT_EQ(got[i], want[i]);
    EXPECT_EQ(got[ARRAY_LEN(want) - 2], (uint64_t)want);   /* rdi */
    EXPECT_EQ(got[ARRAY_LEN(want) - 1], (uint64_t)want);   /* rsi */
}
