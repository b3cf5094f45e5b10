/*
 * setjmp.S: setjmp and longjmp (see setjmp.h).
 *
 * jmp_buf holds what the System V ABI says a function must give back as it
 * found it: rbx, rbp, r12-r15 and the stack pointer, plus where setjmp
 * returns to.  Everything else is the caller's to lose across a call.
 */
#define JB_RBX  0
#define JB_RBP  8
#define JB_R12  16
#define JB_R13  24
#define JB_R14  32
#define JB_R15  40
#define JB_RSP  48              /* rsp after setjmp returns */
#define JB_RIP  56              /* setjmp's return address */

    .text
    .globl setjmp
    .type setjmp, @function
/* int setjmp(jmp_buf env): rdi = env */
setjmp:
    mov     %rbx, JB_RBX(%rdi)
    mov     %rbp, JB_RBP(%rdi)
    mov     %r12, JB_R12(%rdi)
    mov     %r13, JB_R13(%rdi)
    mov     %r14, JB_R14(%rdi)
    mov     %r15, JB_R15(%rdi)
    lea     8(%rsp), %rdx       /* the caller's rsp, once our return address is popped */
    mov     %rdx, JB_RSP(%rdi)
    mov     (%rsp), %rdx
    mov     %rdx, JB_RIP(%rdi)
    xor     %eax, %eax
    ret
    .size setjmp, . - setjmp

    .globl longjmp
    .type longjmp, @function
/* void longjmp(jmp_buf env, int value): rdi = env, esi = value; setjmp returns value, or 1 for 0 */
longjmp:
    mov     %esi, %eax
    test    %eax, %eax
    jnz     1f
    inc     %eax
1:  mov     JB_RBX(%rdi), %rbx
    mov     JB_RBP(%rdi), %rbp
    mov     JB_R12(%rdi), %r12
    mov     JB_R13(%rdi), %r13
    mov     JB_R14(%rdi), %r14
    mov     JB_R15(%rdi), %r15
    mov     JB_RSP(%rdi), %rsp
    jmp     *JB_RIP(%rdi)
    .size longjmp, . - longjmp

    .section .note.GNU-stack, "", @progbits
