/*
 * smp_cpus: the CPUs the kernel found and started (kernel/arch/x86_64/smp.c,
 * docs/14-smp.md), as system_stats and /bin/cpus report them.  Every CPU
 * the MADT listed is online, each with its own APIC id; the other CPUs'
 * timers tick while they halt, and since no thread runs there yet, none of
 * their ticks is busy.  Device interrupts come through the I/O APIC to CPU
 * 0 alone (the PIT's among them, so a sleep makes some).  cpu_ping sends
 * an IPI to any CPU, which counts it (kernel/arch/x86_64/ipi.c).  With one CPU (make test's default) the checks on
 * the others have nothing to check; the smp layer runs this suite with 2.
 */
#include <stdio.h>
#include <stdlib.h>
#include "tests/user/pipe_util.h"
#include "tests/user/util.h"

#define CPUS_PATH       "/bin/cpus"
#define OUT_MAX         1024
#define TICK_WAIT_MS    20
#define TICK_WAIT_ROUNDS 500        /* 10 s of sleeps: a bound for a hang, not a time check */

static struct system_stats stats;

static void read_stats(void)
{
    ASSERT_EQ(system_stats(&stats, sizeof stats), (long)sizeof stats);
    ASSERT_TRUE(stats.ncpus >= 1 && stats.ncpus <= STATS_MAX_CPUS);
}

TEST(every_listed_cpu_is_online_with_its_own_apic_id)
{
    read_stats();
    for (uint64_t i = 0; i < stats.ncpus; i++) {
        EXPECT_EQ(stats.cpus[i].online, 1u);
        for (uint64_t j = 0; j < i; j++)
            EXPECT_NE(stats.cpus[i].apic_id, stats.cpus[j].apic_id);
    }
}

/* Sleeps until every CPU has had a tick more than in |before|; returns whether all did. */
static bool every_cpu_ticked_since(const struct system_stats *before)
{
    for (int round = 0; round < TICK_WAIT_ROUNDS; round++) {
        bool all = true;
        thread_sleep(TICK_WAIT_MS * 1000000L);
        system_stats(&stats, sizeof stats);
        for (uint64_t i = 0; i < stats.ncpus; i++)
            all = all && stats.cpus[i].ticks_busy + stats.cpus[i].ticks_idle >
                         before->cpus[i].ticks_busy + before->cpus[i].ticks_idle;
        if (all)
            return true;
    }
    return false;
}

TEST(every_cpu_timer_ticks)
{
    static struct system_stats before;

    read_stats();
    before = stats;
    EXPECT_TRUE(every_cpu_ticked_since(&before));
}

TEST(the_other_cpus_only_idle)
{
    static struct system_stats before;

    read_stats();
    before = stats;
    ASSERT_TRUE(every_cpu_ticked_since(&before));
    for (uint64_t i = 1; i < stats.ncpus; i++) {
        EXPECT_EQ(stats.cpus[i].ticks_busy, 0u);
        EXPECT_TRUE(stats.cpus[i].ticks_idle > before.cpus[i].ticks_idle);
    }
}

/* The I/O APIC sends every device line to CPU 0 (kernel/arch/x86_64/irq_line.c). */
TEST(device_interrupts_reach_cpu_0_only)
{
    static struct system_stats before;

    read_stats();
    before = stats;
    ASSERT_TRUE(every_cpu_ticked_since(&before));   /* CPU 0's ticks are the PIT's IRQ 0 */
    EXPECT_TRUE(stats.cpus[0].irqs > before.cpus[0].irqs);
    for (uint64_t i = 1; i < stats.ncpus; i++)
        EXPECT_EQ(stats.cpus[i].irqs, 0u);
}

/* An IPI to each CPU in turn arrives: its count rises (the caller's own CPU's too, once back in ring 3). */
TEST(every_cpu_takes_an_ipi)
{
    static struct system_stats before;

    read_stats();
    for (uint64_t i = 0; i < stats.ncpus; i++) {
        before = stats;
        EXPECT_EQ(cpu_ping(i), 0);
        read_stats();
        EXPECT_TRUE(stats.cpus[i].ipis > before.cpus[i].ipis);
        for (uint64_t j = 0; j < stats.ncpus; j++)
            if (j != i)
                EXPECT_EQ(stats.cpus[j].ipis, before.cpus[j].ipis);    /* to that CPU only */
    }
}

TEST(cpu_ping_names_a_cpu)
{
    read_stats();
    EXPECT_ERR(cpu_ping(stats.ncpus), E_INVAL);
    EXPECT_ERR(cpu_ping(STATS_MAX_CPUS), E_INVAL);
    EXPECT_ERR(cpu_ping((uint64_t)-1), E_INVAL);
    EXPECT_ERR(cpu_ping(1ul << 32), E_INVAL);
}

/* /bin/cpus prints a header, one line per CPU, and "N of N CPUs online", and exits 0. */
TEST(the_cpus_program_lists_each_cpu)
{
    const char *argv[] = { CPUS_PATH, NULL };
    struct process_status st;
    char out[OUT_MAX], want[64];
    int lines = 0;

    read_stats();
    ASSERT_TRUE(run_with_pipes(CPUS_PATH, argv, "", out, sizeof out, &st) >= 0);
    EXPECT_EQ(st.exit_code, 0);
    for (const char *p = out; *p; p++)
        lines += *p == '\n';
    EXPECT_EQ(lines, (int)stats.ncpus + 2);
    snprintf(want, sizeof want, "%lu of %lu CPUs online\n", stats.ncpus, stats.ncpus);
    EXPECT_TRUE(strstr(out, want) != NULL);
    for (uint64_t i = 0; i < stats.ncpus; i++) {
        char row[32];
        snprintf(row, sizeof row, "\n%-4lu %-5u online", i, stats.cpus[i].apic_id);
        EXPECT_TRUE(strstr(out, row) != NULL);
    }
}
