/*
 * Threads: the unit the scheduler runs.  Each has a kernel stack with an
 * unmapped guard page below it, a saved stack pointer while it is not
 * running, and its FPU/SSE state.  A user thread belongs to a process and
 * is also an object (handles to it can be waited on: signaled when it
 * exits); that part is kernel/proc/thread_object.h's, which holds the
 * struct thread of a user thread inside its object.
 */
#ifndef EMBER_THREAD_H
#define EMBER_THREAD_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/arch/x86_64/cpu_local.h"
#include "kernel/abi/types.h"
#include "kernel/lib/list.h"

#define PRIORITY_LEVELS     (PRIORITY_MAX + 1)     /* kernel/abi/types.h */
#define PRIORITY_DEFAULT    PRIORITY_NORMAL
#define KSTACK_SIZE         (16 * 1024)

enum thread_state {
    THREAD_NEW,         /* created, never ran */
    THREAD_READY,       /* on a run queue */
    THREAD_RUNNING,
    THREAD_BLOCKED,     /* waiting; sched_wake makes it ready */
    THREAD_DEAD,        /* exited; its kernel stack goes at the next switch */
};

struct wait_state;
struct process;
struct vm;

struct thread {
    uint64_t tid;
    struct process *process;        /* NULL for the idle thread; holds a reference */
    struct vm *vm;                  /* its process's address space (NULL for idle): what a switch loads */
    const int *traced;              /* its process's TRACE_* flags (NULL for idle): return work if set */
    enum thread_state state;
    int priority;                   /* its own, 0..PRIORITY_MAX, at most its process's ceiling */
    int runq_level;                 /* while ready: the run queue it is on (sched.c) */
    uint64_t ready_since;           /* while ready: the tick it joined that queue */
    uint64_t ksp;                   /* saved kernel rsp while not running */
    uint64_t kstack_top;            /* 0 once the stack is freed (kstack.c) */
    struct list_node run_node;      /* run queue */
    struct list_node waitq_node;    /* a kernel wait queue (waitq.h), while blocked on one */
    struct list_node proc_node;     /* process->threads */
    struct list_node timer_node;    /* the timeout list, while blocked with a deadline */
    uint64_t deadline;              /* tick at which a blocked wait times out; 0: none */
    long wake_result;               /* what sched_block returns */
    struct wait_state *wait;        /* the object wait in progress, if any */
    bool kill_pending;              /* exit at the next return towards user mode */
    bool create_existed;            /* its last named create opened an existing object (object_existed) */
    struct list_node owned_mutexes; /* struct mutex.owner_node: abandoned if it dies */
    struct lock_stack sleeplocks;   /* the sleeping locks it holds, for the validator (sleeplock.c) */
    int64_t exit_code;
    struct user_segments segments;  /* ring 3's DS/ES/FS/GS while not running; all null at first */
    uint8_t fpu[FPU_STATE_SIZE] __attribute__((aligned(16)));
};

/* The thread running on this CPU. */
static inline struct thread *current_thread(void)
{
    return cpu_local.current;
}

/*
 * Gives |t| (zeroed, inside its object, kernel/proc/thread_object.c) a
 * kernel stack and the frames that enter ring 3 at |entry| with |stack| and
 * rdi = |arg|.  False when out of memory for the stack.
 */
bool thread_init_user(struct thread *t, uint64_t entry, uint64_t stack, uint64_t arg);
/* Ends the current thread with |code|.  Never returns. */
__attribute__((noreturn)) void thread_exit(int64_t code);
/* Frees a dead thread's kernel stack. */
void thread_free_stack(struct thread *t);

#endif
