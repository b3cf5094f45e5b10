/*
 * What a type's query hook (object.h) writes its answer through: the
 * caller's buffer and how much of it is needed.  query_put appends one
 * record while it fits and counts it either way, so a list (a process's
 * handles) is written in one pass and a buffer too small still learns the
 * size it needs.  sys_query.c owns the rest of object_query.
 */
#ifndef EMBER_QUERY_H
#define EMBER_QUERY_H

#include <stddef.h>
#include "kernel/abi/types.h"
#include "kernel/mm/usercopy.h"

struct ob;

struct query_out {
    user_ptr buf;
    size_t room;                    /* bytes at |buf| */
    size_t needed;                  /* bytes the answer takes, so far */
    long err;                       /* the first copy that failed */
};

/* Appends |size| bytes of |rec| if they fit; counts them either way.  Returns 0. */
static inline long query_put(struct query_out *q, const void *rec, size_t size)
{
    if (q->err == 0 && q->needed + size <= q->room)
        q->err = copy_to_user(user_ptr_add(q->buf, q->needed), rec, size);
    q->needed += size;
    return 0;
}

/* Copies the name |src| (NULL: none) into |dst| of |cap| bytes, cut short if need be, NUL-terminated. */
void ob_copy_name(char *dst, size_t cap, const char *src);
/* The basic information about |o| as seen through a handle with |rights|. */
void ob_basic_info(const struct ob *o, rights_t rights, struct object_basic_info *info);

#endif
