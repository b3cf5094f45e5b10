/*
 * Error codes, shared by the kernel, libc and the tests.  A system call
 * returns a value >= 0, or one of these (all negative).  libc's errstr()
 * gives the message.  The list is an X-macro so the names and messages are
 * written once.
 */
#ifndef EMBER_ABI_ERRORS_H
#define EMBER_ABI_ERRORS_H

#define EMBER_ERRORS(X) \
    X(E_INVAL,       -1,  "invalid argument") \
    X(E_NOMEM,       -2,  "out of memory") \
    X(E_FAULT,       -3,  "bad address") \
    X(E_BADHANDLE,   -4,  "not a valid handle") \
    X(E_WRONGTYPE,   -5,  "handle refers to an object of another type") \
    X(E_ACCESS,      -6,  "handle lacks the right") \
    X(E_AGAIN,       -7,  "try again: the operation would block") \
    X(E_TIMEDOUT,    -8,  "timed out") \
    X(E_PEERCLOSED,  -9,  "the other side is gone") \
    X(E_ABANDONED,   -10, "mutex abandoned by a thread that died holding it") \
    X(E_CANCELED,    -11, "wait canceled: a handle was closed") \
    X(E_NOSYS,       -12, "no such system call") \
    X(E_EXISTS,      -13, "already exists") \
    X(E_NOTFOUND,    -14, "not found") \
    X(E_LIMIT,       -15, "a limit or quota was reached") \
    X(E_NOEXEC,      -16, "not an executable this kernel can run") \
    X(E_TOOBIG,      -17, "argument too long") \
    X(E_BUSY,        -18, "resource busy") \
    X(E_NOTOWNER,    -19, "the calling thread does not own it") \
    X(E_QUOTA,       -20, "over a limit of the job it runs in")

enum ember_error {
#define EMBER_ERROR_ENUM(name, value, text) name = value,
    EMBER_ERRORS(EMBER_ERROR_ENUM)
#undef EMBER_ERROR_ENUM
};

#endif
