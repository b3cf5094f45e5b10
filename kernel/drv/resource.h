/*
 * Resources: the privilege behind every driver object (docs/09-drivers.md).
 * The root resource, made once at boot and handed to the first process,
 * covers every I/O port and IRQ line; a narrower resource covers one range
 * of ports or of lines and is derived from a resource that covers it.
 * I/O-port ranges and interrupts are made only from a resource.
 */
#ifndef EMBER_RESOURCE_H
#define EMBER_RESOURCE_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/ob/object.h"

extern const struct ob_type resource_type;

/* The root resource (one reference for the caller), made on the first call only; NULL after. */
struct ob *resource_create_root(void);
/*
 * Whether resource |o| covers [|base|, |base| + |count|) of |kind|
 * (RESOURCE_IOPORT or RESOURCE_IRQ); the root covers every range.
 */
bool resource_covers(struct ob *o, uint32_t kind, uint64_t base, uint64_t count);
/* Whether |o| is the root resource. */
bool resource_is_root(struct ob *o);
/*
 * A new resource of |kind| for [|base|, |base| + |count|) under |parent|
 * (one reference for the caller).  E_INVAL for an unknown kind, an empty,
 * wrapping or out-of-range span; E_ACCESS when |parent| does not cover it;
 * E_NOMEM.
 */
long resource_derive(struct ob *parent, uint64_t kind, uint64_t base, uint64_t count,
                     struct ob **out);

#endif
