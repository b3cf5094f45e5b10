/*
 * log.c: the kernel's log (log.h), one ring of the last LOG_RING_SIZE bytes
 * written, and the two ways into it: kprintf's lines (log_write; kprintf
 * itself drives the serial line) and ring 3's console_write
 * (log_write_user), which also goes out on the serial line.  log_read
 * (log_read_user, `dmesg`) copies the newest bytes back out; GDB's
 * `ember log` reads the ring on a stopped machine, whatever happened to the
 * serial line.
 *
 * The serial line is shared with the console driver, consoled, which owns
 * COM1's ports and IRQ 4 from ring 3.  The kernel never reads the UART and
 * never touches its interrupt setting after boot; it only writes, polled,
 * one byte at a time into the transmit register, as consoled does.  A
 * kprintf line is whole (it runs with interrupts off), though it may land
 * between two bytes of a line consoled is writing; a console_write from
 * ring 3 is preemptible between bytes, so another writer's bytes may land
 * inside it.  Early boot and panics need no
 * process at all: this path works before the first process and after the
 * last.
 *
 * Exports: klog, log_print, log_write, log_write_user, log_read_user.
 *
 * Locking: log_lock (a spinlock, the innermost of all: kprintf may run under
 * any other lock) guards the ring, and a kprintf line's trip to the serial
 * line, so lines from several CPUs never mix.  A CPU that already holds it
 * (a fault or a panic in the middle of a line) writes without it rather than
 * wait for itself.  log_read_user copies the ring out a chunk at a time,
 * never holding the lock across the copy to user memory; a writer may
 * overwrite bytes not yet copied, and the reader then gets the newer ones.
 */
#include "kernel/abi/errors.h"
#include "kernel/arch/x86_64/serial.h"
#include "kernel/arch/x86_64/spinlock.h"
#include "kernel/drv/log.h"
#include "kernel/lib/string.h"
#include "kernel/sched/sched.h"

#define CHUNK       64              /* bytes between preemption points: polled output is slow */
#define WRITE_MAX   (16 * 1024)     /* per call: a short write past this, as a terminal's */

#define READ_CHUNK  256             /* bytes log_read_user copies per turn of the lock */

struct klog klog;
static LOCK_CLASS(log_class, "log");
static struct spinlock log_lock = SPINLOCK_INIT("log", log_class);

static void ring_append(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        klog.buf[(klog.written + i) % LOG_RING_SIZE] = s[i];
    klog.written += len;
}

void log_write(const char *s, size_t len)
{
    spin_lock(&log_lock);
    ring_append(s, len);
    spin_unlock(&log_lock);
}

void log_print(const char *s, size_t len)
{
    if (spin_holding(&log_lock)) {      /* a fault or panic in the middle of a line */
        ring_append(s, len);
        serial_write(s, len);
        return;
    }
    spin_lock(&log_lock);
    ring_append(s, len);
    serial_write(s, len);
    spin_unlock(&log_lock);
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

/*
 * Polled output is slow (a 16 KiB write took 30 ms under TCG), so between
 * chunks, and while the UART is busy, the write is a preemption point
 * (sched_preempt_point): the timer gets in, and another thread may run and
 * write between two chunks.
 */
long log_write_user(user_ptr buf, size_t len)
{
    char chunk[CHUNK];

    if (!user_range_ok(buf.addr, len))
        return E_FAULT;
    if (len > WRITE_MAX)
        len = WRITE_MAX;                /* callers loop */
    for (size_t done = 0; done < len;) {
        size_t n = len - done < CHUNK ? len - done : CHUNK;
        if (copy_from_user(chunk, user_ptr_add(buf, done), n) < 0)
            return done ? (long)done : E_FAULT;
        size_t sent = write_preemptible(chunk, n);
        log_write(chunk, sent);
        done += sent;
        if (sent < n || (done < len && sched_preempt_point()))
            return (long)done;          /* killed: stop here, the thread is on its way out */
    }
    return (long)len;
}

long log_read_user(user_ptr buf, size_t len)
{
    char chunk[READ_CHUNK];

    if (!user_range_ok(buf.addr, len))
        return E_FAULT;
    spin_lock(&log_lock);
    uint64_t kept = klog.written < LOG_RING_SIZE ? klog.written : LOG_RING_SIZE;
    uint64_t n = len < kept ? len : kept;
    uint64_t start = klog.written - n;  /* the last n bytes */
    spin_unlock(&log_lock);
    for (uint64_t done = 0; done < n;) {
        uint64_t at = (start + done) % LOG_RING_SIZE;
        uint64_t piece = LOG_RING_SIZE - at < n - done ? LOG_RING_SIZE - at : n - done;
        if (piece > READ_CHUNK)
            piece = READ_CHUNK;
        spin_lock(&log_lock);
        memcpy(chunk, klog.buf + at, piece);
        spin_unlock(&log_lock);
        if (copy_to_user(user_ptr_add(buf, done), chunk, piece) < 0)
            return E_FAULT;
        done += piece;
    }
    return (long)n;
}
