/*
 * vectors.S: the 256 interrupt entry stubs and the common path.
 *
 * Each stub makes the stack look the same, whether or not the CPU pushed an
 * error code, then jumps to trap_common, which saves the general registers
 * into a struct trap_frame (trap.h) and calls trap_handle(frame).  Coming
 * from ring 3 we swapgs, so that GS points at the kernel's per-CPU data
 * while in the kernel and at the user's value while in user mode.
 */
#include "kernel/arch/x86_64/gdt.h"

#define FRAME_CS_OFFSET (17 * 8)    /* 15 registers, vector, error, rip */

.macro STUB n
    .balign 16
vec_\n:
    .if ((\n == 8) || (\n >= 10 && \n <= 14) || (\n == 17) || (\n == 21) || (\n == 29) || (\n == 30)) == 0
    pushq $0                        /* no CPU error code: push a zero to keep one layout */
    .endif
    pushq $\n
    jmp trap_common
.endm

    .text
    .global trap_stubs_start
trap_stubs_start:
.altmacro
.set i, 0
.rept 256
    STUB %i
    .set i, i + 1
.endr

trap_common:
    testb $RPL_USER, 24(%rsp)       /* CS, above vector, error and rip */
    jz 1f
    swapgs
1:  pushfq                          /* clear RFLAGS.AC: interrupt gates keep it, and with */
    andl $~(1 << 18), (%rsp)        /* AC set SMAP would not guard the kernel */
    popfq
    pushq %r15
    pushq %r14
    pushq %r13
    pushq %r12
    pushq %rbp
    pushq %rbx
    pushq %r11
    pushq %rcx
    pushq %rax
    pushq %r9
    pushq %r8
    pushq %r10
    pushq %rdx
    pushq %rsi
    pushq %rdi
    cld
    movq %rsp, %rdi
    call trap_handle

    .global trap_return
trap_return:                        /* also where a new thread first enters user mode */
    popq %rdi
    popq %rsi
    popq %rdx
    popq %r10
    popq %r8
    popq %r9
    popq %rax
    popq %rcx
    popq %r11
    popq %rbx
    popq %rbp
    popq %r12
    popq %r13
    popq %r14
    popq %r15
    testb $RPL_USER, 24(%rsp)
    jz 2f
    swapgs
2:  addq $16, %rsp                  /* vector and error */
    .global trap_iretq
trap_iretq:                         /* trap.c recognises a fault here: a bad return frame */
    iretq

/* The stub addresses, for idt.c: every stub is 16 bytes apart. */
    .section .rodata
    .global trap_stub_size
trap_stub_size: .quad vec_1 - vec_0
