/*
 * faults: every fault a ring-3 program can make ends only that process,
 * and its parent sees a status naming it (TESTING.md, "Faults that must end
 * only the faulting process"): state PROCESS_FAULTED, the CPU vector, and
 * for page faults the address and whether it was a read, write or fetch.
 *
 * The faults /bin/crash knows (the shell's teaching tool) are run through
 * it; the others through this program's own helper modes: "--fault KIND"
 * and "--int N" (the two-byte `int $N`, CD ib, built at run time in an
 * executable page).  The runner's leak check covers every case, and
 * repeated_faults_leave_nothing makes one fault the thousand times TESTING.md
 * asks for (about a second under TCG: spawning a small program is cheap).
 */
#include <stdio.h>
#include <stdlib.h>
#include "tests/user/util.h"

#define CRASH_PATH          "/bin/crash"
#define CRASH_USAGE_EXIT    2
#define REPEAT_COUNT        1000

/* Far from anything mapped: mem_map hands out addresses upward from USER_MMAP_BASE. */
#define FAULT_PAGE          (USER_STACK_TOP / 2)

#define OPCODE_RET          0xc3
/*
 * `int $N` through a DPL 0 gate: #GP whose error code names the IDT entry:
 * N << 3 | 2 on hardware; QEMU's TCG reports the byte offset, N << 4 | 2.
 */
#define GP_ERROR_IDT        0x2
#define GP_ERROR_INDEX_SHIFT 3
#define GP_ERROR_QEMU_SHIFT 4
#define PORT_POST           0x80            /* the POST diagnostic port: harmless, if it were allowed */
#define MSR_TSC             0x10
#define PF_KIND_BITS        (FAULT_PF_PRESENT | FAULT_PF_WRITE | FAULT_PF_FETCH)

/* ---- the child side: one fault per kind --------------------------------- */

typedef void (*code_fn)(void);

static void fault_cli(void)      { __asm__ volatile("cli"); }
static void fault_in(void)       { __asm__ volatile("inb %0, %%al" : : "i"(PORT_POST) : "rax"); }
static void fault_out(void)      { __asm__ volatile("outb %%al, %0" : : "i"(PORT_POST)); }
static void fault_wrmsr(void)    { __asm__ volatile("wrmsr" : : "c"(MSR_TSC), "a"(0), "d"(0)); }
static void fault_mov_cr3(void)  { __asm__ volatile("mov %0, %%cr3" : : "r"(0UL)); }
static void read_at(uint64_t a)  { (void)*(volatile long *)a; }
static void write_at(uint64_t a) { *(volatile long *)a = 1; }
static void fault_noncanon_read(void)  { read_at(NONCANONICAL_ADDR); }
static void fault_noncanon_write(void) { write_at(NONCANONICAL_ADDR); }
static void fault_null_write(void)     { write_at(0); }
static void fault_kernel_write(void)   { write_at(KERNEL_IMAGE_ADDR); }
static void fault_kernel_heap(void)    { read_at(KERNEL_HEAP_ADDR); }
static void fault_unmapped_read(void)  { read_at(FAULT_PAGE); }
static void fault_unmapped_write(void) { write_at(FAULT_PAGE); }
static void fault_unmapped_exec(void)  { ((code_fn)FAULT_PAGE)(); }

static void fault_readonly_write(void)
{
    mem_map((void *)FAULT_PAGE, PAGE_SIZE, MEM_READ);
    write_at(FAULT_PAGE);
}

/* A `ret` in a page mapped without MEM_EXEC: the call faults before running it. */
static void fault_nx_exec(void)
{
    mem_map((void *)FAULT_PAGE, PAGE_SIZE, MEM_WRITE);
    *(volatile unsigned char *)FAULT_PAGE = OPCODE_RET;
    ((code_fn)FAULT_PAGE)();
}

static void null_read_thread(void *arg) { (void)arg; read_at(0); }
/* A second thread faults while the first sleeps: the whole process ends. */
static void fault_in_thread(void)
{
    thread_start(null_read_thread, NULL, 0);
    for (;;)
        thread_sleep(NS_PER_SEC);
}

static const struct {
    const char *kind;
    code_fn cause;
} faults[] = {
    { "cli", fault_cli },
    { "in", fault_in },
    { "out", fault_out },
    { "wrmsr", fault_wrmsr },
    { "mov-cr3", fault_mov_cr3 },
    { "noncanonical-read", fault_noncanon_read },
    { "noncanonical-write", fault_noncanon_write },
    { "null-write", fault_null_write },
    { "kernel-write", fault_kernel_write },
    { "kernel-heap-read", fault_kernel_heap },
    { "unmapped-read", fault_unmapped_read },
    { "unmapped-write", fault_unmapped_write },
    { "unmapped-exec", fault_unmapped_exec },
    { "readonly-write", fault_readonly_write },
    { "nx-exec", fault_nx_exec },
    { "thread", fault_in_thread },
};

/* "--fault KIND": makes that fault; exits 1 if it survived it. */
static int helper_fault(int argc, char **argv)
{
    for (size_t i = 0; argc > 0 && i < ARRAY_LEN(faults); i++)
        if (strcmp(argv[0], faults[i].kind) == 0)
            faults[i].cause();
    return 1;
}

/*
 * `int $N; ud2` for every N, 4 bytes each, in our own text: mem_map gives no
 * page that is both writable and executable to write them into at run time.
 */
#define INT_STUB_SIZE       4
extern const unsigned char int_stubs[];
__asm__(".pushsection .text\n"
        "int_stubs:\n"
        ".set vector, 0\n"
        ".rept 256\n"
        ".byte 0xcd, vector, 0x0f, 0x0b\n"
        ".set vector, vector + 1\n"
        ".endr\n"
        ".popsection");

/* "--int N": runs `int $N` (then ud2, in case it returns). */
static int helper_int(int argc, char **argv)
{
    int n = argc > 0 ? atoi(argv[0]) : -1;

    if (n < 0 || n > 255)
        return 1;
    ((code_fn)(int_stubs + n * INT_STUB_SIZE))();
    return 1;
}

static const struct helper_mode helpers[] = {
    { "--fault", helper_fault },
    { "--int", helper_int },
    { "--exit", helper_exit },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* ---- the parent side ----------------------------------------------------- */

/* The status of a child that ran "--fault KIND". */
static struct process_status fault_status(const char *kind)
{
    struct process_status st;

    ASSERT_EQ(run_self("--fault", kind, &st), 0);
    return st;
}

/* The status of `crash KIND`. */
static struct process_status crash_status(const char *kind)
{
    const char *argv[] = { CRASH_PATH, kind, NULL };
    struct process_status st;

    ASSERT_EQ(run_child(CRASH_PATH, argv, &st), 0);
    return st;
}

static void expect_fault(struct process_status st, uint64_t vector)
{
    EXPECT_EQ(st.state, PROCESS_FAULTED);
    EXPECT_EQ(st.fault_vector, vector);
    EXPECT_TRUE(st.fault_rip >= USER_BASE && st.fault_rip < USER_TOP);
}

/* A general protection fault with error code 0 (not about a selector). */
static void expect_gp(struct process_status st)
{
    expect_fault(st, VEC_GP);
    EXPECT_EQ(st.fault_error, 0);
}

/*
 * A page fault from ring 3 at |addr| (ADDR_ANY: anywhere) whose error code
 * has exactly the |bits| among those of |mask| (PF_KIND_BITS, or less when
 * one bit may go either way).
 */
#define ADDR_ANY    UINT64_MAX
static void expect_page_fault_masked(struct process_status st, uint64_t addr, uint64_t bits,
                                     uint64_t mask)
{
    EXPECT_EQ(st.state, PROCESS_FAULTED);
    EXPECT_EQ(st.fault_vector, VEC_PAGE_FAULT);
    if (addr != ADDR_ANY)
        EXPECT_EQ(st.fault_addr, addr);
    EXPECT_EQ(st.fault_error & mask, bits);
    EXPECT_TRUE(st.fault_error & FAULT_PF_USER);
}

static void expect_page_fault(struct process_status st, uint64_t addr, uint64_t bits)
{
    expect_page_fault_masked(st, addr, bits, PF_KIND_BITS);
}

/* The kernel image's first page is not mapped at all: present or not, it is a read or a write. */
#define PF_ACCESS_BITS      (FAULT_PF_WRITE | FAULT_PF_FETCH)

/* Through /bin/crash, as a student would run it. */

TEST(crash_null_is_read_fault_at_0)
{
    expect_page_fault(crash_status("null"), 0, 0);
}

TEST(crash_write_ro_is_write_protection_fault)
{
    struct process_status st = crash_status("write-ro");

    expect_page_fault(st, ADDR_ANY, FAULT_PF_PRESENT | FAULT_PF_WRITE);
    EXPECT_TRUE(st.fault_addr >= USER_BASE && st.fault_addr < USER_MMAP_BASE);
}

TEST(crash_exec_nx_is_fetch_fault_at_rip)
{
    struct process_status st = crash_status("exec-nx");

    expect_page_fault(st, st.fault_rip, FAULT_PF_PRESENT | FAULT_PF_FETCH);
}

TEST(crash_divide_is_divide_error)
{
    expect_fault(crash_status("divide"), VEC_DIVIDE);
}

TEST(crash_ud2_is_invalid_opcode)
{
    expect_fault(crash_status("ud2"), VEC_INVALID_OPCODE);
}

TEST(crash_int3_is_breakpoint)
{
    expect_fault(crash_status("int3"), VEC_BREAKPOINT);
}

TEST(crash_gp_hlt_is_general_protection)
{
    expect_gp(crash_status("gp"));
}

TEST(crash_stack_overflow_faults_below_stack)
{
    struct process_status st = crash_status("stack");
    uint64_t bottom = USER_STACK_TOP - USER_STACK_SIZE;

    expect_page_fault(st, ADDR_ANY, FAULT_PF_WRITE);
    EXPECT_TRUE(st.fault_addr < bottom && st.fault_addr >= bottom - PAGE_SIZE);
}

TEST(crash_kernel_read_is_read_fault)
{
    expect_page_fault_masked(crash_status("kernel"), KERNEL_IMAGE_ADDR, 0, PF_ACCESS_BITS);
}

TEST(crash_without_kind_exits_with_usage)
{
    const char *argv[] = { CRASH_PATH, "no-such-kind", NULL };
    struct process_status st;

    ASSERT_EQ(run_child(CRASH_PATH, argv, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, CRASH_USAGE_EXIT);
}

/* Privileged instructions: general protection. */

TEST(cli_is_general_protection)     { expect_gp(fault_status("cli")); }
TEST(in_is_general_protection)      { expect_gp(fault_status("in")); }
TEST(out_is_general_protection)     { expect_gp(fault_status("out")); }
TEST(wrmsr_is_general_protection)   { expect_gp(fault_status("wrmsr")); }
TEST(mov_cr3_is_general_protection) { expect_gp(fault_status("mov-cr3")); }

/* Non-canonical addresses: general protection, not a page fault. */

TEST(noncanonical_read_is_general_protection)  { expect_gp(fault_status("noncanonical-read")); }
TEST(noncanonical_write_is_general_protection) { expect_gp(fault_status("noncanonical-write")); }

/* Page faults: the address and the kind of access. */

TEST(null_write_is_write_fault_at_0)
{
    expect_page_fault(fault_status("null-write"), 0, FAULT_PF_WRITE);
}

TEST(kernel_image_write_is_write_fault)
{
    expect_page_fault_masked(fault_status("kernel-write"), KERNEL_IMAGE_ADDR, FAULT_PF_WRITE,
                             PF_ACCESS_BITS);
}

/* The direct map is mapped (supervisor only): a protection fault, not "not present". */
TEST(kernel_heap_read_is_protection_fault)
{
    expect_page_fault(fault_status("kernel-heap-read"), KERNEL_HEAP_ADDR, FAULT_PF_PRESENT);
}

TEST(unmapped_read_is_not_present_read_fault)
{
    expect_page_fault(fault_status("unmapped-read"), FAULT_PAGE, 0);
}

TEST(unmapped_write_is_not_present_write_fault)
{
    expect_page_fault(fault_status("unmapped-write"), FAULT_PAGE, FAULT_PF_WRITE);
}

TEST(unmapped_exec_is_not_present_fetch_fault)
{
    struct process_status st = fault_status("unmapped-exec");

    expect_page_fault(st, FAULT_PAGE, FAULT_PF_FETCH);
    EXPECT_EQ(st.fault_rip, FAULT_PAGE);
}

TEST(readonly_page_write_is_protection_fault)
{
    expect_page_fault(fault_status("readonly-write"), FAULT_PAGE, FAULT_PF_PRESENT | FAULT_PF_WRITE);
}

TEST(nx_page_exec_is_protection_fetch_fault)
{
    struct process_status st = fault_status("nx-exec");

    expect_page_fault(st, FAULT_PAGE, FAULT_PF_PRESENT | FAULT_PF_FETCH);
    EXPECT_EQ(st.fault_rip, FAULT_PAGE);
}

TEST(fault_in_second_thread_ends_whole_process)
{
    expect_page_fault(fault_status("thread"), 0, 0);
}

/* `int $N` from ring 3: every gate but the breakpoint's is DPL 0, so #GP naming the vector. */

static void expect_int_vectors(int first, int last)
{
    char n[8], desc[64];

    for (int v = first; v <= last; v++) {
        struct process_status st;
        snprintf(n, sizeof n, "%d", v);
        ASSERT_EQ(run_self("--int", n, &st), 0);
        snprintf(desc, sizeof desc, "int $%d: state", v);
        EXPECT_EQ_AT(desc, st.state, PROCESS_FAULTED);
        snprintf(desc, sizeof desc, "int $%d: fault_vector", v);
        EXPECT_EQ_AT(desc, st.fault_vector, v == VEC_BREAKPOINT ? VEC_BREAKPOINT : VEC_GP);
        snprintf(desc, sizeof desc, "int $%d: fault_error names the IDT vector", v);
        if (v != VEC_BREAKPOINT)
            EXPECT_TRUE_AT(desc, st.fault_error == (((uint64_t)v << GP_ERROR_INDEX_SHIFT) | GP_ERROR_IDT) ||
                                 st.fault_error == (((uint64_t)v << GP_ERROR_QEMU_SHIFT) | GP_ERROR_IDT));
    }
}

TEST(int_exception_vectors_0_to_31)   { expect_int_vectors(0, VEC_IRQ_BASE - 1); }
TEST(int_irq_vectors_32_to_47)        { expect_int_vectors(VEC_IRQ_BASE, VEC_IRQ_BASE + IRQ_COUNT - 1); }
TEST(int_other_vectors_48_to_255)     { expect_int_vectors(VEC_IRQ_BASE + IRQ_COUNT, VEC_COUNT - 1); }

/* The same fault over and over: the counts return to where they were each time. */
TEST(repeated_faults_leave_nothing)
{
    static struct system_stats before, after;
    struct process_status st;

    ASSERT_EQ(run_self("--fault", "unmapped-write", &st), 0);     /* warm-up: one-time growth */
    system_stats(&before, sizeof before);
    for (int i = 0; i < REPEAT_COUNT; i++) {
        ASSERT_EQ(run_self("--fault", "unmapped-write", &st), 0);
        ASSERT_EQ(st.state, PROCESS_FAULTED);
    }
    system_stats(&after, sizeof after);
    EXPECT_TRUE(same_live_counts(&before, &after));
    EXPECT_EQ(after.free_frames, before.free_frames);
}
