#!/usr/bin/env python3
"""Ember's test harness (make test).

Runs the layers of TESTING.md in order and prints what each passed and
failed, then one closing line "N passed, N failed".  Exit status 0 only when
nothing failed.

  unit   host unit tests of pure kernel logic, under ASan and UBSan
  layers no kernel file includes from a floor above its own (scripts/layers_check.py)
  boot   the kernel reaches its ready line, device interrupts through the I/O APIC;
         QEMU exits with the success code
  fault  a deliberate kernel page fault prints a dump and exits with failure
  gdb    gdb -batch breaks in the kernel and reads a variable
  trace  the system call tracer decodes a traced program's calls
  runner the in-guest runner judges a case that leaves a process running, and
         a failure is reported in full (selftest_failures)
  kclock the kernel-mode clock driver (clock=kernel): reads, and a fault in it ends the machine
  console the console driver killed 50 times and hung 3 times under a printing program:
         no numbered line lost, the shell answers afterwards
  shell  sessions typed into the shell from the host: Ctrl-C after the console driver's
         restart, job control (scripts/test_shell.py)
  lined  line editing typed on the serial line: arrows, Home, End, history, odd escapes
  user   the ring-3 suites of tests/user, run by /bin/testrun in QEMU
  slowpath  the port, pipe, event, semaphore and wait suites again, with the
         kernel's direct switch off (fastpath=off): every wake takes the slow path
  smp    boots with 4 CPUs: every CPU comes online and `cpus` at the shell lists it; with 2,
         the drivers' suites (IRQ 4 and 8 through the I/O APIC to CPU 0), smp_cpus and the
         smp_stress suites pass
  fuzz   a short run of the system-call fuzzer (make fuzz runs long ones)
  repeat a suite booted twice with the run's seed: byte-identical serial logs
  replay a failing case recorded with QEMU's record/replay; under GDB, reverse-continue
         from its failed ASSERT reaches the bad write (scripts/test_replay.py)
  docs   every name the README and docs/ cite still exists in the tree, and every
         number they quote from make bench is the recorded one
  readme the README's first hour as printed: its programs build, its commands
         give the output it shows (scripts/readme_check.py)
  labs   the reference kernel earns every lab's points; each lab strips, builds and loses them

make test TEST=NAME runs one layer, or one suite (or SUITE.CASE) of the user layer.
make stress (--stress RUNS) boots the smp_stress_*_full suites (1,000 rounds a race) RUNS times in a row.
"""
import argparse
import glob
import os
import random
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import qemu  # noqa: E402
import fuzz  # noqa: E402
import bench_record  # noqa: E402
import docs_check  # noqa: E402
import lab  # noqa: E402
import layers_check  # noqa: E402
import readme_check  # noqa: E402

import harness  # noqa: E402
from harness import BOOT_BUDGET, BUILD, SILENCE_BUDGET, USER_BUDGET, Results, describe, log_path, make_iso, source_line  # noqa: E402,F401
from test_fault import layer_fault  # noqa: E402
from test_gdb import layer_gdb  # noqa: E402
from test_lined import layer_lined  # noqa: E402
from test_replay import layer_repeat, layer_replay  # noqa: E402
from test_shell import layer_shell  # noqa: E402


def layer_unit(r):
    print("unit: host tests of kernel logic (ASan, UBSan)")
    for binary in sorted(glob.glob(f"{BUILD}/unit/test_*")):
        proc = subprocess.run([binary], capture_output=True, text=True, timeout=120)
        seen, printed = 0, []               # lines a test printed come before its verdict
        for line in proc.stdout.splitlines():
            m = re.match(r"(PASS|FAIL) (\S+?)(?::\s*(.*))?$", line)
            if not m:
                printed.append("\n    | " + line)
                continue
            seen += 1
            r.ok(m.group(2)) if m.group(1) == "PASS" else r.fail(m.group(2), m.group(3) + "".join(printed))
            printed = []
        if proc.returncode != 0 and (seen == 0 or "ERROR: AddressSanitizer" in proc.stderr
                                     or "runtime error" in proc.stderr):
            r.fail(os.path.basename(binary), f"exit {proc.returncode}: {proc.stderr.strip()[-800:]}")


def layer_boot(r):
    print("boot: the kernel boots under GRUB to its ready line")
    run = qemu.run(make_iso("boot", "test=boot"), BOOT_BUDGET)
    ready = run.first("ember: ready")
    r.check("boot.ready-line", ready is not None, describe(run),
            f"ready {ready:.2f}s after QEMU started, GRUB included" if ready else "")
    r.check("boot.timer-ticks", run.has("test: timer ticked"), describe(run))
    r.check("boot.ioapic", run.has("irq: device interrupts through the I/O APIC (24 pins) to CPU 0; "
                                   "the 8259 PIC is masked"),
            f"expected the PIT's ticks through QEMU's I/O APIC, the PIC masked; {describe(run)}")
    # Under the -icount clock the TSC counts virtual nanoseconds: timer_calibrate must find 1 GHz.
    mhz = [int(m.group(1)) for m in (re.search(r"TSC at (\d+) MHz", l) for l in run.lines) if m]
    r.check("boot.tsc-rate", mhz and abs(mhz[0] - 1000) <= 10,
            f"expected the timer line to say about 1000 MHz, got {mhz or 'no timer line'}")
    r.check("boot.exit-success", run.exit_code == qemu.EXIT_SUCCESS,
            f"expected exit {qemu.EXIT_SUCCESS}, got {describe(run)}")


def layer_trace(r):
    print("trace: the kernel prints a traced program's calls, decoded")
    run = qemu.run(make_iso("trace", "-- /bin/trace cat /nope"), BOOT_BUDGET)
    r.check("trace.string-and-error", re.search(r'^\[\d+ cat\] file_open\(path="/nope"\) = E_NOTFOUND$',
                                                 "\n".join(run.lines), re.M),
            f"expected the traced cat's file_open decoded; {describe(run)}")
    r.check("trace.result", any(re.match(r"\[\d+ cat\] console_write\(buf=0x[0-9a-f]+, len=(\d+)\) = \1$", l)
                                for l in run.lines),
            f"expected console_write with its length as the result; {describe(run)}")
    traced = [l for l in run.lines if re.match(r"\[\d+ \w+\] ", l)]
    r.check("trace.program-calls-only", traced and all(re.match(r"\[\d+ cat\] ", l) for l in traced),
            "expected one line per call of cat and none of trace's own (process_trace, process_spawn); got:\n"
            + "\n".join("    | " + l for l in traced))
    r.check("trace.exit", run.has("trace: cat exited with code 1") and run.exit_code == qemu.EXIT_SUCCESS,
            f"expected trace to report cat's exit and finish; {describe(run)}")


class UserRun:
    """Follows the in-guest protocol, one line at a time, and judges each test.

    Every line a case prints between its BEGIN and the next one is kept: a
    failing case is reported with all of them (its later "also" failures,
    what it printed, a kernel fault report), not just its first FAIL line."""

    def __init__(self, r, prefix=""):
        self.r = r
        self.prefix = prefix    # before each test's name (the slowpath layer's "slowpath.")
        self.current = None     # the test between its BEGIN and the next BEGIN/DONE
        self.verdict = None     # "PASS" once it said so
        self.problems = []      # FAIL/LEAK messages
        self.output = []        # every other line the case printed
        self.done = None
        self.last_line_at = time.monotonic()

    def finish_current(self):
        if self.current is None:
            return
        printed = "".join("\n    | " + line for line in self.output)
        if self.problems:
            self.r.fail(self.current, "; ".join(self.problems) + printed)
        elif self.verdict:
            self.r.ok(self.current)
        else:
            self.r.fail(self.current, "ended without a verdict" + printed)
        self.current, self.verdict, self.problems, self.output = None, None, [], []

    def line(self, line):
        self.last_line_at = time.monotonic()
        if line.startswith("DONE "):
            self.finish_current()
            self.done = line
            return True
        m = re.match(r"(BEGIN|PASS|FAIL|LEAK)(?: (\S+?)(?::\s*(.*))?)?$", line)
        if not m:
            if self.current is not None:
                self.output.append(line)
            return False
        kind, name, rest = m.group(1), m.group(2) or "", m.group(3) or ""
        if kind == "BEGIN":
            self.finish_current()
            self.current = self.prefix + name
        elif kind == "PASS":
            self.verdict = "PASS"
        elif kind in ("FAIL", "LEAK"):
            if self.current is None:            # a failure outside any test (a suite that cannot start)
                self.r.fail(name, rest)
            else:
                self.problems.append(f"{kind} {rest}" if kind == "LEAK" else rest)
        return False


def layer_runner(r):
    print("runner: testrun ends and reports what a case leaves running; failures show in full")
    run = qemu.run(make_iso("runner", "-- /bin/testrun selftest_leftover"), BOOT_BUDGET, log=log_path("runner"))
    text = "\n".join(run.lines)
    r.check("runner.reports-leftover",
            "FAIL selftest_leftover.leaves_a_sleeper_running: left 1 process running" in text,
            f"expected the case to fail for the sleeper it left; {describe(run)}")
    after = text.split("BEGIN selftest_leftover.the_next_case_sees_nothing_left", 1)[-1]
    r.check("runner.next-case-clean", "PASS the_next_case_sees_nothing_left" in after and "LEAK" not in after,
            f"expected the next case to pass with no leak; {describe(run)}")
    r.check("runner.totals", "DONE passed=1 failed=1" in text and run.exit_code == qemu.EXIT_FAILURE,
            f"expected DONE passed=1 failed=1 and the failure exit; {describe(run)}")
    runner_failures(r)


def runner_failures(r):
    """selftest_failures through the host's own UserRun: what a student sees of a failure."""
    seen = Results(quiet=True)
    u = UserRun(seen)
    run = qemu.run(make_iso("failures", "-- /bin/testrun selftest_failures"), BOOT_BUDGET,
                   until=u.line, log=log_path("failures"))
    why = dict(seen.failures).get("selftest_failures.three_checks_fail_and_it_prints", "")
    src = "tests/user/selftest_failures.c"
    r.check("runner.failure-names-expr-expected-actual",
            re.search(rf"{src}:\d+: expected answer == 42, got 41", why),
            f"expected file:line, the expression, 42 and 41 in the report, got: {why!r}; {describe(run)}")
    r.check("runner.keeps-later-failures",
            re.search(rf'also {src}:\d+: expected "blue" == "green", got "blue"', why)
            and re.search(rf"also {src}:\d+: expected handle_close\(0\) == 0, got -\d+ \(E_BADHANDLE\)", why)
            and re.search(rf"also {src}:\d+: expected answer == 42, got false", why),
            f"expected the case's later failures in its report, got: {why!r}")
    r.check("runner.keeps-printed-lines",
            "selftest: about to check the answer" in why and "not reached" not in why,
            f"expected the case's own output in its report (and no line after ASSERT), got: {why!r}")
    summary = seen.summary()
    r.check("runner.summary-lists-every-failure",
            summary.startswith("2 failures:") and "three_checks_fail_and_it_prints: " in summary
            and "a_second_case_fails_too: " in summary,
            f"expected a summary naming both failed cases, got: {summary!r}")


def layer_kclock(r):
    print("kclock: the kernel-mode clock driver; a fault in it takes the machine down")
    run = qemu.run(make_iso("kclock", "clock=kernel -- /bin/testrun drivers_kclock"), BOOT_BUDGET)
    text = "\n".join(run.lines)
    for case in ("the_kernel_reads_the_clock", "rtcd_cannot_have_the_kernels_ports"):
        r.check(f"kclock.{case}", f"PASS {case}" in text, f"expected the case to pass; {describe(run)}")
    crash = text.split("BEGIN drivers_kclock.a_fault_in_the_kernel_driver_ends_the_machine", 1)[-1]
    r.check("kclock.fault-dump", "KERNEL FAULT: page fault (vector 14)" in crash and "kclock_read+" in crash,
            f"expected a kernel fault dump naming kclock_read; {describe(run)}")
    r.check("kclock.machine-down", "DONE" not in crash and run.exit_code == qemu.EXIT_FAILURE,
            f"expected the machine to end with the failure code, no DONE; {describe(run)}")


def layer_console(r):
    print("console: consoled killed 50 times and hung 3 times while a program prints numbered lines")
    run = qemu.run(make_iso("console", "-- /bin/testrun drivers_console_storm"), USER_BUDGET)
    text = "\n".join(run.lines)
    r.check("console.storm-case", "PASS kills_and_hangs_while_printing" in text,
            f"expected the storm case to pass; {describe(run)}")
    m = re.search(r"storm: printed (\d+) lines", text)
    seen = {int(n) for n in re.findall(r"storm line (\d+)", text)}
    missing = [n for n in range(1, int(m.group(1)) + 1) if n not in seen] if m else None
    r.check("console.no-line-lost", m and not missing,
            f"expected every numbered line on the serial line; missing {missing[:10] if missing else '?'}"
            f" of {m.group(1) if m else '?'}; {describe(run)}", f"{m.group(1)} lines" if m else "")
    r.check("console.shell-answers", any(l == "shell-answers-after-storm" for l in run.lines),
            f"expected the shell's answer to a typed command; {describe(run)}")


ICOUNT = ["-icount", "shift=0,sleep=off"]     # guest time = instructions: no host in the clock
ICOUNT_SUITES = sorted(os.path.basename(p)[:-2] for p in glob.glob("tests/user/*_icount.c"))


def layer_user(r, only=None):
    print("user: ring-3 suites (tests/user), each case in its own process, leak-checked")
    if only and only.split(".")[0].endswith("_icount"):
        return user_run(r, only, ICOUNT, "icount")
    user_run(r, only, (), "user")


def layer_icount(r):
    """Suites whose bounds are in guest time (sched_latency_icount): under TCG's
    plain clock the guest's time is the host's, and a host slow to read the
    serial pipe stalls QEMU inside the guest's OUT.  Under -icount the clock
    counts guest instructions only."""
    print("icount: suites with bounds in guest time, booted with -icount (" + ", ".join(ICOUNT_SUITES) + ")")
    for suite in ICOUNT_SUITES:
        user_run(r, suite, ICOUNT, "icount")


def user_run(r, only, extra, name, options="", prefix=""):
    u = UserRun(r, prefix)
    iso = make_iso(name, options + "-- /bin/testrun" + (f" {only}" if only else ""))
    silent = lambda: time.monotonic() - u.last_line_at > SILENCE_BUDGET
    run = qemu.run(iso, USER_BUDGET, until=lambda line: u.line(line) or silent(), extra=extra,
                   log=log_path(name))
    if u.done is None:
        why = "hang (no output for a while)" if run.timed_out or silent() else f"QEMU exited with {run.exit_code}"
        what = u.current or "user"
        u.current = None
        r.fail(what, f"{why} before DONE; last lines:\n{run.tail()}")
    else:
        m = re.search(r"passed=(\d+) failed=(\d+)", u.done)
        print(f"  runner: {u.done}")
        if not m or int(m.group(2)) == 0 and run.exit_code not in (None, qemu.EXIT_SUCCESS):
            r.fail("user.runner", f"expected a clean exit after DONE, got {describe(run)}")


# The suites of ports, pipes, events, semaphores and waits, run again by the slowpath layer.
SLOWPATH_SUITES = sorted(os.path.basename(p)[:-2] for pattern in
                         ("port*.c", "pipes_*.c", "sync_events.c", "sync_semaphores.c", "ipc_*.c",
                          "waits.c", "signal_wait.c")
                         for p in glob.glob("tests/user/" + pattern))


def layer_slowpath(r):
    """The same suites with the direct switch off (kernel option fastpath=off), so that
    every case of theirs also runs with each wake going through the run queue."""
    print("slowpath: the IPC suites again with the direct switch off (fastpath=off)")
    user_run(r, " ".join(SLOWPATH_SUITES), (), "slowpath", options="fastpath=off ", prefix="slowpath.")


SMP_SUITES = "smp_cpus drivers_clock drivers_console drivers_objects sync_events ports_calls smp_stress_objects smp_stress_ends"


def smp_started(r, lines, n, why):
    """The kernel's log of a boot with |n| CPUs: it started CPUs 1..n-1 and says all n are online."""
    want = [f"smp: CPU {i} (APIC id {i}) online" for i in range(1, n)] + [f"smp: {n} of {n} CPUs online; "]
    r.check(f"smp.cpus{n}-online", all(any(l.startswith(w) for l in lines) for w in want),
            f"expected the kernel to start CPUs 1..{n - 1}; {why}")
    r.check(f"smp.cpus{n}-ipi-to-all-others", f"smp: an IPI to all the others reached {n - 1} of {n - 1}" in lines,
            f"expected one IPI sent to all the others at once to reach each of the {n - 1}; {why}")


def layer_smp(r):
    """Two boots with more CPUs than make test's default.  With 4, a full boot to the shell,
    where `cpus` is typed (through the serial line's IRQ 4 and the console driver) and lists
    every CPU online; with 2, the drivers' suites (rtcd's IRQ 8 among them: device interrupts
    reach CPU 0 through the I/O APIC while the others idle), smp_cpus and the short smp_stress suites pass."""
    print("smp: 4 CPUs: `cpus` typed at the shell; 2 CPUs: " + SMP_SUITES)
    print("  (the first run types into the shell from the host: host input, so it does not repeat from the seed)")
    run = qemu.run(make_iso("smp4", ""), BOOT_BUDGET, extra=["-smp", "4"], stdin_data=b"cpus\n",
                   until=lambda line: line.endswith("CPUs online"), log=log_path("smp4"))
    smp_started(r, run.lines, 4, describe(run))
    rows = [l for l in run.lines if re.match(r"\d+\s+\d+\s+online\s+\d+\s+\d+\s+\d+\s+\d+$", l)]
    r.check("smp.cpus4-listed", len(rows) == 4 and "4 of 4 CPUs online" in run.lines,
            f"expected `cpus` at the shell to list 4 CPUs online; {describe(run)}")
    user_run(r, SMP_SUITES, ["-smp", "2"], "smp", prefix="smp2.")
    with open(log_path("smp")) as f:
        smp_started(r, f.read().splitlines(), 2, f"see {log_path('smp')}")


FUZZ_SEEDS = "1-4"          # the short run inside make test; make fuzz runs long ones
FUZZ_CALLS = 3000


def layer_fuzz(r):
    print(f"fuzz: the system-call fuzzer, seeds {FUZZ_SEEDS}, {FUZZ_CALLS} calls each, leak-checked")
    ok, why, lines = fuzz.run(FUZZ_SEEDS, FUZZ_CALLS, echo=lambda line: None, budget=USER_BUDGET,
                              iso=f"{BUILD}/test-fuzz.iso")
    for line in lines:
        m = re.match(r"fuzz: seed (\d+): (ok|FAILED)$", line)
        if m:
            leaks = [l for l in lines if l.startswith(f"fuzz: seed {m.group(1)}: LEAK")]
            r.check(f"fuzz.seed-{m.group(1)}", m.group(2) == "ok", "; ".join(leaks) or "its runner failed")
    r.check("fuzz.run", ok, why, why)


def layer_docs(r):
    print("docs: every file, function and constant the docs cite exists")
    stale = docs_check.stale_names(".")
    r.check("docs.names-exist", not stale, "stale names in the docs:\n" + "\n".join("    " + s for s in stale),
            "README.md and docs/*.md")
    wrong = bench_record.check()
    r.check("docs.bench-numbers", not wrong, "numbers unlike docs/bench-record.json:\n" +
            "\n".join("    " + s for s in wrong), "marked make bench numbers match the record")
    r.check("docs.bench-check-catches-a-wrong-number", bench_record.catches_a_wrong_number(),
            "a boot count one off the record passed the check")
    r.check("docs.trace-check-catches-a-changed-profile", bench_record.catches_a_wrong_profile(),
            "a profile line unlike the kept trace passed the check")


def layer_layers(r):
    print("layers: every kernel #include stays on its floor or goes down (scripts/layers_check.py)")
    problems = layers_check.check(".")
    r.check("layers.no-upward-include", not problems,
            f"{len(problems)} problem(s):\n" + "\n".join("    " + p for p in problems),
            "kernel/ includes go down the floors")
    r.check("layers.check-catches-an-upward-include", layers_check.catches_an_upward_include(),
            "a lib file including a proc header passed the check")


def layer_readme(r):
    print("readme: the README's first hour, typed at the prompt as printed")
    readme_check.check_readme(lambda name, ok, why: r.check(name, ok, why))


def layer_labs(r):
    print("labs: full marks on the reference kernel; each lab strips, builds, boots and fails its tests")
    lab.self_check(lambda name, ok, why: r.check(name, ok, why))


STRESS_SUITES = "smp_stress_objects_full smp_stress_ends_full"     # 1,000 rounds a case


def stress(runs, cpus):
    """make stress: STRESS_SUITES booted |runs| times in a row with |cpus| CPUs, a new seed
    each time; one line per run (its serial log kept as build/logs/stress-N.log), and a
    last line.  Returns how many runs failed."""
    failed_runs = 0
    for i in range(1, runs + 1):
        seed = random.SystemRandom().randrange(1, 1 << 31)
        harness.set_seed(seed)
        r, start = Results(quiet=True), time.monotonic()
        user_run(r, STRESS_SUITES, ["-smp", str(cpus)], "stress")
        os.replace(log_path("stress"), log_path(f"stress-{i}"))
        print(f"stress run {i}/{runs}: {r.passed} passed, {r.failed} failed, {cpus} CPUs, seed {seed}, "
              f"{time.monotonic() - start:.0f} s, log {log_path(f'stress-{i}')}")
        if r.failed:
            failed_runs += 1
            print("\n".join("  " + l for l in r.summary().splitlines()[1:]))
    print(f"stress: {runs - failed_runs} of {runs} runs passed")
    return failed_runs


LAYERS = {"unit": layer_unit, "layers": layer_layers,
          "boot": layer_boot, "fault": layer_fault, "gdb": layer_gdb,
          "trace": layer_trace, "runner": layer_runner, "kclock": layer_kclock,
          "console": layer_console, "shell": layer_shell, "lined": layer_lined, "user": layer_user,
          "icount": layer_icount, "slowpath": layer_slowpath, "smp": layer_smp,
          "fuzz": layer_fuzz, "repeat": layer_repeat, "replay": layer_replay, "docs": layer_docs,
          "readme": layer_readme, "labs": layer_labs}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", help="run just this layer (" + ", ".join(LAYERS) + "), or a ring-3 suite or SUITE.CASE")
    ap.add_argument("--seed", type=int, help="the seed to repeat (default: a new one, printed)")
    ap.add_argument("--cpus", type=int, default=1, help="CPUs for every boot (QEMU -smp; the smp layer picks its own)")
    ap.add_argument("--stress", type=int, metavar="RUNS", help="run " + STRESS_SUITES + " RUNS times in a row instead")
    args = ap.parse_args()
    if args.stress:
        sys.exit(1 if stress(args.stress, args.cpus) else 0)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1, 1 << 31)
    harness.set_seed(seed)
    qemu.CPUS = args.cpus
    again = f"make test SEED={seed}" + (f" TEST={args.only}" if args.only else "")
    again += f" CPUS={args.cpus}" if args.cpus != 1 else ""
    print(f"seed {seed}: every boot runs under the -icount clock with seed={seed}; '{again}' repeats this run")
    r = Results()
    if args.only and args.only not in LAYERS:
        layer_user(r, args.only)            # a suite, or SUITE.CASE
    else:
        for name in [args.only] if args.only else LAYERS:
            LAYERS[name](r)
    print(f"{r.passed} passed, {r.failed} failed")
    if r.failures:
        print(r.summary())
    sys.exit(1 if r.failed else 0)


if __name__ == "__main__":
    main()
