/*
 * thread.c: a thread as the scheduler sees it: a kernel stack, the frames
 * its first switch runs through, and its end.
 *
 * A new user thread's kernel stack is laid out so that the first switch to
 * it "returns" into thread_first_entry (context.S), which leaves for ring 3
 * through a trap frame built here: the same path an interrupt returns by.
 *
 *   kstack_top -> +---------------------------+
 *                 | struct trap_frame         |  rip = entry, rsp = stack, rdi = arg
 *                 +---------------------------+
 *                 | thread_first_entry        |  switch_context's "return address"
 *                 | rbp rbx r12..r15 = 0      |  switch_context pops these
 *   t->ksp     -> +---------------------------+
 *
 * A user thread is also an object a handle reaches, charged to its
 * process's job: that part lives a floor up, in kernel/proc/thread_object.c,
 * which the scheduler reaches through sched_hooks when a thread exits and
 * when it is reaped.
 */
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/string.h"
#include "kernel/sched/kstack.h"
#include "kernel/sched/sched.h"
#include "kernel/sched/thread.h"

#define RFLAGS_RESERVED     (1u << 1)
#define RFLAGS_IF           (1u << 9)
#define SWITCH_SAVED_REGS   6           /* rbp rbx r12 r13 r14 r15, as context.S pushes them */

extern char thread_first_entry[];

static uint64_t next_tid = 1;

static void build_first_frames(struct thread *t, uint64_t entry, uint64_t stack, uint64_t arg)
{
    struct trap_frame *f = (struct trap_frame *)(t->kstack_top - sizeof *f);
    uint64_t *sp = (uint64_t *)f;

    memset(f, 0, sizeof *f);
    f->rip = entry;
    f->rsp = stack;
    f->rdi = arg;
    f->cs = GDT_USER_CS | RPL_USER;
    f->ss = GDT_USER_DS | RPL_USER;
    f->rflags = RFLAGS_IF | RFLAGS_RESERVED;
    *--sp = (uint64_t)thread_first_entry;
    for (int i = 0; i < SWITCH_SAVED_REGS; i++)
        *--sp = 0;
    t->ksp = (uint64_t)sp;
}

bool thread_init_user(struct thread *t, uint64_t entry, uint64_t stack, uint64_t arg)
{
    t->kstack_top = kstack_alloc();
    if (!t->kstack_top)
        return false;
    t->tid = next_tid++;
    t->state = THREAD_NEW;
    list_init(&t->run_node);
    list_init(&t->waitq_node);
    list_init(&t->timer_node);
    list_init(&t->owned_mutexes);
    memcpy(t->fpu, fpu_initial_state, FPU_STATE_SIZE);
    build_first_frames(t, entry, stack, arg);
    return true;
}

void thread_exit(int64_t code)
{
    struct thread *t = current_thread();

    t->exit_code = code;
    t->state = THREAD_DEAD;
    sched_hooks.thread_exit(t);     /* its mutexes, its process, its waiters (thread_object.c) */
    schedule();
    panic("a dead thread was scheduled");
}

void thread_free_stack(struct thread *t)
{
    kstack_free(t->kstack_top);
    t->kstack_top = 0;
}
