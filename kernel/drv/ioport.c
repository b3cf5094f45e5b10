/*
 * ioport.c: the I/O-port range object and each process's I/O permission
 * bitmap (ioport.h).
 *
 * The CPU checks a ring-3 `in` or `out` (IOPL stays 0) against the bitmap
 * the TSS points at: one bit per port, 0 = allowed.  A process that enabled
 * ranges owns a struct io_space, the bitmap it should see plus the ranges
 * that made it; every other process has none (process->io is NULL).  On a
 * switch, ioport_switch points the TSS at the process's bitmap (copying
 * only its first |nbytes| bytes, and only when another process's bitmap
 * was there last), or moves the TSS's bitmap offset past the segment limit,
 * where every port traps: for a process without ports that is one store,
 * or nothing when the last process had none either.
 *
 * Ports the kernel drives itself (PIC, PIT, the debug-exit port, and what a
 * kernel driver reserves at boot) are refused when a range is created, so
 * no handle to them can exist.
 *
 * Exports: ioport_type and the functions of ioport.h.  Not locked yet: it
 * relies on threads running on CPU 0 only (docs/14-smp.md, "The lock list").
 */
#include "kernel/abi/errors.h"
#include "kernel/abi/rights.h"
#include "kernel/abi/types.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/drv/ioport.h"
#include "kernel/drv/resource.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/string.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/usercopy.h"
#include "kernel/proc/process.h"
#include "kernel/sched/sched.h"

#define RESERVED_MAX    16

struct ioport {
    struct ob ob;
    uint64_t base, count;
};

struct io_space {
    uint8_t bits[TSS_IO_BITMAP_BYTES];     /* 1 = trap, as the CPU reads it */
    uint32_t nbytes;                        /* bytes up to the highest open port's */
    struct ioport *grants[IOPORT_GRANTS_MAX];   /* each holds a reference */
};

static struct { uint64_t base, count; } reserved[RESERVED_MAX] = {
    { 0x20, 2 },                /* PIC 1 */
    { 0x40, 4 },                /* PIT */
    { 0xa0, 2 },                /* PIC 2 */
    { 0xf4, 4 },                /* QEMU's isa-debug-exit (the test runner's exit path) */
    { 0x4d0, 2 },               /* the PICs' edge/level control */
};
static int nreserved = 5;

static struct ioport *ioport_of(struct ob *o)
{
    return (struct ioport *)o;
}

const struct ob_type ioport_type = {
    .name = "ioport",
    .code = OB_TYPE_IOPORT,
    .tag = TAG("IoPt"),
    .valid_rights = RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_MAP | RIGHT_INFO,
    .default_rights = RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_MAP | RIGHT_INFO,
};

void ioport_reserve(uint64_t base, uint64_t count)
{
    ASSERT(nreserved < RESERVED_MAX);
    reserved[nreserved].base = base;
    reserved[nreserved].count = count;
    nreserved++;
}

static bool touches_reserved(uint64_t base, uint64_t count)
{
    for (int i = 0; i < nreserved; i++)
        if (base < reserved[i].base + reserved[i].count && reserved[i].base < base + count)
            return true;
    return false;
}

long ioport_create(struct ob *res, uint64_t base, uint64_t count, struct ob **out)
{
    struct ioport *io;

    if (count == 0 || base >= IOPORT_COUNT || count > IOPORT_COUNT - base)
        return E_INVAL;
    if (!resource_covers(res, RESOURCE_IOPORT, base, count))
        return E_ACCESS;
    if (touches_reserved(base, count))
        return E_BUSY;
    io = ob_create(&ioport_type, sizeof *io);
    if (!io)
        return E_NOMEM;
    io->base = base;
    io->count = count;
    *out = &io->ob;
    return 0;
}

/* Sets (trap) or clears (allow) the bits of |io|'s ports in |s|. */
static void set_bits(struct io_space *s, const struct ioport *io, bool trap)
{
    for (uint64_t port = io->base; port < io->base + io->count; port++) {
        uint8_t bit = (uint8_t)(1u << (port % 8));
        s->bits[port / 8] = trap ? s->bits[port / 8] | bit : s->bits[port / 8] & ~bit;
    }
}

/* Recomputes |s|'s bitmap and length from its grants. */
static void rebuild(struct io_space *s)
{
    memset(s->bits, 0xff, sizeof s->bits);
    s->nbytes = 0;
    for (int i = 0; i < IOPORT_GRANTS_MAX; i++) {
        struct ioport *io = s->grants[i];
        if (!io)
            continue;
        set_bits(s, io, false);
        uint32_t end = (uint32_t)((io->base + io->count + 7) / 8);
        if (end > s->nbytes)
            s->nbytes = end;
    }
}

/* The TSS must show |p|'s new bitmap: forget the copy there, and reload it if |p| runs now. */
static void changed(struct process *p)
{
    tss_io_bitmap_forget();
    if (current_process() == p)
        ioport_switch(p);
}

static long add_grant(struct io_space *s, struct ioport *io)
{
    for (int i = 0; i < IOPORT_GRANTS_MAX; i++)
        if (s->grants[i] == io)
            return 0;                       /* already open: nothing changes */
    for (int i = 0; i < IOPORT_GRANTS_MAX; i++) {
        if (!s->grants[i]) {
            ob_ref(&io->ob);
            s->grants[i] = io;
            return 0;
        }
    }
    return E_LIMIT;
}

long ioport_enable(struct process *p, struct ob *o)
{
    long err;

    if (!p->io) {
        p->io = kmalloc(sizeof *p->io, TAG("IoBm"));
        if (!p->io)
            return E_NOMEM;
        memset(p->io->grants, 0, sizeof p->io->grants);
        rebuild(p->io);
    }
    err = add_grant(p->io, ioport_of(o));
    if (err == 0) {
        rebuild(p->io);
        changed(p);
    } else if (p->io->nbytes == 0) {
        ioport_release_all(p);              /* the table we just made, empty */
    }
    return err;
}

long ioport_disable(struct process *p, struct ob *o)
{
    for (int i = 0; p->io && i < IOPORT_GRANTS_MAX; i++) {
        if (p->io->grants[i] == ioport_of(o)) {
            p->io->grants[i] = NULL;
            ob_unref(o);
            rebuild(p->io);
            if (p->io->nbytes == 0)
                ioport_release_all(p);
            changed(p);
            return 0;
        }
    }
    return E_NOTFOUND;
}

void ioport_release_all(struct process *p)
{
    struct io_space *s = p->io;

    if (!s)
        return;
    p->io = NULL;
    for (int i = 0; i < IOPORT_GRANTS_MAX; i++)
        if (s->grants[i])
            ob_unref(&s->grants[i]->ob);
    kfree(s);
    changed(p);
}

void ioport_switch(struct process *p)
{
    if (p->io)
        tss_io_bitmap_load(p->io, p->io->bits, p->io->nbytes);
    else
        tss_io_bitmap_off();
}

void ioport_init(void)
{
    sched_hooks.switch_process = ioport_switch;
    process_hooks.release_io = ioport_release_all;
}

/* ---- the fault message ---------------------------------------------------------- */

#define OP_SIZE_PREFIX  0x66
#define OP_IN_IMM       0xe4        /* e4/e5 in, e6/e7 out: port in the next byte */
#define OP_OUT_IMM_END  0xe7
#define OP_IN_DX        0xec        /* ec/ed in, ee/ef out: port in dx */
#define OP_OUT_DX_END   0xef
#define OP_INS          0x6c        /* 6c..6f ins/outs: port in dx */
#define OP_OUTS_END     0x6f
#define INSN_PEEK       3

/* The port an I/O instruction at |f|'s rip uses, or -1 if it is not one. */
static long faulting_port(const struct trap_frame *f)
{
    uint8_t insn[INSN_PEEK];
    int at = 0;

    if (copy_from_user(insn, user_ptr_of(f->rip), sizeof insn) < 0)
        return -1;
    if (insn[at] == OP_SIZE_PREFIX)
        at++;
    if (insn[at] >= OP_IN_IMM && insn[at] <= OP_OUT_IMM_END)
        return insn[at + 1];
    if ((insn[at] >= OP_IN_DX && insn[at] <= OP_OUT_DX_END) ||
        (insn[at] >= OP_INS && insn[at] <= OP_OUTS_END))
        return (long)(f->rdx & 0xffff);
    return -1;
}

void ioport_note_fault(const struct trap_frame *f)
{
    struct process *p = current_process();
    long port = faulting_port(f);

    if (port < 0 || p->status.state != PROCESS_RUNNING)
        return;
    p->status.fault_port = FAULT_PORT_VALID | (uint64_t)port;
    kprintf("ioport: process %lu (%s) used I/O port 0x%lx, which it was not granted; ending it\n",
            p->pid, p->name, port);
}
