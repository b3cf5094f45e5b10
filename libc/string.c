/*
 * string.c: the rest of <string.h>.  memset, memcpy, memmove, memcmp,
 * strlen, strnlen, strcmp, strncmp and strstr are the kernel's own
 * (kernel/lib/string.c), which the Makefile builds into libc as well: one
 * copy of each, with the "rep movsq" bulk paths that keep copies cheap
 * under QEMU's instruction count.  What is here is plain byte loops.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *memchr(const void *s, int c, size_t n)
{
    const uint8_t *p = s;

    for (size_t i = 0; i < n; i++)
        if (p[i] == (uint8_t)c)
            return (void *)(p + i);
    return NULL;
}

char *strcpy(char *dst, const char *src)
{
    return memcpy(dst, src, strlen(src) + 1);
}

/* As in C: pads with NULs up to |n|, and leaves |dst| unterminated when |src| is that long. */
char *strncpy(char *dst, const char *src, size_t n)
{
    size_t len = strnlen(src, n);

    memcpy(dst, src, len);
    memset(dst + len, 0, n - len);
    return dst;
}

char *strcat(char *dst, const char *src)
{
    strcpy(dst + strlen(dst), src);
    return dst;
}

/* Appends at most |n| characters of |src|, then always a NUL. */
char *strncat(char *dst, const char *src, size_t n)
{
    char *end = dst + strlen(dst);
    size_t len = strnlen(src, n);

    memcpy(end, src, len);
    end[len] = '\0';
    return dst;
}

/* The terminating NUL counts as part of the string: strchr(s, 0) finds it. */
char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (!*s)
            return NULL;
    }
}

char *strrchr(const char *s, int c)
{
    const char *found = NULL;

    for (;; s++) {
        if (*s == (char)c)
            found = s;
        if (!*s)
            return (char *)found;
    }
}

size_t strspn(const char *s, const char *accept)
{
    size_t n = 0;

    while (s[n] && strchr(accept, s[n]))
        n++;
    return n;
}

size_t strcspn(const char *s, const char *reject)
{
    size_t n = 0;

    while (s[n] && !strchr(reject, s[n]))
        n++;
    return n;
}

/* A continuation (|s| NULL) before any first call, or after the end, finds no token. */
char *strtok_r(char *s, const char *delim, char **save)
{
    char *end;

    if (!s)
        s = *save;
    if (!s)
        return NULL;
    s += strspn(s, delim);
    if (!*s) {
        *save = s;
        return NULL;
    }
    end = s + strcspn(s, delim);
    if (*end)
        *end++ = '\0';
    *save = end;
    return s;
}

char *strtok(char *s, const char *delim)
{
    static char *save;

    return strtok_r(s, delim, &save);
}

char *strdup(const char *s)
{
    size_t len = strlen(s) + 1;
    char *copy = malloc(len);

    return copy ? memcpy(copy, s, len) : NULL;
}
