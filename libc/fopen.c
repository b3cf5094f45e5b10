/*
 * fopen.c: FILEs on boot-filesystem files (read-only), and fclose.
 *
 * The backend reads with file_read at the FILE's own offset; the handle is
 * closed by fclose.  Failures set errno: ENOENT for a missing file, EROFS
 * for a mode that would write, EINVAL for a mode C does not know.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "libc/file.h"

static long boot_file_read(FILE *f, char *buf, size_t len)
{
    long n = file_read(f->handle, buf, len, (long)f->offset);

    if (n > 0)
        f->offset += (unsigned long)n;
    return n;
}

/* Boot files cannot be written: the backend refuses. */
static long boot_file_write(FILE *f, const char *buf, size_t len)
{
    (void)f, (void)buf, (void)len;
    return E_ACCESS;
}

FILE *fopen(const char *path, const char *mode)
{
    FILE *f;
    handle_t h;

    if (strcmp(mode, "r") != 0 && strcmp(mode, "rb") != 0) {
        errno = mode[0] == 'w' || mode[0] == 'a' || strchr(mode, '+') ? EROFS : EINVAL;
        return NULL;
    }
    f = calloc(1, sizeof *f);
    if (!f)
        return NULL;            /* errno is ENOMEM */
    h = file_open(path);
    if (h < 0) {
        free(f);
        errno = errno_of(h);
        return NULL;
    }
    f->write = boot_file_write;
    f->read = boot_file_read;
    f->handle = h;
    f->buffering = FILE_FULL_BUFFERED;
    return f;
}

int fclose(FILE *f)
{
    int ret = fflush(f);

    if (f == stdin || f == stdout || f == stderr)
        return ret;
    long err = handle_close(f->handle);

    if (err < 0) {
        errno = errno_of(err);
        ret = EOF;
    }
    free(f);
    return ret;
}
