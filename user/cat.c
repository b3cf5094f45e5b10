/* cat: prints files of the boot filesystem ("cat /bin/README"); a missing file is an error. */
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

int main(int argc, char **argv)
{
    int status = 0;

    for (int i = 1; i < argc; i++)
        status |= cat(argv[i]);
    return status;
}
