/*
 * gdt.c: the Global Descriptor Table and the Task State Segment.
 *
 * In long mode segments are flat; the GDT matters for privilege (the DPL of
 * the code segment is the CPU's ring) and to point at the TSS, which holds
 * the stack pointers the CPU loads when an interrupt arrives from ring 3
 * (rsp0) or on a critical exception (the IST stacks).
 *
 * The TSS also carries the I/O permission bitmap a ring-3 `in`/`out` is
 * checked against (IOPL stays 0).  Its offset field points either at the
 * bitmap, while a process with I/O ports runs, or past the segment's limit,
 * where every port traps: switching to a process without ports is one
 * store (kernel/drv/ioport.c decides which).  The byte after the bitmap
 * must be 0xff: the CPU reads two bytes for every check.
 *
 * Every other CPU gets a GDT and a TSS of its own (gdt_init_ap): a TSS is
 * marked busy when loaded, so two CPUs cannot share one, and each needs its
 * own double-fault and NMI stacks.  Theirs have no I/O bitmap yet, since only the
 * boot CPU runs threads (docs/14-smp.md).
 */
#include <stddef.h>
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/madt.h"
#include "kernel/lib/string.h"

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

struct gdt_ptr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

/* Descriptor bits: present, DPL, code/data, executable, writable, long mode. */
#define SEG_P       (1ull << 47)
#define SEG_DPL3    (3ull << 45)
#define SEG_S       (1ull << 44)
#define SEG_CODE    (1ull << 43)
#define SEG_RW      (1ull << 41)
#define SEG_L       (1ull << 53)
#define SEG_TSS64   (9ull << 40)    /* available 64-bit TSS */

#define DOUBLE_FAULT_STACK_SIZE 8192

/* The other CPUs' tables: index 0, the boot CPU's, stays unused. */
static struct {
    uint64_t gdt[8];
    struct tss task;
} __attribute__((aligned(16))) ap_tables[MAX_CPUS];

static uint64_t gdt[8];             /* null, kcode, kdata, ucode32, udata, ucode, tss (2 slots) */
static struct {
    struct tss tss;
    uint8_t iomap[TSS_IO_BITMAP_BYTES];
    uint8_t iomap_end;              /* always 0xff */
} __attribute__((packed)) tss_io;
#define tss (tss_io.tss)
#define IOMAP_ON    offsetof(typeof(tss_io), iomap)
#define IOMAP_OFF   sizeof tss_io   /* past the limit: every port traps */
static const void *iomap_owner;     /* whose bitmap iomap holds, or NULL */
static uint32_t iomap_dirty;        /* iomap bytes from 0 that may not be 0xff */
static uint8_t double_fault_stack[DOUBLE_FAULT_STACK_SIZE] __attribute__((aligned(16)));
static uint8_t nmi_stack[DOUBLE_FAULT_STACK_SIZE] __attribute__((aligned(16)));

static void tss_descriptor(uint64_t *slot, uint64_t base, uint64_t limit)
{
    slot[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) | SEG_TSS64 | SEG_P |
              (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    slot[1] = base >> 32;
}

/* The segments every CPU has, and its TSS's descriptor. */
static void gdt_fill(uint64_t *g, const void *tss_base, uint64_t tss_size)
{
    g[GDT_KERNEL_CS / 8] = SEG_P | SEG_S | SEG_CODE | SEG_RW | SEG_L;
    g[GDT_KERNEL_DS / 8] = SEG_P | SEG_S | SEG_RW;
    g[GDT_USER32_CS / 8] = 0;
    g[GDT_USER_DS / 8] = SEG_P | SEG_S | SEG_RW | SEG_DPL3;
    g[GDT_USER_CS / 8] = SEG_P | SEG_S | SEG_CODE | SEG_RW | SEG_L | SEG_DPL3;
    tss_descriptor(&g[GDT_TSS / 8], (uint64_t)tss_base, tss_size - 1);
}

/* Loads the GDT |g| (8 entries), reloads every segment register from it, and the task register. */
static void gdt_load(const uint64_t *g)
{
    struct gdt_ptr p = { 8 * sizeof *g - 1, (uint64_t)g };
    __asm__ volatile(
        "lgdt %0\n\t"
        "mov %1, %%ds\n\t"
        "mov %1, %%es\n\t"
        "mov %1, %%ss\n\t"
        "pushq %2\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"                   /* reload CS */
        "1:\n\t"
        "ltr %w3"
        : : "m"(p), "r"((uint64_t)GDT_KERNEL_DS), "i"(GDT_KERNEL_CS), "r"(GDT_TSS)
        : "rax", "memory");
}

void gdt_init_ap(int cpu, uint64_t double_fault_stack_top, uint64_t nmi_stack_top)
{
    typeof(ap_tables[0].task) *t = &ap_tables[cpu].task;

    t->ist[IST_DOUBLE_FAULT - 1] = double_fault_stack_top;
    t->ist[IST_NMI - 1] = nmi_stack_top;
    t->iomap_base = sizeof *t;      /* past the limit: every port traps */
    gdt_fill(ap_tables[cpu].gdt, t, sizeof *t);
    gdt_load(ap_tables[cpu].gdt);
}

void gdt_init(void)
{
    tss.ist[IST_DOUBLE_FAULT - 1] = (uint64_t)double_fault_stack + DOUBLE_FAULT_STACK_SIZE;
    tss.ist[IST_NMI - 1] = (uint64_t)nmi_stack + sizeof nmi_stack;
    tss.iomap_base = IOMAP_OFF;     /* no I/O bitmap: every port traps in ring 3 */
    memset(tss_io.iomap, 0xff, sizeof tss_io.iomap);
    tss_io.iomap_end = 0xff;
    gdt_fill(gdt, &tss_io, sizeof tss_io);
    gdt_load(gdt);
}

void tss_set_kernel_stack(uint64_t rsp0)
{
    tss.rsp[0] = rsp0;
}

void tss_io_bitmap_load(const void *owner, const uint8_t *bits, uint32_t nbytes)
{
    tss.iomap_base = IOMAP_ON;
    if (owner == iomap_owner)
        return;                     /* still there from the last time it ran */
    memcpy(tss_io.iomap, bits, nbytes);
    if (iomap_dirty > nbytes)
        memset(tss_io.iomap + nbytes, 0xff, iomap_dirty - nbytes);
    iomap_dirty = nbytes;
    iomap_owner = owner;
}

void tss_io_bitmap_off(void)
{
    tss.iomap_base = IOMAP_OFF;
}

void tss_io_bitmap_forget(void)
{
    iomap_owner = NULL;
}
