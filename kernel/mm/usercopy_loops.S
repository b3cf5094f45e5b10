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

/*
 * With SMAP, STAC and CLAC set and clear AC in one instruction each, where
 * pushf/or/popf takes three: where cpu_init turned SMAP on (usercopy_init
 * reads CR4 after it), copy_from_user and copy_to_user jump to the _stac
 * twins below.  Under -icount that is four instructions off every copy.
 */
.macro USER_ACCESS_ON_STAC
    stac
.endm

.macro USER_ACCESS_OFF_STAC
    clac
.endm

/*
 * The body of user_copy: 8 bytes a step (QEMU counts every repetition of a
 * rep instruction), then the odd tail bytes, if there are any.
 */
.macro USER_COPY on, off
    \on
    movq %rdx, %rcx
    shrq $3, %rcx
1:  rep movsq
    andl $7, %edx
    jz 3f
    movl %edx, %ecx
2:  rep movsb
3:  \off
    xorl %eax, %eax
    ret
    EXTABLE 1b, copy_fault
    EXTABLE 2b, copy_fault
.endm

/*
 * The body of user_writable: writes the first and the last byte of
 * [addr, addr + len) with their own value (`or $0`), so nothing changes,
 * and nothing else runs in between (one CPU, interrupts off).  Two bytes
 * stand for the range only when it spans at most two pages: len is 1 to
 * PAGE_SIZE (usercopy.c).
 */
.macro USER_WRITABLE on, off
    \on
7:  orb $0, (%rdi)
8:  orb $0, -1(%rdi, %rsi)
    \off
    xorl %eax, %eax
    ret
    EXTABLE 7b, copy_fault
    EXTABLE 8b, copy_fault
.endm

    .text
/* long user_copy(void *dst, const void *src, size_t len): 0, or E_FAULT (-3) on a fault. */
    .global user_copy
user_copy:
    USER_COPY USER_ACCESS_ON, USER_ACCESS_OFF

    .global user_copy_stac
user_copy_stac:
    USER_COPY USER_ACCESS_ON_STAC, USER_ACCESS_OFF_STAC

/* long user_writable(void *addr, size_t len): 0 when both ends can be written, else E_FAULT. */
    .global user_writable
user_writable:
    USER_WRITABLE USER_ACCESS_ON, USER_ACCESS_OFF

    .global user_writable_stac
user_writable_stac:
    USER_WRITABLE USER_ACCESS_ON_STAC, USER_ACCESS_OFF_STAC

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
    USER_ACCESS_OFF                 /* pushf/popf: right with or without SMAP */
    movq $E_FAULT, %rax
    ret
