/*
 * init: the first process.  It starts the shell and starts it again when it
 * ends, so a crashing shell never leaves the console dead.  A shell that
 * dies at once, over and over, is restarted with a growing pause.
 */
#include <ember.h>
#include <stdio.h>

#define SHELL               "/bin/sh"
#define QUICK_DEATH_NS      1000000000L     /* a shell that lived less than 1 s */
#define BACKOFF_START_NS    100000000L
#define BACKOFF_MAX_NS      5000000000L

static long run_shell(void)
{
    const char *argv[] = { SHELL, NULL };
    struct process_status st;
    char why[128];
    handle_t h = process_spawn(SHELL, argv, NULL, 0);

    if (h < 0) {
        printf("init: cannot start %s: %s\n", SHELL, errstr(h));
        return h;
    }
    object_wait(h, TIMEOUT_INFINITE);
    process_status(h, &st);
    handle_close(h);
    describe_status(&st, why, sizeof why);
    printf("init: %s %s; starting it again\n", SHELL, why);
    return 0;
}

int main(void)
{
    long backoff = BACKOFF_START_NS;

    for (;;) {
        long started = clock_now();
        run_shell();
        if (clock_now() - started > QUICK_DEATH_NS) {
            backoff = BACKOFF_START_NS;
            continue;
        }
        thread_sleep(backoff);
        if (backoff < BACKOFF_MAX_NS)
            backoff *= 2;
    }
}
