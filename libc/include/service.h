/*
 * service.h: how programs talk to the ring-3 drivers (docs/09-drivers.md).
 *
 * Every driver serves one named LPC port.  A call is one port_request: a
 * struct svc_request out, a struct svc_reply back.  Two operations are
 * common to all drivers: SVC_PING (the supervisor's heartbeat: a driver
 * that does not answer in time is hung) and SVC_CRASH (fault injection:
 * the driver faults on purpose on its next request).  The rest are the
 * driver's own.
 *
 * libc's clients (svc_call below) reconnect when a driver dies: a request
 * that fails with E_PEERCLOSED is sent again once the name reappears (a
 * bounded wait), so a caller loses at most that request's effect if the
 * old driver had done it before dying (docs/09-drivers.md, "What a client
 * may lose").
 */
#ifndef EMBER_SERVICE_H
#define EMBER_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ember.h>

/*
 * What a driver is started with (svcmgr does it from /etc/services): after
 * the three standard streams, its I/O-port range and its interrupt, each
 * made fresh for this start (0 when the service list gives it none).
 */
#define DRIVER_IOPORT_HANDLE    3
#define DRIVER_IRQ_HANDLE       4
#define DRIVER_HANDLES          5

#define SVCMGR_PORT_NAME    "/svc/svcmgr"
#define CLOCK_PORT_NAME     "/svc/clock"
#define CONSOLE_PORT_NAME   "/svc/console"
#define SVC_DATA_MAX        512             /* bytes of data in one request or reply */
#define SVC_RECONNECT_NS    (5 * 1000000000L)   /* how long a client waits for a driver to return */

enum svc_op {
    SVC_PING = 1,           /* answer with status 0 */
    SVC_CRASH,              /* fault on the next request (a NULL write) */
    SVC_HANG,               /* stop answering anything, ping included (hang injection) */
    SVCMGR_LIST = 8,        /* the supervisor: data out: one line of text per service */
    SVCMGR_START,           /* data in: a service's name */
    SVCMGR_STOP,
    SVCMGR_RESTART,
    SVCMGR_CRASH,           /* send the service SVC_CRASH */
    SVCMGR_HANG,            /* send the service SVC_HANG */
    CLOCK_READ = 16,        /* data out: struct clock_time */
    CLOCK_INTERRUPTS,       /* data out: uint64_t, the update interrupts the driver has served */
    CONSOLE_WRITE = 32,     /* data in: the bytes; status: how many were written */
    CONSOLE_READ,           /* data out: one edited line, or 0 bytes at end of input */
    CONSOLE_FOREGROUND,     /* handle in: the process Ctrl-C kills (none: nobody) */
    CONSOLE_INJECT,         /* data in: bytes handled as if typed (consoled -t only: tests) */
};

#define CONSOLE_INTERRUPT_CODE  130     /* what Ctrl-C kills the foreground process with (as a shell's 128 + SIGINT) */

struct svc_request {
    uint32_t op;            /* enum svc_op */
    uint32_t len;           /* bytes of |data| used */
    char data[SVC_DATA_MAX];
};

struct svc_reply {
    int64_t status;         /* >= 0, or an E_* code */
    uint32_t len;           /* bytes of |data| used */
    uint32_t flags;         /* SVC_REPLY_LATER (between a driver and svc_serve_one only) */
    char data[SVC_DATA_MAX];
};
#define SVC_REPLY_LATER     0x1     /* the driver will answer with svc_reply_later */

#define SVC_REQUEST_HEADER  offsetof(struct svc_request, data)  /* the bytes before |data| */
#define SVC_REPLY_HEADER    offsetof(struct svc_reply, data)
#define SVC_MAX_MESSAGE     sizeof(struct svc_reply)

/* A connection to a driver's port, kept across the driver's restarts. */
struct svc_conn {
    const char *name;       /* the port's name */
    handle_t port;          /* 0 until connected */
};

/*
 * One request on |c|: sends |op| with |len| bytes of |data| (and |handle|
 * if not 0, which moves to the driver), and copies up to |room| bytes of
 * the reply's data to |out|.  Returns the reply's status, or an E_* code;
 * E_PEERCLOSED only when the driver stayed gone for SVC_RECONNECT_NS.
 */
long svc_call(struct svc_conn *c, uint32_t op, const void *data, uint32_t len, handle_t handle,
              void *out, uint32_t room);
/*
 * svc_call, once: no waiting for the name (E_NOTFOUND at once when it is
 * not there), no resending (a fault injection must not reach the driver's
 * successor).  On an error |c| is closed, to be connected again by the next
 * call.  For the supervisor's pings, and for output, which has the
 * kernel's log path to fall back on (libc/console.c).
 */
long svc_call_once(struct svc_conn *c, uint32_t op, const void *data, uint32_t len, handle_t handle,
                   void *out, uint32_t room);
/* Sends |rep| as the reply to request |id| on |port|, which the driver deferred (SVC_REPLY_LATER). */
long svc_reply_later(handle_t port, uint64_t id, const struct svc_reply *rep);

/*
 * The server side, for drivers.  |answer| fills |rep| (status, len, data)
 * for |req|, whose data the server checked against the message's length;
 * |handle| is the handle the request carried (now the driver's), or 0;
 * |m| tells who sent it.  svc_serve_one receives one message on |port|
 * without waiting and deals with it (connect, request, client gone); PING
 * is answered without |answer|.  Returns 0 or the receive's E_* code.
 */
typedef void (*svc_answer_fn)(const struct svc_request *req, handle_t handle,
                              const struct port_message *m, struct svc_reply *rep);
long svc_serve_one(handle_t port, svc_answer_fn answer);

/*
 * Tells the console driver what runs in the foreground: |process|, a
 * process or job handle with RIGHT_KILL, RIGHT_INFO, RIGHT_TRANSFER and
 * RIGHT_DUPLICATE (the driver gets a duplicate), which Ctrl-C ends and
 * whose processes alone may read; or 0: the caller itself reads, and
 * Ctrl-C ends nothing (a shell at its prompt).  Other readers wait until
 * they are in the foreground (libc/foreground.c).  libc keeps a duplicate
 * and tells it again to each new console driver after a restart.
 */
long console_set_foreground(handle_t process);
/*
 * Makes |process| (a process or job) the foreground, waits until it has
 * ended, and makes the caller the foreground again.  If the console driver is restarted meanwhile, the
 * new one is told at once (so Ctrl-C still ends |process|).  The shell's
 * wait for each command.  0, or object_wait_many's E_* code.
 */
long console_wait_foreground(handle_t process);
/* Reads the wall clock through the clock driver (rtcd): 0 or an E_* code. */
long clock_read(struct clock_time *t);

#endif
