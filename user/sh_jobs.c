/*
 * sh_jobs: the shell's job control (user/sh.c reads and starts the lines).
 * Every command line runs in a job of its own (kernel/proc/job.c), whose
 * handle the shell keeps with its programs' handles:
 *
 *   cmd &            the job goes into |table|; the shell says "[n] PID... cmd"
 *   jobs             the background jobs still running
 *   fg [%n]          job n (the newest without %n) to the foreground: wait for it
 *   wait             every background job, in turn, in the foreground
 *   kill %n [CODE]   ends every program of job n at once (job_kill)
 *
 * A background job that has ended is reported before the next prompt, as
 * other shells do: "[n] done  cmd", or how its first failed program ended
 * ("[n] killed (code 9)  cmd").
 * A job in the foreground is the console's foreground: Ctrl-C ends all of
 * it, and only its programs' reads are answered; at the prompt only the
 * shell's are, so a background job that reads waits for fg instead of
 * taking the shell's line (console_set_foreground, libc/foreground.c).
 * A job is done when it holds no process: what its programs started in it
 * and left running keeps it in the foreground.
 */
#include <service.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "user/sh.h"

#define MAX_JOBS    16

static struct sh_job table[MAX_JOBS];

/*
 * How program |i| of |j| ended, into |why|; false if it exited with code 0
 * (or never started).  A fault's description names the function and line.
 */
static bool failed(const struct sh_job *j, int i, char *why, size_t size)
{
    struct process_status st;
    const char *slash = strrchr(j->names[i], '/');

    if (j->procs[i] <= 0 || process_status(j->procs[i], &st) < 0)
        return false;
    if (st.state == PROCESS_EXITED && st.exit_code == 0)
        return false;
    describe_status_of(&st, slash ? slash + 1 : j->names[i], why, size);
    return true;
}

/* Closes |j|'s handles and frees its slot. */
static void forget(struct sh_job *j)
{
    for (int i = 0; i < j->nprocs; i++)
        if (j->procs[i] > 0)
            handle_close(j->procs[i]);
    handle_close(j->job);
    j->number = 0;
}

/* After a foreground job: "sh: NAME: how it ended" for each program that failed. */
static void report(struct sh_job *j)
{
    char why[160];

    for (int i = 0; i < j->nprocs; i++)
        if (failed(j, i, why, sizeof why))
            printf("sh: %s: %s\n", j->names[i], why);
    forget(j);
}

void jobs_foreground(struct sh_job *j)
{
    bool started = false;

    for (int i = 0; i < j->nprocs; i++)
        started = started || j->procs[i] > 0;
    if (started)                        /* a job that never had a process is never signaled */
        console_wait_foreground(j->job);
    report(j);
}

bool jobs_full(void)
{
    for (int i = 0; i < MAX_JOBS; i++)
        if (table[i].number == 0)
            return false;
    return true;
}

void jobs_background(const struct sh_job *j)
{
    int slot = 0, number = 1;
    struct process_status st;

    for (int i = 0; i < MAX_JOBS; i++) {
        if (table[i].number >= number)
            number = table[i].number + 1;   /* one more than the newest, as other shells do */
        if (table[i].number != 0 && slot == i)
            slot = i + 1;
    }
    table[slot] = *j;                   /* sh.c checked jobs_full first */
    table[slot].number = number;
    printf("[%d]", number);
    for (int i = 0; i < j->nprocs; i++)
        if (j->procs[i] > 0 && process_status(j->procs[i], &st) == 0)
            printf(" %lu", (unsigned long)st.pid);
    printf(" %s\n", j->text);
}

void jobs_notices(void)
{
    for (int i = 0; i < MAX_JOBS; i++) {
        if (table[i].number == 0 || object_wait(table[i].job, 0) != 0)
            continue;
        char why[160] = "done";         /* or how its first failed program ended */
        for (int k = 0; k < table[i].nprocs && !failed(&table[i], k, why, sizeof why); k++)
            ;
        printf("[%d] %s  %s\n", table[i].number, why, table[i].text);
        forget(&table[i]);
    }
}

/* The job |ref| names ("%n", or "n" for fg), or the newest one when |ref| is NULL; NULL if none. */
static struct sh_job *find(const char *ref, bool bare_number)
{
    struct sh_job *newest = NULL;
    int n = 0;

    if (ref && (ref[0] == '%' || bare_number))
        n = atoi(ref[0] == '%' ? ref + 1 : ref);
    for (int i = 0; i < MAX_JOBS; i++) {
        if (table[i].number == 0)
            continue;
        if (ref ? table[i].number == n : !newest || table[i].number > newest->number)
            newest = &table[i];
    }
    return newest;
}

static void fg_builtin(const char *ref)
{
    struct sh_job *j = find(ref, true);

    if (!j) {
        printf("fg: %s\n", ref ? "no such job" : "no background job");
        return;
    }
    printf("%s\n", j->text);
    jobs_foreground(j);
}

/* The oldest background job still running, or NULL. */
static struct sh_job *oldest_running(void)
{
    struct sh_job *oldest = NULL;

    for (int i = 0; i < MAX_JOBS; i++)
        if (table[i].number != 0 && object_wait(table[i].job, 0) != 0 &&
            (!oldest || table[i].number < oldest->number))
            oldest = &table[i];
    return oldest;
}

/* Every background job in turn, oldest first, each in the foreground (Ctrl-C ends the one waited for). */
static void wait_builtin(void)
{
    struct sh_job *j;

    while ((j = oldest_running()) != NULL && console_wait_foreground(j->job) == 0)
        ;
    jobs_notices();
}

static void jobs_list(void)
{
    jobs_notices();
    for (int i = 0; i < MAX_JOBS; i++)
        if (table[i].number != 0)
            printf("[%d] running  %s\n", table[i].number, table[i].text);
}

bool jobs_builtin(char **words)
{
    if (strcmp(words[0], "jobs") == 0) {
        jobs_list();
    } else if (strcmp(words[0], "fg") == 0) {
        fg_builtin(words[1]);
    } else if (strcmp(words[0], "wait") == 0) {
        wait_builtin();
    } else if (strcmp(words[0], "kill") == 0 && words[1] && words[1][0] == '%') {
        struct sh_job *j = find(words[1], false);
        long err = j ? job_kill(j->job, words[2] ? atol(words[2]) : KILL_DEFAULT_CODE) : E_NOTFOUND;
        if (err < 0)
            printf("kill: %s: %s\n", words[1], j ? errstr(err) : "no such job");
    } else {
        return false;
    }
    return true;
}
