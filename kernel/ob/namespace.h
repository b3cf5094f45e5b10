/*
 * The object namespace: one flat set of names ("/obj/jobs", any string of
 * 1..OB_NAME_MAX-1 bytes).  A name does not keep its object alive: it goes
 * when the object is destroyed.
 */
#ifndef EMBER_NAMESPACE_H
#define EMBER_NAMESPACE_H

#include "kernel/ob/object.h"

/* The object called |name| (borrowed: no reference), or NULL. */
struct ob *ob_name_lookup(const char *name);
/* Gives |o| the name |name|: E_EXISTS if taken, E_NOMEM. */
long ob_name_set(struct ob *o, const char *name);
/* Drops |o|'s name, if it has one. */
void ob_name_remove(struct ob *o);

#endif
