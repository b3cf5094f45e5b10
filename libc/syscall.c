/*
 * syscall.c: one stub per line of kernel/abi/syscalls.def, generated.
 *
 * SYSCALL2(console_write, PTR_IN, buf, LEN, len) becomes
 *     long console_write(const void *buf, size_t len)
 *     { return syscall2(SYS_console_write, (long)(buf), (long)(len)); }
 * so a program calls the kernel by the name the kernel gives the call.  The
 * stubs are real functions, not inline ones, so a debugger can break on them.
 */
#include <ember.h>

#define SYSCALL0(name) \
    long name(void) { return syscall0(SYS_##name); }
#define SYSCALL1(name, ...) \
    long name(SYSCALL_PARAMS1(__VA_ARGS__)) { return syscall1(SYS_##name, SYSCALL_ARGS1(__VA_ARGS__)); }
#define SYSCALL2(name, ...) \
    long name(SYSCALL_PARAMS2(__VA_ARGS__)) { return syscall2(SYS_##name, SYSCALL_ARGS2(__VA_ARGS__)); }
#define SYSCALL3(name, ...) \
    long name(SYSCALL_PARAMS3(__VA_ARGS__)) { return syscall3(SYS_##name, SYSCALL_ARGS3(__VA_ARGS__)); }
#define SYSCALL4(name, ...) \
    long name(SYSCALL_PARAMS4(__VA_ARGS__)) { return syscall4(SYS_##name, SYSCALL_ARGS4(__VA_ARGS__)); }
#define SYSCALL5(name, ...) \
    long name(SYSCALL_PARAMS5(__VA_ARGS__)) { return syscall5(SYS_##name, SYSCALL_ARGS5(__VA_ARGS__)); }
#define SYSCALL6(name, ...) \
    long name(SYSCALL_PARAMS6(__VA_ARGS__)) { return syscall6(SYS_##name, SYSCALL_ARGS6(__VA_ARGS__)); }
#include "kernel/abi/syscalls.def"
