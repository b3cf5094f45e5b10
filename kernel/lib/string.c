/*
 * string.c: memory and string helpers for the kernel.  memset and memcpy use
 * "rep stosq"/"rep movsq" for the bulk: QEMU counts every repetition, so
 * moving 8 bytes per step keeps page clears and copies short (TESTING.md).
 */
#include <stdint.h>
#include "kernel/lib/string.h"

void *memset(void *dst, int c, size_t n)
{
    uint8_t *d = dst;

    if (n >= 64 && ((uintptr_t)d & 7) == 0) {
        uint64_t v = 0x0101010101010101ull * (uint8_t)c;
        size_t q = n / 8;
        __asm__ volatile("rep stosq" : "+D"(d), "+c"(q) : "a"(v) : "memory");
        n &= 7;
    }
    while (n--)
        *d++ = (uint8_t)c;
    return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;

    if (n >= 64) {
        size_t q = n / 8;
        __asm__ volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(q) : : "memory");
        n &= 7;
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;

    if (d <= s || d >= s + n)
        return memcpy(dst, src, n);
    while (n--)
        d[n] = s[n];
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;

    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return x[i] - y[i];
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (uint8_t)*a - (uint8_t)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b || !*a)
            return (uint8_t)*a - (uint8_t)*b;
    }
    return 0;
}

char *strstr(const char *hay, const char *needle)
{
    size_t n = strlen(needle);

    for (; *hay; hay++)
        if (strncmp(hay, needle, n) == 0)
            return (char *)hay;
    return n ? NULL : (char *)hay;
}
