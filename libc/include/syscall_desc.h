/*
 * syscall_desc.h: a description of every system call, for the tracer and
 * the bad-input tests: syscall_descs[SYS_console_write] is
 *     { "console_write", 2, { ARG_PTR_IN, ARG_LEN }, { "buf", "len" } }
 * generated from kernel/abi/syscalls.def by libc/syscall_desc.c, so it can
 * never disagree with the stubs.  Unused argument slots are ARG_NONE / NULL.
 */
#ifndef EMBER_SYSCALL_DESC_H
#define EMBER_SYSCALL_DESC_H

#include "kernel/abi/syscalls.h"

extern const struct syscall_desc syscall_descs[SYSCALL_COUNT];

#endif
