/* stdlib.h: memory, number parsing, sorting and process exit. */
#ifndef EMBER_STDLIB_H
#define EMBER_STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS    0
#define EXIT_FAILURE    1

/*
 * The heap (libc/malloc.c): 16-byte aligned blocks; NULL when memory runs
 * out.  free and realloc abort() on a pointer malloc did not return or that
 * was already freed.
 */
void *malloc(size_t size);
void free(void *p);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);

/*
 * Number parsing (libc/strtol.c), as in C: leading space, a sign, and for
 * base 0 or 16 a "0x" prefix (base 0: "0" means octal).  A value out of
 * range gives the nearest limit and sets errno to ERANGE; a base other than
 * 0 or 2..36 sets EINVAL.  atoi and atol never touch errno.
 */
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
long long strtoll(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);
int atoi(const char *s);
long atol(const char *s);

/*
 * Floating-point parsing (libc/strtod.c), correctly rounded: the double
 * nearest the decimal (or 0x hexadecimal) text, ties to even, for any
 * number of digits; "inf", "infinity", "nan" in any case.  ERANGE on
 * overflow (HUGE_VAL) or underflow.  atof is strtod that leaves errno alone.
 * strtof rounds the double; strtold returns it (no wider parsing).
 */
double strtod(const char *s, char **end);
float strtof(const char *s, char **end);
long double strtold(const char *s, char **end);
double atof(const char *s);

int abs(int v);
long labs(long v);

/*
 * Pseudo-random numbers (libc/rand.c): glibc's generator, so a program
 * seeded the same way draws the same numbers on Ember as on Linux.
 * Without srand the seed is 1.
 */
#define RAND_MAX        2147483647
int rand(void);
void srand(unsigned seed);

/* Sorting and searching (libc/qsort.c); |cmp| returns <0, 0 or >0 as for strcmp. */
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
void *bsearch(const void *key, const void *base, size_t n, size_t size,
              int (*cmp)(const void *key, const void *elem));

/*
 * Runs the functions given to atexit (last registered first), flushes
 * stdout and stderr, then ends the process with |code| (libc/exit.c).
 */
__attribute__((noreturn)) void exit(int code);
/* Has exit call |fn|; up to ATEXIT_MAX functions.  0, or -1 when the list is full. */
#define ATEXIT_MAX      32
int atexit(void (*fn)(void));
/* Prints "abort" on stderr and ends the process with ABORT_EXIT_CODE; flushes nothing. */
#define ABORT_EXIT_CODE 134     /* 128 + SIGABRT, what a Unix shell would show */
__attribute__((noreturn)) void abort(void);

#endif
