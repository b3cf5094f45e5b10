/*
 * true_linux.c: Linux's /true for the spawn row of `make bench`: exits 0.
 *
 * Built static without libc, then padded so that each of its three loadable
 * segments (code, read-only data, data) holds as many file bytes as the
 * matching segment of Ember's /bin/true: scripts/bench_linux.py reads those
 * from Ember's ELF and passes them as CODE_BYTES, RODATA_BYTES, DATA_BYTES.
 * So both kernels exec a program of the same size, each in its own way.
 */
#include <sys/syscall.h>

__attribute__((section(".text.pad"), used)) static const char code_pad[CODE_BYTES] = { 1 };
__attribute__((used)) static const char rodata_pad[RODATA_BYTES] = { 1 };
__attribute__((used)) static char data_pad[DATA_BYTES] = { 1 };

void _start(void)
{
    __asm__ volatile("syscall" : : "a"(SYS_exit_group), "D"(0));
    __builtin_unreachable();
}
