/*
 * sh: the shell.  Reads a line, splits it into words (double quotes group
 * words), and runs /bin/WORD with the words as arguments, waiting for it.
 * A program that fails or faults is reported with how it ended.
 * Builtins: exit [code], help.
 */
#include <ember.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN    256
#define MAX_WORDS       32
#define PATH_MAX_LEN    128
#define PROMPT          "ember$ "

/* Splits |line| in place into at most |max| - 1 words; returns the count, the array ends with NULL. */
static int split(char *line, char **words, int max)
{
    int n = 0;

    for (char *p = line; *p && n < max - 1;) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            *p++ = '\0';
        if (!*p)
            break;
        char end = ' ';
        if (*p == '"')
            end = *p++;
        words[n++] = p;
        while (*p && *p != end && (end == '"' || (*p != '\t' && *p != '\n')))
            p++;
        if (*p)
            *p++ = '\0';
    }
    words[n] = NULL;
    return n;
}

static void help(void)
{
    printf("Type a program's name and its arguments, e.g. 'echo hi' or 'cat /README'.\n"
           "Programs live in /bin (try 'ls').  Builtins: exit [code], help.\n");
}

static void run(char **words)
{
    char path[PATH_MAX_LEN];
    struct process_status st;
    char why[128];

    if (strchr(words[0], '/'))
        snprintf(path, sizeof path, "%s", words[0]);
    else
        snprintf(path, sizeof path, "/bin/%s", words[0]);
    handle_t h = process_spawn(path, (const char *const *)words, NULL, 0);
    if (h < 0) {
        printf("sh: %s: %s\n", words[0], h == E_NOTFOUND ? "command not found" : errstr(h));
        return;
    }
    object_wait(h, TIMEOUT_INFINITE);
    process_status(h, &st);
    handle_close(h);
    if (st.state != PROCESS_EXITED || st.exit_code != 0) {
        describe_status(&st, why, sizeof why);
        printf("sh: %s: %s\n", words[0], why);
    }
}

int main(void)
{
    char line[LINE_MAX_LEN];
    char *words[MAX_WORDS];

    for (;;) {
        printf(PROMPT);
        fflush(stdout);
        if (!fgets(line, sizeof line, stdin))
            return 0;
        if (split(line, words, MAX_WORDS) == 0)
            continue;
        if (strcmp(words[0], "exit") == 0)
            return words[1] ? atoi(words[1]) : 0;
        if (strcmp(words[0], "help") == 0)
            help();
        else
            run(words);
    }
}
