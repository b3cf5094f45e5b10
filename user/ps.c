/*
 * ps: every process (id, parent, job, state, exit code, threads, handles,
 * name), then every thread (id, process, state, priority), then every job
 * (id, parent job, and for each resource its usage / its limit).  process_list says
 * which processes exist; everything about each comes from object_query on
 * a handle process_open gives (OBJECT_INFO_PROCESS, OBJECT_INFO_PROCESS_THREADS).
 * A process that ends between the two is left out.
 */
#include <ember.h>
#include <stdio.h>

#define MAX_ROWS 128
#define MAX_THREADS 64              /* per process */
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const char *process_state(uint64_t s)
{
    static const char *const names[] = {
        [PROCESS_RUNNING] = "running", [PROCESS_EXITED] = "exited",
        [PROCESS_KILLED] = "killed", [PROCESS_FAULTED] = "faulted",
    };

    return s < ARRAY_LEN(names) ? names[s] : "?";
}

static void print_process(handle_t p, uint64_t job)
{
    struct process_query_info info;

    if (object_query(p, OBJECT_INFO_PROCESS, &info, sizeof info, NULL) < 0)
        return;
    printf("%5lu %6lu %5lu %-8s %5ld %7lu %7lu  %s\n", info.pid, info.parent_pid, job,
           process_state(info.state), info.state == PROCESS_RUNNING ? 0 : (long)info.exit_code,
           info.nthreads, info.nhandles, info.name);
}

/* "usage/limit", or "usage/-" without a limit of its own. */
static void print_usage(uint64_t usage, uint64_t limit)
{
    char cell[48];

    if (limit == JOB_UNLIMITED)
        snprintf(cell, sizeof cell, "%lu/-", usage);
    else
        snprintf(cell, sizeof cell, "%lu/%lu", usage, limit);
    printf(" %14s", cell);
}

static void print_jobs(void)
{
    static struct job_info jobs[MAX_ROWS];
    static const char *const names[] = JOB_RESOURCE_NAMES;
    long n = job_list(jobs, sizeof jobs);

    printf("\n%5s %6s", "job", "parent");
    for (int r = 0; r < JOB_RESOURCES; r++)
        printf(" %14s", names[r]);
    printf("\n");
    for (long i = 0; i < n && i < MAX_ROWS; i++) {
        printf("%5lu %6lu", jobs[i].id, jobs[i].parent_id);
        for (int r = 0; r < JOB_RESOURCES; r++)
            print_usage(jobs[i].usage[r], jobs[i].limit[r]);
        printf("\n");
    }
}

static void print_threads(handle_t p)
{
    static struct thread_query_info threads[MAX_THREADS];
    static const char *const thread_states[] = THREAD_STATE_NAMES;
    long n = object_query(p, OBJECT_INFO_PROCESS_THREADS, threads, sizeof threads, NULL);

    if (n == E_TOOBIG)
        n = (long)sizeof threads;           /* the first MAX_THREADS */
    for (long i = 0; i < n / (long)sizeof threads[0]; i++) {
        uint64_t state = threads[i].state;
        printf("%5lu %5lu %-8s %lu\n", threads[i].tid, threads[i].pid,
               state < ARRAY_LEN(thread_states) ? thread_states[state] : "?", threads[i].priority);
    }
}

int main(void)
{
    static struct process_info procs[MAX_ROWS];
    static handle_t opened[MAX_ROWS];
    long np = process_list(procs, sizeof procs);

    if (np < 0) {
        printf("ps: %s\n", errstr(np));
        return 1;
    }
    if (np > MAX_ROWS)
        np = MAX_ROWS;
    for (long i = 0; i < np; i++)
        opened[i] = process_open((long)procs[i].pid);
    printf("%5s %6s %5s %-8s %5s %7s %7s  %s\n", "pid", "parent", "job", "state", "code",
           "threads", "handles", "name");
    for (long i = 0; i < np; i++)
        if (opened[i] > 0)
            print_process(opened[i], procs[i].job_id);
    printf("\n%5s %5s %-8s %s\n", "tid", "pid", "state", "priority");
    for (long i = 0; i < np; i++)
        if (opened[i] > 0) {
            print_threads(opened[i]);
            handle_close(opened[i]);
        }
    print_jobs();
    return 0;
}
