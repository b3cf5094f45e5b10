/*
 * stdio.h: buffered input and output (libc/stdio.c, libc/printf.c).
 *
 * stdout is line-buffered, stderr unbuffered; both go to the console, or to
 * the pipes the parent passed at spawn (libc/handle_io.c), and so does stdin.
 * On a pipe a read returns what is there and 0 is end of input.  On the
 * console, stdin reads a line at a time through a small line discipline
 * (libc/console.c): it echoes what is typed and handles backspace, Ctrl-U
 * (erase the line), Ctrl-D (end of input on an empty line) and Enter ('\r'
 * becomes '\n').  fopen opens boot-filesystem files, read-only.  FILEs are
 * safe to share between threads; a printf of up to PRINTF_CHUNK characters
 * reaches the FILE in one piece, so lines from different threads do not mix.
 * Formatting is the kernel's formatter (kernel/lib/format.c) with %f %e %g
 * %a exact to the last digit (kernel/lib/format_decimal.c), %L for long
 * double and %n; an unknown conversion prints as written and takes no
 * argument; output past INT_MAX characters is -1 with errno EOVERFLOW.
 */
#ifndef EMBER_STDIO_H
#define EMBER_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF             (-1)
#define BUFSIZ          512     /* each FILE's input and output buffer */
#define PRINTF_CHUNK    256     /* printf hands its output to the FILE in pieces this big */

typedef struct FILE FILE;

#ifndef EMBER_SSIZE_T
#define EMBER_SSIZE_T
typedef long ssize_t;           /* a size, or -1 for an error */
#endif

extern FILE *const stdin;
extern FILE *const stdout;
extern FILE *const stderr;

#define PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))

int printf(const char *fmt, ...) PRINTF_LIKE(1, 2);
int fprintf(FILE *f, const char *fmt, ...) PRINTF_LIKE(2, 3);
int sprintf(char *buf, const char *fmt, ...) PRINTF_LIKE(2, 3);
int snprintf(char *buf, size_t size, const char *fmt, ...) PRINTF_LIKE(3, 4);
int vprintf(const char *fmt, va_list ap) PRINTF_LIKE(1, 0);
int vfprintf(FILE *f, const char *fmt, va_list ap) PRINTF_LIKE(2, 0);
int vsprintf(char *buf, const char *fmt, va_list ap) PRINTF_LIKE(2, 0);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) PRINTF_LIKE(3, 0);

/*
 * Formatted input (libc/scanf.c): %d %i %u %o %x %X %p %f %e %g %a %c %s
 * %[set] %n %%, '*', widths, hh h l ll j z t L.  Numbers are read as
 * strtoll, strtoull and strtod read them (floats correctly rounded).
 * Returns the count of stored conversions, or EOF when the input ended
 * before the first conversion.
 */
int scanf(const char *fmt, ...) __attribute__((format(scanf, 1, 2)));
int fscanf(FILE *f, const char *fmt, ...) __attribute__((format(scanf, 2, 3)));
int sscanf(const char *s, const char *fmt, ...) __attribute__((format(scanf, 2, 3)));
int vscanf(const char *fmt, va_list ap) __attribute__((format(scanf, 1, 0)));
int vfscanf(FILE *f, const char *fmt, va_list ap) __attribute__((format(scanf, 2, 0)));
int vsscanf(const char *s, const char *fmt, va_list ap) __attribute__((format(scanf, 2, 0)));

int fputc(int c, FILE *f);
int putc(int c, FILE *f);
int putchar(int c);
int fputs(const char *s, FILE *f);
int puts(const char *s);
size_t fwrite(const void *buf, size_t size, size_t n, FILE *f);

int fgetc(FILE *f);
int getc(FILE *f);
int getchar(void);
/*
 * Reads up to |n| - 1 characters, through the first '\n' (kept), and a NUL.
 * NULL when nothing could be read (end of input: |buf| is left as it was) or
 * |n| <= 0; with |n| == 1 it reads nothing and returns |buf| holding "".
 */
char *fgets(char *buf, int n, FILE *f);
/* Pushes |c| back: the next read returns it (one byte is always room); |c|, or EOF. */
int ungetc(int c, FILE *f);
/*
 * Reads a whole line (through |delim| for getdelim, '\n' for getline) into
 * *|line|, which is malloc'ed or grown with realloc as needed (*|cap| bytes);
 * returns its length, or -1 at end of input or on an error (errno: EINVAL
 * for NULL arguments, ENOMEM, EOVERFLOW).  The caller frees *|line|.
 */
ssize_t getline(char **line, size_t *cap, FILE *f);
ssize_t getdelim(char **line, size_t *cap, int delim, FILE *f);
size_t fread(void *buf, size_t size, size_t n, FILE *f);

/* Writes out what |f| buffered (NULL: stdout and stderr, the FILEs that write); 0 or EOF. */
int fflush(FILE *f);
int feof(FILE *f);
int ferror(FILE *f);
void clearerr(FILE *f);
/* Prints "|prefix|: strerror(errno)" on stderr (libc/errno.c). */
void perror(const char *prefix);

/* Opens a boot-filesystem file; |mode| must be "r" (or "rb").  NULL on failure. */
FILE *fopen(const char *path, const char *mode);
/* Flushes and closes |f| (not a standard stream: those are only flushed). */
int fclose(FILE *f);

#endif
