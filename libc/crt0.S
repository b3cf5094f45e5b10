/*
 * crt0.S: where every ring-3 program starts (linked first, in .text.start).
 *
 * The kernel jumps to _start with rdi = the struct start_info it placed on
 * the user stack and rsp 16-byte aligned.  We clear rbp so backtraces end
 * here, align rsp again in case, and call __libc_start (start.c), which never
 * returns; ud2 makes sure a bug there faults instead of running on.
 */
    .section .text.start, "ax"
    .globl _start
    .type _start, @function
_start:
    xor     %ebp, %ebp
    and     $-16, %rsp          /* the call pushes 8: the callee sees the ABI's alignment */
    call    __libc_start
    ud2
    .size _start, . - _start

    .section .note.GNU-stack, "", @progbits
