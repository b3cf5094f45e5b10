/*
 * Kernel wait queues: threads waiting for a kernel-internal condition (input
 * on the console, say).  Objects use ob/wait.c instead, which adds handles,
 * several objects and side effects.
 */
#ifndef EMBER_WAITQ_H
#define EMBER_WAITQ_H

#include "kernel/lib/list.h"
#include <stdint.h>

struct waitq {
    struct list_node threads;       /* struct thread.waitq_node */
};

#define WAITQ_INIT(name) { LIST_INIT((name).threads) }

/* Blocks until waitq_wake_all or |deadline|; returns 0, E_TIMEDOUT, or the canceling code. */
long waitq_wait(struct waitq *q, uint64_t deadline);
void waitq_wake_all(struct waitq *q);

#endif
