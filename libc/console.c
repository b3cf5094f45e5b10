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
 */
#include <service.h>
#include "libc/file.h"

static struct svc_conn conns[STDIO_HANDLES] = {
    { CONSOLE_PORT_NAME, 0 }, { CONSOLE_PORT_NAME, 0 }, { CONSOLE_PORT_NAME, 0 },
};

static struct svc_conn *conn_of(FILE *f)
{
    return &conns[f == stdin ? STDIN_HANDLE : f == stderr ? STDERR_HANDLE : STDOUT_HANDLE];
}

long console_backend_write(FILE *f, const char *buf, size_t len)
{
    uint32_t n = len < SVC_DATA_MAX ? (uint32_t)len : SVC_DATA_MAX;
    long r = svc_call_once(conn_of(f), CONSOLE_WRITE, buf, n, 0, NULL, 0);

    return r >= 0 ? r : console_write(buf, n);  /* no driver: the kernel's log path */
}

long console_backend_read_line(FILE *f, char *buf, size_t len)
{
    uint32_t room = len < SVC_DATA_MAX ? (uint32_t)len : SVC_DATA_MAX;

    return svc_call(conn_of(f), CONSOLE_READ, &room, sizeof room, 0, buf, room);
}

long console_set_foreground(handle_t process)
{
    static struct svc_conn conn = { CONSOLE_PORT_NAME, 0 };
    handle_t h = process ? handle_duplicate(process, 0, RIGHT_KILL | RIGHT_TRANSFER) : 0;
    long r;

    if (h < 0)
        return h;
    r = svc_call_once(&conn, CONSOLE_FOREGROUND, NULL, 0, h, NULL, 0);
    if (r < 0 && h > 0)
        handle_close(h);                /* not sent: still ours */
    return r;
}
