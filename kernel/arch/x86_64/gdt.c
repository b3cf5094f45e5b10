/*
 * gdt.c: the Global Descriptor Table and the Task State Segment.
 *
 * In long mode segments are flat; the GDT matters for privilege (the DPL of
 * the code segment is the CPU's ring) and to point at the TSS, which holds
 * the stack pointers the CPU loads when an interrupt arrives from ring 3
 * (rsp0) or on a critical exception (the IST stacks).
 */
#include "kernel/arch/x86_64/gdt.h"

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
static struct tss tss;
static uint8_t double_fault_stack[DOUBLE_FAULT_STACK_SIZE] __attribute__((aligned(16)));

static void tss_descriptor(uint64_t *slot)
{
    uint64_t base = (uint64_t)&tss, limit = sizeof tss - 1;

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
    tss.iomap_base = sizeof tss;    /* no I/O bitmap: every port traps in ring 3 */
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
