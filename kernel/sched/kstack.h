/* Kernel stacks: KSTACK_SIZE mapped bytes above an unmapped guard page. */
#ifndef EMBER_KSTACK_H
#define EMBER_KSTACK_H

#include <stdint.h>
#include "kernel/arch/x86_64/layout.h"
#include "kernel/sched/thread.h"

#define KSTACK_PAGES        (KSTACK_SIZE / PAGE_SIZE)   /* charged to the thread's job */

/* Builds the stack region's page tables, once at boot. */
void kstack_init(void);
/* A new stack; stores its slot in |*slot| and returns its top, or 0 when out of memory. */
uint64_t kstack_alloc(int *slot);
void kstack_free(int slot);

#endif
