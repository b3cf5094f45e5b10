/*
 * errno.c: errno itself, its messages (strerror, perror), and the map from
 * Ember's E_* codes to errno values (errno_of) that every libc function
 * wrapping a system call uses to report a failure the C way.
 *
 * The messages are glibc's, word for word, so a program that prints
 * strerror(errno) says the same on Ember as on the student's own machine.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <ember.h>

#define UNKNOWN_ERROR_MAX 32    /* "Unknown error -2147483648" and its NUL */

static int errno_value;

int *__errno_location(void)
{
    return &errno_value;
}

static const char *const messages[] = {
    [0] = "Success",
    [EPERM] = "Operation not permitted",
    [ENOENT] = "No such file or directory",
    [ESRCH] = "No such process",
    [EINTR] = "Interrupted system call",
    [EIO] = "Input/output error",
    [E2BIG] = "Argument list too long",
    [ENOEXEC] = "Exec format error",
    [EBADF] = "Bad file descriptor",
    [ECHILD] = "No child processes",
    [EAGAIN] = "Resource temporarily unavailable",
    [ENOMEM] = "Cannot allocate memory",
    [EACCES] = "Permission denied",
    [EFAULT] = "Bad address",
    [EBUSY] = "Device or resource busy",
    [EEXIST] = "File exists",
    [ENODEV] = "No such device",
    [EISDIR] = "Is a directory",
    [EINVAL] = "Invalid argument",
    [EMFILE] = "Too many open files",
    [ENOTTY] = "Inappropriate ioctl for device",
    [ENOSPC] = "No space left on device",
    [ESPIPE] = "Illegal seek",
    [EROFS] = "Read-only file system",
    [EPIPE] = "Broken pipe",
    [EDOM] = "Numerical argument out of domain",
    [ERANGE] = "Numerical result out of range",
    [ENAMETOOLONG] = "File name too long",
    [ENOSYS] = "Function not implemented",
    [EOVERFLOW] = "Value too large for defined data type",
    [EILSEQ] = "Invalid or incomplete multibyte or wide character",
    [ETIMEDOUT] = "Connection timed out",
    [ECANCELED] = "Operation canceled",
    [EOWNERDEAD] = "Owner died",
};

/* C lets strerror return a buffer the next call overwrites: this one, for unknown numbers. */
char *strerror(int e)
{
    static char unknown[UNKNOWN_ERROR_MAX];

    if (e >= 0 && (size_t)e < sizeof messages / sizeof messages[0] && messages[e])
        return (char *)messages[e];
    snprintf(unknown, sizeof unknown, "Unknown error %d", e);
    return unknown;
}

/* "prefix: message\n" on stderr, or just the message when |prefix| is NULL or "". */
void perror(const char *prefix)
{
    const char *msg = strerror(errno);

    if (prefix && *prefix)
        fprintf(stderr, "%s: %s\n", prefix, msg);
    else
        fprintf(stderr, "%s\n", msg);
}

/* Each E_* code and the errno value that says the same thing. */
static const struct { long code; int errno_value; } error_map[] = {
    { E_INVAL, EINVAL },        { E_NOMEM, ENOMEM },        { E_FAULT, EFAULT },
    { E_BADHANDLE, EBADF },     { E_WRONGTYPE, EBADF },     { E_ACCESS, EACCES },
    { E_AGAIN, EAGAIN },        { E_TIMEDOUT, ETIMEDOUT },  { E_PEERCLOSED, EPIPE },
    { E_ABANDONED, EOWNERDEAD }, { E_CANCELED, ECANCELED }, { E_NOSYS, ENOSYS },
    { E_EXISTS, EEXIST },       { E_NOTFOUND, ENOENT },     { E_LIMIT, EAGAIN },
    { E_NOEXEC, ENOEXEC },      { E_TOOBIG, E2BIG },        { E_BUSY, EBUSY },
    { E_NOTOWNER, EPERM },      { E_QUOTA, EDQUOT },
};

int errno_of(long code)
{
    for (size_t i = 0; i < sizeof error_map / sizeof error_map[0]; i++)
        if (error_map[i].code == code)
            return error_map[i].errno_value;
    return EIO;                 /* a code this table does not know yet */
}
