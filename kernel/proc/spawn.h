/* Starting a program from the boot filesystem in a new process. */
#ifndef EMBER_SPAWN_H
#define EMBER_SPAWN_H

#include "kernel/abi/types.h"

struct ob;
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
/*
 * The first process (no parent): its startup handles are 0 for the three
 * stdio streams and a handle to |root|, the root resource, at index
 * STARTUP_ROOT_HANDLE.  Otherwise as process_spawn.
 */
long process_spawn_first(const char *path, int argc, char *const argv[], struct ob *root,
                         struct process **out);

#endif
