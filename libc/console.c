/*
 * console.c: the console as a FILE backend: the transport to the console
 * driver (user/consoled.c) over its port, CONSOLE_PORT_NAME.
 *
 * Output is CONSOLE_WRITE requests of up to SVC_DATA_MAX bytes.  When there
 * is no console driver (early in boot, before the supervisor has started
 * it; in a test boot, which runs none; while it is being restarted), the
 * bytes go out through the kernel's log path instead, console_write, which
 * writes them to the serial line polled and keeps them in the kernel's log
 * ring.  So output is never lost: a write the dying driver had taken but
 * not answered is written again, through the new driver or the kernel
 * (docs/09-drivers.md, "What a client may lose").
 *
 * Input is a CONSOLE_READ: the driver runs the line discipline (echo,
 * editing, Ctrl-C, Ctrl-D: libc/line_edit.c) and answers with one edited
 * line.  Input has no other path: a reader waits for the driver to come
 * back (svc_call's bounded wait), and then gets the error.
 *
 * One connection per standard stream, so that threads printing to stdout
 * and stderr at once never share one (each FILE's lock covers its own).
 *
 * The foreground (console_set_foreground: the process Ctrl-C ends) is
 * state in the driver, which a restart loses.  So libc keeps a copy of the
 * handle it set and tells it again whenever one of the streams has a new
 * connection (after a restart, the first write or read finds the new
 * driver; a handle value is never reused, so a new port means a new
 * connection), and console_wait_foreground, the shell's wait for a command,
 * also watches the driver and tells its successor at once
 * (docs/09-drivers.md, "The console").
 */
#include <service.h>
#include <stdbool.h>
#include "libc/file.h"
#include "libc/lock.h"

#define SENT_RIGHTS         (RIGHT_KILL | RIGHT_TRANSFER | RIGHT_INFO)  /* end it, say who it is */
#define FOREGROUND_RIGHTS   (SENT_RIGHTS | RIGHT_DUPLICATE)

static struct svc_conn conns[STDIO_HANDLES] = {
    { CONSOLE_PORT_NAME, 0 }, { CONSOLE_PORT_NAME, 0 }, { CONSOLE_PORT_NAME, 0 },
};
static struct svc_conn fg_conn = { CONSOLE_PORT_NAME, 0 };
static handle_t kept;                   /* our copy of the foreground we set (0: ourselves) */
static bool claimed;                    /* we have set one: a new driver must hear it */
static struct libc_lock fg_lock;        /* kept and fg_conn, between threads */

static struct svc_conn *conn_of(FILE *f)
{
    return &conns[f == stdin ? STDIN_HANDLE : f == stderr ? STDERR_HANDLE : STDOUT_HANDLE];
}

static void tell_again(void);

/* After a request on |c|, which was connected to |was|: a new connection tells the foreground. */
static long after(const struct svc_conn *c, handle_t was, long r)
{
    if (c->port > 0 && c->port != was)
        tell_again();
    return r;
}

long console_backend_write(FILE *f, const char *buf, size_t len)
{
    uint32_t n = len < SVC_DATA_MAX ? (uint32_t)len : SVC_DATA_MAX;
    struct svc_conn *c = conn_of(f);
    handle_t was = c->port;
    long r = after(c, was, svc_call_once(c, CONSOLE_WRITE, buf, n, 0, NULL, 0));

    return r >= 0 ? r : console_write(buf, n);  /* no driver: the kernel's log path */
}

long console_backend_read_line(FILE *f, char *buf, size_t len)
{
    uint32_t room = len < SVC_DATA_MAX ? (uint32_t)len : SVC_DATA_MAX;
    struct svc_conn *c = conn_of(f);
    handle_t was = c->port;

    return after(c, was, svc_call(c, CONSOLE_READ, &room, sizeof room, 0, buf, room));
}

/*
 * Sends a copy of |kept| (0: ourselves) as the foreground on |fg_conn|, once,
 * and once more on a fresh connection when the driver it knew is gone.
 * |wait| lets the fresh connection wait for a restarting driver (svc_call).
 * Called with |fg_lock| held.
 */
static long tell(bool wait)
{
    long r = E_PEERCLOSED;

    for (int tries = 0; tries < 2 && r == E_PEERCLOSED; tries++) {
        handle_t h = kept ? handle_duplicate(kept, 0, SENT_RIGHTS) : 0;
        if (h < 0)
            return h;
        r = (wait ? svc_call : svc_call_once)(&fg_conn, CONSOLE_FOREGROUND, NULL, 0, h, NULL, 0);
        if (r < 0 && h > 0)
            handle_close(h);            /* not sent: still ours */
    }
    return r;
}

/* A console stream connected to a driver, maybe a new one: tell it the foreground. */
static void tell_again(void)
{
    libc_lock_acquire(&fg_lock);
    if (claimed)
        tell(false);
    libc_lock_release(&fg_lock);
}

long console_set_foreground(handle_t process)
{
    handle_t copy = process ? handle_duplicate(process, 0, FOREGROUND_RIGHTS) : 0, old;
    long r;

    if (copy < 0)
        return copy;
    libc_lock_acquire(&fg_lock);
    old = kept;
    kept = copy;
    claimed = true;
    r = tell(false);
    libc_lock_release(&fg_lock);
    if (old > 0)
        handle_close(old);
    return r;
}

/*
 * The connection's port is signaled when its driver is gone: then the new
 * driver is told at once (waiting for it, as a read would), rather than at
 * this process's next console request, which may be long after a Ctrl-C.
 */
long console_wait_foreground(handle_t process)
{
    long r, which;

    console_set_foreground(process);
    do {
        handle_t both[2] = { process, fg_conn.port }, was = fg_conn.port;
        which = 0;
        r = object_wait_many(both, was > 0 ? 2 : 1, 0, TIMEOUT_INFINITE, &which);
        if (r >= 0 && which == 1) {
            libc_lock_acquire(&fg_lock);
            tell(true);
            libc_lock_release(&fg_lock);
            if (fg_conn.port == was)
                which = 0;              /* signaled, yet the same driver: stop watching it */
        }
    } while (r >= 0 && which == 1);
    console_set_foreground(0);
    return r < 0 ? r : 0;
}
