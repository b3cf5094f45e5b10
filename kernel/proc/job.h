/*
 * Jobs: groups of processes with limits, as NT's job objects.  Every
 * process belongs to one job, fixed at spawn; jobs nest, under one root job
 * made at boot for the first process.  A job counts what its processes and
 * its nested jobs hold (JOB_PAGES, JOB_PROCESSES, JOB_THREADS, JOB_HANDLES,
 * JOB_OBJECTS in kernel/abi/types.h): job_charge adds to the job and every
 * ancestor, or, if that would pass any of their limits, changes nothing and
 * returns E_QUOTA.  What is charged is given back to the same job with
 * job_uncharge.  A NULL job (the kernel's own objects) is never charged.
 *
 * The reserve: a job below the root job is charged nothing (pages, or the
 * objects, handles and threads that take kernel heap) unless
 * JOB_RESERVE_PAGES frames stay free; the root job, where init, the shell
 * and the tools run, may use them: however much a job below takes, they
 * can still list, kill and start.
 */
#ifndef EMBER_JOB_H
#define EMBER_JOB_H

#include <stdint.h>
#include "kernel/abi/types.h"
#include "kernel/lib/list.h"
#include "kernel/ob/object.h"

#define JOB_RESERVE_PAGES   512     /* 2 MiB only the root job may use */

struct process;

struct job {
    struct ob ob;                   /* first: a job is an object */
    struct job *parent;             /* NULL for the root job; holds a reference */
    int depth;                      /* the root job is 0 */
    uint64_t usage[JOB_RESOURCES];
    uint64_t limit[JOB_RESOURCES];
    int had_process;                /* signaled once it had one and has none */
    struct list_node processes;     /* struct process.job_node: its own members */
    struct list_node children;      /* struct job.sibling_node: jobs nested in it */
    struct list_node sibling_node;
    struct list_node all_node;      /* every job, for job_list */
};

extern const struct ob_type job_type;

/* Makes the root job, once, at boot, and charges objects and handles to jobs from now on (ob_hooks). */
void job_init(void);
struct job *job_root(void);
/* A job nested in |parent| with |limits|; a new reference, or NULL when out of memory. */
struct job *job_create(struct job *parent, const struct job_limits *limits);
/* Adds |n| of |resource| to |j| and its ancestors: 0, or E_QUOTA (E_NOMEM past the reserve). */
long job_charge(struct job *j, int resource, uint64_t n);
void job_uncharge(struct job *j, int resource, uint64_t n);
/*
 * Whether a charge was refused with E_QUOTA since the last call (then
 * cleared): for paths that only see NULL from a constructor, such as
 * ob_create, and must tell E_QUOTA from E_NOMEM.
 */
bool job_refused(void);
/* Whether |inner| is |outer| or nested in it. */
bool job_within(const struct job *inner, const struct job *outer);
/* |p| joins |j| (charging JOB_PROCESSES: 0 or E_QUOTA) / leaves it when it ends. */
long job_add_process(struct job *j, struct process *p);
void job_remove_process(struct process *p);
/* Ends every process of |j| and of the jobs nested in it. */
void job_kill(struct job *j, int64_t code);
/* Calls |fn| for every job, oldest first. */
void job_for_each(void (*fn)(struct job *j, void *ctx), void *ctx);

#endif
