/*
 * fault_report.c: what a student reads when something faults.
 *
 * A kernel fault or panic prints who was running (process, thread), the
 * system call it was serving with its arguments decoded as the tracer
 * decodes them (syscall/trace.c), the registers, the kernel frames and then
 * the frames of the program that made the call.  A ring-3 fault prints one
 * line naming the program, the fault and where, then the same details:
 *
 *   hello: page fault writing 0x0 in {{pc hello 0x400017}}
 *
 * A user address is printed in that markup, {{pc PROGRAM ADDRESS}}: the
 * kernel has no symbols for programs (they are stripped in the boot
 * filesystem), so the host's scripts/symbolize.py, which reads every serial
 * log of make run and make test, replaces it with "main at user/hello.c:7",
 * or with the bare address when no symbol covers it.  Kernel frames carry
 * their function+offset from the kernel's own table; the host appends
 * file:line to those too.
 *
 * First the other CPUs are stopped (cpu_stop.c: an NMI each), so nothing
 * changes under the report; it ends with one line per CPU, the thread each
 * was running and where it stopped:
 *
 *   cpu 1 (APIC id 1): no thread, stopped at 0xffffffff80104c73 ap_main+0x73
 *
 * Reading the context must not fault again: user memory is read through
 * copy_from_user, pointers are checked before they are followed, and a
 * fault while a report is being printed stops the machine at once.
 *
 * A report names things of every floor (a process, a thread, a system call),
 * so it lives on the top floor with the tracer whose decoding it shares; the
 * floors below reach it through the hooks fault_report_init fills: panic's
 * (kernel/lib/panic.c) and the trap path's (kernel/arch/x86_64/trap.c).
 */
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/cpu_stop.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/arch/x86_64/qemu.h"
#include "kernel/arch/x86_64/smp.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/drv/ioport.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/ksyms.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/string.h"
#include "kernel/proc/process.h"
#include "kernel/syscall/fault_report.h"
#include "kernel/syscall/syscall.h"

#define USER_FRAMES_MAX     16
#define USER_TEXT_START     0x400000        /* where every program is linked (user/user.ld) */
#define SYSCALL_TEXT_MAX    320

static int reporting;               /* a report is being printed: a fault now is a fault in it */

static int kernel_pointer(const void *p)
{
    return (uint64_t)p >= DIRECT_MAP_BASE;
}

/* The running thread's process if its pointers look sane, else NULL. */
static struct process *sane_process(const struct thread *t)
{
    if (!kernel_pointer(t) || !kernel_pointer(t->process))
        return NULL;
    return t->process;
}

/* The frame ring 3 entered the kernel with (syscall, interrupt or fault), or NULL. */
static const struct trap_frame *user_frame(const struct thread *t)
{
    if (!sane_process(t) || !kernel_pointer((void *)t->kstack_top))
        return NULL;
    const struct trap_frame *f = (const struct trap_frame *)(t->kstack_top - sizeof *f);
    return f->cs == (GDT_USER_CS | RPL_USER) ? f : NULL;
}

static void note_dispatch(int n, uint64_t addr, void *ctx)
{
    uint64_t off;
    const char *name = ksym_lookup(addr, &off);

    (void)n;
    if (name && (strcmp(name, "syscall_dispatch") == 0 || strcmp(name, "syscall_entry") == 0))
        *(int *)ctx = 1;
}

/* Whether the chain from |rip|/|rbp| passes through the gate: a system call is in progress. */
static int in_syscall(uint64_t rip, uint64_t rsp, uint64_t rbp)
{
    int found = 0;

    backtrace_walk(rip, rsp, rbp, note_dispatch, &found);
    return found;
}

/* Whether the instruction just before |ret| in user memory is a call, direct or indirect. */
static int after_call(uint64_t ret)
{
    uint8_t b[CALL_INSN_MAX];

    if (ret < USER_TEXT_START + CALL_INSN_MAX || ret >= USER_TOP ||
        copy_from_user(b, user_ptr_of(ret - CALL_INSN_MAX), CALL_INSN_MAX) < 0)
        return 0;
    return call_ends_here(b);
}

/*
 * The caller of a leaf function that keeps no frame (GCC leaves them without
 * one even with -fno-omit-frame-pointer), or of any function stopped before
 * it pushed rbp: then the word at |rsp| is a return address the rbp chain
 * skips.  Returns it, or 0 when the top of the stack does not look like one.
 */
static uint64_t frameless_caller(uint64_t rsp, uint64_t rbp)
{
    uint64_t top, chain[2] = { 0, 0 };

    if (copy_from_user(&top, user_ptr_of(rsp), sizeof top) < 0 || !after_call(top))
        return 0;
    if (rbp && copy_from_user(chain, user_ptr_of(rbp), sizeof chain) == 0 && chain[1] == top)
        return 0;                       /* the chain has it already */
    return top;
}

/* "  #n {{pc NAME addr}}" for each ring-3 frame, from |rip| along the saved-rbp chain. */
static void user_backtrace(const char *name, uint64_t rip, uint64_t rsp, uint64_t rbp)
{
    uint64_t leaf_caller = frameless_caller(rsp, rbp);
    int n = 1;

    kprintf("  #0 {{pc %s %#lx}}\n", name, rip);
    if (leaf_caller)
        kprintf("  #%d {{pc %s %#lx}}\n", n++, name, leaf_caller - 1);
    for (; n < USER_FRAMES_MAX && rbp && (rbp & 7) == 0; n++) {
        uint64_t frame[2];
        if (copy_from_user(frame, user_ptr_of(rbp), sizeof frame) < 0 || !frame[1] ||
            frame[1] >= USER_TOP)
            break;
        kprintf("  #%d {{pc %s %#lx}}\n", n, name, frame[1] - 1);
        if (frame[0] <= rbp)            /* frames only go up the stack: no loops */
            break;
        rbp = frame[0];
    }
}

/* The process, thread and system call the kernel was busy with; their frames after the kernel's. */
static void print_context(uint64_t rip, uint64_t rsp, uint64_t rbp)
{
    const struct thread *t = cpu_local.current;
    struct process *p = kernel_pointer(t) ? sane_process(t) : NULL;
    const struct trap_frame *uf = p ? user_frame(t) : NULL;
    int syscall = uf && in_syscall(rip, rsp, rbp);
    char call[SYSCALL_TEXT_MAX];

    if (!p) {
        kprintf("  in the kernel's own thread %p (no process)\n", (void *)t);
        backtrace_print(rip, rsp, rbp);
        return;
    }
    kprintf("  process %lu (%s), thread %lu\n", p->pid, p->name, t->tid);
    if (syscall) {
        syscall_describe((const struct syscall_args *)uf, uf->vector, call, sizeof call);
        kprintf("  serving system call %s\n", call);
    }
    uint64_t user_rbp = backtrace_print(rip, rsp, rbp);
    if (uf) {
        kprintf("called from %s:\n", p->name);
        /* a syscall frame has no saved rbp (syscall_entry.S): the chain's end is the user's */
        user_backtrace(p->name, uf->rip, uf->rsp, syscall ? user_rbp : uf->rbp);
    }
}

/* |t| in words: its process and id, the kernel's own thread (idle), or none. */
static void print_thread(const struct thread *t)
{
    struct process *p = kernel_pointer(t) ? sane_process(t) : NULL;

    if (!t)
        kprintf("no thread");
    else if (!p)
        kprintf("the kernel's own thread");
    else
        kprintf("process %lu (%s), thread %lu", p->pid, p->name, t->tid);
}

/* Where CPU |cpu| stopped (cpu_stop.c); a kernel address last on the line, for symbolize.py. */
static void print_stop(int cpu, const struct thread *t)
{
    uint64_t rip, cs, off;
    const char *name;

    if (!smp_cpu(cpu)->online) {
        kprintf(", offline\n");
    } else if (!cpu_stopped_at(cpu, &rip, &cs)) {
        kprintf(", did not stop\n");
    } else if (cs & RPL_USER) {
        const char *prog = kernel_pointer(t) && sane_process(t) ? t->process->name : "?";
        kprintf(", stopped in ring 3 at {{pc %s %#lx}}\n", prog, rip);
    } else if ((name = ksym_lookup(rip, &off)) != NULL) {
        kprintf(", stopped at %p %s+0x%lx\n", (void *)rip, name, off);
    } else {
        kprintf(", stopped at %p\n", (void *)rip);
    }
}

/* One line per CPU: the thread it was running and where it stopped for this report. */
static void print_cpus(void)
{
    kprintf("CPUs:\n");
    for (int i = 0; i < smp_cpu_count(); i++) {
        const struct thread *t = smp_cpu(i)->current;
        kprintf("  cpu %d (APIC id %u): ", i, smp_cpu(i)->apic_id);
        print_thread(t);
        if (i == cpu_stop_reporter())
            kprintf(", this CPU: the report above\n");
        else
            print_stop(i, t);
    }
}

static void enter_report(void)
{
    if (!cpu_stop_others())
        cpu_halt_forever();         /* another CPU reports, and stops this one */
    if (reporting++) {
        kprintf("\n(a fault while printing the report above: stopping)\n");
        qemu_exit(QEMU_EXIT_FAILURE);
    }
}

void fault_report_kernel(const struct trap_frame *f)
{
    enter_report();
    kprintf("\nKERNEL FAULT: %s (vector %lu), error code 0x%lx\n", trap_name(f->vector), f->vector, f->error);
    if (f->vector == VEC_PAGE_FAULT)
        kprintf("  page fault at %p: %s, %s, %s\n", (void *)read_cr2(),
                f->error & PF_WRITE ? "write" : (f->error & PF_FETCH ? "execute" : "read"),
                f->error & PF_PRESENT ? "protection violation" : "page not present",
                f->error & PF_USER ? "user mode" : "kernel mode");
    trap_dump(f);
    print_context(f->rip, f->rsp, f->rbp);
    print_cpus();
    qemu_exit(QEMU_EXIT_FAILURE);
}

void fault_report_panic(uint64_t rip, uint64_t rbp, uint64_t rsp)
{
    enter_report();
    kprintf("  rip %016lx  rsp %016lx  rbp %016lx\n  cr2 %016lx  cr3 %016lx\n",
            rip, rsp, rbp, read_cr2(), read_cr3());
    print_context(rip, rsp, rbp);
    print_cpus();
    qemu_exit(QEMU_EXIT_FAILURE);
}

static const char *page_fault_verb(uint64_t error)
{
    return error & PF_FETCH ? "executing" : error & PF_WRITE ? "writing" : "reading";
}

void fault_report_user(const struct trap_frame *f)
{
    const struct thread *t = cpu_local.current;
    struct process *p = t->process;

    if (f->vector == VEC_PAGE_FAULT)
        kprintf("%s: page fault %s 0x%lx in {{pc %s %#lx}}\n", p->name, page_fault_verb(f->error),
                read_cr2(), p->name, f->rip);
    else
        kprintf("%s: %s in {{pc %s %#lx}}\n", p->name, trap_name(f->vector), p->name, f->rip);
    kprintf("  process %lu, thread %lu, vector %lu, error code 0x%lx%s\n", p->pid, t->tid, f->vector,
            f->error, f->vector == VEC_PAGE_FAULT ?
            (f->error & PF_PRESENT ? ", protection violation" : ", page not present") : "");
    trap_dump(f);
    kprintf("backtrace:\n");
    user_backtrace(p->name, f->rip, f->rsp, f->rbp);
    if (f->vector == VEC_GP)
        ioport_note_fault(f);       /* an `in` or `out` it was not granted: name the port */
}

/* panic's first step: nothing may interrupt the report. */
static void stop_interrupts(void)
{
    irq_disable();
}

void fault_report_init(void)
{
    panic_hooks.stop = stop_interrupts;
    panic_hooks.report = fault_report_panic;
    trap_hooks.kernel_fault = fault_report_kernel;
    trap_hooks.report_user_fault = fault_report_user;
}
