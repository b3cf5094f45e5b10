#!/usr/bin/env python3
"""make bench: instructions per operation, beside the reference numbers.

Boots Ember under QEMU with -icount shift=0,sleep=off (one rdtsc tick per
guest instruction) and /bin/bench as the first process, then prints each
operation it measured next to Linux 6.1, xv6 and Ember's target, from
TESTING.md.  Measured, never asserted: this is not part of make test.
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import qemu  # noqa: E402

# name: (what it is, Linux 6.1, xv6, Ember target)
REFERENCE = {
    "null-syscall": ("null syscall (getpid)", 319, 1397, 60),
    "event-pingpong": ("event ping-pong, one round trip, two processes", 8455, None, 1500),
    "pipe-pingpong": ("pipe ping-pong, 1 byte each way, two processes", 11305, 27265, 2000),
    "lpc-roundtrip": ("LPC request/reply, 64 bytes each way", 15152, None, 1500),
    "yield-round": ("yield between two processes, per round", 889, None, 500),
    "event-create-close": ("create + close an event handle", 4958, None, 600),
    "section-map": ("map a 4 KiB section, touch, unmap", 18347, None, 4000),
    "pipe-stream-kib": ("pipe stream, 4 MiB in 64 KiB writes, per KiB", 852, None, 400),
    "spawn-exit-wait": ("spawn a program, exit, wait", 454907, 4100843, 100000),
}


def fmt(n):
    return "-" if n is None else f"{n:,}"


def main():
    iso = "build/bench.iso"
    subprocess.run(["scripts/mkiso.sh", iso, "build/kernel.elf", "build/bootfs.tar", "-- /bin/bench"],
                   check=True)
    run = qemu.run(iso, 600, extra=["-icount", "shift=0,sleep=off"])
    results = {}
    for line in run.lines:
        parts = line.split()
        if len(parts) == 3 and parts[0] == "bench:":
            results[parts[1]] = int(parts[2])
    if not results:
        print("bench: no results; last lines:\n" + run.tail())
        return 1
    print(f"{'operation':<50} {'Ember':>10} {'Linux 6.1':>10} {'xv6':>10} {'target':>10}")
    for name, measured in results.items():
        what, linux, xv6, target = REFERENCE.get(name, (name, None, None, None))
        mark = "" if target is None or measured <= target else "  (over target)"
        print(f"{what:<50} {measured:>10,} {fmt(linux):>10} {fmt(xv6):>10} {fmt(target):>10}{mark}")
    missing = [REFERENCE[n][0] for n in REFERENCE if n not in results]
    if missing:
        print("not measured yet: " + "; ".join(missing))
    return 0


if __name__ == "__main__":
    sys.exit(main())
