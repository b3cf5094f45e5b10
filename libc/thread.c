/*
 * thread.c: thread_start, threads with a libc-made stack (see ember.h).
 *
 * The kernel's thread_create(entry, arg, stack_top) starts a thread at
 * |entry| with rdi = |arg| and rsp = |stack_top|, nothing more.  So
 * thread_start maps a stack, writes a struct thread_boot (what to run, and
 * the stack to give back) at its top, and starts thread_entry with a pointer
 * to it.  When the function returns, the thread unmaps its own stack and
 * exits; both system calls sit in one asm statement because after the first
 * one nothing may touch the stack.
 */
#include <stdint.h>
#include <ember.h>

#define PAGE_BYTES      4096
#define STACK_ALIGN     16      /* the System V ABI's stack alignment */

struct thread_boot {
    void (*fn)(void *arg);
    void *arg;
    void *stack;                /* the mapping the thread runs on */
    size_t stack_len;
};

_Static_assert(sizeof(struct thread_boot) % STACK_ALIGN == 0, "stack_top must stay aligned");

/* Unmaps |stack| (the one we run on) and ends the thread with code 0. */
static __attribute__((noreturn)) void thread_finish(void *stack, size_t len)
{
    long nr = SYS_mem_unmap;

    __asm__ volatile("syscall\n\t"                  /* mem_unmap(stack, len) */
                     "mov %[exit_nr], %%eax\n\t"
                     "xor %%edi, %%edi\n\t"
                     "syscall"                      /* thread_exit(0) */
                     : "+a"(nr), "+D"(stack)
                     : "S"(len), [exit_nr] "i"(SYS_thread_exit)
                     : "rcx", "r11", "memory");
    __builtin_unreachable();
}

/*
 * Where the new thread starts.  Nothing called it, so there is no
 * return address and the stack may not be aligned as a callee expects:
 * force_align_arg_pointer makes the prologue realign it.
 */
static __attribute__((noreturn, force_align_arg_pointer)) void thread_entry(struct thread_boot *boot)
{
    boot->fn(boot->arg);
    thread_finish(boot->stack, boot->stack_len);
}

handle_t thread_start(void (*fn)(void *arg), void *arg, size_t stack_size)
{
    size_t len = (stack_size ? stack_size : THREAD_STACK_DEFAULT) + sizeof(struct thread_boot);
    struct thread_boot *boot;
    long base;
    handle_t h;

    if (stack_size > SIZE_MAX / 2)
        return E_INVAL;
    len = (len + PAGE_BYTES - 1) & ~(size_t)(PAGE_BYTES - 1);
    base = mem_map(NULL, len, MEM_WRITE);
    if (base < 0)
        return base;
    boot = (struct thread_boot *)(base + len) - 1;
    *boot = (struct thread_boot){ fn, arg, (void *)base, len };
    h = thread_create((const void *)thread_entry, (long)boot, boot);
    if (h < 0)
        mem_unmap((void *)base, len);
    return h;
}
