/*
 * unistd.c: getpid and isatty (the sleeps are in time.c).  isatty knows
 * the three standard streams by number, and asks their FILEs whether they
 * were pointed at a pipe at start (handle_io.c) or are still on the console.
 */
#include <errno.h>
#include <unistd.h>
#include "libc/file.h"

pid_t getpid(void)
{
    return (pid_t)process_self_id();
}

int isatty(int fd)
{
    FILE *const streams[] = { stdin, stdout, stderr };

    if (fd < STDIN_FILENO || fd > STDERR_FILENO) {
        errno = EBADF;
        return 0;
    }
    if (streams[fd]->handle != 0) {     /* a pipe end: see handle_io.c */
        errno = ENOTTY;
        return 0;
    }
    return 1;
}
