/*
 * console.c: serial input and output for ring 3.
 *
 * The UART raises IRQ 4 when a byte arrives; the handler moves every
 * waiting byte into a ring buffer and wakes the readers.  A full buffer
 * drops new bytes (a person cannot type 256 bytes ahead of a shell).
 * Output is copied from the user in chunks and written out polled, at most
 * CONSOLE_WRITE_MAX bytes a call: a write is a short write beyond that.
 * Polled output is slow (a 16 KiB write took 30 ms under TCG), and QEMU
 * keeps the UART busy while the host is slow to read it (one byte then
 * waited 12 ms), so both between chunks and while the UART is busy the
 * write is a preemption point (sched_preempt_point): the timer gets in, and
 * another thread may run and write between two chunks.
 */
#include "kernel/abi/errors.h"
#include "kernel/arch/x86_64/serial.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/drv/console.h"
#include "kernel/sched/sched.h"
#include "kernel/sched/waitq.h"

#define INPUT_SIZE  256
#define CHUNK       64              /* bytes between preemption points: polled output is slow */
#define CONSOLE_WRITE_MAX (16 * 1024)   /* per call: the kernel is not preemptible, so bound the time */
#define IRQ_COM1    4

static char input[INPUT_SIZE];
static unsigned head, tail;             /* bytes live in [tail, head) modulo INPUT_SIZE */
static struct waitq readers = WAITQ_INIT(readers);

static void console_irq(void)
{
    int c;

    while ((c = serial_getc()) >= 0)
        if (head - tail < INPUT_SIZE)
            input[head++ % INPUT_SIZE] = (char)c;
    waitq_wake_all(&readers);
}

void console_init(void)
{
    serial_enable_rx_interrupt();
    irq_register(IRQ_COM1, console_irq);
}

long console_read(user_ptr buf, size_t len)
{
    char chunk[INPUT_SIZE];
    size_t n = 0;

    if (!user_range_ok(buf.addr, len))
        return E_FAULT;
    if (len == 0)
        return 0;
    while (head == tail) {
        long r = waitq_wait(&readers, DEADLINE_NONE);
        if (r < 0)
            return r;
    }
    while (n < len && tail != head)
        chunk[n++] = input[tail++ % INPUT_SIZE];
    return copy_to_user(buf, chunk, n) < 0 ? E_FAULT : (long)n;
}

/*
 * Sends |c|; while the UART is busy (QEMU holds it busy while the host has
 * not read the last bytes) it waits at preemption points, not with
 * interrupts off.  False when the thread is killed meanwhile.
 */
static bool put_preemptible(char c)
{
    while (!serial_try_putc(c))
        if (sched_preempt_point())
            return false;
    return true;
}

/* Writes |n| bytes of |s|, '\n' as "\r\n"; how many went out before a kill stopped it. */
static size_t write_preemptible(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((s[i] == '\n' && !put_preemptible('\r')) || !put_preemptible(s[i]))
            return i;
    return n;
}

long console_write(user_ptr buf, size_t len)
{
    char chunk[CHUNK];

    if (!user_range_ok(buf.addr, len))
        return E_FAULT;
    if (len > CONSOLE_WRITE_MAX)
        len = CONSOLE_WRITE_MAX;        /* a short write, as a terminal's: callers loop */
    for (size_t done = 0; done < len;) {
        size_t n = len - done < CHUNK ? len - done : CHUNK;
        if (copy_from_user(chunk, user_ptr_add(buf, done), n) < 0)
            return done ? (long)done : E_FAULT;
        size_t sent = write_preemptible(chunk, n);
        done += sent;
        if (sent < n || (done < len && sched_preempt_point()))
            return (long)done;          /* killed: stop here, the thread is on its way out */
    }
    return (long)len;
}
