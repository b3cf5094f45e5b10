"""`ember cpus`: every CPU of a stopped Ember, the thread it runs and where it is.

Reads the per-CPU areas the kernel keeps (the `cpus` array of struct
cpu_local pointers in kernel/arch/x86_64/smp.c, `ncpus` of them): APIC id,
online, halted, the current thread.  Where each CPU is comes from GDB's
threads: QEMU's stub shows each virtual CPU as a thread, numbered from 1 in
the order QEMU made them, which is APIC id order, so CPU thread N has APIC id
N - 1.  Reading another thread's registers selects it for a moment; the
thread and frame selected before are selected again.  Memory and registers
only: no guest code runs.
"""
import gdb

from . import kernel, mem
from .commands import EmberCommand, say


def vcpu_pcs(notes):
    """{APIC id: pc} of every virtual CPU, from GDB's threads."""
    pcs, before = {}, gdb.selected_thread()
    try:
        frame = gdb.selected_frame()
    except gdb.error:
        frame = None
    try:
        for th in gdb.selected_inferior().threads():
            th.switch()
            pcs[th.num - 1] = int(gdb.parse_and_eval("$pc")) & 0xffffffffffffffff
    except gdb.error as e:
        notes.append(f"the CPUs' registers: {e}")
    finally:
        if before is not None:
            before.switch()
        if frame is not None and frame.is_valid():
            frame.select()
    return pcs


def where(pc):
    """|pc| and the function it is in, as GDB's `info symbol` names it."""
    if pc is None:
        return "?"
    try:
        sym = gdb.execute(f"info symbol {pc:#x}", to_string=True).strip()
    except gdb.error:
        sym = ""
    sym = sym.split(" in section")[0] if sym and not sym.startswith("No symbol") else "?"
    return f"{pc:#018x} <{sym.replace(' + ', '+')}>"


def running(c):
    t = c["current"]
    if not mem.kernel_pointer(t):
        return "no thread"
    return kernel.thread_label(t) if mem.kernel_pointer(t["process"]) else f"thread {mem.fnum(t, 'tid')} (idle)"


class Cpus(EmberCommand):
    """Every CPU: index, APIC id, online or halted, its current thread and its pc (* = GDB's selected CPU)."""

    def __init__(self):
        super().__init__("ember cpus", gdb.COMMAND_DATA)

    def run(self, arg, notes):
        n, table = mem.num(mem.symbol_value("ncpus"), "ncpus"), mem.symbol_value("cpus")
        pcs = vcpu_pcs(notes)
        selected = gdb.selected_thread()
        say(f"  {'CPU':>3} {'APIC':>4}  {'STATE':<8} {'RUNNING':<24} PC")
        for i in range(min(n, 64)):
            c = table[i]
            if not mem.kernel_pointer(c):
                notes.append(f"cpus[{i}] is {int(c):#x}, not a struct cpu_local")
                continue
            apic = mem.fnum(c, "apic_id")
            state = "offline" if not mem.fnum(c, "online", 0) else "halted" if mem.fnum(c, "halted", 0) else "online"
            mark = "*" if selected is not None and selected.num - 1 == apic else " "
            say(f"{mark} {i:>3} {apic:>4}  {state:<8} {running(c):<24} {where(pcs.get(apic))}")


def register():
    Cpus()
