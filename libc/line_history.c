/*
 * line_history.c: a ring of the last LINE_HISTORY_MAX lines entered
 * (line_history.h), for the console's Up and Down keys (libc/line_edit.c).
 * Fixed size, so the console driver's memory does not grow with what is
 * typed; adding a line costs one copy of it.  Pure logic, no locks.
 */
#include <string.h>
#include "libc/include/line_history.h"

void line_history_add(struct line_history *h, const char *line, size_t len)
{
    size_t last;

    if (len == 0 || len > LINE_HISTORY_LEN)
        return;
    if (h->count > 0 && h->len[h->newest] == len && memcmp(h->lines[h->newest], line, len) == 0)
        return;                         /* the same command twice is one step back, not two */
    last = h->count == 0 ? 0 : (h->newest + 1) % LINE_HISTORY_MAX;
    memcpy(h->lines[last], line, len);
    h->len[last] = len;
    h->newest = last;
    if (h->count < LINE_HISTORY_MAX)
        h->count++;
}

const char *line_history_get(const struct line_history *h, size_t age, size_t *len)
{
    if (age == 0 || age > h->count)
        return NULL;
    size_t i = (h->newest + LINE_HISTORY_MAX - (age - 1)) % LINE_HISTORY_MAX;
    *len = h->len[i];
    return h->lines[i];
}
