#!/usr/bin/env python3
"""make bench-trace ROW=NAME: where the instructions of one bench row go.

Boots Ember with `/bin/bench --trace NAME` (the row alone, for a million
rounds) under -icount shift=0.  Once the row is running, the script tells
QEMU through its monitor to translate one instruction per block
(`singlestep on`: blocks made from then on never chain) and to log each
block it executes (`log exec`): one line per guest instruction.  After a
short window it turns the log off and stops QEMU.  Each logged address is then charged
to the function holding it (the kernel's symbols from build/kernel.elf, the
program's from build/user/bench.elf: both sides of a ping-pong run the same
program), and the counts are divided by the round trips seen in the window:
the executions of the first instruction of MARKER (a libc call made once
per round trip by the measuring side only, or twice when both sides make
it: DIVISOR).  The output is one line per function, instructions per round
trip, most first: a profile to read beside the code, not a benchmark.
"""
import bisect
import collections
import os
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
import qemu  # noqa: E402

# row: (marker function, calls of it per round trip)
# make bench-trace passes the kernel built without the lock-order validator, as make bench does.
KERNEL = os.environ.get("EMBER_KERNEL", "build/kernel.elf")
ROWS = {
    "null-syscall": ("process_self_id", 1),
    "event-pingpong": ("event_set", 2),
    "pipe-pingpong": ("pipe_write", 2),
    "lpc-roundtrip": ("port_request", 1),
    "spawn-exit-wait": ("process_spawn", 1),    # /bin/true's own instructions show under
}                                               # bench.elf's names: both load at one address
WARM_SECONDS = 3        # after "bench-trace: go": the partner is spawned, the loop runs
WINDOW_SECONDS = 2      # how long the exec log is on


def symbols(elf):
    """Sorted (address, name) of the functions in |elf|."""
    out = subprocess.run(["nm", "-n", elf], capture_output=True, text=True, check=True).stdout
    table = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW":
            table.append((int(parts[0], 16), parts[2]))
    return table


def monitor(path, command):
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(path)
        s.sendall((command + "\n").encode())
        time.sleep(0.2)


def trace(row, workdir):
    """Runs the row and returns the exec log's path."""
    iso, log, sock = (os.path.join(workdir, n) for n in ("trace.iso", "exec.log", "monitor.sock"))
    subprocess.run(["scripts/mkiso.sh", iso, KERNEL, "build/bootfs.tar",
                    f"-- /bin/bench --trace {row}"], check=True)
    for f in (log, sock):
        if os.path.exists(f):
            os.remove(f)
    at = qemu.BASE_FLAGS.index("-monitor")
    flags = qemu.BASE_FLAGS[:at] + qemu.BASE_FLAGS[at + 2:]      # our own monitor instead
    cmd = [qemu.QEMU] + flags + ["-icount", "shift=0,sleep=off", "-D", log,
                                 "-monitor", f"unix:{sock},server,nowait",
                                 "-serial", "stdio", "-cdrom", iso]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    go = threading.Event()

    def reader():
        for raw in proc.stdout:
            if b"bench-trace: go" in raw:
                go.set()
    threading.Thread(target=reader, daemon=True).start()
    try:
        if not go.wait(120):
            sys.exit("bench_trace: the row never started")
        time.sleep(WARM_SECONDS)
        monitor(sock, "singlestep on")
        monitor(sock, "log exec,nochain")
        time.sleep(WINDOW_SECONDS)
        monitor(sock, "log none")
    finally:
        proc.kill()
        proc.wait()
    return log


def profile(log, marker, divisor):
    tables = symbols(KERNEL) + symbols("build/user/bench.elf")
    tables.sort()
    addrs = [a for a, _ in tables]
    start = dict((n, a) for a, n in reversed(tables)).get(marker)
    pcs = collections.Counter()
    with open(log, errors="replace") as f:
        for line in f:
            if line.startswith("Trace "):
                pcs[int(line.split("[", 1)[1].split("/")[1], 16)] += 1
    rounds = pcs.get(start, 0) / divisor
    if not rounds:
        sys.exit(f"bench_trace: no call of {marker} in the window")
    per_fn = collections.Counter()
    for pc, n in pcs.items():
        i = bisect.bisect_right(addrs, pc) - 1
        per_fn[tables[i][1] if i >= 0 else hex(pc)] += n
    total = sum(per_fn.values())
    lines = [f"{rounds:.0f} round trips in the window; {total / rounds:.0f} instructions each"]
    lines += [f"{n / rounds:8.1f}  {name}" for name, n in per_fn.most_common() if n / rounds >= 1]
    return lines


def commit():
    """The commit traced, and whether the tree had changes: the header of a kept profile."""
    head = subprocess.run(["git", "rev-parse", "--short=7", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return head.stdout.strip() + (" with uncommitted changes" if dirty else "")


def main():
    row = sys.argv[1] if len(sys.argv) > 1 else "lpc-roundtrip"
    if row not in ROWS:
        sys.exit(f"bench_trace: ROW is one of {', '.join(ROWS)}")
    workdir = os.path.join("build", "trace")
    os.makedirs(workdir, exist_ok=True)
    log = trace(row, workdir)
    lines = profile(log, *ROWS[row])
    print("\n".join(lines))
    out = os.environ.get("OUT")
    if out:                             # kept for the book: docs/12 quotes it, make test checks
        os.makedirs(out, exist_ok=True)
        path = os.path.join(out, f"trace-{row}.txt")
        with open(path, "w") as f:
            f.write(f"make bench-trace ROW={row} on {commit()}, "
                    f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")
            f.write("\n".join(lines) + "\n")
        print(f"bench-trace: kept in {path}")


if __name__ == "__main__":
    main()
