/* sys_system.c: the kernel's log, the clock, the numbers behind the leak check, and the CPUs. */
#include "kernel/abi/errors.h"
#include "kernel/arch/x86_64/ipi.h"
#include "kernel/arch/x86_64/latency.h"
#include "kernel/arch/x86_64/madt.h"
#include "kernel/arch/x86_64/smp.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/arch/x86_64/timer.h"
#include "kernel/drv/log.h"
#include "kernel/ipc/port.h"
#include "kernel/mm/frame.h"
#include "kernel/mm/heap.h"
#include "kernel/ob/wait.h"
#include "kernel/sched/sched.h"
#include "kernel/syscall/syscall.h"

// long console_write(const void *buf, size_t len): bytes written.
// The kernel's log path (kernel/drv/log.c): the serial line, polled, and the log ring.
// libc uses it for output only when no console driver answers (libc/console.c).
long sys_console_write(const struct syscall_args *a)
{
    return log_write_user(user_ptr_of(a->arg[0]), a->arg[1]);
}

// long log_read(void *buf, size_t len): the most recent bytes of the kernel's log, up to |len|.
long sys_log_read(const struct syscall_args *a)
{
    return log_read_user(user_ptr_of(a->arg[0]), a->arg[1]);
}

// long clock_now(void): nanoseconds since boot, at timer-tick resolution.
long sys_clock_now(const struct syscall_args *a)
{
    (void)a;
    return (long)(timer_ticks() * NS_PER_TICK);
}

_Static_assert(STATS_MAX_CPUS == MAX_CPUS, "struct system_stats lists every CPU the kernel starts");

/* Each CPU's line; the counts are read without stopping the CPUs, so each is only as of now. */
static void cpu_stats(struct system_stats *s)
{
    s->ncpus = (uint64_t)smp_cpu_count();
    for (uint64_t i = 0; i < s->ncpus; i++) {
        const struct cpu_local *c = smp_cpu((int)i);
        s->cpus[i] = (struct stats_cpu){ c->apic_id, (uint32_t)c->online,
                                         __atomic_load_n(&c->ticks_busy, __ATOMIC_RELAXED),
                                         __atomic_load_n(&c->ticks_idle, __ATOMIC_RELAXED),
                                         __atomic_load_n(&c->irqs, __ATOMIC_RELAXED),
                                         __atomic_load_n(&c->ipis, __ATOMIC_RELAXED) };
    }
}

// long system_stats(struct system_stats *out, size_t len): per-tag heap counts, free memory, the CPUs.
long sys_system_stats(const struct syscall_args *a)
{
    struct system_stats s = { 0 };
    struct tag_stats tags[STATS_MAX_TAGS];

    if (!user_range_ok(a->arg[0], a->arg[1]))
        return E_FAULT;
    if (a->arg[1] < sizeof s)
        return E_INVAL;
    int n = heap_stats(tags, STATS_MAX_TAGS);
    s.ntags = n < STATS_MAX_TAGS ? (uint64_t)n : STATS_MAX_TAGS;
    for (uint64_t i = 0; i < s.ntags; i++) {
        s.tags[i] = (struct stats_tag){ tags[i].tag, 0, tags[i].live, tags[i].peak,
                                        tags[i].total, tags[i].bytes };
        s.heap_bytes += tags[i].bytes;
    }
    s.free_frames = frame_free_count() + heap_cached_pages() + paging_spare_tables();
    s.total_frames = frame_total_count();
    struct stretch_stats st;
    latency_read(&st);
    s.stretch_max_ns = st.max_ns;
    s.stretch_max_cause = st.max_cause;
    s.stretch_recent_ns = st.recent_ns;
    s.stretch_recent_cause = st.recent_cause;
    s.direct_switches = sched_direct_switches();
    s.direct_switch_on = sched_direct_switch_on();
    s.wake_handoffs = ob_handoffs();
    s.port_handoffs = port_handoffs();
    cpu_stats(&s);
    long err = copy_to_user(user_ptr_of(a->arg[0]), &s, sizeof s);
    return err < 0 ? err : (long)sizeof s;
}

// long cpu_ping(uint64_t cpu): an IPI to CPU |cpu|, which counts it (its ipis in system_stats).
// Returns 0 once that CPU has counted it (the caller's own CPU: once the call returns),
// E_INVAL for no such CPU, E_NOTFOUND for one that did not come online (or no local APIC to
// send with: a machine without a MADT), E_TIMEDOUT when it
// does not answer.  Any process may: an IPI costs the other CPU a few hundred instructions.
long sys_cpu_ping(const struct syscall_args *a)
{
    uint64_t cpu = a->arg[0];

    if (cpu >= (uint64_t)smp_cpu_count())
        return E_INVAL;
    if (!smp_cpu((int)cpu)->online || !ipi_available())
        return E_NOTFOUND;
    return ipi_ping((int)cpu) ? 0 : E_TIMEDOUT;
}
