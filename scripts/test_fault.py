"""The fault layer of make test (scripts/test.py): what a student sees when something crashes.

  kernel   a deliberate kernel page fault (test=fault) prints the vector, CR2, the registers
           and a backtrace with file:line, then QEMU exits with the failure code
  smp2     the same fault with 2 CPUs: CPU 1 is stopped first (an NMI) and the report ends with
           a line per CPU, the thread each ran and where CPU 1 stopped, symbolized
  kstack   a kernel stack overflow (test=kstack) ends in a double fault dump
  user     a ring-3 fault, through the shell: the kernel's report and the shell's name the
           function and line, with the registers and a backtrace to main
  symbolizer  scripts/symbolize.py leaves an address outside any symbol raw
"""
import re
import subprocess
import sys

import qemu
from harness import BOOT_BUDGET, BUILD, describe, log_path, make_iso, source_line


def first_match(run, pattern):
    """Group 1 of |pattern| in the first line of |run| it matches (re.search), or None."""
    return next((m.group(1) for m in (re.search(pattern, line) for line in run.lines) if m), None)


def layer_fault(r):
    print("fault: a kernel page fault prints a dump and exits with failure; a user fault names its line")
    run = qemu.run(make_iso("fault", "test=fault"), BOOT_BUDGET, log=log_path("fault"))
    r.check("fault.names-vector", run.has("KERNEL FAULT: page fault (vector 14)"),
            f"expected the dump to name vector 14; {describe(run)}")
    r.check("fault.cr2", run.has("page fault at 0x10: write"),
            f"expected the faulting address and access; {describe(run)}")
    r.check("fault.backtrace", run.has("fault_on_purpose+") and run.has("kernel_main+"),
            f"expected a symbolized backtrace; {describe(run)}")
    at = f"kernel/main.c:{source_line('kernel/main.c', '*unmapped = 1;')}"
    r.check("fault.file-line", any(re.search(r"#0 0xffffffff[0-9a-f]+ fault_on_purpose\+0x[0-9a-f]+ at " + at, l)
                                   for l in run.lines),
            f"expected frame #0 to name {at}; {describe(run)}")
    rip = first_match(run, r"^\s+rip ([0-9a-f]{16})  cs ")
    frame0 = first_match(run, r"#0 0x([0-9a-f]+) fault_on_purpose\+")
    cr2 = first_match(run, r"^\s+r13 [0-9a-f]{16}  r14 [0-9a-f]{16}  r15 [0-9a-f]{16}  cr2 ([0-9a-f]{16})$")
    r.check("fault.registers", rip and frame0 and int(rip, 16) == int(frame0, 16) and cr2 and int(cr2, 16) == 0x10,
            f"expected the registers, rip at frame #0 ({frame0}) and cr2 0x10; {describe(run)}")
    r.check("fault.kernel-thread", run.has("in the kernel's own thread"),
            f"expected the report to say no process was running; {describe(run)}")
    r.check("fault.exit-failure", run.exit_code == qemu.EXIT_FAILURE,
            f"expected exit {qemu.EXIT_FAILURE}, got {describe(run)}")
    smp_fault(r)
    kstack_overflow(r)
    user_fault(r)
    symbolizer_outside_symbols(r)


def smp_fault(r):
    """The kernel fault of test=fault on CPU 0 with a second CPU idling: the report stops it
    with an NMI (kernel/arch/x86_64/cpu_stop.c) and names what each CPU was running."""
    run = qemu.run(make_iso("fault", "test=fault"), BOOT_BUDGET, extra=["-smp", "2"], log=log_path("fault-smp2"))
    r.check("fault.smp2-reported", run.has("KERNEL FAULT: page fault (vector 14)") and run.has("CPUs:")
            and run.exit_code == qemu.EXIT_FAILURE,
            f"expected the dump, its CPUs: list and exit {qemu.EXIT_FAILURE}; {describe(run)}")
    r.check("fault.smp2-this-cpu", any(re.fullmatch(r"  cpu 0 \(APIC id 0\): (no thread|the kernel's own thread), "
                                                    r"this CPU: the report above", l) for l in run.lines),
            f"expected CPU 0's line to say it is the reporting CPU; {describe(run)}")
    r.check("fault.smp2-other-cpu-stopped",
            any(re.fullmatch(r"  cpu 1 \(APIC id 1\): no thread, stopped at 0xffffffff[0-9a-f]{8} "
                             r"ap_main\+0x[0-9a-f]+ at kernel/\S+:\d+", l) for l in run.lines),
            f"expected CPU 1, idle in ap_main, stopped by the NMI, its rip symbolized with file:line; {describe(run)}")


def kstack_overflow(r):
    """A kernel stack overflow runs into the guard below the stack (kernel/sched/kstack.c): the
    page fault cannot be delivered on the same stack, so it becomes a double fault on its own
    stack, which still prints a dump."""
    run = qemu.run(make_iso("kstack", "test=kstack"), BOOT_BUDGET, log=log_path("kstack"))
    r.check("fault.kstack-guard", run.has("test: recursing deeper than") and
            run.has("KERNEL FAULT: double fault (vector 8)") and run.exit_code == qemu.EXIT_FAILURE,
            f"expected the overflow to end in a double fault dump and exit {qemu.EXIT_FAILURE}; {describe(run)}")


def user_fault(r):
    """A ring-3 fault, through the shell: the kernel's report and the shell's name the line.
    A full boot (init, the supervisor, the console driver the shell reads through), ended
    once the shell has reported the fault."""
    print("  (this run types into the shell from the host: host input, so it does not repeat from the seed)")
    run = qemu.run(make_iso("user-fault", ""), BOOT_BUDGET, stdin_data=b"crash write\n",
                   until=lambda line: line.startswith("sh: crash:"), log=log_path("user-fault"))
    where = f"null_write at user/crash.c:{source_line('user/crash.c', 'crash: the faulting write')}"
    r.check("fault.user-report", run.has(f"crash: page fault writing 0x0 in {where}"),
            f"expected the kernel to report 'crash: page fault writing 0x0 in {where}'; {describe(run)}")
    rip = first_match(run, r"^\s+rip ([0-9a-f]{16})  cs 002b ")        # ring 3's code selector
    at = qemu.SYMBOLS.lookup(f"{BUILD}/user/crash.elf", hex(int(rip, 16))) if rip else None
    cr2 = first_match(run, r"  cr2 ([0-9a-f]{16})$")
    r.check("fault.user-registers", at and at[0] == "null_write" and cr2 and int(cr2, 16) == 0,
            f"expected crash's registers: rip ({rip}) in null_write, cs of ring 3, cr2 0; {describe(run)}")
    r.check("fault.user-backtrace", any(re.search(r"#\d+ main at user/crash\.c:\d+", l) for l in run.lines),
            f"expected the user backtrace to reach crash's main; {describe(run)}")
    r.check("fault.shell-names-line", run.has(f"sh: crash: page fault at 0x0, write, page not present, in {where}"),
            f"expected the shell to name {where}; {describe(run)}")

def symbolizer_outside_symbols(r):
    """scripts/symbolize.py as make run pipes the serial output through it: an address that no
    symbol covers, or of a program it does not know, stays the raw address; a known one gets its line."""
    main = subprocess.run(["nm", f"{BUILD}/user/crash.elf"], capture_output=True, text=True).stdout
    main = next((l.split()[0] for l in main.splitlines() if l.endswith(" T main")), "0")
    given = [f"  #0 {{{{pc crash {int(main, 16):#x}}}}}", "  #1 {{pc crash 0x10}}", "  #2 {{pc nosuch 0x401000}}",
             "  #3 0xffffffff8fffff00 nowhere+0x0", "text 0xffffffff"]
    out = subprocess.run([sys.executable, "scripts/symbolize.py"], input="\n".join(given) + "\n",
                         capture_output=True, text=True, timeout=60)
    got = out.stdout.splitlines()
    r.check("fault.symbolizer-raw-outside-symbols",
            out.returncode == 0 and len(got) == 5 and re.fullmatch(r"  #0 main at user/crash\.c:\d+", got[0])
            and got[1:] == ["  #1 0x10", "  #2 0x401000", "  #3 0xffffffff8fffff00 nowhere+0x0", "text 0xffffffff"],
            f"expected crash's main with its line, then the other addresses raw and the text unchanged; got "
            f"{got!r} (exit {out.returncode}) {out.stderr[-300:]}")
