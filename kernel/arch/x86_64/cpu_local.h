/*
 * Per-CPU data reached through GS while in the kernel (one CPU: one copy).
 * syscall_entry.S uses the two fields by offset: keep them first.
 */
#ifndef EMBER_CPU_LOCAL_H
#define EMBER_CPU_LOCAL_H

#define CPU_LOCAL_KERNEL_RSP    0   /* top of the current thread's kernel stack */
#define CPU_LOCAL_USER_RSP      8   /* ring 3's rsp, parked during SYSCALL entry */
#define FPU_STATE_SIZE          512 /* FXSAVE area */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct thread;

struct cpu_local {
    uint64_t kernel_rsp;
    uint64_t user_rsp;
    struct thread *current;     /* the running thread */
    int return_work;            /* something to do before returning to ring 3 (sched.c) */
};

extern struct cpu_local cpu_local;
extern uint8_t fpu_initial_state[FPU_STATE_SIZE];

void cpu_init(void);

static inline void fpu_save(uint8_t *area) { __asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory"); }
static inline void fpu_restore(const uint8_t *area) { __asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory"); }
#endif

#endif
