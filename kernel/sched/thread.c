/*
 * thread.c: creating and ending threads, and the thread object type.
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
 */
#include "kernel/abi/errors.h"
#include "kernel/abi/rights.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/string.h"
#include "kernel/mm/heap.h"
#include "kernel/ob/wait.h"
#include "kernel/proc/job.h"
#include "kernel/proc/process.h"
#include "kernel/sched/kstack.h"
#include "kernel/sched/sched.h"
#include "kernel/sched/thread.h"
#include "kernel/sync/mutex.h"

#define RFLAGS_RESERVED     (1u << 1)
#define RFLAGS_IF           (1u << 9)
#define SWITCH_SAVED_REGS   6           /* rbp rbx r12 r13 r14 r15, as context.S pushes them */

extern char thread_first_entry[];

static uint64_t next_tid = 1;

static bool thread_is_signaled(struct ob *o, struct thread *waiter)
{
    (void)waiter;
    return ((struct thread *)o)->state == THREAD_DEAD;
}

static void thread_destroy(struct ob *o)
{
    struct thread *t = (struct thread *)o;

    if (t->process)
        ob_unref(&t->process->ob);
}

const struct ob_type thread_type = {
    .name = "thread",
    .code = OB_TYPE_THREAD,
    .tag = TAG("Thrd"),
    .valid_rights = RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_WAIT | RIGHT_INFO | RIGHT_KILL |
                    RIGHT_MANAGE,
    .default_rights = RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_WAIT | RIGHT_INFO | RIGHT_KILL |
                      RIGHT_MANAGE,
    .destroy = thread_destroy,
    .is_signaled = thread_is_signaled,
    .query = thread_query,
};

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

struct thread *thread_create_user(struct process *p, uint64_t entry, uint64_t stack, uint64_t arg)
{
    struct thread *t;

    if (job_charge(p->job, JOB_THREADS, 1) < 0)
        return NULL;
    if (job_charge(p->job, JOB_PAGES, KSTACK_PAGES) < 0) {     /* its kernel stack is the job's */
        job_uncharge(p->job, JOB_THREADS, 1);
        return NULL;
    }
    t = ob_create(&thread_type, sizeof *t);
    if (t)
        t->kstack_top = kstack_alloc();
    if (!t || !t->kstack_top) {
        job_uncharge(p->job, JOB_THREADS, 1);
        job_uncharge(p->job, JOB_PAGES, KSTACK_PAGES);
        if (t)
            ob_unref(&t->ob);
        return NULL;
    }
    t->tid = next_tid++;
    t->state = THREAD_NEW;
    t->priority = p->priority_ceiling < PRIORITY_DEFAULT ? p->priority_ceiling : PRIORITY_DEFAULT;
    list_init(&t->run_node);
    list_init(&t->waitq_node);
    list_init(&t->timer_node);
    list_init(&t->owned_mutexes);
    memcpy(t->fpu, fpu_initial_state, FPU_STATE_SIZE);
    build_first_frames(t, entry, stack, arg);
    ob_ref(&p->ob);
    t->process = p;
    t->vm = p->vm;
    t->traced = &p->traced;
    process_add_thread(p, t);
    return t;
}

void thread_discard(struct thread *t)
{
    t->state = THREAD_DEAD;
    list_remove(&t->proc_node);
    t->process->nthreads--;
    thread_release_stack(t);
    ob_unref(&t->ob);
}

void thread_exit(int64_t code)
{
    struct thread *t = current_thread();

    t->exit_code = code;
    t->state = THREAD_DEAD;
    mutex_abandon_all(t);                   /* before the handles close: waiters get E_ABANDONED */
    process_thread_exited(t->process, t);   /* may tear the whole process down */
    ob_signal(&t->ob);
    schedule();
    panic("a dead thread was scheduled");
}

void thread_release_stack(struct thread *t)
{
    kstack_free(t->kstack_top);
    t->kstack_top = 0;
    job_uncharge(t->process->job, JOB_THREADS, 1);
    job_uncharge(t->process->job, JOB_PAGES, KSTACK_PAGES);
}
