/*
 * syscall_desc.c: the table of syscall_desc.h, generated from
 * kernel/abi/syscalls.def.  Each (KIND, name) pair of a line becomes the
 * kind ARG_KIND in .kinds and the string "name" in .arg_names.
 */
#include <syscall_desc.h>

#define KINDS1(k1, a1)          ARG_##k1
#define KINDS2(k1, a1, ...)     ARG_##k1, KINDS1(__VA_ARGS__)
#define KINDS3(k1, a1, ...)     ARG_##k1, KINDS2(__VA_ARGS__)
#define KINDS4(k1, a1, ...)     ARG_##k1, KINDS3(__VA_ARGS__)
#define KINDS5(k1, a1, ...)     ARG_##k1, KINDS4(__VA_ARGS__)
#define KINDS6(k1, a1, ...)     ARG_##k1, KINDS5(__VA_ARGS__)

#define NAMES1(k1, a1)          #a1
#define NAMES2(k1, a1, ...)     #a1, NAMES1(__VA_ARGS__)
#define NAMES3(k1, a1, ...)     #a1, NAMES2(__VA_ARGS__)
#define NAMES4(k1, a1, ...)     #a1, NAMES3(__VA_ARGS__)
#define NAMES5(k1, a1, ...)     #a1, NAMES4(__VA_ARGS__)
#define NAMES6(k1, a1, ...)     #a1, NAMES5(__VA_ARGS__)

#define DESC(name, n, ...) \
    [SYS_##name] = { #name, n, { KINDS##n(__VA_ARGS__) }, { NAMES##n(__VA_ARGS__) } },

const struct syscall_desc syscall_descs[SYSCALL_COUNT] = {
#define SYSCALL0(name)      [SYS_##name] = { #name, 0, { ARG_NONE }, { NULL } },
#define SYSCALL1(name, ...) DESC(name, 1, __VA_ARGS__)
#define SYSCALL2(name, ...) DESC(name, 2, __VA_ARGS__)
#define SYSCALL3(name, ...) DESC(name, 3, __VA_ARGS__)
#define SYSCALL4(name, ...) DESC(name, 4, __VA_ARGS__)
#define SYSCALL5(name, ...) DESC(name, 5, __VA_ARGS__)
#define SYSCALL6(name, ...) DESC(name, 6, __VA_ARGS__)
#include "kernel/abi/syscalls.def"
};
