/* exit.c: exit (with atexit) and abort, the two ways a program ends itself through libc. */
#include <stdlib.h>
#include "libc/file.h"

static const char abort_message[] = "abort\n";

static void (*exit_fns[ATEXIT_MAX])(void);
static int exit_fn_count;

int atexit(void (*fn)(void))
{
    if (!fn || exit_fn_count == ATEXIT_MAX)
        return -1;
    exit_fns[exit_fn_count++] = fn;
    return 0;
}

/*
 * Each function is taken off the list before it runs, so one that calls
 * exit itself does not run again (C leaves that undefined; this ends it).
 */
void exit(int code)
{
    while (exit_fn_count > 0)
        exit_fns[--exit_fn_count]();
    fflush(NULL);
    process_exit(code);
    __builtin_trap();           /* process_exit does not return; fault if it ever does */
}

/*
 * abort may be called with any libc lock held (a corrupt heap, a failed
 * assert inside printf), so it hands its message straight to stderr's
 * backend, without the lock, and flushes nothing: a line still buffered in
 * stdout is lost, as in C.
 */
void abort(void)
{
    stderr->write(stderr, abort_message, sizeof abort_message - 1);
    process_exit(ABORT_EXIT_CODE);
    __builtin_trap();
}
