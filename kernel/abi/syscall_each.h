/*
 * For code that needs only each call's name from syscalls.def: define
 * SYSCALL_EACH(name), include this file, and it expands once per call, in
 * the list's order.  (No include guard: it is meant to be included often.)
 */
#define SYSCALL0(name) SYSCALL_EACH(name)
#define SYSCALL1(name, ...) SYSCALL_EACH(name)
#define SYSCALL2(name, ...) SYSCALL_EACH(name)
#define SYSCALL3(name, ...) SYSCALL_EACH(name)
#define SYSCALL4(name, ...) SYSCALL_EACH(name)
#define SYSCALL5(name, ...) SYSCALL_EACH(name)
#define SYSCALL6(name, ...) SYSCALL_EACH(name)
#include "kernel/abi/syscalls.def"
#undef SYSCALL0
#undef SYSCALL1
#undef SYSCALL2
#undef SYSCALL3
#undef SYSCALL4
#undef SYSCALL5
#undef SYSCALL6
#undef SYSCALL_EACH
