/* The shared tail of every create call that takes an optional name (create.c). */
#ifndef EMBER_CREATE_H
#define EMBER_CREATE_H

#include "kernel/ob/object.h"
#include "kernel/syscall/syscall.h"

/*
 * Makes the object |make|(|ctx|) builds and returns a handle to it, named
 * |uname| (a user string, or NULL), which openers may open with the rights
 * CREATE_OPENER_RIGHTS in |flags| gives (else the type's open rights).
 * When the name is taken: with CREATE_OPEN_EXISTING in |flags| and the
 * same |type|, a handle to that object with its open rights instead
 * (nothing is made; E_ACCESS if nobody may open it); otherwise E_EXISTS,
 * or E_WRONGTYPE.
 */
long create_object(const struct ob_type *type, user_ptr uname, unsigned long flags,
                   struct ob *(*make)(void *ctx), void *ctx);

#endif
