/*
 * ls: lists the boot filesystem, each file with its size.  With an
 * argument, only the paths that start with it ("ls /bin").
 */
#include <ember.h>
#include <stdio.h>
#include <string.h>

#define PATH_MAX_LEN 128

int main(int argc, char **argv)
{
    char path[PATH_MAX_LEN];
    const char *prefix = argc > 1 ? argv[1] : "";
    long size;

    for (long i = 0; (size = file_list(i, path, sizeof path)) >= 0; i++)
        if (strncmp(path, prefix, strlen(prefix)) == 0)
            printf("%8ld  %s\n", size, path);
    return 0;
}
