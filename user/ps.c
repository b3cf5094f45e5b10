/* ps: every process (id, parent, state, threads, handles, name), then every thread. */
#include <ember.h>
#include <stdio.h>

#define MAX_ROWS 128
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const char *process_state(uint64_t s)
{
    static const char *const names[] = {
        [PROCESS_RUNNING] = "running", [PROCESS_EXITED] = "exited",
        [PROCESS_KILLED] = "killed", [PROCESS_FAULTED] = "faulted",
    };

    return s < ARRAY_LEN(names) ? names[s] : "?";
}

int main(void)
{
    static struct process_info procs[MAX_ROWS];
    static struct thread_info threads[MAX_ROWS];
    static const char *const thread_states[] = THREAD_STATE_NAMES;
    long np = process_list(procs, sizeof procs), nt = thread_list(threads, sizeof threads);

    if (np < 0 || nt < 0) {
        printf("ps: %s\n", errstr(np < 0 ? np : nt));
        return 1;
    }
    printf("%5s %6s %-8s %7s %7s  %s\n", "pid", "parent", "state", "threads", "handles", "name");
    for (long i = 0; i < np && i < MAX_ROWS; i++)
        printf("%5lu %6lu %-8s %7lu %7lu  %s\n", procs[i].pid, procs[i].parent_pid,
               process_state(procs[i].state), procs[i].nthreads, procs[i].nhandles, procs[i].name);
    printf("\n%5s %5s %-8s %s\n", "tid", "pid", "state", "priority");
    for (long i = 0; i < nt && i < MAX_ROWS; i++) {
        uint64_t state = threads[i].state;
        printf("%5lu %5lu %-8s %lu\n", threads[i].tid, threads[i].pid,
               state < ARRAY_LEN(thread_states) ? thread_states[state] : "?", threads[i].priority);
    }
    return 0;
}
