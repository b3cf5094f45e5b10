/* The shared tail of every create call that takes an optional name (create.c). */
#ifndef EMBER_CREATE_H
#define EMBER_CREATE_H

#include "kernel/ob/namespace.h"
#include "kernel/ob/object.h"
#include "kernel/syscall/syscall.h"

/*
 * Makes the object |make|(|ctx|) builds and returns a handle to it, named
 * |uname| (a user string, or NULL): a path from the directory |dir| (a
 * handle with RIGHT_WRITE), or from the root when |dir| is 0, where the
 * directory it lands in must let anyone create (/obj, /svc, the root).
 * Openers get the rights CREATE_OPENER_RIGHTS in |flags| gives, else the
 * type's open rights.  When the name is taken: with CREATE_OPEN_EXISTING in
 * |flags| and the same |type|, a handle to that object with its open rights
 * instead (nothing is made; E_ACCESS if nobody may open it, and
 * object_existed says 1 afterwards); otherwise E_EXISTS, or E_WRONGTYPE.
 * Bad path syntax is E_INVAL; a missing directory on the way E_NOTFOUND.
 */
long create_object_at(const struct ob_type *type, handle_t dir, user_ptr uname,
                      unsigned long flags, struct ob *(*make)(void *ctx), void *ctx);
/* create_object_at from the root. */
long create_object(const struct ob_type *type, user_ptr uname, unsigned long flags,
                   struct ob *(*make)(void *ctx), void *ctx);
#endif
