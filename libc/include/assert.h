/*
 * assert.h: assert(expr) prints "file:line: assertion failed: expr" on
 * stderr and calls abort() when |expr| is false.  With NDEBUG defined before
 * the include, assert does nothing (as in C, this header may be included
 * again with a different NDEBUG, so the macro part has no include guard).
 */
#undef assert
#ifdef NDEBUG
#define assert(expr) ((void)0)
#else
#define assert(expr) ((expr) ? (void)0 : __assert_fail(#expr, __FILE__, __LINE__))
#endif

#ifndef EMBER_ASSERT_H
#define EMBER_ASSERT_H
__attribute__((noreturn)) void __assert_fail(const char *expr, const char *file, int line);
#endif
