/*
 * init: the first process.  It starts the supervisor, svcmgr, handing it
 * the root resource it was started with (the only other holder, and the
 * one that starts the drivers: docs/09-drivers.md), then the shell; and it
 * starts either again when it ends, so a crashing shell never leaves the
 * console dead.  One that dies at once, over and over, is restarted with a
 * growing pause.
 *
 * The shell runs in a job of its own, and when it ends init ends that job:
 * the background jobs a shell leaves behind (nested in its job) end with it
 * and release what they held, names included, rather than live on as
 * orphans no new shell may kill (only ancestors may: process_open).
 */
#include <ember.h>
#include <stdbool.h>
#include <stdio.h>

#define SHELL               "/bin/sh"
#define SUPERVISOR          "/bin/svcmgr"
#define QUICK_DEATH_NS      1000000000L     /* a program that lived less than 1 s */
#define BACKOFF_START_NS    100000000L
#define BACKOFF_MAX_NS      5000000000L
#define HANGUP_CODE         129             /* what a shell's leftovers end with (128 + SIGHUP) */

struct child {
    const char *path;
    handle_t proc;
    long started, backoff;
    bool own_job;               /* runs in a job init ends with it (the shell) */
    handle_t job;
};

/* "init: PATH WHAT: MORE", through the kernel's log path: init never waits on the console driver. */
static void say(const char *path, const char *what, const char *more)
{
    char line[256];
    int n = snprintf(line, sizeof line, "init: %s %s; %s\n", path, what, more);

    console_write(line, n < (int)sizeof line ? (size_t)n : sizeof line - 1);
}

/* Starts |c|; the supervisor gets the root resource where a resource is looked for. */
static void start(struct child *c, bool with_root)
{
    const char *argv[] = { c->path, NULL };
    handle_t hs[STARTUP_ROOT_HANDLE + 1] = { 0, 0, 0, startup_resource() };

    c->started = clock_now();
    if (c->own_job && (c->job = job_create(0, NULL)) > 0)
        job_set_spawn(c->job);
    c->proc = process_spawn(c->path, argv, with_root ? hs : NULL, with_root ? STARTUP_ROOT_HANDLE + 1 : 0);
    job_set_spawn(0);
    if (c->proc < 0)
        say(c->path, "cannot start", errstr(c->proc));
}

/* |c| ended: say how, pause if it died quickly, start it again. */
static void restart(struct child *c, bool with_root)
{
    struct process_status st;
    char why[128];

    process_status(c->proc, &st);
    handle_close(c->proc);
    if (c->job > 0) {
        job_kill(c->job, HANGUP_CODE);      /* what it left running ends with it */
        handle_close(c->job);
        c->job = 0;
    }
    describe_status(&st, why, sizeof why);
    say(c->path, why, "starting it again");
    if (clock_now() - c->started > QUICK_DEATH_NS) {
        c->backoff = BACKOFF_START_NS;
    } else {
        thread_sleep(c->backoff);
        if (c->backoff < BACKOFF_MAX_NS)
            c->backoff *= 2;
    }
    start(c, with_root);
}

int main(void)
{
    struct child supervisor = { SUPERVISOR, 0, 0, BACKOFF_START_NS, false, 0 };
    struct child shell = { SHELL, 0, 0, BACKOFF_START_NS, true, 0 };

    start(&supervisor, true);
    start(&shell, false);
    for (;;) {
        handle_t both[2] = { supervisor.proc, shell.proc };
        long which = -1;
        if (supervisor.proc < 0 || shell.proc < 0)
            thread_sleep(BACKOFF_MAX_NS);   /* a program missing from the image: do not spin */
        if (object_wait_many(both, 2, 0, TIMEOUT_INFINITE, &which) < 0)
            continue;
        if (which == 0)
            restart(&supervisor, true);
        else
            restart(&shell, false);
    }
}
