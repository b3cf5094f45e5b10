/*
 * job.c: the job object, its charges and limits (job.h).
 *
 * Usage is kept hierarchically: a job's count includes its nested jobs', so
 * checking a charge is one walk up the chain (at most JOB_DEPTH_MAX steps),
 * comparing each level's usage + n with its limit, and only then adding n
 * at every level.  Nothing is ever charged in part.  A job is signaled when
 * its process count (its own and its nested jobs') falls back to 0.
 *
 * References: a process holds one on its job, a job on its parent, an
 * object on the job it was charged to (ob.job), so a job outlives all that
 * it counts.
 */
#include "kernel/abi/errors.h"
#include "kernel/abi/rights.h"
#include "kernel/mm/frame.h"
#include "kernel/mm/heap.h"
#include "kernel/ob/wait.h"
#include "kernel/proc/job.h"
#include "kernel/proc/process.h"

static struct job *root;
static bool refused;                /* job_refused */
static struct list_node all_jobs = LIST_INIT(all_jobs);

static bool job_is_signaled(struct ob *o, struct thread *waiter)
{
    struct job *j = (struct job *)o;

    (void)waiter;
    return j->had_process && j->usage[JOB_PROCESSES] == 0;
}

static void job_destroy(struct ob *o)
{
    struct job *j = (struct job *)o;

    list_remove(&j->all_node);
    if (j->parent) {
        list_remove(&j->sibling_node);
        ob_unref(&j->parent->ob);
    }
}

const struct ob_type job_type = {
    .name = "job",
    .code = OB_TYPE_JOB,
    .tag = TAG("Job "),
    .valid_rights = RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_WAIT | RIGHT_INFO | RIGHT_KILL |
                    RIGHT_MANAGE,
    .default_rights = RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_WAIT | RIGHT_INFO | RIGHT_KILL |
                      RIGHT_MANAGE,
    .destroy = job_destroy,
    .is_signaled = job_is_signaled,
};

struct job *job_create(struct job *parent, const struct job_limits *limits)
{
    struct job *j = ob_create(&job_type, sizeof *j);

    if (!j)
        return NULL;
    for (int r = 0; r < JOB_RESOURCES; r++)
        j->limit[r] = limits ? limits->limit[r] : JOB_UNLIMITED;
    list_init(&j->processes);
    list_init(&j->children);
    list_init(&j->sibling_node);
    list_push_back(&all_jobs, &j->all_node);
    if (parent) {
        ob_ref(&parent->ob);
        j->parent = parent;
        j->depth = parent->depth + 1;
        list_push_back(&parent->children, &j->sibling_node);
    }
    return j;
}

/* ob_hooks.charge_object: a new object counts against its creating process's job. */
static long charge_object(struct job **job, uint64_t *creator_pid)
{
    struct process *p = current_process();
    long err = job_charge(p ? p->job : NULL, JOB_OBJECTS, 1);

    if (err < 0)
        return err;
    *job = p ? p->job : NULL;
    *creator_pid = p ? p->pid : 0;
    if (*job)
        ob_ref(&(*job)->ob);
    return 0;
}

static void uncharge_object(struct job *j)
{
    job_uncharge(j, JOB_OBJECTS, 1);
    ob_unref(&j->ob);
}

static long charge_handle(struct job *j)
{
    return job_charge(j, JOB_HANDLES, 1);
}

static void uncharge_handle(struct job *j)
{
    job_uncharge(j, JOB_HANDLES, 1);
}

void job_init(void)
{
    root = job_create(NULL, NULL);
    if (!root)
        panic("job: no memory for the root job");
    ob_hooks = (struct ob_hooks){ charge_object, uncharge_object, charge_handle, uncharge_handle };
}

struct job *job_root(void)
{
    return root;
}

long job_charge(struct job *j, int resource, uint64_t n)
{
    if (!j)
        return 0;
    /* The last frames are the root job's, for what it needs and the kernel's heap for it. */
    if (j != root && frame_free_count() < (resource == JOB_PAGES ? n : 0) + JOB_RESERVE_PAGES)
        return E_NOMEM;
    /* LAB jobs BEGIN */
    for (struct job *a = j; a; a = a->parent) {
        if (a->usage[resource] + n > a->limit[resource] || a->usage[resource] + n < n) {
            refused = true;
            return E_QUOTA;
        }
    }
    /* LAB jobs END */
    for (struct job *a = j; a; a = a->parent)
        a->usage[resource] += n;
    return 0;
}

void job_uncharge(struct job *j, int resource, uint64_t n)
{
    for (struct job *a = j; a; a = a->parent) {
        ASSERT(a->usage[resource] >= n);
        a->usage[resource] -= n;
        if (resource == JOB_PROCESSES && a->usage[resource] == 0 && a->had_process)
            ob_signal(&a->ob);
    }
}

bool job_refused(void)
{
    bool r = refused;

    refused = false;
    return r;
}

bool job_within(const struct job *inner, const struct job *outer)
{
    for (const struct job *a = inner; a; a = a->parent)
        if (a == outer)
            return true;
    return false;
}

long job_add_process(struct job *j, struct process *p)
{
    long err = job_charge(j, JOB_PROCESSES, 1);

    if (err < 0)
        return err;
    for (struct job *a = j; a; a = a->parent)
        a->had_process = 1;
    ob_ref(&j->ob);
    p->job = j;
    p->handles.job = j;             /* its handles count from now on */
    list_push_back(&j->processes, &p->job_node);
    return 0;
}

void job_remove_process(struct process *p)
{
    list_remove(&p->job_node);
    list_init(&p->job_node);
    job_uncharge(p->job, JOB_PROCESSES, 1);     /* the job keeps p->job's reference until p goes */
}

void job_kill(struct job *j, int64_t code)
{
    struct list_node *pos;

    LIST_FOR_EACH(pos, &j->processes)
        process_end(LIST_ENTRY(pos, struct process, job_node), PROCESS_KILLED, code);
    LIST_FOR_EACH(pos, &j->children)            /* at most JOB_DEPTH_MAX deep */
        job_kill(LIST_ENTRY(pos, struct job, sibling_node), code);
}

void job_for_each(void (*fn)(struct job *j, void *ctx), void *ctx)
{
    struct list_node *pos;

    LIST_FOR_EACH(pos, &all_jobs)
        fn(LIST_ENTRY(pos, struct job, all_node), ctx);
}
