/*
 * thread_object.c: the thread as an object (thread_object.h).
 *
 * The scheduler runs a struct thread and knows nothing of handles, jobs or
 * processes (kernel/sched/thread.c).  A user thread's struct thread lives
 * inside a struct thread_object, after its object header (thread_of and
 * thread_ob go from one to the other), and here it gets what makes it an
 * object of a process: its type (waitable, signaled once dead), its
 * charge to the job (a thread and its kernel stack's pages), its reference
 * on the process, and its end: the mutexes it owns are abandoned, its
 * process learns it is gone, and its waiters wake.  The scheduler calls
 * the end and the reaping through sched_hooks, set by thread_objects_init.
 */
#include "kernel/abi/rights.h"
#include "kernel/mm/heap.h"
#include "kernel/ob/wait.h"
#include "kernel/proc/job.h"
#include "kernel/proc/process.h"
#include "kernel/proc/thread_object.h"
#include "kernel/sched/kstack.h"
#include "kernel/sched/sched.h"

static bool thread_is_signaled(struct ob *o, struct thread *waiter)
{
    (void)waiter;
    return thread_of(o)->state == THREAD_DEAD;
}

static void thread_destroy(struct ob *o)
{
    struct thread *t = thread_of(o);

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

struct thread *thread_create_user(struct process *p, uint64_t entry, uint64_t stack, uint64_t arg)
{
    struct thread_object *to;
    struct thread *t;

    if (job_charge(p->job, JOB_THREADS, 1) < 0)
        return NULL;
    if (job_charge(p->job, JOB_PAGES, KSTACK_PAGES) < 0) {     /* its kernel stack is the job's */
        job_uncharge(p->job, JOB_THREADS, 1);
        return NULL;
    }
    to = ob_create(&thread_type, sizeof *to);
    t = to ? &to->thread : NULL;
    if (!t || !thread_init_user(t, entry, stack, arg)) {
        job_uncharge(p->job, JOB_THREADS, 1);
        job_uncharge(p->job, JOB_PAGES, KSTACK_PAGES);
        if (to)
            ob_unref(&to->ob);
        return NULL;
    }
    t->priority = p->priority_ceiling < PRIORITY_DEFAULT ? p->priority_ceiling : PRIORITY_DEFAULT;
    ob_ref(&p->ob);
    t->process = p;
    t->vm = p->vm;
    t->traced = &p->traced;
    process_add_thread(p, t);
    return t;
}

/* Its kernel stack goes, and with it the job's charge for the thread. */
static void release_stack(struct thread *t)
{
    thread_free_stack(t);
    job_uncharge(t->process->job, JOB_THREADS, 1);
    job_uncharge(t->process->job, JOB_PAGES, KSTACK_PAGES);
}

void thread_discard(struct thread *t)
{
    t->state = THREAD_DEAD;
    list_remove(&t->proc_node);
    t->process->nthreads--;
    release_stack(t);
    ob_unref(thread_ob(t));
}

/* sched_hooks.thread_exit: |t|, the current thread, is dead and about to leave the CPU. */
static void thread_exited(struct thread *t)
{
    process_hooks.abandon_mutexes(t);       /* before the handles close: waiters get E_ABANDONED */
    process_thread_exited(t->process, t);   /* may tear the whole process down */
    ob_signal(thread_ob(t));
}

/* sched_hooks.thread_reap: the scheduler is done with dead |t|. */
static void thread_reap(struct thread *t)
{
    release_stack(t);
    ob_unref(thread_ob(t));                 /* the scheduler's reference */
}

void thread_objects_init(void)
{
    sched_hooks.thread_exit = thread_exited;
    sched_hooks.thread_reap = thread_reap;
}
