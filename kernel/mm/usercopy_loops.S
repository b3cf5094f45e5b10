/*
 * usercopy_loops.S: the copy loops that may fault.  Each instruction that touches
 * user memory has an entry {instruction, fixup} in the __extable section;
 * trap.c looks a kernel fault's rip up there and resumes at the fixup.
 * RFLAGS.AC is set around the loops (SMAP's "user access allowed"); we set
 * it through pushf/popf rather than STAC so the code also runs on CPUs
 * without SMAP.
 */
#define RFLAGS_AC   (1 << 18)

.macro USER_ACCESS_ON
    pushfq
    orl $RFLAGS_AC, (%rsp)
    popfq
.endm

.macro USER_ACCESS_OFF
    pushfq
    andl $~RFLAGS_AC, (%rsp)
    popfq
.endm

.macro EXTABLE insn, fixup
    .pushsection __extable, "a"
    .balign 8
    .quad \insn, \fixup
    .popsection
.endm

    .text
/* long user_copy(void *dst, const void *src, size_t len): 0, or E_FAULT (-3) on a fault. */
    .global user_copy
user_copy:
    USER_ACCESS_ON
    movq %rdx, %rcx
    shrq $3, %rcx
1:  rep movsq                   /* 8 bytes a step: QEMU counts every repetition */
    movq %rdx, %rcx
    andq $7, %rcx
2:  rep movsb
    USER_ACCESS_OFF
    xorl %eax, %eax
    ret
    EXTABLE 1b, copy_fault
    EXTABLE 2b, copy_fault

/*
 * long user_writable(void *addr, size_t len): 0 when the first and the last
 * byte of [addr, addr + len) can be written, E_FAULT if not.  It writes them
 * with their own value (`or $0`): nothing changes, and nothing else runs in
 * between (one CPU, interrupts off).  Two bytes stand for the range only
 * when it spans at most two pages: len is 1 to PAGE_SIZE (usercopy.c).
 */
    .global user_writable
user_writable:
    USER_ACCESS_ON
7:  orb $0, (%rdi)
8:  orb $0, -1(%rdi, %rsi)
    USER_ACCESS_OFF
    xorl %eax, %eax
    ret
    EXTABLE 7b, copy_fault
    EXTABLE 8b, copy_fault

/* long user_strncpy(char *dst, const char *src, size_t max): length, -1 on a fault, -2 if no NUL in max bytes. */
    .global user_strncpy
user_strncpy:
    USER_ACCESS_ON
    xorl %eax, %eax
3:  cmpq %rdx, %rax
    jae 5f
4:  movb (%rsi, %rax), %cl
    movb %cl, (%rdi, %rax)
    testb %cl, %cl
    jz 6f
    incq %rax
    jmp 3b
5:  movq $-2, %rax
6:  USER_ACCESS_OFF
    ret
    EXTABLE 4b, user_fault

user_fault:
    USER_ACCESS_OFF
    movq $-1, %rax
    ret

/* user_copy's callers return its result as it is (a tail call): the error code itself. */
#define E_FAULT (-3)    /* kernel/abi/errors.h */
copy_fault:
    USER_ACCESS_OFF
    movq $E_FAULT, %rax
    ret
