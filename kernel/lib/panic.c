/*
 * panic.c: stop the kernel with a reason, the context it failed in and a
 * symbolized backtrace, then leave QEMU with the failure code so that a test
 * run ends at once instead of hanging.
 *
 * The kernel names each frame itself (function+offset, from ksyms.c); the
 * host adds file:line as it reads the serial log (scripts/symbolize.py), so
 * the kernel carries no line table.
 *
 * Stopping the machine, reporting who was running and leaving QEMU are the
 * floors above's to do (lib is the lowest floor, docs/00-design.md section
 * 1): panic calls them through panic_hooks, which kernel/syscall/fault_report.c
 * fills first thing at boot.
 */
#include <stdarg.h>
#include "kernel/lib/kprintf.h"
#include "kernel/lib/ksyms.h"
#include "kernel/lib/panic.h"

#define BACKTRACE_MAX_FRAMES 32

extern const uint8_t _text_start[], _text_end[];    /* linker.ld */

static void print_frame(int n, uint64_t addr, void *ctx)
{
    uint64_t off = 0;
    const char *name = ksym_lookup(addr, &off);

    (void)ctx;
    if (name)
        kprintf("  #%d %p %s+0x%lx\n", n, (void *)addr, name, off);
    else
        kprintf("  #%d %p ?\n", n, (void *)addr);      /* outside any symbol: raw */
}

/* Kernel addresses only: the walk never follows a pointer into user space. */
static int is_kernel_address(uint64_t a)
{
    return a >= 0xffff800000000000ull;
}

/* The length of an indirect call "ff /2" from its ModRM byte on (ModRM, SIB, displacement). */
static int indirect_call_length(const uint8_t *modrm)
{
    int mod = modrm[0] >> 6, rm = modrm[0] & 7, len = 1;

    if (mod == 3)
        return len;
    if (rm == 4)                        /* a SIB byte follows */
        len++;
    if (mod == 1)
        return len + 1;
    if (mod == 2 || (mod == 0 && rm == 5) || (mod == 0 && rm == 4 && (modrm[1] & 7) == 5))
        return len + 4;
    return len;
}

int call_ends_here(const uint8_t before[CALL_INSN_MAX])
{
    if (before[CALL_INSN_MAX - 5] == 0xe8)  /* call rel32 */
        return 1;
    for (int k = 0; k + 1 < CALL_INSN_MAX; k++)
        if (before[k] == 0xff && (before[k + 1] & 0x38) == 0x10 &&
            1 + indirect_call_length(&before[k + 1]) == CALL_INSN_MAX - k)
            return 1;
    return 0;
}

/*
 * The return address on top of the stack at |rsp|, when the function at the
 * top keeps no frame of its own (a leaf: GCC leaves those without one even
 * with -fno-omit-frame-pointer) and the rbp chain would skip its caller; 0 otherwise.
 */
static uint64_t frameless_caller(uint64_t rsp, uint64_t rbp)
{
    uint64_t top;

    if (!is_kernel_address(rsp) || (rsp & 7))
        return 0;
    top = *(const uint64_t *)rsp;
    if (top < (uint64_t)_text_start + CALL_INSN_MAX || top >= (uint64_t)_text_end ||
        !call_ends_here((const uint8_t *)top - CALL_INSN_MAX))
        return 0;
    if (is_kernel_address(rbp) && (rbp & 7) == 0 && ((const uint64_t *)rbp)[1] == top)
        return 0;                       /* the chain has it already */
    return top;
}

uint64_t backtrace_walk(uint64_t rip, uint64_t rsp, uint64_t rbp,
                        void (*fn)(int n, uint64_t addr, void *ctx), void *ctx)
{
    uint64_t leaf_caller = frameless_caller(rsp, rbp);
    int n = 1;

    fn(0, rip, ctx);
    if (leaf_caller)
        fn(n++, leaf_caller - 1, ctx);
    for (; n < BACKTRACE_MAX_FRAMES && is_kernel_address(rbp) && (rbp & 7) == 0; n++) {
        const uint64_t *frame = (const uint64_t *)rbp;
        if (!is_kernel_address(frame[1]))
            break;
        fn(n, frame[1] - 1, ctx);       /* -1: the call, not the instruction after it */
        rbp = frame[0];
    }
    return is_kernel_address(rbp) ? 0 : rbp;
}

uint64_t backtrace_print(uint64_t rip, uint64_t rsp, uint64_t rbp)
{
    kprintf("backtrace:\n");
    return backtrace_walk(rip, rsp, rbp, print_frame, NULL);
}

struct panic_hooks panic_hooks;

void panic(const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    if (panic_hooks.stop)
        panic_hooks.stop();
    va_start(ap, fmt);
    kvsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    kprintf("\nPANIC: %s\n", msg);
    /* Start at our caller: its address is our return address, its frame our saved rbp. */
    uint64_t *frame = __builtin_frame_address(0);
    if (panic_hooks.report)
        panic_hooks.report(frame[1] - 1, frame[0], (uint64_t)(frame + 2));
    for (;;)                            /* report leaves QEMU; without it, stay stopped here */
        continue;
}
