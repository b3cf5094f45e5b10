/*
 * getline.c: getline and getdelim, a line of any length into a buffer that
 * grows with realloc (POSIX).  They read with fgetc: simple, and each byte
 * is a few instructions under the FILE's lock, which is what getc costs
 * anyway.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define GETLINE_FIRST_CAP 128   /* the first buffer, when the caller passes none */

/* Makes room for |need| bytes in *|line|, doubling; false (errno set) when it cannot. */
static bool grow(char **line, size_t *cap, size_t need)
{
    size_t n = *cap ? *cap : GETLINE_FIRST_CAP;
    char *p;

    if (need <= *cap && *line)
        return true;
    while (n < need)
        n = n > SIZE_MAX / 2 ? need : n * 2;
    p = realloc(*line, n);
    if (!p) {
        errno = ENOMEM;
        return false;
    }
    *line = p;
    *cap = n;
    return true;
}

ssize_t getdelim(char **line, size_t *cap, int delim, FILE *f)
{
    size_t len = 0;
    int c;

    if (!line || !cap || !f) {
        errno = EINVAL;
        return -1;
    }
    if (!*line)
        *cap = 0;
    while ((c = fgetc(f)) != EOF) {
        if (len == (size_t)LONG_MAX - 1) {
            errno = EOVERFLOW;
            return -1;
        }
        if (!grow(line, cap, len + 2))
            return -1;
        (*line)[len++] = (char)c;
        if (c == delim)
            break;
    }
    if (len == 0)
        return -1;
    (*line)[len] = '\0';
    return (ssize_t)len;
}

ssize_t getline(char **line, size_t *cap, FILE *f)
{
    return getdelim(line, cap, '\n', f);
}
