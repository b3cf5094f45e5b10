/*
 * errno.h: the C error number (libc/errno.c).
 *
 * The values are Linux's, so a message or a number a student looks up means
 * what it means on their own machine.  errno is one int for the whole
 * process, not one per thread: Ember gives ring 3 no thread-local storage
 * yet, so a program whose threads both fail calls sees the later failure.
 * Where libc wraps a system call, an E_* code becomes the errno value
 * errno_of() (ember.h) names: E_NOTFOUND is ENOENT, E_NOMEM is ENOMEM, ...
 */
#ifndef EMBER_ERRNO_H
#define EMBER_ERRNO_H

int *__errno_location(void);
#define errno (*__errno_location())

#define EPERM           1       /* Operation not permitted */
#define ENOENT          2       /* No such file or directory */
#define ESRCH           3       /* No such process */
#define EINTR           4       /* Interrupted system call */
#define EIO             5       /* Input/output error */
#define E2BIG           7       /* Argument list too long */
#define ENOEXEC         8       /* Exec format error */
#define EBADF           9       /* Bad file descriptor */
#define ECHILD          10      /* No child processes */
#define EAGAIN          11      /* Resource temporarily unavailable */
#define EWOULDBLOCK     EAGAIN
#define ENOMEM          12      /* Cannot allocate memory */
#define EACCES          13      /* Permission denied */
#define EFAULT          14      /* Bad address */
#define EBUSY           16      /* Device or resource busy */
#define EEXIST          17      /* File exists */
#define ENODEV          19      /* No such device */
#define EISDIR          21      /* Is a directory */
#define EINVAL          22      /* Invalid argument */
#define EMFILE          24      /* Too many open files */
#define ENOTTY          25      /* Inappropriate ioctl for device */
#define ENOSPC          28      /* No space left on device */
#define ESPIPE          29      /* Illegal seek */
#define EROFS           30      /* Read-only file system */
#define EPIPE           32      /* Broken pipe */
#define EDOM            33      /* Numerical argument out of domain */
#define ERANGE          34      /* Numerical result out of range */
#define ENAMETOOLONG    36      /* File name too long */
#define ENOSYS          38      /* Function not implemented */
#define EOVERFLOW       75      /* Value too large for defined data type */
#define EILSEQ          84      /* Invalid or incomplete multibyte or wide character */
#define ETIMEDOUT       110     /* Connection timed out */
#define EDQUOT          122     /* Disk quota exceeded (Ember: over a job's limit) */
#define ECANCELED       125     /* Operation canceled */
#define EOWNERDEAD      130     /* Owner died */

#endif
