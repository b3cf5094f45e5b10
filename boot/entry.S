/*
 * boot/entry.S: from GRUB's 32-bit protected mode to the 64-bit higher half.
 *
 * GRUB (Multiboot2) jumps to _start with paging off, EAX = the Multiboot2
 * magic and EBX = the physical address of the boot information.  We:
 *   1. build temporary page tables that map physical 0..4 GiB three times:
 *      identity (so the next instruction after enabling paging still runs),
 *      at the direct map 0xffff800000000000 and, for the first 1 GiB, at the
 *      kernel's link address 0xffffffff80000000;
 *   2. enable PAE, long mode, NX and paging, load a 64-bit GDT, far-jump
 *      into 64-bit code;
 *   3. jump to the higher half and call kernel_main(magic, info).
 * kernel/arch/x86_64/paging.c replaces these tables with the final ones.
 * Everything here runs at physical addresses, so symbols in the higher half
 * are used as (symbol - KERNEL_VMA).
 */
#include "kernel/arch/x86_64/layout.h"

#define MB2_MAGIC       0xe85250d6
#define MB2_ARCH_I386   0
#define PTE_P           0x001
#define PTE_W           0x002
#define PTE_PS          0x080
#define CR0_PE          (1 << 0)
#define CR0_WP          (1 << 16)
#define CR0_PG          (1 << 31)
#define CR4_PAE         (1 << 5)
#define MSR_EFER        0xc0000080
#define EFER_LME        (1 << 8)
#define EFER_NXE        (1 << 11)
#define BOOT_GDT_CODE   0x08
#define BOOT_GDT_DATA   0x10
#define PHYS(sym)       ((sym) - KERNEL_VMA)

    .section .multiboot, "a"
    .balign 8
mb2_header:
    .long MB2_MAGIC
    .long MB2_ARCH_I386
    .long mb2_header_end - mb2_header
    .long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
    /* end tag */
    .word 0, 0
    .long 8
mb2_header_end:

    .section .boot.text, "ax"
    .code32
    .global _start
_start:
    cli
    cld
    movl $PHYS(boot_stack_top), %esp
    movl %eax, %edi                 /* keep magic and info for kernel_main */
    movl %ebx, %esi
    rdtsc                           /* the boot count starts here (main.c, boot_mark_ring3) */
    movl %eax, PHYS(boot_entry_tsc)
    movl %edx, PHYS(boot_entry_tsc) + 4

    /* PD entries: 2048 x 2 MiB pages = physical 0..4 GiB */
    movl $PHYS(boot_pd), %ebx
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $21, %eax
    orl $(PTE_P | PTE_W | PTE_PS), %eax
    movl %eax, (%ebx, %ecx, 8)
    movl %ecx, %eax                 /* high dword: bits 32.. of ecx*2MiB */
    shrl $11, %eax
    movl %eax, 4(%ebx, %ecx, 8)
    incl %ecx
    cmpl $2048, %ecx
    jne 1b

    /* low PDPT: four PDs; high PDPT entry 510: the first PD (0..1 GiB) */
    movl $PHYS(boot_pdpt_low), %ebx
    xorl %ecx, %ecx
2:  movl %ecx, %eax
    shll $12, %eax
    addl $(PHYS(boot_pd) + PTE_P + PTE_W), %eax
    movl %eax, (%ebx, %ecx, 8)
    incl %ecx
    cmpl $4, %ecx
    jne 2b
    movl $(PHYS(boot_pd) + PTE_P + PTE_W), PHYS(boot_pdpt_high) + 510 * 8

    /* PML4: identity, direct map, kernel */
    movl $(PHYS(boot_pdpt_low) + PTE_P + PTE_W), %eax
    movl %eax, PHYS(boot_pml4)
    movl %eax, PHYS(boot_pml4) + PML4_INDEX_DIRECT_MAP * 8
    movl $(PHYS(boot_pdpt_high) + PTE_P + PTE_W), PHYS(boot_pml4) + 511 * 8

    movl %cr4, %eax
    orl $CR4_PAE, %eax
    movl %eax, %cr4
    movl $PHYS(boot_pml4), %eax
    movl %eax, %cr3
    movl $MSR_EFER, %ecx
    rdmsr
    orl $(EFER_LME | EFER_NXE), %eax
    wrmsr
    movl %cr0, %eax
    orl $(CR0_PE | CR0_WP | CR0_PG), %eax
    movl %eax, %cr0

    lgdt boot_gdt_ptr
    ljmp $BOOT_GDT_CODE, $long_mode_low

    .code64
long_mode_low:
    movw $BOOT_GDT_DATA, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorw %ax, %ax
    movw %ax, %fs
    movw %ax, %gs
    movabsq $long_mode_high, %rax
    jmp *%rax

    .section .boot.text, "ax"        /* read-only: the GDT is only read */
    .balign 8
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff        /* 64-bit code, ring 0 */
    .quad 0x00cf92000000ffff        /* data, ring 0 */
boot_gdt_end:
boot_gdt_ptr:
    .word boot_gdt_end - boot_gdt - 1
    .long boot_gdt

    .text
long_mode_high:
    movabsq $boot_stack_top, %rsp
    xorl %ebp, %ebp                 /* ends the backtrace */
    /* edi = magic, esi = physical address of the boot information */
    call kernel_main
3:  hlt
    jmp 3b

    .data
    .balign 8
    .global boot_entry_tsc
boot_entry_tsc: .quad 0             /* the TSC at _start: instructions since reset under -icount */

    .bss
    .balign 4096
    .global boot_pml4
boot_pml4:      .space 4096
boot_pdpt_low:  .space 4096
boot_pdpt_high: .space 4096
boot_pd:        .space 4 * 4096
    .global boot_stack_top
boot_stack:     .space 16384
boot_stack_top:
