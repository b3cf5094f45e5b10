/* Starting a program from the boot filesystem in a new process. */
#ifndef EMBER_SPAWN_H
#define EMBER_SPAWN_H

#include "kernel/abi/types.h"

struct process;

/*
 * Starts |path| in a new process with |argc| arguments |argv| (kernel
 * strings) and copies of |parent|'s |nhandles| handles (each needs
 * RIGHT_TRANSFER; the child gets the same rights, the parent keeps its own).
 * On success stores the new process (one reference, for the caller) in
 * |*out|.  Errors: E_NOTFOUND, E_NOEXEC, E_NOMEM, E_TOOBIG, and
 * handle_get's for a bad handle.
 */
long process_spawn(struct process *parent, const char *path, int argc, char *const argv[],
                   const handle_t *handles, int nhandles, struct process **out);

#endif
