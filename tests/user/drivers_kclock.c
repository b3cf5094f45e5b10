/*
 * drivers_kclock: the kernel-mode clock driver, the other side of the
 * comparison with rtcd (issue 9, item 7; docs/09-drivers.md).  Runs only
 * in its own boot with clock=kernel (scripts/test.py, layer "kclock"):
 * there the kernel drives the CMOS ports, so rtcd cannot have them, and a
 * read is one system call.  The last case injects into the kernel driver
 * the fault `svc crash clock` injects into rtcd, and the whole machine
 * goes down with a kernel fault dump: the harness checks that dump.
 */
#include <service.h>
#include "tests/user/util.h"

#define YEAR_MIN        2024

TEST(the_kernel_reads_the_clock)
{
    struct clock_time t;

    ASSERT_EQ(kclock_read(&t), 0);
    EXPECT_TRUE(t.year >= YEAR_MIN && t.month >= 1 && t.month <= 12 && t.day >= 1);
    EXPECT_EQ(t.unix_seconds % 60, t.second);
    EXPECT_ERR(kclock_read(NULL), E_FAULT);
}

TEST(rtcd_cannot_have_the_kernels_ports)
{
    struct svc_conn mgr = { SVCMGR_PORT_NAME, 0 };
    const char *argv[] = { "/bin/svcmgr", NULL };
    handle_t hs[STARTUP_ROOT_HANDLE + 1] = { 0, 0, 0, startup_resource() };
    handle_t h = process_spawn(argv[0], argv, hs, STARTUP_ROOT_HANDLE + 1);
    char text[SVC_DATA_MAX + 1] = "";

    EXPECT_ERR(ioport_create(startup_resource(), 0x70, 2), E_BUSY);
    ASSERT_TRUE(h > 0);
    EXPECT_EQ(svc_call(&mgr, SVCMGR_LIST, NULL, 0, 0, text, SVC_DATA_MAX), 0);
    EXPECT_TRUE(strstr(text, "failed") && strstr(text, "resource busy"));   /* the supervisor says why */
    kill_and_reap(h);
}

/* Ends the machine: the harness expects the kernel fault dump, not a PASS. */
TEST(a_fault_in_the_kernel_driver_ends_the_machine)
{
    struct clock_time t;

    ASSERT_EQ(kclock_crash(startup_resource()), 0);
    kclock_read(&t);
    EXPECT_TRUE(!"still running after the kernel driver faulted");
}
