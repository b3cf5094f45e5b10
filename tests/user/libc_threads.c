/*
 * libc_threads: libc's shared state (the heap, each FILE) between the
 * threads of a process, and what the ABI promises a thread's code.
 *
 * A lock waiter must let the owner run whatever their priorities: yielding
 * only hands the CPU to threads of the same or a higher priority, so a
 * higher-priority thread that waits for a lock held by a lower one must not
 * just yield (it would spin for ever and starve the owner).  Threads that
 * allocate and free at once leave the heap whole.  main and thread_start's
 * threads begin with the stack aligned as the ABI says (SSE code relies on
 * it), and setjmp/longjmp give back every callee-saved register.
 */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/user/util.h"

#define INVERSION_ROUNDS    20
#define INVERSION_WAIT_NS   (10 * NS_PER_SEC)
#define CHURN_BYTES         48
#define HEAP_THREADS        4
#define HEAP_ROUNDS         2000
#define HEAP_SLOTS          16
#define STACK_ALIGN         16

/* ---- a higher-priority waiter and a lower-priority owner ----------------- */

static volatile int stop_churn;

/* The owner: at normal priority, in and out of the heap lock without a pause. */
static void churn(void *arg)
{
    (void)arg;
    while (!stop_churn)
        free(malloc(CHURN_BYTES));
}

/* The waiter: higher priority, woken by the timer, likely while churn holds the lock. */
static void wake_and_allocate(void *done)
{
    for (int i = 0; i < INVERSION_ROUNDS; i++) {
        thread_sleep(1);
        free(malloc(CHURN_BYTES));
    }
    event_set(*(handle_t *)done);
}

TEST(heap_lock_waiter_of_higher_priority_lets_the_owner_run)
{
    handle_t done = event_create(EVENT_MANUAL_RESET, NULL);

    ASSERT_TRUE(done > 0);
    stop_churn = 0;
    /* Our ceiling is PRIORITY_CEILING_DEFAULT: we above the waiter, the waiter above the owner. */
    ASSERT_EQ(thread_set_priority(0, PRIORITY_CEILING_DEFAULT), 0);   /* we still run if the waiter spins */
    handle_t owner = thread_start(churn, NULL, 0);
    handle_t waiter = thread_start(wake_and_allocate, &done, 0);
    ASSERT_TRUE(owner > 0 && waiter > 0);
    ASSERT_EQ(thread_set_priority(owner, PRIORITY_CEILING_DEFAULT - 2), 0);
    ASSERT_EQ(thread_set_priority(waiter, PRIORITY_CEILING_DEFAULT - 1), 0);
    if (!EXPECT_EQ(object_wait(done, INVERSION_WAIT_NS), 0)) {
        /* The owner cannot run to let go of the lock, so neither can our own cleanup. */
        fflush(stdout);
        process_exit(1);
    }
    stop_churn = 1;
    EXPECT_EQ(object_wait(owner, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(object_wait(waiter, CHILD_TIMEOUT_NS), 0);
    handle_close(owner);
    handle_close(waiter);
    handle_close(done);
    thread_set_priority(0, PRIORITY_NORMAL);
}

/* ---- the heap under threads ------------------------------------------------ */

static volatile long heap_errors;

/* Allocates, fills, checks and frees blocks of varied sizes, some large, with realloc. */
static void heap_worker(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg * 2654435761u + 1;
    uint8_t *slot[HEAP_SLOTS] = { 0 };
    size_t size[HEAP_SLOTS] = { 0 };
    uint8_t tag = (uint8_t)(uintptr_t)arg;

    for (int r = 0; r < HEAP_ROUNDS; r++) {
        int i = (int)((seed = seed * 1103515245u + 12345u) >> 16) % HEAP_SLOTS;
        size_t n = (seed >> 4) % 512 + (r % 97 == 0 ? 40000 : 0);

        for (size_t k = 0; k < size[i]; k++)
            if (slot[i][k] != tag)
                heap_errors++;
        if (r % 5 == 0 && slot[i]) {
            slot[i] = realloc(slot[i], n + 1);
            if (slot[i])
                memset(slot[i], tag, n + 1);
            size[i] = slot[i] ? n + 1 : 0;
            continue;
        }
        free(slot[i]);
        slot[i] = malloc(n);
        if (slot[i] && ((uintptr_t)slot[i] % STACK_ALIGN) != 0)
            heap_errors++;
        if (slot[i])
            memset(slot[i], tag, n);
        size[i] = slot[i] ? n : 0;
    }
    for (int i = 0; i < HEAP_SLOTS; i++)
        free(slot[i]);
}

TEST(threads_share_the_heap_without_corrupting_it)
{
    handle_t t[HEAP_THREADS];

    heap_errors = 0;
    for (long i = 0; i < HEAP_THREADS; i++) {
        t[i] = thread_start(heap_worker, (void *)(i + 1), 0);
        ASSERT_TRUE(t[i] > 0);
    }
    for (int i = 0; i < HEAP_THREADS; i++) {
        EXPECT_EQ(object_wait(t[i], CHILD_TIMEOUT_NS), 0);
        handle_close(t[i]);
    }
    EXPECT_EQ(heap_errors, 0);
}

/* ---- the ABI at entry, and setjmp ------------------------------------------- */

/*
 * With frame pointers, rbp is the stack pointer after "push %rbp": 16-byte
 * aligned exactly when the caller kept the ABI's alignment at its call.
 */
static __attribute__((noinline)) uintptr_t frame_address(void)
{
    return (uintptr_t)__builtin_frame_address(0);
}

static volatile uintptr_t thread_frame;

static void note_frame(void *arg)
{
    (void)arg;
    thread_frame = frame_address();
}

TEST(stack_is_aligned_in_main_and_in_threads)
{
    EXPECT_EQ(frame_address() % STACK_ALIGN, 0);
    thread_frame = 1;
    handle_t t = thread_start(note_frame, NULL, 0);
    ASSERT_TRUE(t > 0);
    EXPECT_EQ(object_wait(t, CHILD_TIMEOUT_NS), 0);
    handle_close(t);
    EXPECT_EQ(thread_frame % STACK_ALIGN, 0);
}

/*
 * long setjmp_probe(jmp_buf env, long out[6]): loads rbx, r12-r15 with 11..15,
 * calls setjmp, wrecks them all and rbp, and longjmps back with 0; then stores
 * the five registers and rbp's distance from rsp (its frame: 64) in |out|, and
 * returns what setjmp returned the second time.  In assembly, so nothing but
 * setjmp and longjmp can keep the values alive.
 */
long setjmp_probe(jmp_buf env, long out[6]);
__asm__(".text\n"
        "setjmp_probe:\n"
        "    push %rbp\n"
        "    mov %rsp, %rbp\n"
        "    push %rbx\n"
        "    push %r12\n"
        "    push %r13\n"
        "    push %r14\n"
        "    push %r15\n"
        "    push %rsi\n"                 /* out, at 16(%rsp) */
        "    push %rdi\n"                 /* env, at 8(%rsp) */
        "    sub $8, %rsp\n"              /* aligned for the calls */
        "    mov $11, %rbx\n"
        "    mov $12, %r12\n"
        "    mov $13, %r13\n"
        "    mov $14, %r14\n"
        "    mov $15, %r15\n"
        "    call setjmp\n"
        "    test %eax, %eax\n"
        "    jnz 1f\n"
        "    mov $-1, %rbx\n"
        "    mov $-1, %r12\n"
        "    mov $-1, %r13\n"
        "    mov $-1, %r14\n"
        "    mov $-1, %r15\n"
        "    mov $-1, %rbp\n"
        "    mov 8(%rsp), %rdi\n"
        "    xor %esi, %esi\n"
        "    call longjmp\n"
        "1:  mov 16(%rsp), %rsi\n"
        "    mov %rbx, 0(%rsi)\n"
        "    mov %r12, 8(%rsi)\n"
        "    mov %r13, 16(%rsi)\n"
        "    mov %r14, 24(%rsi)\n"
        "    mov %r15, 32(%rsi)\n"
        "    mov %rbp, %rdx\n"
        "    sub %rsp, %rdx\n"
        "    mov %rdx, 40(%rsi)\n"
        "    add $24, %rsp\n"
        "    pop %r15\n"
        "    pop %r14\n"
        "    pop %r13\n"
        "    pop %r12\n"
        "    pop %rbx\n"
        "    pop %rbp\n"
        "    ret\n");

TEST(longjmp_restores_callee_saved_registers_and_stack)
{
    static jmp_buf env;
    long out[6] = { 0 };

    EXPECT_EQ(setjmp_probe(env, out), 1);       /* longjmp(env, 0) makes setjmp return 1 */
    EXPECT_EQ(out[0], 11);
    EXPECT_EQ(out[1], 12);
    EXPECT_EQ(out[2], 13);
    EXPECT_EQ(out[3], 14);
    EXPECT_EQ(out[4], 15);
    EXPECT_EQ(out[5], 64);                      /* rbp and rsp as they were at the setjmp */
}
