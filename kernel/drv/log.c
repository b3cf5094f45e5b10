/*
 * log.c: the kernel's log for ring 3 (log.h): console_write, the polled
 * serial path plus the log ring (kernel/lib/klog.c), and log_read.
 *
 * The serial line is shared with the console driver, consoled, which owns
 * COM1's ports and IRQ 4 from ring 3.  The kernel never reads the UART and
 * never touches its interrupt setting after boot; it only writes, polled,
 * one byte at a time into the transmit register, as consoled does.  The
 * kernel cannot be interrupted in the middle of a log line (it runs with
 * interrupts off), so a log line is whole, though it may land between two
 * bytes of a line consoled is writing.  Early boot and panics need no
 * process at all: this path works before the first process and after the
 * last.
 *
 * Exports: log_write_user, log_read_user.  No locks: uniprocessor,
 * non-preemptible kernel.
 */
#include "kernel/abi/errors.h"
#include "kernel/arch/x86_64/serial.h"
#include "kernel/drv/log.h"
#include "kernel/lib/klog.h"

#define CHUNK       256
#define WRITE_MAX   (16 * 1024)     /* per call: the kernel is not preemptible, so bound the time */

long log_write_user(user_ptr buf, size_t len)
{
    char chunk[CHUNK];

    if (!user_range_ok(buf.addr, len))
        return E_FAULT;
    if (len > WRITE_MAX)
        len = WRITE_MAX;                /* a short write, as a terminal's: callers loop */
    for (size_t done = 0; done < len;) {
        size_t n = len - done < CHUNK ? len - done : CHUNK;
        if (copy_from_user(chunk, user_ptr_add(buf, done), n) < 0)
            return done ? (long)done : E_FAULT;
        serial_write(chunk, n);
        klog_write(chunk, n);
        done += n;
    }
    return (long)len;
}

long log_read_user(user_ptr buf, size_t len)
{
    uint64_t kept = klog.written < KLOG_SIZE ? klog.written : KLOG_SIZE;
    uint64_t n = len < kept ? len : kept;
    uint64_t start = klog.written - n;  /* the last n bytes */

    if (!user_range_ok(buf.addr, len))
        return E_FAULT;
    for (uint64_t done = 0; done < n;) {
        uint64_t at = (start + done) % KLOG_SIZE;
        uint64_t piece = KLOG_SIZE - at < n - done ? KLOG_SIZE - at : n - done;
        if (copy_to_user(user_ptr_add(buf, done), klog.buf + at, piece) < 0)
            return E_FAULT;
        done += piece;
    }
    return (long)n;
}
