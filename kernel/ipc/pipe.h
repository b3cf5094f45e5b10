/*
 * Pipes: a read end and a write end, two objects over one bounded ring of
 * PIPE_CAPACITY bytes (kernel/abi/types.h has the numbers and the waiting
 * rules ring 3 sees).  The ring itself is no object: it lives while either
 * end does.
 */
#ifndef EMBER_PIPE_H
#define EMBER_PIPE_H

#include <stddef.h>
#include "kernel/abi/types.h"
#include "kernel/mm/usercopy.h"
#include "kernel/ob/object.h"

extern const struct ob_type pipe_read_type;
extern const struct ob_type pipe_write_type;

/*
 * A new pipe: ends[PIPE_READ_END] and ends[PIPE_WRITE_END], one reference
 * each, owned by the caller.  Returns 0, or E_NOMEM.
 */
long pipe_create(struct ob *ends[PIPE_ENDS]);
/*
 * Reads up to |len| bytes into |buf|, blocking until there is data.  Returns
 * the count, 0 at end of file (no write handle left and the ring drained),
 * E_FAULT (nothing is consumed), or E_CANCELED: the thread is being killed,
 * or |via|, the handle the caller came through, was closed meanwhile.  A
 * read of |len| 0 never blocks: 0, or E_PEERCLOSED at end of file.
 */
long pipe_read(struct ob *read_end, handle_t via, user_ptr buf, size_t len);
/*
 * Writes |len| bytes from |buf|, blocking while the ring is full; up to
 * PIPE_ATOMIC bytes go in one piece.  Returns |len|; or, when the reader
 * goes away or the wait is canceled midway, the count written so far, and
 * E_PEERCLOSED / E_CANCELED if that is 0.  E_FAULT: bytes written by earlier
 * passes stay in the pipe, the faulting pass adds none.
 */
long pipe_write(struct ob *write_end, handle_t via, user_ptr buf, size_t len);

#endif
