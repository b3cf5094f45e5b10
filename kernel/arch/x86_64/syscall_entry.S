/*
 * syscall_entry.S: the SYSCALL gate, the only way from ring 3 into the kernel
 * apart from interrupts and faults.
 *
 * The SYSCALL instruction left: rcx = user rip, r11 = user rflags, CS/SS =
 * kernel, IF/TF/DF/AC/NT cleared (MSR_SFMASK), rsp still the user's.  We
 * swapgs to reach cpu_local, switch to the thread's kernel stack and build
 * the same struct trap_frame an interrupt would (trap.h), so the rest of the
 * kernel sees one frame format.  syscall_dispatch(frame) returns the result,
 * which goes into frame->rax; the one flag cpu_local.return_work says whether
 * anything must happen before the return (syscall_return_work: a switch, a
 * kill, a trace line), so the common path tests it here, without a call.
 *
 * Only the registers that carry a value back are saved and restored: the
 * argument registers and rax.  rcx and r11 come back as rip and rflags, and
 * the C code keeps rbx, rbp and r12-r15 intact by the calling convention, so
 * their frame slots are reserved but not written; nor are the vector and
 * error slots, which only interrupts and exceptions use.
 *
 * The stretch measurement (kernel/arch/x86_64/latency.h) is done here, not in C,
 * because every call pays for it: the entry stores the call's number and
 * the TSC (two halves, no shifting), the exit reads the TSC again and
 * compares with the longest stretch of the window, calling latency_record
 * only for a new longest.  Seven instructions and a TSC read each way
 * instead of the twenty-odd of the C version.  The exit does not clear
 * stretch_start: an interrupt or fault from ring 3 always begins a new
 * stretch (trap.c), so a stale start is never used.
 *
 * Return: SYSRET when the return address is canonical, otherwise IRETQ,
 * which faults in a controlled way (trap.c) instead of letting SYSRET raise
 * #GP in ring 0 on the user's stack (the CVE-2012-0217 class).  That path
 * pops the unwritten slots, but never reaches ring 3 with them: the IRETQ
 * itself faults and the process ends.
 */
#include "kernel/arch/x86_64/cpu_local.h"
#include "kernel/arch/x86_64/gdt.h"

#define FRAME_RAX       (6 * 8)
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
    subq $(10 * 8), %rsp                        /* error, vector, rcx, r11, rbx, rbp, r12-r15 */
    pushq %rax
    pushq %r9
    pushq %r8
    pushq %r10
    pushq %rdx
    pushq %rsi
    pushq %rdi
    movl %eax, %gs:CPU_LOCAL_STRETCH_CAUSE      /* a stretch begins: the call's number, */
    rdtsc                                       /* and when (rax, rdx are in the frame) */
    movl %eax, %gs:CPU_LOCAL_STRETCH_START
    movl %edx, %gs:CPU_LOCAL_STRETCH_START + 4
    movq %rsp, %rdi
    call syscall_dispatch
    movq %rax, FRAME_RAX(%rsp)                  /* the result */
    cmpl $0, %gs:CPU_LOCAL_RETURN_WORK
    jne 3f                                      /* a switch, a kill or a trace to do first */

4:  rdtsc                                       /* the stretch ends: how long, in edx:eax */
    subl %gs:CPU_LOCAL_STRETCH_START, %eax
    sbbl %gs:CPU_LOCAL_STRETCH_START + 4, %edx
    jnz 2f                                      /* 2^32 cycles or more */
    cmpl %gs:CPU_LOCAL_STRETCH_RECENT_MAX, %eax
    ja 2f                                       /* maybe a new longest */
1:  testl $0xffff8000, FRAME_RIP + 4(%rsp)      /* a user rip has bits 47..63 clear */
    jnz trap_return                             /* non-canonical or kernel: IRETQ path */
    popq %rdi                                   /* the registers that carry values back */
    popq %rsi
    popq %rdx
    popq %r10
    popq %r8
    popq %r9
    popq %rax
    movq FRAME_RIP - 7 * 8(%rsp), %rcx
    movq FRAME_RFLAGS - 7 * 8(%rsp), %r11
    movq FRAME_RSP - 7 * 8(%rsp), %rsp
    swapgs
    sysretq

2:  shlq $32, %rdx                              /* the whole length: latency_record decides */
    orq %rdx, %rax
    cmpq %gs:CPU_LOCAL_STRETCH_RECENT_MAX, %rax
    jbe 1b
    movq %rax, %rdi
    call latency_record
    jmp 1b

3:  movq %rsp, %rdi
    call syscall_return_work
    jmp 4b
