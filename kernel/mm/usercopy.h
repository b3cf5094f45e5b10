/*
 * The only way the kernel touches user memory.  Each function checks that
 * the whole range lies in the user half (without overflow) and survives a
 * fault on an unmapped or protected page, returning E_FAULT instead.
 * Callers hold no locks (a fault may happen) and copy into kernel buffers.
 */
#ifndef EMBER_USERCOPY_H
#define EMBER_USERCOPY_H

#include <stddef.h>
#include <stdint.h>
#include "kernel/arch/x86_64/layout.h"

/* A user address: never dereferenced directly, only passed to the functions below. */
typedef struct { uint64_t addr; } user_ptr;

static inline user_ptr user_ptr_of(uint64_t a) { return (user_ptr){ a }; }
static inline user_ptr user_ptr_add(user_ptr p, uint64_t n) { return (user_ptr){ p.addr + n }; }

/* 0, or E_FAULT. */
long copy_from_user(void *dst, user_ptr src, size_t len);
long copy_to_user(user_ptr dst, const void *src, size_t len);
/*
 * 0 if [dst, dst + len) (1 to PAGE_SIZE bytes) can be written, else E_FAULT;
 * its contents stay as they are.  Cheaper than copying the bytes back.
 */
long check_writable(user_ptr dst, size_t len);
/* Copies a string of at most |max| - 1 bytes plus its NUL: its length, E_FAULT or E_TOOBIG. */
long strncpy_from_user(char *dst, user_ptr src, size_t max);
/* After cpu_init: where SMAP is on, copies set and clear RFLAGS.AC with STAC and CLAC. */
void usercopy_init(void);
/* Whether [addr, addr + len) lies inside the user half (without overflow: len is checked against the rest). */
static inline int user_range_ok(uint64_t addr, uint64_t len)
{
    return addr <= USER_TOP && len <= USER_TOP - addr;
}

#endif
