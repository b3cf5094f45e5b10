/*
 * usercopy.c: range checks around the fault-tolerant copy loops of
 * usercopy_loops.S.  The loops run with RFLAGS.AC set, the one window in which
 * SMAP lets the kernel touch user pages; a fault inside them jumps, through
 * the exception-fixup table (trap.c), to code that returns -1.
 */
#include "kernel/abi/errors.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/lib/panic.h"
#include "kernel/mm/usercopy.h"

_Static_assert(E_FAULT == -3, "usercopy_loops.S returns E_FAULT by value");

long user_copy(void *dst, const void *src, size_t len);        /* usercopy_loops.S: 0 or E_FAULT */
long user_copy_stac(void *dst, const void *src, size_t len);   /* the same, with STAC/CLAC */
long user_strncpy(char *dst, const char *src, size_t max);     /* length, -1 fault, -2 no NUL */
long user_writable(void *addr, size_t len);                     /* 0 or E_FAULT */
long user_writable_stac(void *addr, size_t len);

/* The loops every copy jumps to: pushf/popf unless usercopy_init finds SMAP on. */
static long (*copy_loop)(void *dst, const void *src, size_t len) = user_copy;
static long (*writable_probe)(void *addr, size_t len) = user_writable;

void usercopy_init(void)
{
    if (read_cr4() & CR4_SMAP) {        /* cpu_init turned it on: STAC and CLAC exist */
        copy_loop = user_copy_stac;
        writable_probe = user_writable_stac;
    }
}

long copy_from_user(void *dst, user_ptr src, size_t len)
{
    if (!user_range_ok(src.addr, len))
        return E_FAULT;
    return copy_loop(dst, (const void *)src.addr, len);       /* a jump: no frame of its own */
}

long copy_to_user(user_ptr dst, const void *src, size_t len)
{
    if (!user_range_ok(dst.addr, len))
        return E_FAULT;
    return copy_loop((void *)dst.addr, src, len);
}

long check_writable(user_ptr dst, size_t len)
{
    ASSERT(len > 0 && len <= PAGE_SIZE);    /* two bytes probe at most two pages */
    if (!user_range_ok(dst.addr, len))
        return E_FAULT;
    return writable_probe((void *)dst.addr, len);
}

long strncpy_from_user(char *dst, user_ptr src, size_t max)
{
    if (src.addr >= USER_TOP || max == 0)
        return src.addr >= USER_TOP ? E_FAULT : E_TOOBIG;
    /* Never read past the user half: a string running into it is a bad address. */
    size_t room = USER_TOP - src.addr;
    size_t limit = max < room ? max : room;
    long n = user_strncpy(dst, (const char *)src.addr, limit);

    if (n == -1)
        return E_FAULT;
    if (n == -2)
        return limit < max ? E_FAULT : E_TOOBIG;
    return n;
}
