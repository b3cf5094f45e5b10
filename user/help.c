/*
 * help: lists every program in /bin with what it does, one line each.
 * "help NAME" shows one.  The lines are /etc/programs, which the build
 * writes from the comment that opens each program's source (user/NAME.c).
 */
#include <ember.h>
#include <stdio.h>
#include <string.h>

#define PROGRAMS_PATH   "/etc/programs"
#define PROGRAMS_MAX    8192

static char text[PROGRAMS_MAX];

int main(int argc, char **argv)
{
    handle_t f = file_open(PROGRAMS_PATH);
    long n = f < 0 ? f : file_read(f, text, sizeof text - 1, 0);
    int shown = 0;

    if (f >= 0)
        handle_close(f);
    if (n < 0) {
        printf("help: cannot read %s: %s\n", PROGRAMS_PATH, errstr(n));
        return 1;
    }
    text[n] = '\0';
    for (char *save, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        size_t len = argc > 1 ? strlen(argv[1]) : 0;
        if (argc > 1 && (strncmp(line, argv[1], len) != 0 || (line[len] != ' ' && line[len] != '\0')))
            continue;
        printf("%s\n", line);
        shown++;
    }
    if (argc > 1 && !shown) {
        printf("help: no program %s in /bin\n", argv[1]);
        return 1;
    }
    return 0;
}
