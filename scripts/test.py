#!/usr/bin/env python3
"""Ember's test harness (make test).

Runs the layers of TESTING.md in order and prints what each passed and
failed, then one closing line "N passed, N failed".  Exit status 0 only when
nothing failed.

  unit   host unit tests of pure kernel logic, under ASan and UBSan
  boot   the kernel reaches its ready line; QEMU exits with the success code
  fault  a deliberate kernel page fault prints a dump and exits with failure
  gdb    gdb -batch breaks in the kernel and reads a variable
  trace  the system call tracer decodes a traced program's calls
  runner the in-guest runner judges a case that leaves a process running, and
         a failure is reported in full (selftest_failures)
  kclock the kernel-mode clock driver (clock=kernel): reads, and a fault in it ends the machine
  console the console driver killed 50 times and hung 3 times under a printing program:
         no numbered line lost, the shell answers afterwards
  user   the ring-3 suites of tests/user, run by /bin/testrun in QEMU
  fuzz   a short run of the system-call fuzzer (make fuzz runs long ones)
  docs   every name the README and docs/ cite still exists in the tree

make test TEST=NAME runs one layer, or one suite (or SUITE.CASE) of the user layer.
"""
import argparse
import glob
import os
import re
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import qemu  # noqa: E402
import fuzz  # noqa: E402
import docs_check  # noqa: E402

BUILD = "build"
BOOT_BUDGET = 60            # seconds for one boot under TCG (it takes about 1)
USER_BUDGET = 900           # seconds for the whole ring-3 run
SILENCE_BUDGET = 180        # seconds without a line before the run counts as hung
GDB_BUDGET = 90


class Results:
    """Counts verdicts and keeps every failure for the summary at the end."""

    def __init__(self, quiet=False):
        self.passed = 0
        self.failed = 0
        self.failures = []      # (name, why), in the order they happened
        self.quiet = quiet      # collect only (the runner layer judges a run's rendering)

    def say(self, text):
        if not self.quiet:
            print(text)

    def ok(self, name, detail=""):
        self.passed += 1
        self.say(f"  PASS {name}" + (f" ({detail})" if detail else ""))

    def fail(self, name, why):
        self.failed += 1
        self.failures.append((name, why))
        self.say(f"  FAIL {name}: {why}")

    def check(self, name, cond, why, detail=""):
        self.ok(name, detail) if cond else self.fail(name, why)

    def summary(self):
        """Every failure, one line each (the first line of why), after the totals."""
        if not self.failures:
            return ""
        lines = [f"{len(self.failures)} failure{'s' if len(self.failures) > 1 else ''}:"]
        lines += [f"  {name}: {why.splitlines()[0] if why else ''}" for name, why in self.failures]
        return "\n".join(lines)


def log_path(name):
    """Where a run's whole serial log is kept (build/logs/NAME.log)."""
    os.makedirs(f"{BUILD}/logs", exist_ok=True)
    return f"{BUILD}/logs/{name}.log"


def make_iso(name, cmdline):
    """An ISO of the current build with its own kernel command line."""
    iso = f"{BUILD}/test-{name}.iso"
    subprocess.run(["scripts/mkiso.sh", iso, f"{BUILD}/kernel.elf", f"{BUILD}/bootfs.tar", cmdline],
                   check=True)
    return iso


def describe(run):
    if run.timed_out:
        return f"hang: no result within {BOOT_BUDGET}s; last lines:\n{run.tail()}"
    return f"QEMU exited with {run.exit_code}; last lines:\n{run.tail()}"


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
    r.check("boot.exit-success", run.exit_code == qemu.EXIT_SUCCESS,
            f"expected exit {qemu.EXIT_SUCCESS}, got {describe(run)}")


def source_line(path, marker):
    """The line number of the first line of |path| that contains |marker|."""
    with open(path) as f:
        for n, text in enumerate(f, 1):
            if marker in text:
                return n
    raise LookupError(f"{marker!r} is not in {path}")


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
    r.check("fault.kernel-thread", run.has("in the kernel's own thread"),
            f"expected the report to say no process was running; {describe(run)}")
    r.check("fault.exit-failure", run.exit_code == qemu.EXIT_FAILURE,
            f"expected exit {qemu.EXIT_FAILURE}, got {describe(run)}")
    user_fault(r)


def user_fault(r):
    """A ring-3 fault, through the shell: the kernel's report and the shell's name the line.
    A full boot (init, the supervisor, the console driver the shell reads through), ended
    once the shell has reported the fault."""
    run = qemu.run(make_iso("user-fault", ""), BOOT_BUDGET, stdin_data=b"crash write\n",
                   until=lambda line: line.startswith("sh: crash:"), log=log_path("user-fault"))
    where = f"null_write at user/crash.c:{source_line('user/crash.c', 'crash: the faulting write')}"
    r.check("fault.user-report", run.has(f"crash: page fault writing 0x0 in {where}"),
            f"expected the kernel to report 'crash: page fault writing 0x0 in {where}'; {describe(run)}")
    r.check("fault.user-backtrace", any(re.search(r"#\d+ main at user/crash\.c:\d+", l) for l in run.lines),
            f"expected the user backtrace to reach crash's main; {describe(run)}")
    r.check("fault.shell-names-line", run.has(f"sh: crash: page fault at 0x0, write, page not present, in {where}"),
            f"expected the shell to name {where}; {describe(run)}")

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_gdb(script, iso, serial=None):
    """Starts QEMU halted with a GDB stub, runs |script| in gdb -batch, returns its output.
    The guest's serial log goes to the file |serial| (symbolized there after the run), if given."""
    port = free_port()
    text = open(script).read().replace("@PORT@", str(port))
    path = f"{BUILD}/{os.path.basename(script)}"
    with open(path, "w") as f:
        f.write(text)
    q = subprocess.Popen([qemu.QEMU] + qemu.BASE_FLAGS + ["-serial", f"file:{serial}" if serial else "null", "-cdrom", iso,
                                                          "-S", "-gdb", f"tcp:127.0.0.1:{port}"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(50):                     # wait for the stub to listen
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        g = subprocess.run(["gdb", "-q", "-batch", "-nx", "-x", path], capture_output=True,
                           text=True, timeout=GDB_BUDGET)
        return g.stdout + g.stderr
    except subprocess.TimeoutExpired as e:
        return f"(gdb timed out)\n{e.stdout or ''}"
    finally:
        q.kill()
        q.wait()
        if serial and os.path.exists(serial):
            lines = open(serial, errors="replace").read().replace("\r", "").split("\n")
            with open(serial, "w") as f:
                f.write("\n".join(qemu.SYMBOLS.line(l) for l in lines))


def section(out, name):
    """The gdb output after 'check: name' up to the next check."""
    m = re.search(rf"check: {name}\n(.*?)(?=check: |\Z)", out, re.S)
    return m.group(1) if m else ""


def layer_gdb(r):
    print("gdb: GDB breaks in the 64-bit kernel and reads its variables")
    out = run_gdb("tests/gdb/boot.gdb", f"{BUILD}/ember.iso")
    why = "gdb output was:\n" + "\n".join("    | " + l for l in out.splitlines()[-20:])
    r.check("gdb.break-kernel_main", re.search(r"kernel_main \(.*\) at kernel/main\.c:\d+", section(out, "frame")),
            "expected to stop in kernel_main with a source line; " + why)
    r.check("gdb.later-breakpoint", "timer_init" in section(out, "backtrace") and "kernel_main" in section(out, "backtrace"),
            "expected a backtrace timer_init <- kernel_main; " + why)
    m = re.search(r"\$\d+ = (\d+)", section(out, "regions"))
    r.check("gdb.read-variable", m and int(m.group(1)) >= 1,
            "expected boot_info.navail >= 1; " + why)

    out = run_gdb("tests/gdb/user.gdb", make_iso("gdb-user", "-- /bin/echo from-gdb"))
    why = "gdb output was:\n" + "\n".join("    | " + l for l in out.splitlines()[-20:])
    r.check("gdb.user-main", re.search(r"main \(.*\) at user/echo\.c:\d+", section(out, "user-main")),
            "expected to stop in echo's main with its source line; " + why)
    r.check("gdb.syscall-entry", "syscall_entry" in section(out, "entry"),
            "expected the system call to land in syscall_entry; " + why)
    m = re.search(r"\$\d+ = 0x([0-9a-f]+)", section(out, "user-rip"))
    r.check("gdb.user-return-address", m and 0x400000 <= int(m.group(1), 16) < 0x800000,
            "expected rcx (the return rip) inside the program at 0x400000; " + why)
    bt = section(out, "handler")
    r.check("gdb.handler", "sys_console_write" in bt and "syscall_dispatch" in bt,
            "expected sys_console_write called from syscall_dispatch; " + why)
    r.check("gdb.finish", re.search(r"Value returned is \$\d+ = \d+", section(out, "finish")),
            "expected finish to return the handler's result; " + why)
    gdb_crash_reports(r)


def gdb_crash_reports(r):
    """A kernel fault and a panic inside echo's console_write: the report names process, thread, call."""
    for kind in ("syscall_fault", "panic"):
        serial = log_path(f"gdb-{kind}")
        out = run_gdb(f"tests/gdb/{kind}.gdb", make_iso("gdb-user", "-- /bin/echo from-gdb"), serial)
        text = open(serial).read() if os.path.exists(serial) else ""
        why = "serial log was:\n" + "\n".join("    | " + l for l in text.splitlines()[-30:]) + \
              "\ngdb output was:\n" + "\n".join("    | " + l for l in out.splitlines()[-10:])
        first = "KERNEL FAULT: page fault" if kind == "syscall_fault" else "PANIC: echo"
        r.check(f"gdb.{kind}.reported", first in text, f"expected '{first}'; " + why)
        r.check(f"gdb.{kind}.process-thread", re.search(r"process 1 \(echo\), thread \d+", text),
                "expected the process and thread; " + why)
        r.check(f"gdb.{kind}.syscall", re.search(r"serving system call console_write\(buf=0x[0-9a-f]+, len=\d+\)", text),
                "expected the system call with its arguments decoded; " + why)
        caller = "sys_console_write" if kind == "syscall_fault" else "syscall_dispatch"
        r.check(f"gdb.{kind}.kernel-file-line",
                re.search(caller + r"\+0x[0-9a-f]+ at kernel/syscall/\w+\.c:\d+", text),
                f"expected {caller}'s frame with file:line; " + why)
        r.check(f"gdb.{kind}.user-frames", "called from echo:" in text and
                re.search(r"#\d+ \w+ at libc/\w+\.c:\d+", text.split("called from echo:")[-1]),
                "expected echo's own frames after the kernel's, with file:line; " + why)


def layer_trace(r):
    print("trace: the kernel prints a traced program's calls, decoded")
    run = qemu.run(make_iso("trace", "-- /bin/trace cat /nope"), BOOT_BUDGET)
    r.check("trace.string-and-error", re.search(r'^\[\d+ cat\] file_open\(path="/nope"\) = E_NOTFOUND$',
                                                 "\n".join(run.lines), re.M),
            f"expected the traced cat's file_open decoded; {describe(run)}")
    r.check("trace.result", any(re.match(r"\[\d+ cat\] console_write\(buf=0x[0-9a-f]+, len=(\d+)\) = \1$", l)
                                for l in run.lines),
            f"expected console_write with its length as the result; {describe(run)}")
    r.check("trace.exit", run.has("trace: cat exited with code 1") and run.exit_code == qemu.EXIT_SUCCESS,
            f"expected trace to report cat's exit and finish; {describe(run)}")


class UserRun:
    """Follows the in-guest protocol, one line at a time, and judges each test.

    Every line a case prints between its BEGIN and the next one is kept: a
    failing case is reported with all of them (its later "also" failures,
    what it printed, a kernel fault report), not just its first FAIL line."""

    def __init__(self, r):
        self.r = r
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
            self.current = name
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


def layer_user(r, only=None):
    print("user: ring-3 suites (tests/user), each case in its own process, leak-checked")
    u = UserRun(r)
    iso = make_iso("user", "-- /bin/testrun" + (f" {only}" if only else ""))
    silent = lambda: time.monotonic() - u.last_line_at > SILENCE_BUDGET
    run = qemu.run(iso, USER_BUDGET, until=lambda line: u.line(line) or silent(), log=log_path("user"))
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


LAYERS = {"unit": layer_unit, "boot": layer_boot, "fault": layer_fault, "gdb": layer_gdb,
          "trace": layer_trace, "runner": layer_runner, "kclock": layer_kclock,
          "console": layer_console, "user": layer_user,
          "fuzz": layer_fuzz, "docs": layer_docs}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", help="run just this layer (" + ", ".join(LAYERS) + "), or a ring-3 suite or SUITE.CASE")
    args = ap.parse_args()
    r = Results()
    if args.only and args.only not in LAYERS:
        layer_user(r, args.only)            # a suite, or SUITE.CASE
    else:
        for name in [args.only] if args.only else list(LAYERS):
            LAYERS[name](r)
    print(f"{r.passed} passed, {r.failed} failed")
    if r.failures:
        print(r.summary())
    sys.exit(1 if r.failed else 0)


if __name__ == "__main__":
    main()
