/*
 * context.S: switching kernel stacks between threads.
 *
 * switch_context(&old->ksp, new->ksp) saves the callee-saved registers on
 * the old thread's kernel stack, stores its stack pointer, loads the new
 * one's and returns on the new stack: into whatever called switch_context
 * there, or, for a thread that never ran, into thread_first_entry.
 * Everything else (rip, caller-saved registers) the C calling convention
 * already saved.
 */
    .text
    .global switch_context
switch_context:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret

/* A new thread's first "return": finish the switch, then leave through its trap frame. */
    .global thread_first_entry
thread_first_entry:
    call sched_finish_switch
    call boot_mark_ring3            /* the first one reports the boot's length (main.c) */
    call sched_return_to_user       /* killed before it ever ran? */
    call sched_first_leave          /* the stretch that started it ends here (latency.h) */
    jmp trap_return
