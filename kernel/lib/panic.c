/*
 * panic.c: stop the kernel with a reason and a symbolized backtrace, then
 * leave QEMU with the failure code so that a test run ends at once instead
 * of hanging.
 */
#include <stdarg.h>
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/qemu.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/ksyms.h"
#include "kernel/lib/panic.h"

#define BACKTRACE_MAX_FRAMES 16

static void print_frame(int n, uint64_t addr)
{
    uint64_t off = 0;
    const char *name = ksym_lookup(addr, &off);

    if (name)
        kprintf("  #%d %p %s+0x%lx\n", n, (void *)addr, name, off);
    else
        kprintf("  #%d %p ?\n", n, (void *)addr);
}

/* Kernel addresses only: a backtrace never follows a pointer into user space. */
static int is_kernel_address(uint64_t a)
{
    return a >= 0xffff800000000000ull;
}

void backtrace_print(uint64_t rip, uint64_t rbp)
{
    kprintf("backtrace:\n");
    print_frame(0, rip);
    for (int n = 1; n < BACKTRACE_MAX_FRAMES && is_kernel_address(rbp) && (rbp & 7) == 0; n++) {
        const uint64_t *frame = (const uint64_t *)rbp;
        if (!is_kernel_address(frame[1]))
            break;
        print_frame(n, frame[1] - 1);   /* -1: the call, not the instruction after it */
        rbp = frame[0];
    }
}

void panic(const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    irq_disable();
    va_start(ap, fmt);
    kvsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    kprintf("\nPANIC: %s\n", msg);
    /* Start at our caller: its address is our return address, its frame our saved rbp. */
    uint64_t *frame = __builtin_frame_address(0);
    backtrace_print(frame[1] - 1, frame[0]);
    qemu_exit(QEMU_EXIT_FAILURE);
}
