#!/usr/bin/env python3
"""make fuzz: boot Ember and run the ring-3 system-call fuzzer (user/fuzz.c).

  make fuzz SEED=7 CALLS=100000      one seed
  make fuzz SEED=1-16 CALLS=100000   seeds 1 to 16, one after another

Prints the fuzzer's lines as they come and ends with a verdict.  A seed fails
when it leaks (the fuzzer's own per-tag check), and the whole run fails when
the kernel panics or faults, QEMU stops before the fuzzer's DONE line, or
nothing comes out for SILENCE seconds (a hang).  The seed is in every line,
so a failure repeats with the same SEED and CALLS.
"""
import argparse
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import qemu  # noqa: E402

BUILD = "build"
SILENCE = 120               # seconds without a line: a hang


def run(seeds, calls, echo=print, budget=None, iso=f"{BUILD}/fuzz.iso"):
    """Fuzzes |seeds| ("N" or "A-B") with |calls| calls each; returns (ok, why, lines)."""
    subprocess.run(["scripts/mkiso.sh", iso, f"{BUILD}/kernel.elf", f"{BUILD}/bootfs.tar",
                    f"-- /bin/fuzz {seeds} {calls}"], check=True)
    last = [time.monotonic()]

    def on_line(line):
        last[0] = time.monotonic()
        if line.startswith(("fuzz: seed", "fuzz: DONE")) or "KERNEL FAULT" in line or "PANIC:" in line:
            echo("  " + line)

    def until(line):
        return line.startswith("fuzz: DONE") or time.monotonic() - last[0] > SILENCE

    r = qemu.run(iso, budget or 24 * 3600, until=until, on_line=on_line)
    text = "\n".join(r.lines)
    done = re.search(r"^fuzz: DONE seeds=(\d+) failed=(\d+)$", text, re.M)
    if "KERNEL FAULT" in text or "PANIC:" in text:
        return False, "the kernel died:\n" + r.tail(30), r.lines
    if not done:
        why = "hang (no output)" if r.timed_out or time.monotonic() - last[0] > SILENCE \
            else f"QEMU exited with {r.exit_code}"
        return False, f"{why} before the fuzzer's DONE line; last lines:\n{r.tail(30)}", r.lines
    if int(done.group(2)):
        return False, "leaks: " + "; ".join(l for l in r.lines if "LEAK" in l), r.lines
    return True, f"{done.group(1)} seeds, no leak", r.lines


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", default="1", help="a seed N or a range A-B")
    ap.add_argument("--calls", type=int, default=10000, help="calls per seed")
    args = ap.parse_args()
    if not re.fullmatch(r"\d+(-\d+)?", args.seed) or args.calls <= 0:
        sys.exit("fuzz: SEED is a number or a range A-B; CALLS a positive number")
    start = time.monotonic()
    ok, why, _ = run(args.seed, args.calls)
    print(f"fuzz: seeds {args.seed}, {args.calls} calls each: {'PASS' if ok else 'FAIL'}: {why}"
          f" ({time.monotonic() - start:.0f} s)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
