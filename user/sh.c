/*
 * sh: the shell.  Reads a line, splits it into words (double quotes group
 * words), and runs /bin/WORD with the words as arguments, waiting for it.
 * A program that fails or faults is reported with how it ended; while the
 * shell waits for a line, its job is the console's foreground, which
 * Ctrl-C ends (the shell passes the console driver the job's handle).  A
 * line ending in the word "&" runs in the background: the shell says its
 * job number and pids and does not wait.  Job control (jobs, fg, wait,
 * kill %n, the notice when a background job ends) is user/sh_jobs.c.
 * Builtins: exit [code], help, kill PID|%n [CODE], jobs, fg [%n], wait.
 * kill is a builtin because only a process's ancestors may kill it by its
 * pid (process_open), and the shell, not a /bin/kill beside them, is the
 * ancestor of what it started.
 * A line too long for the shell's buffer, or
 * with more words than a program can be given, is refused whole.
 *
 * Pipelines: "a | b | c" starts every stage at once, with a pipe from each
 * stage's stdout to the next one's stdin (spawn_io, the stdio convention of
 * kernel/abi/types.h).  The shell closes its own copies of the pipe ends as
 * soon as a stage has its own: a reader sees end of file only when every
 * write handle is gone.  Then it waits for each stage, in order.
 */
#include <ember.h>
#include <service.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "user/sh.h"

#define MAX_WORDS       32
#define PATH_MAX_LEN    128
#define PROMPT          "ember$ "

/*
 * Splits |line| in place into at most |max| - 1 words; returns the count (the
 * array ends with NULL), or -1 when there are more words than that.
 */
static int split(char *line, char **words, int max)
{
    int n = 0;

    for (char *p = line; *p;) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            *p++ = '\0';
        if (!*p)
            break;
        if (n == max - 1)
            return -1;
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
           "Programs live in /bin (try 'ls').  Builtins: exit [code], help, kill PID|%%n [CODE].\n"
           "Join programs with '|' to pipe one's output into the next: 'echo hi | cat'.\n"
           "Ctrl-C ends the line running in the foreground.\n"
           "Left/Right, Home/End (Ctrl-A/E), Backspace, Delete and Ctrl-U edit the line;\n"
           "Up/Down recall the last 16 lines, in any program that reads the console.\n"
           "End a line with '&' to run it in the background as job %%n: 'kvserver &'.\n"
           "Jobs: 'jobs' lists them, 'fg %%n' waits for one (Ctrl-C ends it), 'wait' for all,\n"
           "'kill %%n' ends one; '[n] done' says one has ended.  Only the foreground reads\n"
           "what you type: a background job that reads waits until 'fg'.\n");
}

/* The builtin kill PID [CODE]: the shell may end what it started, by pid (kill %n: sh_jobs.c). */
static void kill_builtin(char **words)
{
    if (!words[1]) {
        printf("usage: kill PID|%%n [CODE]\n");
        return;
    }
    handle_t h = process_open(atol(words[1]));
    long err = h < 0 ? h : process_kill(h, words[2] ? atol(words[2]) : KILL_DEFAULT_CODE);

    if (h > 0)
        handle_close(h);
    if (err < 0)
        printf("kill: %s: %s\n", words[1], errstr(err));
}

/* Cuts |line| at each '|' outside double quotes; the count of stages, or 0 if there are too many. */
static int split_stages(char *line, char **stages, int max)
{
    int n = 1, quoted = 0;

    stages[0] = line;
    for (char *p = line; *p; p++) {
        if (*p == '"')
            quoted = !quoted;
        if (*p != '|' || quoted)
            continue;
        if (n == max)
            return 0;
        *p = '\0';
        stages[n++] = p + 1;
    }
    return n;
}

/* Starts |words| reading |in| and writing |out| (0: the console); its handle, or 0 after saying why not. */
static handle_t start(char **words, handle_t in, handle_t out)
{
    char path[PATH_MAX_LEN];

    if (strchr(words[0], '/'))
        snprintf(path, sizeof path, "%s", words[0]);
    else
        snprintf(path, sizeof path, "/bin/%s", words[0]);
    handle_t h = spawn_io(path, (const char *const *)words, in, out);
    if (h < 0) {
        printf("sh: %s: %s\n", words[0], h == E_NOTFOUND ? "command not found" : errstr(h));
        return 0;
    }
    return h;
}

static void close_if_open(handle_t h)
{
    if (h > 0)
        handle_close(h);
}

/*
 * Runs the |n| stages |words|[0] | |words|[1] | ..., then waits for them all
 * unless |background|.  The whole line runs in a job of its own, nested in
 * the shell's (job_set_spawn): its programs' limits and usage are counted
 * apart from the shell's, ps shows them, and one job_kill ends them all
 * (Ctrl-C, kill %n).  |text| is the line as typed.
 */
static void run(char **words[], int n, bool background, const char *text)
{
    static struct sh_job j;
    handle_t in = 0, job = job_create(0, NULL);
    int started;

    if (job < 0 || job_set_spawn(job) < 0) {
        printf("sh: job: %s\n", errstr(job < 0 ? job : E_ACCESS));
        close_if_open(job);
        return;
    }
    memset(&j, 0, sizeof j);
    for (started = 0; started < n; started++) {
        handle_t ends[PIPE_ENDS] = { 0, 0 };
        long err = started < n - 1 ? pipe_create(ends) : 0;
        if (err < 0) {
            printf("sh: pipe: %s\n", errstr(err));
            break;
        }
        j.procs[started] = start(words[started], in, ends[PIPE_WRITE_END]);
        snprintf(j.names[started], NAME_MAX_LEN, "%s", words[started][0]);
        close_if_open(in);                  /* the stage has its own copies now */
        close_if_open(ends[PIPE_WRITE_END]);
        in = ends[PIPE_READ_END];
    }
    close_if_open(in);
    job_set_spawn(0);                       /* the shell's own children: none but these */
    j.job = job;
    j.nprocs = started;
    snprintf(j.text, sizeof j.text, "%s", text);
    bool any = false;
    for (int i = 0; i < started; i++)
        any = any || j.procs[i] > 0;
    if (background && any)
        jobs_background(&j);
    else
        jobs_foreground(&j);                /* Ctrl-C at the console ends it (user/consoled.c) */
}

/* Whether the last stage ends with the word "&"; if so, removes it. */
static bool take_background(char **last)
{
    int n = 0;

    while (last[n])
        n++;
    if (n == 0 || strcmp(last[n - 1], "&") != 0)
        return false;
    last[n - 1] = NULL;
    return true;
}

/* Splits |line| into stages of words; the number of stages, 0 for an empty line, -1 after an error. */
static int parse(char *line, char **words[], char *storage[][MAX_WORDS])
{
    char *stages[MAX_STAGES];
    int n = split_stages(line, stages, MAX_STAGES);

    if (n == 0) {
        printf("sh: at most %d programs in a pipeline\n", MAX_STAGES);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        int nwords = split(stages[i], storage[i], MAX_WORDS);

        words[i] = storage[i];
        if (nwords < 0) {
            printf("sh: at most %d words to a program\n", MAX_WORDS - 1);
            return -1;
        }
        if (nwords == 0) {
            if (n > 1)
                printf("sh: a pipeline stage is empty\n");
            return n > 1 ? -1 : 0;
        }
    }
    return n;
}

/*
 * Reads a line into |line| (|size| bytes) without its '\n'; false at the end
 * of input.  A line too long for it is read to its end and dropped (an empty
 * line, and a message): running the part that fit, or the rest as a line of
 * its own, would run something nobody typed.
 */
static bool read_line(char *line, int size)
{
    size_t len;
    int c = 0;

    if (!fgets(line, size, stdin))
        return false;
    len = strcspn(line, "\n");
    if (line[len] == '\n' || len < (size_t)size - 1 || (c = getchar()) == '\n' || c == EOF) {
        line[len] = '\0';              /* a whole line (the last may lack its '\n') */
        return true;
    }
    while (c != '\n' && c != EOF)
        c = getchar();
    printf("sh: line too long (at most %d characters)\n", size - 1);
    line[0] = '\0';
    return true;
}

/* |line| as typed, for the job table: without surrounding blanks and a final '&'. */
static void line_text(const char *line, char *text, size_t size)
{
    size_t len;

    while (*line == ' ' || *line == '\t')
        line++;
    snprintf(text, size, "%s", line);
    len = strlen(text);
    while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        text[--len] = '\0';
    if (len > 0 && text[len - 1] == '&')
        text[--len] = '\0';
    while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        text[--len] = '\0';
}

int main(void)
{
    char line[LINE_MAX_LEN], text[LINE_MAX_LEN];
    char *storage[MAX_STAGES][MAX_WORDS];
    char **words[MAX_STAGES];

    if (isatty(STDIN_HANDLE))
        console_set_foreground(0);      /* at the prompt only we read what is typed */
    for (;;) {
        jobs_notices();                 /* "[n] done" for background jobs that ended */
        printf(PROMPT);
        fflush(stdout);
        if (!read_line(line, sizeof line))
            return 0;
        line_text(line, text, sizeof text);
        int n = parse(line, words, storage);
        if (n <= 0)
            continue;
        bool background = take_background(words[n - 1]);
        if (!words[n - 1][0]) {
            printf("sh: nothing to run in the background\n");
            continue;
        }
        if (n == 1 && strcmp(words[0][0], "exit") == 0)
            return words[0][1] ? atoi(words[0][1]) : 0;
        if (background && jobs_full())
            printf("sh: too many background jobs (end one with kill %%n)\n");
        else if (n == 1 && strcmp(words[0][0], "help") == 0)
            help();
        else if (n == 1 && jobs_builtin(words[0]))
            ;
        else if (n == 1 && strcmp(words[0][0], "kill") == 0)
            kill_builtin(words[0]);
        else
            run(words, n, background, text);
    }
}
