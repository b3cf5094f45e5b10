/*
 * Pipes: a read end and a write end, two objects over one bounded ring of
 * PIPE_CAPACITY bytes by default, chosen at create (kernel/abi/types.h has
 * the numbers and the waiting rules ring 3 sees).  The ring itself is no
 * object: it lives while either end does.
 */
#ifndef EMBER_PIPE_H
#define EMBER_PIPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kernel/abi/types.h"
#include "kernel/mm/usercopy.h"
#include "kernel/ob/object.h"
#include "kernel/ob/wait.h"     /* WAIT_POLL */

extern const struct ob_type pipe_read_type;
extern const struct ob_type pipe_write_type;

/*
 * A new pipe with a ring of |capacity| bytes (1..PIPE_CAPACITY_MAX; the
 * caller checked): ends[PIPE_READ_END] and ends[PIPE_WRITE_END], one
 * reference each, owned by the caller, both non-blocking if |flags| has
 * PIPE_NONBLOCK.  Returns 0, or E_NOMEM.
 */
long pipe_create(struct ob *ends[PIPE_ENDS], uint32_t capacity, unsigned long flags);
/*
 * Reads up to |len| bytes into |buf|, blocking until there is data or
 * |deadline| (a tick, DEADLINE_NONE, or WAIT_POLL: do not block).  Returns
 * the count, 0 at end of file (no write handle left and the ring drained),
 * E_FAULT (nothing is consumed), E_TIMEDOUT, E_AGAIN (WAIT_POLL, or a
 * non-blocking end, and nothing there), or E_CANCELED: the thread is being
 * killed, or |via|, the handle the caller came through, was closed
 * meanwhile.  A read of |len| 0 never blocks: 0, or E_PEERCLOSED at end of
 * file.
 */
long pipe_read(struct ob *read_end, handle_t via, user_ptr buf, size_t len, uint64_t deadline);
/*
 * Copies up to |len| bytes of what is in the ring into |buf| without taking
 * them, never blocking: the count (0: empty), E_PEERCLOSED (empty for good),
 * E_FAULT.
 */
long pipe_peek(struct ob *read_end, user_ptr buf, size_t len);
/*
 * Writes |len| bytes from |buf|, blocking while the ring is full, until
 * |deadline| as pipe_read; up to PIPE_ATOMIC bytes (or the capacity, if
 * smaller) go in one piece.  Returns |len|; or, when the reader goes away,
 * the deadline passes or the wait is canceled midway, the count written so
 * far, and E_PEERCLOSED / E_TIMEDOUT / E_AGAIN / E_CANCELED if that is 0.
 * E_FAULT: bytes written by earlier passes stay in the pipe, the faulting
 * pass adds none.
 */
long pipe_write(struct ob *write_end, handle_t via, user_ptr buf, size_t len, uint64_t deadline);
/* Makes the end |o| non-blocking (for every handle to it) or blocking again. */
void pipe_set_nonblock(struct ob *o, bool nonblock);

#endif
