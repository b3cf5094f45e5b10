/*
 * idt.c: the Interrupt Descriptor Table.  Every vector gets an interrupt
 * gate (interrupts off on entry) to its stub in vectors.S.  Gates are DPL 0,
 * so "int N" from ring 3 raises #GP, except the breakpoint vector, which
 * ring 3 may raise with int3 so that a debugger-style trap is reported as a
 * breakpoint rather than a protection fault.
 */
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/trap.h"

struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t zero;
} __attribute__((packed));

struct idt_ptr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

#define GATE_INTERRUPT  0x8e        /* present, DPL 0, 64-bit interrupt gate */
#define GATE_DPL3       0x60

extern const char trap_stubs_start[];
extern const uint64_t trap_stub_size;

static struct idt_gate idt[VEC_COUNT];

static void set_gate(int vec, uint8_t attr, uint8_t ist)
{
    uint64_t addr = (uint64_t)trap_stubs_start + (uint64_t)vec * trap_stub_size;

    idt[vec] = (struct idt_gate){
        .offset_low = addr & 0xffff,
        .selector = GDT_KERNEL_CS,
        .ist = ist,
        .type_attr = attr,
        .offset_mid = (addr >> 16) & 0xffff,
        .offset_high = addr >> 32,
    };
}

void idt_init(void)
{
    for (int v = 0; v < VEC_COUNT; v++)
        set_gate(v, GATE_INTERRUPT, 0);
    set_gate(VEC_BREAKPOINT, GATE_INTERRUPT | GATE_DPL3, 0);
    set_gate(VEC_DOUBLE_FAULT, GATE_INTERRUPT, IST_DOUBLE_FAULT);
    set_gate(VEC_NMI, GATE_INTERRUPT, IST_NMI);
    idt_load();
}

/* Every CPU loads the same table: the gates are the same, only the stacks (TSS) differ. */
void idt_load(void)
{
    struct idt_ptr p = { sizeof idt - 1, (uint64_t)idt };
    __asm__ volatile("lidt %0" : : "m"(p));
}
