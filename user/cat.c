/*
 * cat: prints files of the boot filesystem ("cat /README"); a missing
 * file is an error.  With no file it copies its standard input to its
 * standard output until end of input ("echo hello | cat").
 */
#include <ember.h>
#include <stdio.h>

#define CHUNK 4096

static int cat(const char *path)
{
    static char buf[CHUNK];
    handle_t f = file_open(path);
    long n, off = 0;

    if (f < 0) {
        fprintf(stderr, "cat: %s: %s\n", path, errstr(f));
        return 1;
    }
    while ((n = file_read(f, buf, sizeof buf, off)) > 0) {
        fwrite(buf, 1, (size_t)n, stdout);
        off += n;
    }
    handle_close(f);
    if (n < 0)
        fprintf(stderr, "cat: %s: %s\n", path, errstr(n));
    return n < 0;
}

/* A byte at a time through stdio: a console reader gets each line as it is typed. */
static int copy_stdin(void)
{
    int c;

    while ((c = getchar()) != EOF)
        if (putchar(c) == EOF)
            return 1;
    return ferror(stdin) != 0;
}

int main(int argc, char **argv)
{
    int status = 0;

    if (argc < 2)
        return copy_stdin();
    for (int i = 1; i < argc; i++)
        status |= cat(argv[i]);
    return status;
}
