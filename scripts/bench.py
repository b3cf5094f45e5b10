#!/usr/bin/env python3
"""make bench: instructions per operation, Ember and Linux measured in this run.

Boots Ember under QEMU with -icount shift=0,sleep=off (one rdtsc tick per
guest instruction) and /bin/bench as the first process, then boots Debian's
Linux kernel in the same QEMU with the same flags and a static program doing
the same work (scripts/bench_linux.py), and prints both columns side by side
with their ratio.  Every number in the Ember and Linux columns was measured in
this run; when Linux cannot run, the output says why and its column stays
empty.  xv6 cannot be booted here; its column is labeled as recorded.
Measured, never asserted: this is not part of make test.  Every run also
writes build/bench.json (the numbers, the date and the commit), which
`make bench-record` keeps in docs/bench-record.json for the docs to quote
(scripts/bench_record.py).
"""
import datetime
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import bench_linux  # noqa: E402
import qemu  # noqa: E402

ICOUNT = ["-icount", "shift=0,sleep=off"]

# name: (what both sides do, Ember's target from issue 11 or None)
ROWS = {
    "null-syscall": ("null syscall (Linux: getpid)", 57),
    "yield-round": ("yield between two processes, per round (Linux: SCHED_FIFO, CPU 0)", None),
    "event-pingpong": ("event ping-pong, one round trip (Linux: eventfd)", 900),
    "event-create-close": ("create + close an event (Linux: eventfd + close)", None),
    "pipe-pingpong": ("pipe ping-pong, 1 byte each way", 1000),
    "pipe-stream-kib": ("pipe stream, 4 MiB in 64 KiB writes, per KiB", None),
    "section-map": ("map 4 KiB shared, touch, unmap (Linux: memfd, MAP_POPULATE)", None),
    "lpc-roundtrip": ("LPC request/reply, 64 bytes each way (Linux: AF_UNIX seqpacket)", 1000),
    "spawn-exit-wait": ("spawn a same-size static program, exit, wait (Linux: vfork+exec)", 30000),
    "console-write-driver": ("write a 64-byte line to the console through consoled (LPC)", None),
    "console-write-kernel": ("write a 64-byte line through the kernel's log path (syscall)", None),
    "clock-read-driver": ("read the CMOS clock through rtcd, the ring-3 driver (LPC)", None),
    "clock-read-kernel": ("read the CMOS clock through kclock, the kernel driver (syscall)", None),
}
# xv6 (x86) cannot be booted by this script.  These numbers were recorded once, when the
# same loops ran under xv6 in QEMU with -icount shift=0, and kept from the first version
# of this script; they are printed apart and labeled, never as a measurement of this run.
XV6_RECORDED = {"null syscall": 1397, "pipe ping-pong": 27265, "spawn, exit, wait": 4100843}
# make bench passes the kernel built without the lock-order validator (LOCKDEP=0).
KERNEL = os.environ.get("EMBER_KERNEL", "build/kernel.elf")
BOOT_LINE = "boot: "
BOOT_SUFFIX = " TSC ticks from kernel entry to ring 3"


def run_ember(name="bench", cmdline="-- /bin/bench"):
    """Boots Ember with /bin/bench first; returns (results, boot instructions or None, run)."""
    iso = f"build/{name}.iso"
    subprocess.run(["scripts/mkiso.sh", iso, KERNEL, "build/bootfs.tar", cmdline],
                   check=True)
    run = qemu.run(iso, 600, extra=ICOUNT)
    results, boot = {}, None
    for line in run.lines:
        parts = line.split()
        if len(parts) == 3 and parts[0] == "bench:":
            results[parts[1]] = int(parts[2])
        elif line.startswith(BOOT_LINE) and line.endswith(BOOT_SUFFIX):
            boot = int(parts[1])
    return results, boot, run


def fmt(n):
    return "-" if n is None else f"{n:,}"


def table_lines(run):
    """What make bench prints for |run| (a dict as build/bench.json holds it): the Linux
    line, the table, the boot count.  The docs' bench tables are checked against it."""
    linux = run.get("linux") or {}
    lines = [f"Linux: not measured in this run ({run['linux_missing']})" if run.get("linux_missing")
             else f"Linux: {run['linux_version']}", "",
             f"{'operation':<66} {'Ember':>9} {'Linux':>9} {'Linux/Ember':>11} {'target':>7}"]
    for name, measured in run["ember"].items():
        what, target = ROWS.get(name, (name, None))
        other = linux.get(name)
        ratio = f"{other / measured:.1f}x" if other and measured else "-"
        mark = "" if target is None or measured <= target else "  (over target)"
        lines.append(f"{what:<66} {measured:>9,} {fmt(other):>9} {ratio:>11} {fmt(target):>7}{mark}")
    lines += ["", f"Ember boot, kernel entry to the first return to ring 3: {fmt(run.get('boot'))} instructions"]
    return lines


def git(*args):
    return subprocess.run(["git"] + list(args), capture_output=True, text=True).stdout.strip()


def as_record(ember, boot, linux):
    """This run as build/bench.json keeps it: what it measured, when, on which commit."""
    # Uncommitted changes outside the docs mean the commit does not say what was measured.
    changed = bool(git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!docs", ":!*.md"))
    return {"id": git("rev-parse", "--short=7", "HEAD") + ("+" if changed else ""),
            "commit": git("rev-parse", "HEAD"), "uncommitted_changes": changed,
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "ember": ember, "boot": boot, "linux": linux.results,
            "linux_version": None if linux.missing else
            f"{linux.release} (Debian package {linux.package}), Meltdown: {linux.meltdown}",
            "linux_missing": linux.missing}


def main():
    ember, boot, run = run_ember()
    if not ember:
        print("bench: Ember printed no results; last lines:\n" + run.tail())
        return 1
    # The kernel-mode clock driver exists only in a boot that chose it (docs/09-drivers.md).
    ember.update(run_ember("bench-kclock", "clock=kernel -- /bin/bench --kclock")[0])
    record = as_record(ember, boot, bench_linux.run())
    with open("build/bench.json", "w") as f:
        json.dump(record, f, indent=1)
    print("Instructions per operation, QEMU TCG -cpu max, one CPU, -icount shift=0 (rdtsc counts "
          "guest instructions, kernel and user); both columns measured in this run.")
    print("\n".join(table_lines(record)))
    missing = [ROWS[n][0] for n in ROWS if n not in ember]
    if missing:
        print("Ember did not measure: " + "; ".join(missing))
    print("xv6 (x86), recorded once under the same QEMU flags, not run now: " +
          "; ".join(f"{what} {n:,}" for what, n in XV6_RECORDED.items()))
    print(f"Written to build/bench.json (run {record['id']}); make bench-record keeps it for the docs.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
