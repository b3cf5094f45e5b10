/*
 * sh.h: what the shell's two files share: user/sh.c reads lines and starts
 * their programs, user/sh_jobs.c keeps the jobs they run in (job control).
 */
#ifndef EMBER_USER_SH_H
#define EMBER_USER_SH_H

#include <ember.h>
#include <stdbool.h>

#define LINE_MAX_LEN        256
#define MAX_STAGES          8
#define NAME_MAX_LEN        32
#define KILL_DEFAULT_CODE   9           /* as /bin/kill */

/* One command line's programs, in the job the shell made for them. */
struct sh_job {
    int number;                         /* %n, from 1; 0: a free slot of the table */
    handle_t job;                       /* the job they run in (kernel/proc/job.c) */
    handle_t procs[MAX_STAGES];         /* pipeline order; 0: a stage that did not start */
    char names[MAX_STAGES][NAME_MAX_LEN];   /* as typed, for "sh: NAME: how it ended" */
    int nprocs;
    char text[LINE_MAX_LEN];            /* the line, without its '&' */
};

/* Waits for |j| in the foreground, says how its programs ended, and closes its handles. */
void jobs_foreground(struct sh_job *j);
/* Keeps |j| running in the background and says "[n] PID... LINE". */
void jobs_background(const struct sh_job *j);
/* Whether the table has no room for another background job. */
bool jobs_full(void);
/* "[n] done  LINE" (or how it failed) for each background job that has ended, which it forgets. */
void jobs_notices(void);
/* Runs |words| if it is jobs, fg or wait, or kill %n; false if it is none of them. */
bool jobs_builtin(char **words);

#endif
