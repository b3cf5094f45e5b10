#!/usr/bin/env python3
"""make bench-scale: each operation against what drives its cost.

Boots Ember under QEMU with -icount shift=0,sleep=off and /bin/bench_scale
(user/bench_scale.c) as the first process, which prints
    scale: OPERATION DRIVER INSTRUCTIONS
per point.  For each operation this writes OUT/OPERATION.csv and, with
matplotlib (scripts/bench_deps.sh plot), OUT/OPERATION.svg: the points and the
best fit of the cost the operation should have (constant, or a constant plus a
slope times the driver), and prints a summary saying whether each curve grows
no faster than that.  OUT is build/scale unless given (make bench-scale OUT=dir).
Measured, never asserted.
"""
import csv
import math
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import qemu  # noqa: E402

# operation: (driver, expected growth: "1" constant or "n" linear in the driver)
EXPECTED = {
    "name-open": ("names that exist", "1"),
    "name-create": ("names that exist", "1"),
    "handle-install": ("handles open", "1"),
    "wait-any": ("handles waited on", "n"),
    "wait-all": ("handles waited on", "n"),
    "spawn": ("processes alive", "1"),
    "mem-map": ("pages", "n"),
    "mem-touch": ("pages", "n"),
    "mem-unmap": ("pages", "n"),
    "lpc-bytes": ("bytes each way", "n"),
    "lpc-handles": ("handles each way", "n"),
}
# How far a curve may stray from its expected shape before the summary flags it:
# a constant may double over the whole range; a linear cost may grow with an
# exponent of at most this between its last two points.
CONSTANT_SLACK = 2.0
LINEAR_EXPONENT = 1.2


def run_scale():
    """Boots Ember with /bin/bench_scale first; returns ({op: [(x, y)]}, {op: stop reason}, run)."""
    iso = "build/scale.iso"
    subprocess.run(["scripts/mkiso.sh", iso, "build/kernel.elf", "build/bootfs.tar", "-- /bin/bench_scale"],
                   check=True, stdout=subprocess.DEVNULL)
    run = qemu.run(iso, 1800, until=lambda line: line == "scale: done",
                   extra=["-icount", "shift=0,sleep=off"])
    curves, stops = {}, {}
    for line in run.lines:
        parts = line.split(maxsplit=3)
        if len(parts) == 4 and parts[0] == "scale:":
            curves.setdefault(parts[1], []).append((int(parts[2]), int(parts[3])))
        elif len(parts) == 4 and parts[0] == "scale-stop:":
            stops[parts[1]] = f"stopped at {parts[2]}: {parts[3]}"
    return curves, stops, run


def fit(points, growth):
    """The expected curve, from the low end of the range: for growth "1", the cost at the
    smallest driver, kept flat; for "n", the least squares line y = a + b*x through the
    points in the lowest quarter of the range (at least two), extended.  A curve that
    grows faster than expected leaves the line at the high end.  Returns (a, b)."""
    if growth == "1" or len(points) < 2:
        return points[0][1], 0.0
    low = [p for p in points if p[0] <= points[-1][0] / 4] or points
    low = low if len(low) >= 2 else points[:2]
    xs, ys = [p[0] for p in low], [p[1] for p in low]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else 0.0
    return my - b * mx, b


def verdict(points, growth):
    """Whether the curve grows no faster than expected, in words."""
    (x0, y0), (x1, y1) = points[0], points[-1]
    if growth == "1":
        ok = y1 <= CONSTANT_SLACK * y0
        slope = (y1 - y0) / (x1 - x0) if x1 > x0 else 0.0
        # A small linear term hides under the slack; say it, so the summary never calls it nothing.
        return ("flat" if ok else "GROWS") + f": {y0:,} -> {y1:,}" + \
            (f" ({slope:+,.1f} per unit of the driver)" if abs(slope) >= 0.5 else "")
    (xa, ya) = points[-2] if len(points) > 1 else points[0]
    exponent = math.log(y1 / ya) / math.log(x1 / xa) if xa and ya and x1 > xa else 1.0
    ok = exponent <= LINEAR_EXPONENT
    return ("linear" if ok else "FASTER THAN LINEAR") + f": exponent {exponent:.2f} at the top"


def write_csv(path, op, points):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow([EXPECTED.get(op, ("driver",))[0], "instructions"])
        w.writerows(points)


def write_svg(plt, path, op, points):
    driver, growth = EXPECTED.get(op, ("driver", "n"))
    a, b = fit(points, growth)
    xs = [p[0] for p in points]
    fig, ax = plt.subplots(figsize=(6, 3.6))
    ax.plot(xs, [p[1] for p in points], "o-", label="measured")
    ax.plot(xs, [a + b * x for x in xs], "--",
            label="expected O(1): %s" % f"{a:,.0f}" if growth == "1"
            else f"expected O(n): {a:,.0f} + {b:,.1f} n")
    if min(xs) > 0 and max(xs) / min(xs) >= 100:
        ax.set_xscale("log")
    ax.set_yscale("log" if max(p[1] for p in points) / min(p[1] for p in points) >= 100 else "linear")
    ax.set_xlabel(driver)
    ax.set_ylabel("instructions per operation")
    ax.set_title(op)
    ax.legend()
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, metadata={"Date": None})
    plt.close(fig)


def load_matplotlib():
    try:
        import matplotlib
        matplotlib.use("Agg")
        matplotlib.rcParams["svg.hashsalt"] = "ember"     # the same SVG for the same numbers
        matplotlib.rcParams["svg.fonttype"] = "none"      # text as text: small files
        import matplotlib.pyplot as plt
        return plt
    except ImportError:
        return None


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "build/scale"
    curves, stops, run = run_scale()
    if not curves:
        print("bench-scale: no results; last lines:\n" + run.tail())
        return 1
    os.makedirs(out, exist_ok=True)
    plt = load_matplotlib()
    print(f"{'operation':<16} {'driver':<20} {'range':>12} {'expected':>8}  measured")
    for op, points in curves.items():
        driver, growth = EXPECTED.get(op, ("driver", "n"))
        write_csv(f"{out}/{op}.csv", op, points)
        if plt:
            write_svg(plt, f"{out}/{op}.svg", op, points)
        span = f"{points[0][0]:,}..{points[-1][0]:,}"
        note = f" ({stops[op]})" if op in stops else ""
        print(f"{op:<16} {driver:<20} {span:>12} {'O(' + growth + ')':>8}  {verdict(points, growth)}{note}")
    print(f"CSV{' and SVG' if plt else ''} files in {out}/" +
          ("" if plt else "; no plots: python3-matplotlib is missing (scripts/bench_deps.sh plot)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
