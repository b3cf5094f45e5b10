/*
 * rtcd: the CMOS real-time clock driver, in ring 3 (docs/09-drivers.md has
 * a walk through this file).  It is the smallest complete driver, and the
 * one to copy for a third.
 *
 *   rtcd        started by the supervisor (svcmgr, from /etc/services) with
 *               two handles after the standard streams: the I/O ports
 *               0x70-0x71 (DRIVER_IOPORT_HANDLE) and IRQ 8's interrupt
 *               (DRIVER_IRQ_HANDLE), made fresh for each start
 *
 * What it does, in the order a driver always does it:
 *   1. enable the ports it was given, so `in`/`out` work on them here
 *      (and on no other port);
 *   2. set the device up: an interrupt after each once-a-second update;
 *   3. register its port, CLOCK_PORT_NAME, so clients can find it;
 *   4. loop: wait for "a message or an interrupt" in one wait, and serve
 *      whichever came.
 * Each interrupt refreshes a copy of the time, read right after the chip's
 * update (so it never reads half an update); a CLOCK_READ is answered from
 * that copy, or from the chip when no interrupt has come yet.  It counts
 * the interrupts it served (CLOCK_INTERRUPTS asks): one a second is the
 * sign that both acknowledgments, the chip's and the line's, are done.
 *
 * When it dies (a bug, `svc crash clock`, a kill), its handles close: the
 * kernel masks and unbinds IRQ 8, closes the ports, and fails its clients'
 * calls with E_PEERCLOSED; the supervisor starts a new rtcd with fresh
 * objects, and libc's clock_read reconnects and asks again.
 */
#include <ember.h>
#include <portio.h>
#include <stdbool.h>
#include <service.h>
#include <stdio.h>
#include <string.h>
#include "kernel/drv/cmos.h"

#define EXIT_NO_DEVICE  3               /* the ports or line are not ours: restarting will not help */

/* LAB drivers BEGIN */
static struct clock_time latest;        /* the time at the last update interrupt */
static bool have_latest;
/* LAB drivers END */
static uint64_t interrupts;             /* update interrupts served since the start */

static uint8_t read_register(uint8_t reg)
{
    outb(CMOS_INDEX_PORT, CMOS_NMI_OFF | reg);
    return inb(CMOS_DATA_PORT);
}

static void write_register(uint8_t reg, uint8_t v)
{
    outb(CMOS_INDEX_PORT, CMOS_NMI_OFF | reg);
    outb(CMOS_DATA_PORT, v);
}

/* Step 1: enable the ports we were given; the interrupt is ready to wait on.  Exits without them. */
static handle_t claim_device(void)
{
    const struct start_info *si = start_info();
    handle_t io = si->nhandles > DRIVER_IOPORT_HANDLE ? si->handles[DRIVER_IOPORT_HANDLE] : 0;
    handle_t irq = si->nhandles > DRIVER_IRQ_HANDLE ? si->handles[DRIVER_IRQ_HANDLE] : 0;
    long err = ioport_enable(io);

    if (err < 0 || irq <= 0) {
        printf("rtcd: not given the clock's ports (%s) and IRQ %d\n", errstr(err), CMOS_IRQ);
        process_exit(EXIT_NO_DEVICE);
    }
    return irq;
}

/* Step 2: an interrupt after every update; reading register C clears one already pending. */
static void start_device(void)
{
    /* LAB drivers BEGIN stub: (void)write_register; */
    write_register(CMOS_REG_B, read_register(CMOS_REG_B) | CMOS_B_UPDATE_IRQ);
    read_register(CMOS_REG_C);
    /* LAB drivers END */
}

/* The device interrupted: acknowledge it at the chip, refresh our copy, open the line again. */
static void on_interrupt(handle_t irq)
{
    /* LAB drivers BEGIN stub: (void)irq, (void)read_register; */
    read_register(CMOS_REG_C);
    cmos_read_time(read_register, &latest);
    have_latest = true;
    interrupts++;
    interrupt_ack(irq);
    /* LAB drivers END */
}

/* Answers one request (the protocol is in service.h; svc_serve_one did the rest). */
static void answer(const struct svc_request *req, handle_t handle, const struct port_message *m,
                   struct svc_reply *rep)
{
    (void)m;
    if (handle)
        handle_close(handle);           /* nothing we take carries a handle */
    if (req->op == CLOCK_READ) {
        /* LAB drivers BEGIN stub: rep->status = E_INVAL; */
        if (!have_latest)
            cmos_read_time(read_register, &latest);
        memcpy(rep->data, &latest, sizeof latest);
        rep->len = sizeof latest;
        /* LAB drivers END */
    } else if (req->op == CLOCK_INTERRUPTS) {
        memcpy(rep->data, &interrupts, sizeof interrupts);
        rep->len = sizeof interrupts;
    } else {
        rep->status = E_INVAL;
    }
}

int main(void)
{
    handle_t irq = claim_device();
    handle_t port;

    start_device();
    port = port_create(CLOCK_PORT_NAME, SVC_MAX_MESSAGE, 0);
    if (port < 0) {
        printf("rtcd: cannot register %s: %s\n", CLOCK_PORT_NAME, errstr(port));
        return 1;
    }
    for (;;) {
        handle_t both[2] = { port, irq };
        long which = -1;
        if (object_wait_many(both, 2, 0, TIMEOUT_INFINITE, &which) < 0)
            continue;
        if (which == 1)
            on_interrupt(irq);
        else
            svc_serve_one(port, answer);
    }
}
