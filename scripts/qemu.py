"""Running Ember in QEMU for the test harness and the benchmark.

run() boots an ISO with the serial port on a pipe, collects the lines the
kernel prints (with file:line added by symbolize.py) and stops at the first
of: QEMU exits, a line matches `until`, or the time budget runs out.  A run that runs out of time is reported as a
hang with the last lines seen, never as a bare failure.
"""
import os
import subprocess
import threading
import time

import symbolize

SYMBOLS = symbolize.Symbolizer()    # file:line for kernel frames and {{pc ...}} markup

QEMU = os.environ.get("QEMU", "qemu-system-x86_64")
# isa-debug-exit turns the kernel's exit codes 0x10 / 0x11 into 33 / 35.
EXIT_SUCCESS = 33
EXIT_FAILURE = 35
# The fixed clock of make test: 16 virtual nanoseconds per guest instruction
# (shift=4), idle time skipped, so a run repeats instruction for instruction
# (docs/08).  Not shift=0, as the benchmark uses: the firmware's and GRUB's
# waits are in virtual time, and at one nanosecond per instruction they cost
# about ten seconds of CPU per boot instead of two.
# The CMOS clock follows the same virtual clock from a fixed date, so a run
# that reads the date repeats too, and a second of guest time is a second on it.
FIXED_RTC = ["-rtc", "base=2026-01-01T00:00:00,clock=vm"]
ICOUNT = ["-icount", "shift=4,sleep=off"] + FIXED_RTC
BASE_FLAGS = ["-accel", "tcg", "-cpu", "max", "-m", "256M", "-no-reboot",
              "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
              "-display", "none", "-monitor", "none"]


class Run:
    """What one boot produced."""

    def __init__(self):
        self.lines = []         # serial output, one entry per line, without '\r'
        self.times = []         # seconds since start at which each line arrived
        self.exit_code = None   # None while running or when we stopped it
        self.timed_out = False

    def first(self, needle):
        """Seconds until the first line containing |needle|, or None."""
        for line, t in zip(self.lines, self.times):
            if needle in line:
                return t
        return None

    def has(self, needle):
        return self.first(needle) is not None

    def tail(self, n=15):
        return "\n".join("    | " + line for line in self.lines[-n:])


def run(iso, budget, until=None, extra=(), stdin_data=None, on_line=None, log=None,
        send_after="ember: started"):
    """Boots |iso| and returns a Run.  |until| is a predicate on each line
    that, when true, ends the run; |on_line| sees each line as it comes;
    every line is also written to the file |log|, when given.  |stdin_data|
    is typed once a line contains |send_after| (the console drops what
    arrives before it is set up).  With |iso| None, |extra| says what to
    boot (the bench's -kernel for Linux).  The run uses the fixed ICOUNT
    clock unless |extra| has an -icount of its own."""
    cdrom = ["-cdrom", iso] if iso else []
    clock = [] if "-icount" in extra else ICOUNT
    cmd = [QEMU] + BASE_FLAGS + clock + ["-serial", "stdio"] + cdrom + list(extra)
    result = Run()
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if stdin_data else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    done = threading.Event()

    typed = []

    def reader():
        for raw in proc.stdout:
            line = SYMBOLS.line(raw.decode("utf-8", "replace").rstrip("\r\n").replace("\r", ""))
            result.lines.append(line)
            result.times.append(time.monotonic() - start)
            if on_line:
                on_line(line)
            if stdin_data and send_after in line and not typed:
                typed.append(line)
                proc.stdin.write(stdin_data)
                proc.stdin.flush()
            if until and until(line):
                break
        done.set()

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    finished = done.wait(budget)
    if not finished:
        result.timed_out = True
    try:
        result.exit_code = proc.wait(timeout=0 if not finished or until else budget)
    except subprocess.TimeoutExpired:
        pass
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    t.join(timeout=1)
    if log:
        with open(log, "w") as f:
            f.write("".join(line + "\n" for line in result.lines))
    return result
