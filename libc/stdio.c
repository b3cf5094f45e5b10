/*
 * stdio.c: the standard streams and the buffered byte I/O every FILE shares.
 *
 * Output collects in |out| and goes to the backend when the buffering mode
 * says (a '\n' for stdout, at once for stderr, when full for all); input is
 * read from the backend into |in| a buffer at a time.  What a FILE is and its
 * lock rule: libc/file.h.  printf and friends are in printf.c, fopen and
 * fclose in fopen.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "libc/file.h"

static FILE stdin_file = {
    .write = console_backend_write,
    .read = console_backend_read_line,
    .buffering = FILE_LINE_BUFFERED,
};
static FILE stdout_file = {
    .write = console_backend_write,
    .read = console_backend_read_line,
    .buffering = FILE_LINE_BUFFERED,
};
static FILE stderr_file = {
    .write = console_backend_write,
    .read = console_backend_read_line,
    .buffering = FILE_UNBUFFERED,
};

FILE *const stdin = &stdin_file;
FILE *const stdout = &stdout_file;
FILE *const stderr = &stderr_file;

/* Hands |len| bytes to the backend, looping over short writes; 0, or EOF on an error. */
static int write_all_locked(FILE *f, const char *buf, size_t len)
{
    while (len > 0) {
        long n = f->write(f, buf, len);

        if (n <= 0) {
            f->state |= FILE_ERROR;
            errno = n < 0 ? errno_of(n) : EIO;
            return EOF;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static int flush_locked(FILE *f)
{
    int ret = write_all_locked(f, f->out, f->out_len);

    f->out_len = 0;             /* on an error the bytes are dropped, as the C library does */
    return ret;
}

static int putc_locked(FILE *f, char c)
{
    f->out[f->out_len++] = c;
    if (f->out_len == sizeof f->out || f->buffering == FILE_UNBUFFERED ||
        (f->buffering == FILE_LINE_BUFFERED && c == '\n'))
        return flush_locked(f);
    return 0;
}

static size_t write_locked(FILE *f, const char *buf, size_t len)
{
    if (f->buffering == FILE_UNBUFFERED) {
        if (flush_locked(f) < 0 || write_all_locked(f, buf, len) < 0)
            return 0;
        return len;
    }
    for (size_t i = 0; i < len; i++)
        if (putc_locked(f, buf[i]) < 0)
            return i;
    return len;
}

size_t fwrite(const void *buf, size_t size, size_t n, FILE *f)
{
    size_t done;

    if (size == 0 || n == 0)
        return 0;
    libc_lock_acquire(&f->lock);
    done = write_locked(f, buf, size * n);
    libc_lock_release(&f->lock);
    return done / size;
}

int fputc(int c, FILE *f)
{
    char ch = (char)c;

    return fwrite(&ch, 1, 1, f) == 1 ? (unsigned char)c : EOF;
}

int putc(int c, FILE *f)
{
    return fputc(c, f);
}

int putchar(int c)
{
    return fputc(c, stdout);
}

int fputs(const char *s, FILE *f)
{
    size_t len = strlen(s);

    return fwrite(s, 1, len, f) == len ? 0 : EOF;
}

/* puts writes the string and its '\n' under one lock, so the line stays whole. */
int puts(const char *s)
{
    size_t len = strlen(s);
    int ret = 0;

    libc_lock_acquire(&stdout->lock);
    if (write_locked(stdout, s, len) != len || putc_locked(stdout, '\n') < 0)
        ret = EOF;
    libc_lock_release(&stdout->lock);
    return ret;
}

int fflush(FILE *f)
{
    int ret;

    if (!f)
        return fflush(stdout) | fflush(stderr);
    libc_lock_acquire(&f->lock);
    ret = flush_locked(f);
    libc_lock_release(&f->lock);
    return ret;
}

/* Reads the next buffer from the backend; false at the end of input or on an error. */
static bool refill_locked(FILE *f)
{
    long n;

    if (f == stdin)
        fflush(stdout);         /* show the prompt before waiting for the answer */
    n = f->read(f, f->in, sizeof f->in);
    if (n <= 0) {
        f->state |= n == 0 ? FILE_EOF : FILE_ERROR;
        if (n < 0)
            errno = errno_of(n);
        return false;
    }
    f->in_pos = 0;
    f->in_len = (size_t)n;
    return true;
}

static int getc_locked(FILE *f)
{
    if (f->in_pos == f->in_len && !refill_locked(f))
        return EOF;
    return (unsigned char)f->in[f->in_pos++];
}

int fgetc(FILE *f)
{
    int c;

    libc_lock_acquire(&f->lock);
    c = getc_locked(f);
    libc_lock_release(&f->lock);
    return c;
}

int getc(FILE *f)
{
    return fgetc(f);
}

int getchar(void)
{
    return fgetc(stdin);
}

/* C: at end of input with nothing read, |buf| keeps what it held; room for only the NUL reads nothing. */
char *fgets(char *buf, int n, FILE *f)
{
    int len = 0, c = 0;

    if (n <= 0)
        return NULL;
    libc_lock_acquire(&f->lock);
    while (len < n - 1 && c != '\n' && (c = getc_locked(f)) != EOF)
        buf[len++] = (char)c;
    libc_lock_release(&f->lock);
    if (len == 0 && n > 1)
        return NULL;
    buf[len] = '\0';
    return buf;
}

/*
 * The byte goes in front of the unread input.  When the buffer is empty it
 * becomes the buffer's one byte; when it is full of unread input the push
 * fails, which C allows for any but the first pushed byte (a FILE that was
 * read from always has a byte free in front).
 */
static int ungetc_locked(int c, FILE *f)
{
    if (f->in_pos == f->in_len)
        f->in_pos = f->in_len = sizeof f->in;
    if (f->in_pos == 0) {
        if (f->in_len == sizeof f->in)
            return EOF;
        memmove(f->in + 1, f->in, f->in_len);
        f->in_len++;
        f->in_pos = 1;
    }
    f->in[--f->in_pos] = (char)c;
    f->state &= ~FILE_EOF;
    return (unsigned char)c;
}

int ungetc(int c, FILE *f)
{
    if (c == EOF)
        return EOF;
    libc_lock_acquire(&f->lock);
    c = ungetc_locked(c, f);
    libc_lock_release(&f->lock);
    return c;
}

/* Copies from the buffer, refilling it as it empties. */
size_t fread(void *buf, size_t size, size_t n, FILE *f)
{
    char *dst = buf;
    size_t want, got = 0;

    if (size == 0 || n == 0)
        return 0;
    want = size * n;
    libc_lock_acquire(&f->lock);
    while (got < want && (f->in_pos < f->in_len || refill_locked(f))) {
        size_t chunk = f->in_len - f->in_pos;

        if (chunk > want - got)
            chunk = want - got;
        memcpy(dst + got, f->in + f->in_pos, chunk);
        f->in_pos += chunk;
        got += chunk;
    }
    libc_lock_release(&f->lock);
    return got / size;
}

int feof(FILE *f)
{
    return (f->state & FILE_EOF) != 0;
}

int ferror(FILE *f)
{
    return (f->state & FILE_ERROR) != 0;
}

void clearerr(FILE *f)
{
    libc_lock_acquire(&f->lock);
    f->state = 0;
    libc_lock_release(&f->lock);
}
