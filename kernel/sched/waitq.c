/* waitq.c: kernel wait queues (waitq.h).  The woken thread unlinks itself. */
#include "kernel/sched/sched.h"
#include "kernel/sched/waitq.h"

long waitq_wait(struct waitq *q, uint64_t deadline)
{
    struct thread *t = current_thread();

    list_push_back(&q->threads, &t->waitq_node);
    long r = sched_block(deadline);
    list_remove(&t->waitq_node);
    return r;
}

void waitq_wake_all(struct waitq *q)
{
    struct list_node *pos;

    LIST_FOR_EACH(pos, &q->threads)
        sched_wake(LIST_ENTRY(pos, struct thread, waitq_node), 0);
}
