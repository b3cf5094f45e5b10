/*
 * The kernel half of lock_selftest (kernel/abi/types.h, LOCK_SELFTEST_*):
 * the spinlock, the sleeping lock and the lock-order validator checked from
 * inside, for tests/user/locks.c.
 */
#ifndef EMBER_LOCKTEST_H
#define EMBER_LOCKTEST_H

#include <stddef.h>

/* Runs test |which| (1..LOCK_SELFTEST_MAX), writing what it saw to |report|; its result. */
long locktest_run(long which, char *report, size_t len);

#endif
