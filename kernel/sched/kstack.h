/* Kernel stacks: KSTACK_SIZE bytes of frames of their own, above an unmapped guard. */
#ifndef EMBER_KSTACK_H
#define EMBER_KSTACK_H

#include <stdint.h>
#include "kernel/arch/x86_64/layout.h"
#include "kernel/sched/thread.h"

#define KSTACK_PAGES        (KSTACK_SIZE / PAGE_SIZE)   /* charged to the thread's job */

/* Checks, once at boot, that the stack region has a slot for every frame. */
void kstack_init(void);
/* A new stack: returns its top, or 0 when out of memory. */
uint64_t kstack_alloc(void);
/* Unmaps the stack whose top is |top| and frees its frames (and any page table it emptied). */
void kstack_free(uint64_t top);

#endif
