/*
 * ap_boot.S: where another CPU starts, from real mode to the kernel's C.
 *
 * smp.c copies ap_trampoline to TRAMPOLINE_PHYS (below 1 MiB: a STARTUP
 * IPI can only name a page there) and fills in its last four words.  The
 * CPU arrives in 16-bit real mode with CS:IP = TRAMPOLINE_PHYS/16 : 0, and
 * climbs the modes boot/entry.S climbed from 32-bit:
 *   1. real mode: load the trampoline's GDT, set CR0.PE, far-jump to 32-bit;
 *   2. 32-bit: PAE, CR3 = the trampoline's PML4 (smp.c: identity for the
 *      first 2 MiB, the kernel's half as it is), EFER.LME and NXE, paging;
 *      far-jump to 64-bit code;
 *   3. 64-bit, still at low addresses: take the stack smp.c left, jump to
 *      ap_entry_64 in the higher half, which calls ap_main(cpu).
 * Everything before step 3 runs at TRAMPOLINE_PHYS, not where this was
 * linked: TRAMP(x) is x's address in the copy.
 */
#include "kernel/arch/x86_64/smp_boot.h"

#define TRAMP(x)        ((x) - ap_trampoline + TRAMPOLINE_PHYS)
#define CODE32          0x08
#define DATA            0x10
#define CODE64          0x18
#define CR0_PE          (1 << 0)
#define CR0_MP          (1 << 1)
#define CR0_ET          (1 << 4)
#define CR0_NE          (1 << 5)
#define CR0_WP          (1 << 16)
#define CR0_PG          (1 << 31)
#define CR4_PAE         (1 << 5)
#define MSR_EFER        0xc0000080
#define EFER_LME        (1 << 8)
#define EFER_NXE        (1 << 11)

    .section .rodata                /* copied, never run where it is linked */
    .global ap_trampoline
    .code16
ap_trampoline:
    cli
    cld
    movw %cs, %ax                   /* = TRAMPOLINE_PHYS / 16 */
    movw %ax, %ds
    lgdtl tramp_gdt_ptr - ap_trampoline
    movl %cr0, %eax
    orl $CR0_PE, %eax
    movl %eax, %cr0
    ljmpl $CODE32, $TRAMP(pm32)

    .code32
pm32:
    movw $DATA, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movl %cr4, %eax
    orl $CR4_PAE, %eax
    movl %eax, %cr4
    movl $TRAMPOLINE_PML4, %eax
    movl %eax, %cr3
    movl $MSR_EFER, %ecx
    rdmsr
    orl $(EFER_LME | EFER_NXE), %eax
    wrmsr
    /* A whole CR0, not CR0 | bits: a CPU out of INIT has caching off (CD, NW) */
    movl $(CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG), %eax
    movl %eax, %cr0
    ljmpl $CODE64, $TRAMP(lm64)

    .code64
lm64:
    movq TRAMP(ap_trampoline_stack), %rsp
    movq TRAMP(ap_trampoline_cpu), %rdi
    movq TRAMP(ap_trampoline_entry), %rax
    jmp *%rax                       /* ap_entry_64, in the higher half */

    .balign 8
tramp_gdt:
    .quad 0
    .quad 0x00cf9a000000ffff        /* CODE32: 32-bit code, ring 0, flat */
    .quad 0x00cf92000000ffff        /* DATA */
    .quad 0x00af9a000000ffff        /* CODE64: 64-bit code, ring 0 */
tramp_gdt_ptr:
    .word tramp_gdt_ptr - tramp_gdt - 1
    .long TRAMP(tramp_gdt)

    /* Filled in by smp.c for each CPU it starts. */
    .balign 8
    .global ap_trampoline_stack, ap_trampoline_cpu, ap_trampoline_entry, ap_trampoline_end
ap_trampoline_stack:    .quad 0
ap_trampoline_cpu:      .quad 0
ap_trampoline_entry:    .quad 0
ap_trampoline_end:

    /* In the higher half now, on the CPU's own stack: ebp 0 ends its backtraces. */
    .text
    .global ap_entry_64
ap_entry_64:
    xorl %ebp, %ebp
    call ap_main
1:  hlt
    jmp 1b
