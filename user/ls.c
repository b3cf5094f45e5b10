/*
 * ls: lists the boot filesystem, sorted by path, each file with its size.
 * With an argument, only the paths that start with it ("ls /bin").
 */
#include <ember.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATH_MAX_LEN    128
#define FILES_MAX       1024

struct entry {
    char path[PATH_MAX_LEN];
    long size;
};

static struct entry entries[FILES_MAX];

static int by_path(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->path, ((const struct entry *)b)->path);
}

int main(int argc, char **argv)
{
    const char *prefix = argc > 1 ? argv[1] : "";
    size_t n = 0;
    long size;

    for (long i = 0; n < FILES_MAX && (size = file_list(i, entries[n].path, PATH_MAX_LEN)) >= 0; i++) {
        entries[n].size = size;
        if (strncmp(entries[n].path, prefix, strlen(prefix)) == 0)
            n++;
    }
    qsort(entries, n, sizeof entries[0], by_path);
    for (size_t i = 0; i < n; i++)
        printf("%8ld  %s\n", entries[i].size, entries[i].path);
    return 0;
}
