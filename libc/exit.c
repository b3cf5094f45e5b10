/* exit.c: exit and abort, the two ways a program ends itself through libc. */
#include <stdlib.h>
#include "libc/file.h"

static const char abort_message[] = "abort\n";

void exit(int code)
{
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
