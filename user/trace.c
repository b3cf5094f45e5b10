/*
 * trace PROGRAM [ARGS]: runs PROGRAM with every system call it makes printed
 * by the kernel, decoded: name, arguments (handles with their type and
 * name, strings quoted) and result.  Children of PROGRAM are traced too.
 */
#include <ember.h>
#include <stdio.h>
#include <string.h>

#define PATH_MAX_LEN 128

int main(int argc, char **argv)
{
    char path[PATH_MAX_LEN];
    struct process_status st;
    char why[160];

    if (argc < 2) {
        printf("usage: trace PROGRAM [ARGS]\n");
        return 2;
    }
    snprintf(path, sizeof path, argv[1][0] == '/' ? "%s" : "/bin/%s", argv[1]);
    process_trace(0, 1);                /* the child inherits tracing at spawn... */
    handle_t h = process_spawn(path, (const char *const *)argv + 1, NULL, 0);
    process_trace(0, 0);                /* ...and we stop tracing ourselves */
    if (h < 0) {
        printf("trace: %s: %s\n", argv[1], errstr(h));
        return 1;
    }
    object_wait(h, TIMEOUT_INFINITE);
    process_status(h, &st);
    handle_close(h);
    describe_status_of(&st, strrchr(path, '/') + 1, why, sizeof why);
    printf("trace: %s %s\n", argv[1], why);
    return 0;
}
