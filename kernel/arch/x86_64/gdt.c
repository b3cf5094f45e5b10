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
 */
#include <stddef.h>
#include "kernel/arch/x86_64/gdt.h"
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

static void tss_descriptor(uint64_t *slot)
{
    uint64_t base = (uint64_t)&tss_io, limit = sizeof tss_io - 1;

    slot[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) | SEG_TSS64 | SEG_P |
              (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    slot[1] = base >> 32;
}

void gdt_init(void)
{
    gdt[GDT_KERNEL_CS / 8] = SEG_P | SEG_S | SEG_CODE | SEG_RW | SEG_L;
    gdt[GDT_KERNEL_DS / 8] = SEG_P | SEG_S | SEG_RW;
    gdt[GDT_USER32_CS / 8] = 0;
    gdt[GDT_USER_DS / 8] = SEG_P | SEG_S | SEG_RW | SEG_DPL3;
    gdt[GDT_USER_CS / 8] = SEG_P | SEG_S | SEG_CODE | SEG_RW | SEG_L | SEG_DPL3;
    tss.ist[IST_DOUBLE_FAULT - 1] = (uint64_t)double_fault_stack + DOUBLE_FAULT_STACK_SIZE;
    tss.iomap_base = IOMAP_OFF;     /* no I/O bitmap: every port traps in ring 3 */
    memset(tss_io.iomap, 0xff, sizeof tss_io.iomap);
    tss_io.iomap_end = 0xff;
    tss_descriptor(&gdt[GDT_TSS / 8]);

    struct gdt_ptr p = { sizeof gdt - 1, (uint64_t)gdt };
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
