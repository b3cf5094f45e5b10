/*
 * The system call numbers, and the C type of each argument kind of
 * syscalls.def.  Shared by the kernel, libc and the tests.
 *
 * Calling convention (SYSCALL): number in rax; arguments in rdi, rsi, rdx,
 * r10, r8, r9; result in rax, >= 0 a value, < 0 an E_* code
 * (kernel/abi/errors.h).  rcx and r11 are clobbered by the instruction.
 */
#ifndef EMBER_ABI_SYSCALLS_H
#define EMBER_ABI_SYSCALLS_H

#include <stddef.h>
#include "kernel/abi/types.h"

#define ARGTYPE_HANDLE   handle_t
#define ARGTYPE_VALUE    long
#define ARGTYPE_PTR_IN   const void *
#define ARGTYPE_PTR_OUT  void *
#define ARGTYPE_LEN      size_t
#define ARGTYPE_COUNT    size_t
#define ARGTYPE_STRING   const char *
#define ARGTYPE_ARGV     const char *const *
#define ARGTYPE_FLAGS    unsigned long
#define ARGTYPE_ADDR     const void *
#define ARGTYPE_NAME     const char *

enum syscall_number {
#define SYSCALL_EACH(name) SYS_##name,
#include "kernel/abi/syscall_each.h"
    SYSCALL_COUNT
};

/* Argument kinds as values, for the syscall description table (tracer, fuzzer). */
enum syscall_arg_kind {
    ARG_NONE, ARG_HANDLE, ARG_VALUE, ARG_PTR_IN, ARG_PTR_OUT, ARG_LEN,
    ARG_COUNT, ARG_STRING, ARG_ARGV, ARG_FLAGS, ARG_ADDR, ARG_NAME,
};

struct syscall_desc {
    const char *name;
    int nargs;
    enum syscall_arg_kind kinds[6];
    const char *arg_names[6];
};

#endif
