/*
 * port_transit.c: ports in flight (port_private.h).  A port whose last
 * handle travels in a message stays open (message.c counts it), held by the
 * message, which is held by the port whose queue it waits in.  If that port
 * were in turn held, through messages, by the first, closing every handle
 * outside would leave them holding each other for ever.  port_check_send
 * refuses such a send; port_reaches is its test: a walk over the ports a
 * message carries, the messages queued in those, the ports they carry...
 * Each port is visited once per walk (a generation stamp, |visited|), so
 * the cost is what the message carries, nested, not the number of ports.
 *
 * Exports, to port.c: port_reaches.  No locks: uniprocessor
 * non-preemptible kernel, and nothing here blocks or allocates.
 */
#include "kernel/ipc/port_private.h"

/* LAB ports BEGIN stub: bool port_reaches(const struct message *m, const struct port *target) { (void)m, (void)target; return false; } */
/* Pushes onto |work| each port |m| carries that walk |walk| has not visited yet. */
static void visit_carried(const struct message *m, uint64_t walk, struct list_node *work)
{
    for (uint32_t i = 0; i < m->nhandles; i++) {
        struct ob *o = m->handles[i].object;
        if (o->type == &port_type && port_of(o)->visited != walk) {
            port_of(o)->visited = walk;
            list_push_back(work, &port_of(o)->work_node);
        }
    }
}

bool port_reaches(const struct message *m, const struct port *target)
{
    static uint64_t walks;
    struct list_node work = LIST_INIT(work), *n, *pos;
    bool found = false;

    visit_carried(m, ++walks, &work);
    while ((n = list_pop_front(&work))) {
        struct port *p = LIST_ENTRY(n, struct port, work_node);
        found |= p == target;
        LIST_FOR_EACH(pos, &p->queue)
            if (!found)
                visit_carried(LIST_ENTRY(pos, struct message, node), walks, &work);
    }
    return found;
}
/* LAB ports END */
