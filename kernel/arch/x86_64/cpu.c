/*
 * cpu.c: per-CPU state and the CPU features the kernel turns on.
 *
 *  - SMEP, SMAP and UMIP when CPUID reports them: the kernel cannot execute
 *    user pages, touches user memory only inside usercopy (with RFLAGS.AC
 *    set), and ring 3 cannot read the descriptor tables.
 *  - SSE for ring 3, with the FPU state saved per thread (fpu_save/restore).
 *  - SYSCALL/SYSRET: the entry point, the segments and the flag mask.
 *  - GS: in the kernel, GS.base points at struct cpu_local; SWAPGS on every
 *    entry from and exit to ring 3 exchanges it with the user's value.
 *  - DS, ES, FS, GS selectors: saved and loaded at every thread switch
 *    (user_segments_switch), since no entry or exit path touches them.
 */
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/cpu_local.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/string.h"

#define CPUID7_EBX_SMEP     (1u << 7)
#define CPUID7_EBX_SMAP     (1u << 20)
#define CPUID7_ECX_UMIP     (1u << 2)
#define CR0_MP              (1u << 1)
#define CR0_EM              (1u << 2)
#define CR0_TS              (1u << 3)
#define CR4_OSFXSR          (1u << 9)
#define CR4_OSXMMEXCPT      (1u << 10)
#define RFLAGS_TF           (1u << 8)
#define RFLAGS_IF           (1u << 9)
#define RFLAGS_DF           (1u << 10)
#define RFLAGS_NT           (1u << 14)
#define RFLAGS_AC           (1u << 18)
#define MXCSR_DEFAULT       0x1f80      /* all SSE exceptions masked */

struct cpu_local cpu_local;

#define CPU_LOCAL_AT(field, offset) \
    _Static_assert(__builtin_offsetof(struct cpu_local, field) == (offset), #field " moved")
CPU_LOCAL_AT(kernel_rsp, CPU_LOCAL_KERNEL_RSP);
CPU_LOCAL_AT(user_rsp, CPU_LOCAL_USER_RSP);
CPU_LOCAL_AT(return_work, CPU_LOCAL_RETURN_WORK);
CPU_LOCAL_AT(stretch_cause, CPU_LOCAL_STRETCH_CAUSE);
CPU_LOCAL_AT(stretch_start, CPU_LOCAL_STRETCH_START);
CPU_LOCAL_AT(stretch_recent_max, CPU_LOCAL_STRETCH_RECENT_MAX);
/* The FPU state a new thread starts with: after fninit, with the default MXCSR. */
uint8_t fpu_initial_state[FPU_STATE_SIZE] __attribute__((aligned(16)));

extern char syscall_entry[];

static uint64_t read_cr0(void) { uint64_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static void write_cr0(uint64_t v) { __asm__ volatile("mov %0, %%cr0" : : "r"(v)); }

/* SMEP, SMAP and UMIP where CPUID has them; returns the new CR4. */
static uint64_t enable_protections(void)
{
    uint32_t r[4];
    uint64_t cr4 = read_cr4();

    cpuid(7, 0, r);
    if (r[1] & CPUID7_EBX_SMEP)
        cr4 |= CR4_SMEP;
    if (r[1] & CPUID7_EBX_SMAP)
        cr4 |= CR4_SMAP;
    if (r[2] & CPUID7_ECX_UMIP)
        cr4 |= CR4_UMIP;
    write_cr4(cr4);
    return cr4;
}

static void enable_fpu(void)
{
    uint32_t mxcsr = MXCSR_DEFAULT;

    write_cr0((read_cr0() & ~(uint64_t)(CR0_EM | CR0_TS)) | CR0_MP);
    write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
    __asm__ volatile("fninit; ldmxcsr %0" : : "m"(mxcsr));
}

static void enable_syscall(void)
{
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    /* SYSCALL: CS = 0x08, SS = 0x10.  SYSRET: SS = 0x18 + 8, CS = 0x18 + 16, RPL 3. */
    wrmsr(MSR_STAR, ((uint64_t)(GDT_USER32_CS | RPL_USER) << 48) | ((uint64_t)GDT_KERNEL_CS << 32));
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    /* Interrupts off in the kernel; no single-step, string direction or alignment tricks from user mode. */
    wrmsr(MSR_SFMASK, RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_AC | RFLAGS_NT);
}

void user_segments_switch(struct user_segments *save, const struct user_segments *load)
{
    uint16_t ds, es, fs, gs;

    __asm__ volatile("mov %%ds, %0; mov %%es, %1; mov %%fs, %2; mov %%gs, %3"
                     : "=r"(ds), "=r"(es), "=r"(fs), "=r"(gs));
    *save = (struct user_segments){ ds, es, fs, gs };
    if (__builtin_memcmp(save, load, sizeof *save) == 0)
        return;                         /* the usual case: both use none (all four null) */
    /* Loading a segment register is slow on real CPUs: only the ones that differ. */
    if (ds != load->ds)
        __asm__ volatile("mov %0, %%ds" : : "r"(load->ds));
    if (es != load->es)
        __asm__ volatile("mov %0, %%es" : : "r"(load->es));
    if (fs != load->fs)
        __asm__ volatile("mov %0, %%fs" : : "r"(load->fs));     /* base 0: the user's, always */
    /* Loading GS sets the active GS base: do it on the user's side, keeping cpu_local's. */
    if (gs != load->gs)
        __asm__ volatile("swapgs; mov %0, %%gs; swapgs" : : "r"(load->gs) : "memory");
}

/* What every CPU turns on, the boot CPU and the others alike; |c| becomes its GS base. */
static uint64_t cpu_setup(struct cpu_local *c)
{
    uint64_t cr4 = enable_protections();

    enable_fpu();
    enable_syscall();
    c->self = c;
    wrmsr(MSR_GS_BASE, (uint64_t)c);
    wrmsr(MSR_KERNEL_GS_BASE, 0);   /* ring 3's GS base until it says otherwise */
    return cr4;
}

/*
 * The boot CPU's GS base, first thing in kernel_main: spinlocks reach their
 * CPU's data through GS (cpu_this), and kprintf takes one from its first line.
 */
void cpu_init_early(void)
{
    cpu_local.self = &cpu_local;
    wrmsr(MSR_GS_BASE, (uint64_t)&cpu_local);
}

void cpu_init(void)
{
    uint64_t cr4 = cpu_setup(&cpu_local);

    kprintf("cpu: SMEP %s, SMAP %s, UMIP %s\n", cr4 & CR4_SMEP ? "on" : "absent",
            cr4 & CR4_SMAP ? "on" : "absent", cr4 & CR4_UMIP ? "on" : "absent");
    fpu_save(fpu_initial_state);
    cpu_local.online = 1;
    kprintf("cpu: SSE on, SYSCALL gate at %p\n", (void *)syscall_entry);
}

void cpu_init_ap(struct cpu_local *c)
{
    write_cr4(read_cr4() | CR4_PGE);    /* the boot CPU set it in paging_init */
    cpu_setup(c);
}
