/*
 * line_history.h: the last LINE_HISTORY_MAX lines typed at the console
 * (libc/line_history.c), which Up and Down walk (line_edit.h).  The console
 * driver keeps one for everyone who reads the console (docs/09-drivers.md,
 * "Line editing").
 */
#ifndef EMBER_LINE_HISTORY_H
#define EMBER_LINE_HISTORY_H

#include <stddef.h>

#define LINE_HISTORY_MAX    16      /* lines kept; the oldest goes first */
#define LINE_HISTORY_LEN    255     /* bytes per line kept, its '\n' not counted */

struct line_history {
    char lines[LINE_HISTORY_MAX][LINE_HISTORY_LEN];
    size_t len[LINE_HISTORY_MAX];
    size_t newest;                  /* lines[newest] is the last one added */
    size_t count;                   /* lines kept, up to LINE_HISTORY_MAX */
};

/* Keeps |line| (|len| bytes, no '\n') as the newest; an empty line or a repeat of the newest is not kept. */
void line_history_add(struct line_history *h, const char *line, size_t len);
/* The line |age| steps back (1: the newest) and its length in |*len|; NULL past the oldest. */
const char *line_history_get(const struct line_history *h, size_t age, size_t *len);

#endif
