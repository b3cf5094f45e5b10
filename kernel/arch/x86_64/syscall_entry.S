/*
 * syscall_entry.S: the SYSCALL gate, the only way from ring 3 into the kernel
 * apart from interrupts and faults.
 *
 * The SYSCALL instruction left: rcx = user rip, r11 = user rflags, CS/SS =
 * kernel, IF/TF/DF/AC/NT cleared (MSR_SFMASK), rsp still the user's.  We
 * swapgs to reach cpu_local, switch to the thread's kernel stack and build
 * the same struct trap_frame an interrupt would (trap.h), so the rest of the
 * kernel sees one frame format.  syscall_dispatch(frame) puts the result in
 * frame->rax.
 *
 * Return: SYSRET when the return address is canonical, otherwise IRETQ,
 * which faults in a controlled way (trap.c) instead of letting SYSRET raise
 * #GP in ring 0 on the user's stack (the CVE-2012-0217 class).
 */
#include "kernel/arch/x86_64/cpu_local.h"
#include "kernel/arch/x86_64/gdt.h"

#define VEC_SYSCALL     0x100                   /* not a CPU vector: marks a syscall frame */
#define FRAME_RIP       (17 * 8)
#define FRAME_RFLAGS    (19 * 8)
#define FRAME_RSP       (20 * 8)

    .text
    .global syscall_entry
syscall_entry:
    swapgs
    movq %rsp, %gs:CPU_LOCAL_USER_RSP
    movq %gs:CPU_LOCAL_KERNEL_RSP, %rsp
    pushq $(GDT_USER_DS | RPL_USER)             /* ss */
    pushq %gs:CPU_LOCAL_USER_RSP                /* rsp */
    pushq %r11                                  /* rflags */
    pushq $(GDT_USER_CS | RPL_USER)             /* cs */
    pushq %rcx                                  /* rip */
    pushq $0                                    /* error */
    pushq $VEC_SYSCALL                          /* vector */
    pushq %r15
    pushq %r14
    pushq %r13
    pushq %r12
    pushq %r11
    pushq %rbp
    pushq %rcx
    pushq %rbx
    pushq %rax
    pushq %r9
    pushq %r8
    pushq %r10
    pushq %rdx
    pushq %rsi
    pushq %rdi
    movq %rsp, %rdi
    call syscall_dispatch

    movq FRAME_RIP(%rsp), %rcx
    shrq $47, %rcx                              /* a user rip has bits 47..63 clear */
    jnz trap_return                             /* non-canonical or kernel: IRETQ path */
    popq %rdi
    popq %rsi
    popq %rdx
    popq %r10
    popq %r8
    popq %r9
    popq %rax
    popq %rbx
    popq %rcx
    popq %rbp
    popq %r11
    popq %r12
    popq %r13
    popq %r14
    popq %r15
    movq FRAME_RIP - 15 * 8(%rsp), %rcx
    movq FRAME_RFLAGS - 15 * 8(%rsp), %r11
    movq FRAME_RSP - 15 * 8(%rsp), %rsp
    swapgs
    sysretq
