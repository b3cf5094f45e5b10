/*
 * handle_io.c: the standard streams on pipes, and spawn_io.
 *
 * The spawn convention (kernel/abi/types.h, STDIN_HANDLE...): a parent
 * passes the child's stdin, stdout and stderr as the first three handles,
 * each a pipe end or 0 for the console.  At start, each stream whose handle
 * is a pipe end of the right direction gets the pipe backend below; the
 * others stay on the console, line discipline and all.  A zero-length
 * pipe_read or pipe_write tells which: it checks the handle and nothing
 * else, so a program that passed, say, two events first (an older caller)
 * leaves its child's streams on the console.
 *
 * spawn_io hands a child our own stream for each one it is not given, as
 * a Unix shell does: a shell whose output goes into a pipe sends its
 * children's output there too.
 *
 * Exports: libc_stdio_init (for start.c), spawn_io (ember.h).
 * Lock rule: none here; the streams' own (file.h) guard the backends' use.
 */
#include "libc/file.h"

static long pipe_backend_read(FILE *f, char *buf, size_t len)
{
    return pipe_read(f->handle, buf, len);
}

static long pipe_backend_write(FILE *f, const char *buf, size_t len)
{
    return pipe_write(f->handle, buf, len);
}

/* A pipe read end answers the probe with 0, or E_PEERCLOSED when it is already at end of file. */
static void attach_reader(FILE *f, handle_t h)
{
    long probe = h > 0 ? pipe_read(h, NULL, 0) : E_BADHANDLE;

    if (probe == 0 || probe == E_PEERCLOSED) {
        f->handle = h;
        f->read = pipe_backend_read;
    }
}

static void attach_writer(FILE *f, handle_t h)
{
    if (h > 0 && pipe_write(h, NULL, 0) == 0) {
        f->handle = h;
        f->write = pipe_backend_write;
    }
}

void libc_stdio_init(const struct start_info *si)
{
    if (si->nhandles > STDIN_HANDLE)
        attach_reader(stdin, si->handles[STDIN_HANDLE]);
    if (si->nhandles > STDOUT_HANDLE)
        attach_writer(stdout, si->handles[STDOUT_HANDLE]);
    if (si->nhandles > STDERR_HANDLE)
        attach_writer(stderr, si->handles[STDERR_HANDLE]);
}

handle_t spawn_io(const char *path, const char *const *argv, handle_t in, handle_t out)
{
    handle_t std[STDIO_HANDLES];

    std[STDIN_HANDLE] = in ? in : stdin->handle;   /* 0: ours, the console (0) or our pipe */
    std[STDOUT_HANDLE] = out ? out : stdout->handle;
    std[STDERR_HANDLE] = stderr->handle;
    return process_spawn(path, argv, std, STDIO_HANDLES);
}
