/*
 * kclock.c: the CMOS clock driven from the kernel (kclock.h), the other side
 * of the comparison with rtcd (docs/09-drivers.md, "Both sides").
 *
 * It is the same logic as rtcd's (cmos.c), called with a register-read
 * function that runs `in`/`out` in ring 0.  It costs one system call a
 * read and no context switch; and a bug in it is a kernel bug: the fault
 * kclock_arm_fault injects (the same NULL write svc crash makes rtcd do)
 * ends the whole machine with a kernel fault dump, where rtcd's ends one
 * process that the supervisor restarts.
 */
#include "kernel/abi/errors.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/multiboot.h"
#include "kernel/drv/cmos.h"
#include "kernel/drv/ioport.h"
#include "kernel/drv/kclock.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/string.h"

#define OPTION_MAX  16

static bool enabled;
static bool fault_armed;

void kclock_init(const char *cmdline)
{
    char opt[OPTION_MAX];

    if (cmdline_option(cmdline, "clock", opt, sizeof opt) < 0 || strcmp(opt, "kernel") != 0)
        return;
    enabled = true;
    ioport_reserve(CMOS_INDEX_PORT, CMOS_PORTS);    /* ours now: rtcd cannot have them */
    kprintf("clock: kernel-mode CMOS clock driver (clock=kernel)\n");
}

static uint8_t read_register(uint8_t reg)
{
    outb(CMOS_INDEX_PORT, CMOS_NMI_OFF | reg);
    return inb(CMOS_DATA_PORT);
}

long kclock_read(struct clock_time *t)
{
    if (!enabled)
        return E_NOTFOUND;
    if (fault_armed) {
        volatile uint64_t *null = NULL;
        __asm__ volatile("" : "+r"(null));  /* hide the constant from the optimizer */
        *null = 1;                          /* the injected bug: in ring 0, the machine's end */
    }
    cmos_read_time(read_register, t);
    return 0;
}

long kclock_arm_fault(void)
{
    if (!enabled)
        return E_NOTFOUND;
    fault_armed = true;
    return 0;
}
