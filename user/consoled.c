/*
 * consoled: the serial console driver, in ring 3 (docs/09-drivers.md, "The
 * console").  It owns COM1: its eight ports and IRQ 4, which the supervisor
 * passes it (DRIVER_IOPORT_HANDLE, DRIVER_IRQ_HANDLE), and serves
 * CONSOLE_PORT_NAME, through which libc's stdio reaches the console:
 *
 *   CONSOLE_WRITE       the bytes go out on the line ('\n' as "\r\n")
 *   CONSOLE_READ        one edited line (or 0 bytes at end of input); the
 *                       reply waits until a line has been typed
 *   CONSOLE_FOREGROUND  the job or process Ctrl-C ends, and the only one
 *                       whose reads are answered (libc/foreground.c)
 *
 * Typed bytes arrive by interrupt and go through the line discipline
 * (libc/line_edit.c), which echoes as it edits, with the arrows, Home, End
 * and a history of the last lines entered, one for all readers.  Finished
 * lines wait in |ready| for a reader; readers wait in |readers| for a line,
 * their replies sent when one is done (svc_reply_later), to the oldest
 * reader in the foreground: the others' reads are held until they are.
 *
 * The kernel writes to the same UART, polled, for its log lines and its
 * panics; both only ever write whole bytes to the transmit register, so at
 * worst a kernel line lands between two of ours.  The kernel never reads
 * it: input is ours alone.
 *
 *   consoled -t   also accepts CONSOLE_INJECT (bytes handled as if typed):
 *                 for the tests, never in the service list
 */
#include <ember.h>
#include <foreground.h>
#include <line_edit.h>
#include <portio.h>
#include <service.h>
#include <string.h>

#define COM1            0x3f8
#define UART_DATA       0
#define UART_IER        1
#define UART_LSR        5
#define IER_RX_READY    0x01
#define LSR_DATA_READY  0x01
#define LSR_THR_EMPTY   0x20
#define READY_MAX       1024            /* typed lines no program has read yet */
#define MAX_READERS     16
#define EXIT_NO_DEVICE  3

static char ready[READY_MAX];
static size_t ready_len;
static int ends_pending;                /* Ctrl-Ds typed and not yet read */
static struct { uint64_t id; uint32_t room; struct reader_id who; } readers[MAX_READERS];
static int nreaders;
static struct foreground fg;
static handle_t port;
static bool test_mode;

static void uart_putc(char c)
{
    while (!(inb(COM1 + UART_LSR) & LSR_THR_EMPTY))
        ;
    outb(COM1 + UART_DATA, (uint8_t)c);
}

static void uart_write(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            uart_putc('\r');
        uart_putc(s[i]);
    }
}

/* The oldest waiting reader in the foreground, or -1. */
static int next_reader(void)
{
    for (int i = 0; i < nreaders; i++)
        if (foreground_may_read(&fg, &readers[i].who))
            return i;
    return -1;
}

/* Replies to the oldest reader in the foreground while there is a line (or an end of input) for it. */
static void serve_readers(void)
{
    int i;

    while ((ready_len > 0 || ends_pending > 0) && (i = next_reader()) >= 0) {
        struct svc_reply rep = { 0 };
        size_t n = 0;
        while (n < ready_len && n < readers[i].room && n < SVC_DATA_MAX && ready[n++] != '\n')
            ;                           /* one line, or as much of it as the reader has room for */
        if (n == 0)
            ends_pending--;             /* no line before it: this read is the end of input */
        memcpy(rep.data, ready, n);
        rep.len = (uint32_t)n;
        rep.status = (long)n;
        uint64_t id = readers[i].id;
        memmove(readers + i, readers + i + 1, (--nreaders - i) * sizeof readers[0]);
        if (svc_reply_later(port, id, &rep) == E_PEERCLOSED && n > 0)
            continue;                   /* its reader is gone: the line waits for the next one */
        memmove(ready, ready + n, ready_len - n);
        ready_len -= n;
    }
}

/* What the line discipline finished: a line for the readers, an end of input, a Ctrl-C. */
static void deliver(enum line_key what, const char *line, size_t len)
{
    if (what == LINE_DONE && ready_len + len <= READY_MAX) {   /* a full buffer drops the line */
        memcpy(ready + ready_len, line, len);
        ready_len += len;
    } else if (what == LINE_END_OF_INPUT) {
        ends_pending++;
    } else if (what == LINE_INTERRUPT) {
        foreground_interrupt(&fg, CONSOLE_INTERRUPT_CODE);
    }
}

/* One history for every program that reads the console (docs/09-drivers.md, "Line editing"). */
static struct line_history history;
static struct line_edit editor = { .echo = uart_write, .deliver = deliver, .history = &history };

/* One typed byte, through the line discipline. */
static void typed(unsigned char c)
{
    line_edit_key(&editor, c, LINE_EDIT_MAX);
}

/* Every byte the UART holds, through the line discipline; then the readers a line completes. */
static void take_input(void)
{
    while (inb(COM1 + UART_LSR) & LSR_DATA_READY)
        typed(inb(COM1 + UART_DATA));
    serve_readers();
}

/* IRQ 4: take the input, then open the line again. */
static void on_interrupt(handle_t irq)
{
    take_input();
    interrupt_ack(irq);
}

/* A full table: answers and forgets the held readers whose process has ended. */
static void forget_gone_readers(void)
{
    struct svc_reply rep = { .status = E_PEERCLOSED };

    for (int i = nreaders - 1; i >= 0; i--) {
        if (foreground_reader(readers[i].who.pid).job_id != 0)
            continue;
        svc_reply_later(port, readers[i].id, &rep);    /* nobody gets it: it frees the request */
        memmove(readers + i, readers + i + 1, (--nreaders - i) * sizeof readers[0]);
    }
}

/* A CONSOLE_READ from process |pid|: waits in |readers| (E_AGAIN when they are full). */
static void add_reader(const struct svc_request *req, const struct port_message *m, struct svc_reply *rep)
{
    uint32_t room = SVC_DATA_MAX;

    if (nreaders == MAX_READERS)
        forget_gone_readers();
    if (nreaders == MAX_READERS) {
        rep->status = E_AGAIN;
        return;
    }
    if (req->len >= sizeof room)
        memcpy(&room, req->data, sizeof room);
    readers[nreaders].id = m->id;
    readers[nreaders].who = foreground_reader(m->pid);
    readers[nreaders++].room = room ? room : 1;
    rep->flags = SVC_REPLY_LATER;       /* serve_readers answers it */
}

static void answer(const struct svc_request *req, handle_t handle, const struct port_message *m,
                   struct svc_reply *rep)
{
    if (req->op == CONSOLE_FOREGROUND) {
        rep->status = foreground_set(&fg, handle, m->pid);     /* 0: the sender itself */
        return;
    }
    if (handle)
        handle_close(handle);
    if (req->op == CONSOLE_WRITE) {
        uart_write(req->data, req->len);
        rep->status = req->len;
    } else if (req->op == CONSOLE_READ) {
        add_reader(req, m, rep);
    } else if (req->op == CONSOLE_INJECT && test_mode) {
        for (uint32_t i = 0; i < req->len; i++)
            typed((unsigned char)req->data[i]);
    } else {
        rep->status = E_INVAL;
    }
}

int main(int argc, char **argv)
{
    const struct start_info *si = start_info();
    handle_t io = si->nhandles > DRIVER_IOPORT_HANDLE ? si->handles[DRIVER_IOPORT_HANDLE] : 0;
    handle_t irq = si->nhandles > DRIVER_IRQ_HANDLE ? si->handles[DRIVER_IRQ_HANDLE] : 0;

    test_mode = argc > 1 && strcmp(argv[1], "-t") == 0;
    if (ioport_enable(io) < 0 || irq <= 0)
        return EXIT_NO_DEVICE;          /* no console to say so on: the supervisor logs the code */
    port = port_create(CONSOLE_PORT_NAME, SVC_MAX_MESSAGE, 1);
    if (port < 0)
        return 1;
    outb(COM1 + UART_IER, IER_RX_READY);
    take_input();                       /* what was typed before we ran, or while we restarted */
    for (;;) {
        handle_t both[2] = { port, irq };
        long which = -1;
        if (object_wait_many(both, 2, 0, TIMEOUT_INFINITE, &which) < 0)
            continue;
        if (which == 1) {
            on_interrupt(irq);
        } else {
            svc_serve_one(port, answer);
            serve_readers();            /* a CONSOLE_INJECT may have finished a line */
        }
    }
}
