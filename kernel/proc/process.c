/*
 * process.c: the process object, its end and its teardown.
 *
 * Teardown order (ARCHITECTURE.md section 4), run by the last thread out:
 *   1. every thread has exited (each was told to by process_end, and woken
 *      from any wait, which returned E_CANCELED);
 *   2. close every handle, one at a time;
 *   3. free the address space (after switching to the kernel's page tables,
 *      since we are still running on them);
 *   4. signal the process object: waiters on it run.
 */
#include "kernel/abi/errors.h"
#include "kernel/abi/rights.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/arch/x86_64/qemu.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/string.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/vm.h"
#include "kernel/ob/wait.h"
#include "kernel/proc/job.h"
#include "kernel/proc/process.h"
#include "kernel/sched/sched.h"

#define FIRST_PID 1

static struct list_node all_processes = LIST_INIT(all_processes);
static uint64_t next_pid = FIRST_PID;

static bool process_is_signaled(struct ob *o, struct thread *waiter)
{
    (void)waiter;
    return ((struct process *)o)->torn_down;
}

/* Frees the address space and gives its pages back to the job. */
static void release_memory(struct process *p)
{
    if (p->pages_charged)
        job_uncharge(p->job, JOB_PAGES, p->vm->committed);
    p->pages_charged = false;
    vm_destroy(p->vm);
    p->vm = NULL;
}

long process_charge_pages(struct process *p)
{
    long err = job_charge(p->job, JOB_PAGES, p->vm->committed);

    p->pages_charged = err == 0;
    return err;
}

static void process_destroy(struct ob *o)
{
    struct process *p = (struct process *)o;

    list_remove(&p->all_node);
    if (p->vm)                          /* never ran: no thread tore it down */
        release_memory(p);
    handle_table_destroy(&p->handles);
    if (p->job) {
        if (!list_empty(&p->job_node))
            job_remove_process(p);
        ob_unref(&p->job->ob);
    }
    if (p->spawn_job)
        ob_unref(&p->spawn_job->ob);
}

const struct ob_type process_type = {
    .name = "process",
    .code = OB_TYPE_PROCESS,
    .tag = TAG("Proc"),
    .valid_rights = RIGHTS_ALL,
    .default_rights = RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_WAIT | RIGHT_INFO | RIGHT_KILL |
                      RIGHT_MANAGE | RIGHT_MAP,
    .destroy = process_destroy,
    .is_signaled = process_is_signaled,
    .query = process_query,
};

struct process *process_create(const char *name)
{
    struct process *p;

    if (next_pid > HANDLE_PID_MAX)
        return NULL;                /* ids never repeat: after 2^31 processes, no more */
    p = ob_create(&process_type, sizeof *p);
    if (!p)
        return NULL;
    p->pid = next_pid++;
    p->status.pid = p->pid;
    p->status.state = PROCESS_RUNNING;
    size_t n = strnlen(name, PROCESS_NAME_MAX - 1);
    memcpy(p->name, name, n);
    list_init(&p->threads);
    list_init(&p->job_node);
    handle_table_init(&p->handles, p->pid);
    list_push_back(&all_processes, &p->all_node);
    p->vm = vm_create();
    if (!p->vm) {
        ob_unref(&p->ob);
        return NULL;
    }
    return p;
}

void process_add_thread(struct process *p, struct thread *t)
{
    list_push_back(&p->threads, &t->proc_node);
    p->nthreads++;
}

void process_set_ceiling(struct process *p, int ceiling)
{
    struct list_node *pos;

    p->priority_ceiling = ceiling;
    LIST_FOR_EACH(pos, &p->threads) {
        struct thread *t = LIST_ENTRY(pos, struct thread, proc_node);
        if (t->priority > ceiling && t->state != THREAD_DEAD)
            sched_set_priority(t, ceiling);
    }
}

void process_end(struct process *p, uint64_t state, int64_t code)
{
    struct list_node *pos;

    if (p->status.state == PROCESS_RUNNING) {
        p->status.state = state;
        p->status.exit_code = code;
    }
    LIST_FOR_EACH(pos, &p->threads) {
        struct thread *t = LIST_ENTRY(pos, struct thread, proc_node);
        if (t->state == THREAD_DEAD)
            continue;
        t->kill_pending = true;
        t->exit_code = code;
        sched_wake(t, E_CANCELED);
        sched_hurry(t);             /* ahead of every priority: a kill takes effect at once */
    }
    sched_request_resched();        /* so a killed current thread notices on its way out */
}

/*
 * The children of |p| move up to |p|'s parent, so that every process's
 * parent_pid names a live process (or is 0): an ancestor can still reach
 * an orphan through the chain of parents (process_open, kill), as Unix
 * reparents orphans, here to the nearest living ancestor.
 */
static void reparent_children(struct process *p)
{
    /* LAB processes BEGIN stub: (void)p; */
    struct list_node *pos;

    LIST_FOR_EACH(pos, &all_processes) {
        struct process *child = LIST_ENTRY(pos, struct process, all_node);
        if (child->parent_pid == p->pid)
            child->parent_pid = p->parent_pid;
    }
    /* LAB processes END */
}

static void teardown(struct process *p)
{
    /*
     * A process gets children only by spawning them, or from a child that
     * ends (whom it spawned, or got the same way), so one that never spawned
     * has none: most processes end without walking every process.
     */
    if (p->spawned)
        reparent_children(p);
    handle_table_destroy(&p->handles);
    process_hooks.release_io(p);    /* its I/O ports close with its handles */
    if (read_cr3() == p->vm->root)
        write_cr3(paging_kernel_root());
    release_memory(p);
    p->torn_down = 1;
    ob_signal(&p->ob);
    job_remove_process(p);          /* its job is signaled when this was its last */
    if (p->pid == FIRST_PID) {
        /* Nothing runs without the first process: stop the machine and say how it ended. */
        kprintf("ember: first process ended (state %lu, code %ld); halting\n",
                p->status.state, p->status.exit_code);
        qemu_exit(p->status.state == PROCESS_EXITED && p->status.exit_code == 0 ?
                  QEMU_EXIT_SUCCESS : QEMU_EXIT_FAILURE);
    }
}

void process_thread_exited(struct process *p, struct thread *t)
{
    list_remove(&t->proc_node);
    if (--p->nthreads > 0)
        return;
    if (p->status.state == PROCESS_RUNNING) {
        p->status.state = PROCESS_EXITED;
        p->status.exit_code = t->exit_code;
    }
    teardown(p);
}

void process_fault(const struct trap_frame *f)
{
    struct process *p = current_process();

    if (p->status.state == PROCESS_RUNNING) {
        p->status.fault_vector = f->vector;
        p->status.fault_error = f->error;
        p->status.fault_addr = f->vector == VEC_PAGE_FAULT ? read_cr2() : 0;
        p->status.fault_rip = f->rip;
    }
    process_end(p, PROCESS_FAULTED, -(int64_t)f->vector - 1);
    thread_exit(p->status.exit_code);
}

/* trap_hooks.user_page_fault: a first touch of a demand-zero page of the current process. */
static long process_page_fault(uint64_t addr, uint64_t error)
{
    struct process *p = current_process();

    return p && p->vm ? vm_fault(p->vm, addr, error) : E_FAULT;
}

struct process_hooks process_hooks;

void process_init(void)
{
    trap_hooks.user_page_fault = process_page_fault;
    trap_hooks.user_fault = process_fault;
}

void process_for_each(void (*fn)(struct process *p, void *ctx), void *ctx)
{
    struct list_node *pos;

    LIST_FOR_EACH(pos, &all_processes)
        fn(LIST_ENTRY(pos, struct process, all_node), ctx);
}

struct process *process_find(uint64_t pid)
{
    struct list_node *pos;

    LIST_FOR_EACH(pos, &all_processes) {
        struct process *p = LIST_ENTRY(pos, struct process, all_node);
        if (p->pid == pid && !p->torn_down)
            return p;
    }
    return NULL;
}

bool process_ids_left(void)
{
    return next_pid <= HANDLE_PID_MAX;
}
