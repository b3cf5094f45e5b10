/*
 * cpu_state: no user-visible CPU state crosses threads or processes
 * (issue 10, item 4).  Two threads, or two processes, each put their own
 * values in a piece of state, hand the CPU to each other many times, and
 * check that their values are still there: the data segment selectors
 * (DS, ES, FS, GS), the FS and GS bases, the flags a program may set (DF,
 * AC), the x87 control word and stack, MXCSR and all sixteen XMM
 * registers.  And a new thread or process starts with null selectors, not
 * with whatever the thread before it left (the bug: the kernel never saved
 * DS/ES/FS/GS, so one process's selectors showed up in the next).
 */
#include <stdio.h>
#include "kernel/abi/syscalls.h"
#include "kernel/arch/x86_64/gdt.h"
#include "tests/user/util.h"

#define ROUNDS          50
#define USER_DATA_SEL   (GDT_USER_DS | RPL_USER)    /* the one non-null selector ring 3 may load */
#define NULL_SEL        0
#define NSEGS           4                           /* DS, ES, FS, GS */
#define RFLAGS_DF       (1ul << 10)
#define RFLAGS_AC       (1ul << 18)
#define RED_ZONE        128                         /* user code has one: pushfq must skip it */
#define NXMM            16
#define X87_CW_DEFAULT  0x037f
#define X87_CW_OTHER    0x0c7f                      /* round toward zero, 24-bit precision */
#define MXCSR_DEFAULT   0x1f80
#define MXCSR_OTHER     0x7f80                      /* round toward zero, flush to zero */

/* ---- selectors and bases ------------------------------------------------ */

static void load_selectors(unsigned long sel)
{
    __asm__ volatile("mov %0, %%ds; mov %0, %%es; mov %0, %%fs; mov %0, %%gs" : : "r"(sel) : "memory");
}

/* The four selectors packed one per 16 bits: DS, ES, FS, GS from the bottom. */
static unsigned long read_selectors(void)
{
    unsigned long ds, es, fs, gs;

    __asm__ volatile("mov %%ds, %0; mov %%es, %1; mov %%fs, %2; mov %%gs, %3"
                     : "=r"(ds), "=r"(es), "=r"(fs), "=r"(gs));
    return (ds & 0xffff) | (es & 0xffff) << 16 | (fs & 0xffff) << 32 | (gs & 0xffff) << 48;
}

static unsigned long packed(unsigned long sel)
{
    return sel | sel << 16 | sel << 32 | sel << 48;
}

static volatile unsigned long probe = 0x5eed5eed5eedull;

/* Whether FS and GS still have base 0: %fs:X and %gs:X must read X itself. */
static int bases_are_zero(void)
{
    unsigned long via_fs, via_gs;

    __asm__ volatile("mov %%fs:(%2), %0; mov %%gs:(%2), %1"
                     : "=&r"(via_fs), "=&r"(via_gs) : "r"(&probe) : "memory");
    return via_fs == probe && via_gs == probe;
}

/* Loads |sel| everywhere, hands the CPU over |rounds| times; returns how often it came back changed. */
static int keep_selectors(unsigned long sel, int rounds)
{
    int changed = 0;

    for (int i = 0; i < rounds; i++) {
        load_selectors(sel);
        thread_yield();
        changed += read_selectors() != packed(sel) || !bases_are_zero();
    }
    load_selectors(NULL_SEL);
    return changed;
}

static volatile int changed_in_thread;

static void keep_user_data_selectors(void *arg)
{
    (void)arg;
    changed_in_thread = keep_selectors(USER_DATA_SEL, ROUNDS);
}

TEST(selectors_stay_with_their_thread)
{
    changed_in_thread = -1;
    handle_t t = thread_start(keep_user_data_selectors, NULL, 0);
    ASSERT_TRUE(t > 0);
    EXPECT_EQ(keep_selectors(NULL_SEL, ROUNDS), 0);
    EXPECT_EQ(object_wait(t, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(changed_in_thread, 0);
    handle_close(t);
}

/* "--keep-selectors": the other process's half of the case below; exits with the changes seen. */
static int helper_keep_selectors(int argc, char **argv)
{
    (void)argc, (void)argv;
    return keep_selectors(USER_DATA_SEL, ROUNDS);
}

TEST(selectors_stay_with_their_process)
{
    struct process_status st;
    handle_t child = spawn_self("--keep-selectors", NULL);

    ASSERT_TRUE(child > 0);
    EXPECT_EQ(keep_selectors(NULL_SEL, ROUNDS), 0);
    EXPECT_EQ(reap(child, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, 0);
}

static volatile unsigned long selectors_at_start;

static void record_selectors(void *arg)
{
    (void)arg;
    selectors_at_start = read_selectors();
}

TEST(a_new_thread_starts_with_null_selectors)
{
    selectors_at_start = 1;
    load_selectors(USER_DATA_SEL);
    handle_t t = thread_start(record_selectors, NULL, 0);
    ASSERT_TRUE(t > 0);
    EXPECT_EQ(object_wait(t, CHILD_TIMEOUT_NS), 0);
    unsigned long mine = read_selectors();
    load_selectors(NULL_SEL);
    EXPECT_EQ(selectors_at_start, packed(NULL_SEL));
    EXPECT_EQ(mine, packed(USER_DATA_SEL));
    handle_close(t);
}

/* "--report-selectors": exits with 0 if it started with null selectors, 1 otherwise. */
static int helper_report_selectors(int argc, char **argv)
{
    (void)argc, (void)argv;
    return read_selectors() != packed(NULL_SEL);
}

TEST(a_new_process_starts_with_null_selectors)
{
    struct process_status st;

    load_selectors(USER_DATA_SEL);
    handle_t child = spawn_self("--report-selectors", NULL);
    long r = child > 0 ? reap(child, &st) : child;
    load_selectors(NULL_SEL);
    ASSERT_EQ(r, 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, 0);
}

/* ---- flags -------------------------------------------------------------- */

/* Sets |set| in RFLAGS, yields by a raw SYSCALL, and returns RFLAGS as it came back (then clears DF, AC). */
static unsigned long yield_with_flags(unsigned long set)
{
    unsigned long out;

    __asm__ volatile("lea -%c[rz](%%rsp), %%rsp\n\t"
                     "pushfq\n\t"
                     "orq %[set], (%%rsp)\n\t"
                     "popfq\n\t"
                     "mov %[nr], %%eax\n\t"
                     "syscall\n\t"
                     "pushfq\n\t"
                     "popq %[out]\n\t"
                     "pushfq\n\t"
                     "andq %[clear], (%%rsp)\n\t"
                     "popfq\n\t"
                     "lea %c[rz](%%rsp), %%rsp"
                     : [out] "=&r"(out)
                     : [set] "r"(set), [nr] "i"(SYS_thread_yield), [rz] "i"(RED_ZONE),
                       [clear] "r"(~(RFLAGS_DF | RFLAGS_AC))
                     : "rax", "rcx", "r11", "rdi", "rsi", "rdx", "r10", "r8", "r9", "memory", "cc");
    return out;
}

static int keep_flags(unsigned long set, int rounds)
{
    int changed = 0;

    for (int i = 0; i < rounds; i++)
        changed += (yield_with_flags(set) & (RFLAGS_DF | RFLAGS_AC)) != set;
    return changed;
}

static void keep_flags_set(void *arg)
{
    (void)arg;
    changed_in_thread = keep_flags(RFLAGS_DF | RFLAGS_AC, ROUNDS);
}

TEST(flags_stay_with_their_thread)
{
    changed_in_thread = -1;
    handle_t t = thread_start(keep_flags_set, NULL, 0);
    ASSERT_TRUE(t > 0);
    EXPECT_EQ(keep_flags(0, ROUNDS), 0);
    EXPECT_EQ(object_wait(t, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(changed_in_thread, 0);
    handle_close(t);
}

/* ---- x87 and SSE -------------------------------------------------------- */

struct fp_state {
    unsigned char xmm[NXMM][16];
    double st0;
    unsigned short cw;
    unsigned int mxcsr;
};

/* Loads |in| (XMM0-15, x87 control word, MXCSR, one x87 stack value), yields, stores it all to |out|. */
static void yield_with_fp(const struct fp_state *in, struct fp_state *out)
{
    __asm__ volatile(
        "fldcw %c[cw](%0)\n\t"
        "ldmxcsr %c[mx](%0)\n\t"
        "fldl %c[st](%0)\n\t"
        "movdqu 0(%0), %%xmm0\n\t   movdqu 16(%0), %%xmm1\n\t  movdqu 32(%0), %%xmm2\n\t"
        "movdqu 48(%0), %%xmm3\n\t  movdqu 64(%0), %%xmm4\n\t  movdqu 80(%0), %%xmm5\n\t"
        "movdqu 96(%0), %%xmm6\n\t  movdqu 112(%0), %%xmm7\n\t movdqu 128(%0), %%xmm8\n\t"
        "movdqu 144(%0), %%xmm9\n\t movdqu 160(%0), %%xmm10\n\t movdqu 176(%0), %%xmm11\n\t"
        "movdqu 192(%0), %%xmm12\n\t movdqu 208(%0), %%xmm13\n\t movdqu 224(%0), %%xmm14\n\t"
        "movdqu 240(%0), %%xmm15\n\t"
        "mov %[nr], %%eax\n\t"
        "syscall\n\t"
        "movdqu %%xmm0, 0(%1)\n\t   movdqu %%xmm1, 16(%1)\n\t  movdqu %%xmm2, 32(%1)\n\t"
        "movdqu %%xmm3, 48(%1)\n\t  movdqu %%xmm4, 64(%1)\n\t  movdqu %%xmm5, 80(%1)\n\t"
        "movdqu %%xmm6, 96(%1)\n\t  movdqu %%xmm7, 112(%1)\n\t movdqu %%xmm8, 128(%1)\n\t"
        "movdqu %%xmm9, 144(%1)\n\t movdqu %%xmm10, 160(%1)\n\t movdqu %%xmm11, 176(%1)\n\t"
        "movdqu %%xmm12, 192(%1)\n\t movdqu %%xmm13, 208(%1)\n\t movdqu %%xmm14, 224(%1)\n\t"
        "movdqu %%xmm15, 240(%1)\n\t"
        "fstpl %c[st](%1)\n\t"
        "fnstcw %c[cw](%1)\n\t"
        "stmxcsr %c[mx](%1)\n\t"
        "fldcw %c[cw](%2)\n\t"
        "ldmxcsr %c[mx](%2)"
        : : "r"(in), "r"(out), "r"(&(const struct fp_state){ .cw = X87_CW_DEFAULT, .mxcsr = MXCSR_DEFAULT }),
            [nr] "i"(SYS_thread_yield), [cw] "i"(__builtin_offsetof(struct fp_state, cw)),
            [mx] "i"(__builtin_offsetof(struct fp_state, mxcsr)),
            [st] "i"(__builtin_offsetof(struct fp_state, st0))
        : "rax", "rcx", "r11", "rdx", "r8", "r9", "r10", "memory", "cc",
          "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
          "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
}

static void fill_fp(struct fp_state *s, unsigned char seed, unsigned short cw, unsigned int mxcsr)
{
    for (int r = 0; r < NXMM; r++)
        for (int b = 0; b < 16; b++)
            s->xmm[r][b] = (unsigned char)(seed + r * 16 + b);
    s->st0 = seed * 1.5;
    s->cw = cw;
    s->mxcsr = mxcsr;
}

static int keep_fp(unsigned char seed, unsigned short cw, unsigned int mxcsr, int rounds)
{
    static struct fp_state in[2], out[2];     /* one per thread: seed 0 or not */
    int me = seed != 0, changed = 0;

    fill_fp(&in[me], seed, cw, mxcsr);
    for (int i = 0; i < rounds; i++) {
        yield_with_fp(&in[me], &out[me]);
        changed += memcmp(in[me].xmm, out[me].xmm, sizeof in[me].xmm) != 0 ||
                   in[me].st0 != out[me].st0 || in[me].cw != out[me].cw ||
                   in[me].mxcsr != out[me].mxcsr;
    }
    return changed;
}

static void keep_other_fp(void *arg)
{
    (void)arg;
    changed_in_thread = keep_fp(0xa5, X87_CW_OTHER, MXCSR_OTHER, ROUNDS);
}

TEST(x87_and_sse_state_stays_with_its_thread)
{
    changed_in_thread = -1;
    handle_t t = thread_start(keep_other_fp, NULL, 0);
    ASSERT_TRUE(t > 0);
    EXPECT_EQ(keep_fp(0, X87_CW_DEFAULT, MXCSR_DEFAULT, ROUNDS), 0);
    EXPECT_EQ(object_wait(t, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(changed_in_thread, 0);
    handle_close(t);
}

static const struct helper_mode helpers[] = {
    { "--keep-selectors", helper_keep_selectors },
    { "--report-selectors", helper_report_selectors },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}
