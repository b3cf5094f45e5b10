/*
 * Directories of the object namespace (namespace.h): an object type whose
 * entries are names.  The root, /obj and /svc are made at boot and live
 * for ever; a program makes more with directory_create.  A directory lives
 * as long as a handle, a reference or a name in it does.
 */
#ifndef EMBER_DIRECTORY_H
#define EMBER_DIRECTORY_H

#include "kernel/lib/list.h"
#include "kernel/ob/object.h"

/* RIGHT_READ: look names up in it and list it; RIGHT_WRITE: create names in it. */
#define DIRECTORY_RIGHTS        (RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_READ | RIGHT_WRITE | RIGHT_INFO)
#define DIRECTORY_OPEN_RIGHTS   (RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_READ | RIGHT_INFO)

extern const struct ob_type directory_type;

/* Makes the root, /obj and /svc.  At boot, before the first process. */
void ob_namespace_init(void);
/* The root directory (borrowed). */
struct ob *ob_root(void);
/* A new, empty, unnamed directory with one reference, or NULL. */
struct ob *directory_create(void);
/* Links |n| into the entries of its directory, or unlinks it. */
void directory_add(struct ob *dir, struct list_node *entry);
void directory_remove(struct ob *dir, struct list_node *entry);
/* Calls |fn| for each name in |dir|, in creation order. */
void directory_for_each(struct ob *dir, void (*fn)(struct ob_name *n, void *ctx), void *ctx);

#endif
