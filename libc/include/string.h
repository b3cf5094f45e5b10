/* string.h: memory and string functions (libc/string.c). */
#ifndef EMBER_LIBC_STRING_H
#define EMBER_LIBC_STRING_H

#include <stddef.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strcpy(char *dst, const char *src);
char *strncpy(char *dst, const char *src, size_t n);
char *strcat(char *dst, const char *src);
char *strncat(char *dst, const char *src, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *hay, const char *needle);
size_t strspn(const char *s, const char *accept);
size_t strcspn(const char *s, const char *reject);
/* strtok_r with one hidden |save| for the whole process (not for threads); NULL: continue. */
char *strtok(char *s, const char *delim);
/* The next token of |s| (NULL: continue from *|save|) delimited by |delim|, or NULL. */
char *strtok_r(char *s, const char *delim, char **save);
/* A malloc'ed copy of |s| (the caller frees it), or NULL when memory runs out. */
char *strdup(const char *s);
/* The message of errno value |e| ("No such file or directory"), glibc's words (libc/errno.c). */
char *strerror(int e);

#endif
