/*
 * drivers_objects: the driver objects of docs/09-drivers.md (issue 9, item
 * 1) and their bad input.  The runner passes this suite the root resource
 * at STARTUP_ROOT_HANDLE, as init passes one to a driver.  Checked here:
 * only a resource makes I/O-port ranges, interrupts and narrower
 * resources, and only within what it covers; the kernel's own ports and
 * lines are refused; an enabled range opens exactly its ports to `in` and
 * `out`, any other port ends the process with a status naming the port;
 * an interrupt masks its line when it fires, signals, and unmasks on
 * acknowledge; a line has one binding, which its object's end (closing,
 * or the driver's death mid-interrupt) removes.  The interrupt cases use
 * the CMOS clock's periodic interrupt (IRQ 8), which QEMU raises on its own.
 */
#include <portio.h>
#include <stdio.h>
#include "tests/user/util.h"

#define SCRATCH_PORT    0x3ff       /* COM1's scratch register: reads back what was written */
#define SCRATCH_VALUE   0x5a
#define CMOS_INDEX      0x70
#define CMOS_DATA       0x71
#define CMOS_NMI_OFF    0x80        /* index bit 7: keep NMIs off while we talk to the chip */
#define CMOS_REG_B      0x0b
#define CMOS_REG_C      0x0c        /* reading it clears the pending interrupt flags */
#define CMOS_B_PERIODIC 0x40
#define IRQ_TIMER       0
#define IRQ_CASCADE     2
#define IRQ_CMOS        8
#define FIRE_TIMEOUT_NS (5 * NS_PER_SEC)
#define QUIET_NS        (50 * NS_PER_MS)    /* far longer than the periodic interrupt's period */

/* A handle to the root resource with only |rights|. */
static handle_t root_with(rights_t rights)
{
    handle_t h = handle_duplicate(startup_resource(), 0, rights);

    ASSERT_TRUE(h > 0);
    return h;
}

/* "--in PORT": runs `in` on PORT with no grant; "--granted-in PORT": enables the scratch port first. */
static int helper_in(int argc, char **argv)
{
    (void)argc;
    return inb((uint16_t)strtol(argv[0], NULL, 0));
}

static int helper_granted_in(int argc, char **argv)
{
    handle_t io = ioport_create(passed(0), SCRATCH_PORT, 1);

    (void)argc;
    if (io < 0 || ioport_enable(io) < 0)
        return 2;
    return inb((uint16_t)strtol(argv[0], NULL, 0));
}

/* "--bind-and-hang": binds IRQ 8, lets it fire once, never acknowledges; sleeps until killed. */
static void cmos_periodic(bool on);
static int helper_bind_and_hang(int argc, char **argv)
{
    handle_t irq = interrupt_create(passed(0), IRQ_CMOS);
    handle_t io = ioport_create(passed(0), CMOS_INDEX, 2);

    (void)argc, (void)argv;
    if (irq < 0 || io < 0 || ioport_enable(io) < 0)
        return 2;
    cmos_periodic(true);
    if (object_wait(irq, FIRE_TIMEOUT_NS) != 0)
        return 3;
    event_set(passed(1));           /* the parent kills us now, mid-interrupt */
    for (;;)
        thread_sleep(NS_PER_SEC);
}

static const struct helper_mode helpers[] = {
    { "--in", helper_in },
    { "--granted-in", helper_granted_in },
    { "--bind-and-hang", helper_bind_and_hang },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

TEST(the_root_resource_is_a_startup_handle)
{
    struct handle_info info;
    handle_t root = startup_resource();

    ASSERT_TRUE(root > 0);
    ASSERT_TRUE(handle_info_of(root, &info));
    EXPECT_EQ(info.type, OB_TYPE_RESOURCE);
    EXPECT_STR(info.type_name, "resource");
    EXPECT_TRUE(info.rights & RIGHT_MANAGE);
}

TEST(nothing_makes_a_root_resource)
{
    handle_t root = startup_resource();

    EXPECT_ERR(resource_create(root, RESOURCE_ROOT, 0, 1), E_INVAL);
    EXPECT_ERR(resource_create(root, 7, 0, 1), E_INVAL);
    EXPECT_ERR(resource_create(0, RESOURCE_IOPORT, 0x3f8, 8), E_BADHANDLE);
}

TEST(resource_create_checks_its_span)
{
    handle_t root = startup_resource();

    EXPECT_ERR(resource_create(root, RESOURCE_IOPORT, 0x100, 0), E_INVAL);
    EXPECT_ERR(resource_create(root, RESOURCE_IOPORT, 0xffff, 2), E_INVAL);
    EXPECT_ERR(resource_create(root, RESOURCE_IOPORT, 0x10000, 1), E_INVAL);
    EXPECT_ERR(resource_create(root, RESOURCE_IOPORT, -1L, 2), E_INVAL);
    EXPECT_ERR(resource_create(root, RESOURCE_IOPORT, 1, -1L), E_INVAL);
    EXPECT_ERR(resource_create(root, RESOURCE_IRQ, IRQ_LINES, 1), E_INVAL);
    EXPECT_ERR(resource_create(root, RESOURCE_IRQ, 8, IRQ_LINES), E_INVAL);
}

TEST(a_narrower_resource_gives_only_what_it_covers)
{
    handle_t ports = resource_create(startup_resource(), RESOURCE_IOPORT, 0x3f8, 8);
    handle_t lines = resource_create(startup_resource(), RESOURCE_IRQ, IRQ_CMOS, 1);
    handle_t h;

    ASSERT_TRUE(ports > 0 && lines > 0);
    EXPECT_TRUE((h = ioport_create(ports, 0x3f8, 8)) > 0);
    handle_close(h);
    EXPECT_TRUE((h = ioport_create(ports, SCRATCH_PORT, 1)) > 0);
    handle_close(h);
    EXPECT_ERR(ioport_create(ports, 0x3f0, 9), E_ACCESS);
    EXPECT_ERR(ioport_create(ports, 0x3f9, 8), E_ACCESS);
    EXPECT_ERR(interrupt_create(ports, IRQ_CMOS), E_ACCESS);
    EXPECT_ERR(ioport_create(lines, 0x3f8, 1), E_ACCESS);
    EXPECT_ERR(interrupt_create(lines, 9), E_ACCESS);
    EXPECT_ERR(resource_create(ports, RESOURCE_IOPORT, 0x3f0, 16), E_ACCESS);
    EXPECT_TRUE((h = resource_create(ports, RESOURCE_IOPORT, 0x3fc, 4)) > 0);
    EXPECT_ERR(ioport_create(h, 0x3f8, 1), E_ACCESS);
    handle_close(h);
    handle_close(ports);
    handle_close(lines);
}

TEST(making_driver_objects_needs_a_resource_with_manage)
{
    handle_t bare = root_with(RIGHT_INFO | RIGHT_DUPLICATE);
    handle_t event = event_create(0, NULL);

    EXPECT_ERR(ioport_create(bare, SCRATCH_PORT, 1), E_ACCESS);
    EXPECT_ERR(interrupt_create(bare, IRQ_CMOS), E_ACCESS);
    EXPECT_ERR(resource_create(bare, RESOURCE_IRQ, IRQ_CMOS, 1), E_ACCESS);
    EXPECT_ERR(ioport_create(event, SCRATCH_PORT, 1), E_WRONGTYPE);
    EXPECT_ERR(interrupt_create(event, IRQ_CMOS), E_WRONGTYPE);
    EXPECT_ERR(ioport_create(0, SCRATCH_PORT, 1), E_BADHANDLE);
    EXPECT_ERR(interrupt_create(-1, IRQ_CMOS), E_BADHANDLE);
    handle_close(bare);
    handle_close(event);
}

TEST(the_kernels_ports_are_refused)
{
    handle_t root = startup_resource();

    EXPECT_ERR(ioport_create(root, 0x20, 2), E_BUSY);      /* PIC */
    EXPECT_ERR(ioport_create(root, 0xa1, 1), E_BUSY);
    EXPECT_ERR(ioport_create(root, 0x43, 1), E_BUSY);      /* PIT */
    EXPECT_ERR(ioport_create(root, 0xf4, 1), E_BUSY);      /* debug exit */
    EXPECT_ERR(ioport_create(root, 0x10, 0x11), E_BUSY);   /* overlaps the PIC from below */
    EXPECT_ERR(ioport_create(root, 0, IOPORT_COUNT), E_BUSY);
    EXPECT_ERR(ioport_create(root, 0xffff, 2), E_INVAL);   /* wraps */
    EXPECT_ERR(ioport_create(root, 0, 0), E_INVAL);
    EXPECT_ERR(ioport_create(root, -1L, 1), E_INVAL);
}

TEST(the_kernels_lines_and_bad_lines_are_refused)
{
    handle_t root = startup_resource();

    EXPECT_ERR(interrupt_create(root, IRQ_TIMER), E_BUSY);
    EXPECT_ERR(interrupt_create(root, IRQ_CASCADE), E_BUSY);
    EXPECT_ERR(interrupt_create(root, IRQ_LINES), E_INVAL);
    EXPECT_ERR(interrupt_create(root, -1L), E_INVAL);
}

TEST(an_enabled_range_opens_its_ports)
{
    handle_t io = ioport_create(startup_resource(), SCRATCH_PORT, 1);
    struct handle_info info;

    ASSERT_TRUE(io > 0);
    ASSERT_TRUE(handle_info_of(io, &info));
    EXPECT_STR(info.type_name, "ioport");
    ASSERT_EQ(ioport_enable(io), 0);
    EXPECT_EQ(ioport_enable(io), 0);            /* again: nothing changes */
    outb(SCRATCH_PORT, SCRATCH_VALUE);
    EXPECT_EQ(inb(SCRATCH_PORT), SCRATCH_VALUE);
    outb(SCRATCH_PORT, ~SCRATCH_VALUE & 0xff);
    EXPECT_EQ(inb(SCRATCH_PORT), ~SCRATCH_VALUE & 0xff);
    EXPECT_EQ(ioport_disable(io), 0);
    EXPECT_ERR(ioport_disable(io), E_NOTFOUND);
    handle_close(io);
}

TEST(enable_checks_its_handle)
{
    handle_t io = ioport_create(startup_resource(), SCRATCH_PORT, 1);
    handle_t bare = handle_duplicate(io, 0, RIGHT_INFO);

    ASSERT_TRUE(io > 0 && bare > 0);
    EXPECT_ERR(ioport_enable(bare), E_ACCESS);
    EXPECT_ERR(ioport_disable(bare), E_ACCESS);
    EXPECT_ERR(ioport_enable(startup_resource()), E_WRONGTYPE);
    EXPECT_ERR(ioport_enable(0), E_BADHANDLE);
    handle_close(bare);
    handle_close(io);
}

TEST(a_process_opens_at_most_its_grant_limit)
{
    handle_t io[IOPORT_GRANTS_MAX + 1];

    for (int i = 0; i <= IOPORT_GRANTS_MAX; i++)
        ASSERT_TRUE((io[i] = ioport_create(startup_resource(), 0x300 + i, 1)) > 0);
    for (int i = 0; i < IOPORT_GRANTS_MAX; i++)
        EXPECT_EQ(ioport_enable(io[i]), 0);
    EXPECT_ERR(ioport_enable(io[IOPORT_GRANTS_MAX]), E_LIMIT);
    EXPECT_EQ(ioport_disable(io[0]), 0);
    EXPECT_EQ(ioport_enable(io[IOPORT_GRANTS_MAX]), 0);
    for (int i = 0; i <= IOPORT_GRANTS_MAX; i++)
        handle_close(io[i]);                    /* the grants go with the process */
}

/* Expects the child run with |mode| on |port| to die by #GP with a status naming |port|. */
static void expect_port_fault(const char *mode, long port, const handle_t *pass, size_t npass)
{
    char arg[16], why[128];
    struct process_status st;

    snprintf(arg, sizeof arg, "0x%lx", port);
    ASSERT_EQ(run_passing(mode, arg, pass, npass, &st), 0);
    describe_status(&st, why, sizeof why);
    EXPECT_EQ(st.state, PROCESS_FAULTED);
    EXPECT_EQ(st.fault_vector, 13);
    EXPECT_EQ(st.fault_port, FAULT_PORT_VALID | port);
    EXPECT_TRUE(strstr(why, "I/O port") != NULL);
}

TEST(in_without_a_grant_ends_the_process_naming_the_port)
{
    expect_port_fault("--in", SCRATCH_PORT, NULL, 0);
    expect_port_fault("--in", 0x60, NULL, 0);
    expect_port_fault("--in", 0x20, NULL, 0);   /* the kernel's PIC: no grant can exist */
}

TEST(a_grant_opens_no_other_port)
{
    handle_t root = startup_resource();
    struct process_status st;
    char arg[16];

    expect_port_fault("--granted-in", SCRATCH_PORT - 1, &root, 1);
    snprintf(arg, sizeof arg, "0x%x", SCRATCH_PORT);
    ASSERT_EQ(run_passing("--granted-in", arg, &root, 1, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
}

TEST(an_io_grant_goes_with_its_process)
{
    struct system_stats before, after;
    handle_t root = startup_resource();
    struct process_status st;
    char arg[16];

    snprintf(arg, sizeof arg, "0x%x", SCRATCH_PORT);
    system_stats(&before, sizeof before);
    for (int i = 0; i < 20; i++)
        ASSERT_EQ(run_passing("--granted-in", arg, &root, 1, &st), 0);
    system_stats(&after, sizeof after);
    EXPECT_EQ(stats_live(&after, "IoBm"), stats_live(&before, "IoBm"));
    EXPECT_EQ(stats_live(&after, "IoPt"), stats_live(&before, "IoPt"));
    EXPECT_EQ(after.free_frames, before.free_frames);
}

/* ---- interrupts, with the CMOS clock's periodic interrupt -------------------------- */

static uint8_t cmos_read(uint8_t reg)
{
    outb(CMOS_INDEX, CMOS_NMI_OFF | reg);
    return inb(CMOS_DATA);
}

static void cmos_write(uint8_t reg, uint8_t v)
{
    outb(CMOS_INDEX, CMOS_NMI_OFF | reg);
    outb(CMOS_DATA, v);
}

/* Turns the clock's periodic interrupt on or off (its ports must be enabled), clearing any pending. */
static void cmos_periodic(bool on)
{
    uint8_t b = cmos_read(CMOS_REG_B);

    cmos_write(CMOS_REG_B, on ? b | CMOS_B_PERIODIC : b & ~CMOS_B_PERIODIC);
    cmos_read(CMOS_REG_C);
}

static handle_t enable_cmos_ports(void)
{
    handle_t io = ioport_create(startup_resource(), CMOS_INDEX, 2);

    ASSERT_TRUE(io > 0);
    ASSERT_EQ(ioport_enable(io), 0);
    return io;
}

TEST(an_interrupt_fires_masks_and_acknowledges)
{
    handle_t io = enable_cmos_ports();
    handle_t irq = interrupt_create(startup_resource(), IRQ_CMOS);
    struct handle_info info;

    ASSERT_TRUE(irq > 0);
    ASSERT_TRUE(handle_info_of(irq, &info));
    EXPECT_STR(info.type_name, "interrupt");
    cmos_periodic(true);                        /* (a fire latched before we bound may come first) */
    for (int round = 0; round < 3; round++) {
        ASSERT_EQ(object_wait(irq, FIRE_TIMEOUT_NS), 0);
        EXPECT_EQ(object_wait(irq, 0), 0);      /* still signaled: the line waits for us */
        cmos_read(CMOS_REG_C);                  /* service the device... */
        EXPECT_EQ(interrupt_ack(irq), 0);       /* ...then open the line again */
    }
    /*
     * A second acknowledgement is refused only once nothing is pending, and
     * the periodic interrupt may fire again right after an ack: stop it
     * first, take the one that may have come meanwhile, then ask.
     */
    cmos_periodic(false);
    if (object_wait(irq, QUIET_NS) == 0) {
        cmos_read(CMOS_REG_C);
        EXPECT_EQ(interrupt_ack(irq), 0);
    }
    EXPECT_ERR(interrupt_ack(irq), E_INVAL);
    handle_close(irq);
    handle_close(io);
}

TEST(an_interrupt_is_waited_on_with_other_objects)
{
    handle_t io = enable_cmos_ports();
    handle_t irq = interrupt_create(startup_resource(), IRQ_CMOS);
    handle_t event = event_create(0, NULL);
    handle_t both[2] = { event, irq };
    long index = -1;

    ASSERT_TRUE(irq > 0 && event > 0);
    cmos_periodic(true);
    EXPECT_EQ(object_wait_many(both, 2, 0, FIRE_TIMEOUT_NS, &index), 1);
    EXPECT_EQ(index, 1);
    cmos_periodic(false);
    EXPECT_EQ(interrupt_ack(irq), 0);
    handle_close(irq);
    handle_close(event);
    handle_close(io);
}

TEST(a_line_has_one_binding_until_its_object_goes)
{
    handle_t root = startup_resource();
    handle_t irq = interrupt_create(root, IRQ_CMOS);
    handle_t dup;

    ASSERT_TRUE(irq > 0);
    EXPECT_ERR(interrupt_create(root, IRQ_CMOS), E_BUSY);
    ASSERT_TRUE((dup = handle_duplicate(irq, 0, RIGHT_SAME)) > 0);
    handle_close(irq);
    EXPECT_ERR(interrupt_create(root, IRQ_CMOS), E_BUSY);  /* a handle still holds it */
    handle_close(dup);
    ASSERT_TRUE((irq = interrupt_create(root, IRQ_CMOS)) > 0);
    handle_close(irq);
}

TEST(ack_checks_its_handle)
{
    handle_t irq = interrupt_create(startup_resource(), IRQ_CMOS);
    handle_t bare = handle_duplicate(irq, 0, RIGHT_WAIT);

    ASSERT_TRUE(irq > 0 && bare > 0);
    EXPECT_ERR(interrupt_ack(bare), E_ACCESS);
    EXPECT_ERR(interrupt_ack(startup_resource()), E_WRONGTYPE);
    EXPECT_ERR(interrupt_ack(0), E_BADHANDLE);
    handle_close(bare);
    handle_close(irq);
}

TEST(a_driver_killed_mid_interrupt_leaves_its_line_unbound)
{
    handle_t fired = event_create(0, NULL);
    handle_t pass[2] = { startup_resource(), fired };
    handle_t child = spawn_passing("--bind-and-hang", NULL, pass, 2);
    handle_t io, irq;

    ASSERT_TRUE(child > 0);
    ASSERT_EQ(object_wait(fired, CHILD_TIMEOUT_NS), 0);
    EXPECT_ERR(interrupt_create(startup_resource(), IRQ_CMOS), E_BUSY);
    kill_and_reap(child);
    /* Unbound: we can bind it; and it was left masked, so the fire the child never acknowledged is gone. */
    ASSERT_TRUE((irq = interrupt_create(startup_resource(), IRQ_CMOS)) > 0);
    io = enable_cmos_ports();
    cmos_periodic(true);
    EXPECT_EQ(object_wait(irq, FIRE_TIMEOUT_NS), 0);   /* the new binding works */
    cmos_periodic(false);
    handle_close(irq);
    handle_close(io);
    handle_close(fired);
}
