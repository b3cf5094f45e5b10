/*
 * file.h (libc-internal): what a FILE is.
 *
 * A FILE is a buffer in front of a backend: one function that moves bytes
 * out and one that brings bytes in.  The console is the backend of the
 * standard streams (console.c); a boot-filesystem file that of fopen
 * (fopen.c), a pipe that of a redirected standard stream (handle_io.c).
 * Pointing a FILE at another object is a new pair of functions and nothing
 * else.
 *
 * Lock rule: |lock| guards every field below it; functions ending in _locked
 * expect it held.  Lock order: stdin before stdout (reading stdin flushes
 * stdout first, as a terminal user expects to see the prompt).  stdin's lock
 * is held while waiting for a line; stdout's never is.
 */
#ifndef EMBER_LIBC_FILE_H
#define EMBER_LIBC_FILE_H

#include <stdbool.h>
#include <stdio.h>
#include <ember.h>
#include "libc/lock.h"

enum file_buffering {
    FILE_UNBUFFERED,            /* every write goes straight to the backend (stderr) */
    FILE_LINE_BUFFERED,         /* written at each '\n' and when full (stdout) */
    FILE_FULL_BUFFERED,         /* written when full */
};

#define FILE_EOF        0x1     /* the backend reported the end of the input */
#define FILE_ERROR      0x2     /* the backend returned an error */

struct FILE {
    /* Backend: each returns a count >= 0 (0 from read: end of input) or an E_* code. */
    long (*write)(FILE *f, const char *buf, size_t len);
    long (*read)(FILE *f, char *buf, size_t len);
    handle_t handle;            /* the backend's object; 0 for the console */
    unsigned long offset;       /* the backend's read position, for files */
    enum file_buffering buffering;

    struct libc_lock lock;
    int state;                  /* FILE_EOF | FILE_ERROR */
    size_t out_len;             /* bytes waiting in out[] */
    size_t in_pos, in_len;      /* the unread input is in[in_pos .. in_len) */
    char out[BUFSIZ];
    char in[BUFSIZ];
};

/* The console backend (console.c): output as is; input a line at a time, edited and echoed. */
long console_backend_write(FILE *f, const char *buf, size_t len);
long console_backend_read_line(FILE *f, char *buf, size_t len);

/* Points the standard streams at the pipes the parent passed, if any (handle_io.c; start.c calls it). */
void libc_stdio_init(const struct start_info *si);

#endif
