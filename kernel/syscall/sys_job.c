/*
 * sys_job.c: job calls: create a nested job, choose the job new children
 * go into, kill a job, list every job with its usage and limits.  A job
 * handle is waitable (object_wait): signaled once its last process ended.
 */
#include "kernel/proc/job.h"
#include "kernel/proc/process.h"
#include "kernel/syscall/syscall.h"

/* The job |h| names with |rights|, or the caller's own for 0; a new reference in |*out|. */
static long job_arg(handle_t h, rights_t rights, struct job **out)
{
    struct ob *o;

    if (h == 0) {
        *out = current_process()->job;
        ob_ref(&(*out)->ob);
        return 0;
    }
    long err = handle_get(current_process(), h, &job_type, rights, &o);
    *out = (struct job *)o;
    return err;
}

// long job_create(handle_t job, const struct job_limits *limits)
// A job nested in |job| (0: the caller's own) with |limits| (NULL: none of
// its own); returns a handle.  E_LIMIT past JOB_DEPTH_MAX levels.
long sys_job_create(const struct syscall_args *a)
{
    struct job_limits limits;
    struct job *parent = NULL, *j = NULL;
    long err = 0;

    if (a->arg[1])
        err = copy_from_user(&limits, user_ptr_of(a->arg[1]), sizeof limits);
    if (err == 0)
        err = job_arg(a->arg[0], RIGHT_MANAGE, &parent);
    if (err < 0)
        return err;
    if (parent->depth + 1 > JOB_DEPTH_MAX)
        err = E_LIMIT;
    job_refused();
    if (err == 0 && !(j = job_create(parent, a->arg[1] ? &limits : NULL)))
        err = job_refused() ? E_QUOTA : E_NOMEM;
    ob_unref(&parent->ob);
    if (err < 0)
        return err;
    handle_t h = handle_install(current_process(), &j->ob, job_type.default_rights);
    ob_unref(&j->ob);
    return h;
}

// long job_set_spawn(handle_t job): the processes the caller spawns from
// now on go into |job|, which must be its own job or nested in it (E_ACCESS
// otherwise); 0: back into its own job.  Needs RIGHT_MANAGE.
long sys_job_set_spawn(const struct syscall_args *a)
{
    struct process *self = current_process();
    struct job *j = NULL;

    if (a->arg[0]) {
        long err = job_arg(a->arg[0], RIGHT_MANAGE, &j);
        if (err < 0)
            return err;
        if (!job_within(j, self->job)) {
            ob_unref(&j->ob);
            return E_ACCESS;
        }
    }
    if (self->spawn_job)
        ob_unref(&self->spawn_job->ob);
    self->spawn_job = j;                /* keeps job_arg's reference */
    return 0;
}

// long job_kill(handle_t job, long code): ends every process of |job| and of
// the jobs nested in it, each with status "killed" and |code|.  Needs RIGHT_KILL.
long sys_job_kill(const struct syscall_args *a)
{
    struct ob *o;
    long err = handle_get(current_process(), a->arg[0], &job_type, RIGHT_KILL, &o);

    if (err < 0)
        return err;
    job_kill((struct job *)o, (int64_t)a->arg[1]);
    ob_unref(o);
    return 0;
}

struct job_lister {
    user_ptr out;
    size_t room, count;
    long err;
};

static void list_job(struct job *j, void *ctx)
{
    struct job_lister *l = ctx;
    struct job_info info = { j->ob.id, j->parent ? j->parent->ob.id : 0, { 0 }, { 0 } };

    for (int r = 0; r < JOB_RESOURCES; r++) {
        info.usage[r] = j->usage[r];
        info.limit[r] = j->limit[r];
    }
    if (l->count < l->room && l->err == 0)
        l->err = copy_to_user(user_ptr_add(l->out, l->count * sizeof info), &info, sizeof info);
    l->count++;
}

// long job_list(struct job_info *list, size_t len): fills what fits, returns how many jobs there are.
long sys_job_list(const struct syscall_args *a)
{
    struct job_lister l = { user_ptr_of(a->arg[0]), a->arg[1] / sizeof(struct job_info), 0, 0 };

    if (!user_range_ok(a->arg[0], a->arg[1]))
        return E_FAULT;
    job_for_each(list_job, &l);
    return l.err < 0 ? l.err : (long)l.count;
}
