/*
 * status.c: how a process ended, in words (describe_status), and the names
 * of the CPU exceptions that can end one (fault_name).
 */
#include <stdio.h>
#include <ember.h>

#define VEC_PAGE_FAULT  14
#define PROGRAM_WHERE_MAX   96      /* "in {{pc NAME 0x...}}" with a process name of up to 31 bytes */

static const char *const fault_names[] = {
    [0] = "divide error",
    [1] = "debug exception",
    [2] = "NMI",
    [3] = "breakpoint",
    [4] = "overflow",
    [5] = "bound range exceeded",
    [6] = "invalid opcode",
    [7] = "device not available",
    [8] = "double fault",
    [10] = "invalid TSS",
    [11] = "segment not present",
    [12] = "stack-segment fault",
    [13] = "general protection fault",
    [VEC_PAGE_FAULT] = "page fault",
    [16] = "x87 floating-point error",
    [17] = "alignment check",
    [18] = "machine check",
    [19] = "SIMD floating-point exception",
    [20] = "virtualization exception",
    [21] = "control protection exception",
};

const char *fault_name(unsigned long vector)
{
    if (vector < sizeof fault_names / sizeof fault_names[0] && fault_names[vector])
        return fault_names[vector];
    return "unknown fault";
}

/* "rip 0x401234", or "in {{pc hello 0x401234}}" for the host's symbolizer when the program is known. */
static void describe_where(const struct process_status *st, const char *program, char *out, size_t len)
{
    if (program)
        snprintf(out, len, "in {{pc %s %p}}", program, (void *)st->fault_rip);
    else
        snprintf(out, len, "rip %p", (void *)st->fault_rip);
}

/* "page fault at 0x0, write, page not present, rip 0x401234" */
static int describe_page_fault(const struct process_status *st, const char *where, char *buf, size_t len)
{
    const char *access = st->fault_error & FAULT_PF_FETCH ? "execute" :
                         st->fault_error & FAULT_PF_WRITE ? "write" : "read";
    const char *why = st->fault_error & FAULT_PF_PRESENT ? "protection violation" :
                      "page not present";

    return snprintf(buf, len, "page fault at %p, %s, %s, %s", (void *)st->fault_addr,
                    access, why, where);
}

int describe_status(const struct process_status *st, char *buf, size_t len)
{
    return describe_status_of(st, NULL, buf, len);
}

int describe_status_of(const struct process_status *st, const char *program, char *buf, size_t len)
{
    char where[PROGRAM_WHERE_MAX];

    switch (st->state) {
    case PROCESS_RUNNING:
        return snprintf(buf, len, "running");
    case PROCESS_EXITED:
        return snprintf(buf, len, "exited with code %ld", (long)st->exit_code);
    case PROCESS_KILLED:
        return snprintf(buf, len, "killed (code %ld)", (long)st->exit_code);
    case PROCESS_FAULTED:
        describe_where(st, program, where, sizeof where);
        if (st->fault_vector == VEC_PAGE_FAULT)
            return describe_page_fault(st, where, buf, len);
        if (st->fault_port & FAULT_PORT_VALID)
            return snprintf(buf, len, "%s %s%s: I/O port 0x%lx not granted",
                            fault_name(st->fault_vector), program ? "" : "at ", where,
                            (unsigned long)(st->fault_port & ~(uint64_t)FAULT_PORT_VALID));
        return snprintf(buf, len, "%s %s%s", fault_name(st->fault_vector), program ? "" : "at ", where);
    default:
        return snprintf(buf, len, "unknown state %lu", (unsigned long)st->state);
    }
}
