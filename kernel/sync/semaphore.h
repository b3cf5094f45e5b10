/* Semaphores: a count between 0 and a maximum; waiting takes one, releasing adds some. */
#ifndef EMBER_SEMAPHORE_H
#define EMBER_SEMAPHORE_H

#include <stdint.h>
#include "kernel/ob/object.h"

extern const struct ob_type semaphore_type;

/* A new semaphore (one reference); the caller checked 0 <= |initial| <= |maximum|, 1 <= |maximum|. */
struct ob *semaphore_create(int64_t initial, int64_t maximum);
/* Adds |n| (> 0): the count before, or E_LIMIT (count unchanged) past the maximum. */
long semaphore_release(struct ob *o, int64_t n);

#endif
