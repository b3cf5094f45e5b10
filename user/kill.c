/*
 * kill PID [CODE]: ends a process; its status becomes "killed" with CODE
 * (default 9).  Only a process's ancestors may kill it by pid, so this
 * program ends its own descendants (or, run by init, anything); at the
 * shell prompt "kill" is the shell's builtin, which ends what the shell started.
 */
#include <ember.h>
#include <stdio.h>
#include <stdlib.h>

#define DEFAULT_CODE 9

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("usage: kill PID [CODE]\n");
        return 2;
    }
    handle_t h = process_open(atol(argv[1]));
    long err = h < 0 ? h : process_kill(h, argc > 2 ? atol(argv[2]) : DEFAULT_CODE);

    if (h >= 0)
        handle_close(h);
    if (err < 0) {
        printf("kill: %s: %s\n", argv[1], errstr(err));
        return 1;
    }
    return 0;
}
