"""The repeat and replay layers of make test (scripts/test.py).

  repeat   a suite booted twice with the run's seed gives byte-identical serial logs
  replay   a failing case is recorded with QEMU's record/replay (scripts/replay.py);
           under GDB, reverse-continue from its failed ASSERT reaches the bad write
"""
import contextlib
import io
import json
import re
import subprocess
import time

import harness
import qemu
import replay
from harness import USER_BUDGET, describe, log_path, make_iso, source_line
from test_gdb import section

REPEAT_SUITE = "sched"          # preemption and timing: where a changed interleaving would show
REPLAY_CASE = "selftest_replay.reserve_never_changes"
REPLAY_BUDGET = 300             # for the whole GDB session; it takes seconds (from the kernel's entry)


def layer_repeat(r):
    print(f"repeat: '{REPEAT_SUITE}' twice with seed {harness.SEED}: the serial logs are byte-identical")
    logs = []
    for n in (1, 2):
        run = qemu.run(make_iso("repeat", f"-- /bin/testrun {REPEAT_SUITE}"), USER_BUDGET,
                       log=log_path(f"repeat-{n}"))
        logs.append(run)
    a, b = logs
    r.check("repeat.seed-reaches-kernel", a.has(f"seed: {harness.SEED}"),
            f"expected the kernel to print the run's seed, 'seed: {harness.SEED}'; {describe(a)}")
    make = subprocess.run(["make", "-n", "test", f"TEST={REPEAT_SUITE}", "SEED=12345"], capture_output=True, text=True)
    r.check("repeat.make-test-seed", f"scripts/test.py --only {REPEAT_SUITE} --seed 12345" in make.stdout,
            f"expected 'make test TEST={REPEAT_SUITE} SEED=12345' to run scripts/test.py with both; make -n printed:\n"
            + make.stdout[-600:] + make.stderr[-300:])
    diff = next((i for i, (x, y) in enumerate(zip(a.lines, b.lines)) if x != y), None)
    if diff is None and len(a.lines) != len(b.lines):
        diff = min(len(a.lines), len(b.lines))
    r.check("repeat.identical-logs", diff is None and any(l.startswith("DONE ") for l in a.lines),
            f"expected two identical logs ending in DONE; they differ at line {diff}: "
            f"{a.lines[diff] if diff is not None and diff < len(a.lines) else '(end)'!r} vs "
            f"{b.lines[diff] if diff is not None and diff < len(b.lines) else '(end)'!r} "
            f"({log_path('repeat-1')}, {log_path('repeat-2')})",
            f"{len(a.lines)} lines")


def layer_replay(r):
    print(f"replay: record {REPLAY_CASE} alone, then reverse-continue from its failed ASSERT to the bad write")
    began = time.monotonic()
    run, log = replay.record(REPLAY_CASE, harness.SEED, echo=lambda line: None, alone=True)
    recorded = time.monotonic() - began
    r.check("replay.recorded-the-failure", run.has("FAIL reserve_never_changes") and run.exit_code == qemu.EXIT_FAILURE,
            f"expected the recording to end in the case's FAIL; {describe(run)}")
    with open(replay.INFO) as f:
        info = json.load(f)
    r.check("replay.snapshot-at-kernel-entry", info["snapshot"] == replay.KERNEL_SNAPSHOT,
            f"expected a snapshot at _start, where the replay and every reverse command begin; got "
            f"'{info['snapshot']}' (the replay would run the firmware and GRUB again for each reverse command)",
            f"after {info['snapshot_icount']:,} instructions of firmware and GRUB")
    says_what_it_cannot_repeat(r)
    began = time.monotonic()
    out = replay_session("tests/gdb/replay.gdb")
    with open(log_path("replay-gdb"), "w") as f:
        f.write(out)
    replayed = time.monotonic() - began
    why = "gdb output was:\n" + "\n".join("    | " + l for l in out.splitlines()[-20:])
    src = "tests/user/selftest_replay.c"
    failed = source_line(src, "replay: the failed assertion")
    bad = source_line(src, "replay: the bad write")
    r.check("replay.stops-at-failed-assert",
            re.search(rf'test_check_eq \(file=0x[0-9a-f]+ "{src}", line={failed}, expr=0x[0-9a-f]+ "reserve", '
                      r"actual=1000, expected=1234", section(out, "failed-assertion")),
            f"expected to stop in the failed check at {src}:{failed}; " + why)
    r.check("replay.reverse-continue-reaches-bad-write",
            re.search(rf"audit \(round=round@entry=25\) at {src}:({bad}|{bad + 1})\n", section(out, "bad-write"))
            and re.search(r"\$\d+ = 1000\n", section(out, "bad-write")),
            f"expected reverse-continue to stop in audit's round 25 just after the write of {src}:{bad}, "
            f"reserve 1000; " + why)
    r.check("replay.reverse-stepi-undoes-the-write",
            re.search(rf"audit \(round=round@entry=25\) at {src}:{bad}\n", section(out, "before-write"))
            and re.search(r"\$\d+ = 1234\n", section(out, "before-write")),
            f"expected one reverse-stepi to land on the write at {src}:{bad}, reserve still 1234; " + why)
    call = source_line(src, "audit(round);")
    r.check("replay.reverse-step-to-the-call",
            re.search(rf"test_run_reserve_never_changes \(\) at {src}:{call}\n", section(out, "reverse-step"))
            and re.search(r"\$\d+ = 25\n", section(out, "reverse-step")),
            f"expected two reverse-steps to leave audit backwards, to its call at {src}:{call} in round 25; " + why,
            f"recorded in {recorded:.1f} s, replayed and run backwards in {replayed:.1f} s")


def says_what_it_cannot_repeat(r):
    """What make gdb-replay says before it starts: of this recording (no host input or time, this
    kernel), then of a doctored copy that read both, ran another kernel and has no kernel snapshot."""
    def said(path):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            replay.check_recording(path)
        return out.getvalue()
    clean = said(replay.INFO)
    with open(replay.INFO) as f:
        info = json.load(f)
    info.update(host_input=True, host_time=True, kernel="0" * 64, snapshot=replay.START_SNAPSHOT)
    doctored = f"{replay.DIR}/doctored.json"
    with open(doctored, "w") as f:
        json.dump(info, f)
    warned = said(doctored)
    r.check("replay.says-what-it-cannot-repeat",
            "read no host input and no host time" in clean and "WARNING" not in clean
            and all(s in warned for s in ("read host input", "read the host's clock", "kernel.elf changed",
                                          "no snapshot at the kernel's entry")),
            f"expected this recording announced as free of host input and time, and each of the doctored "
            f"one's problems named; said:\n{clean}and:\n{warned}")


def replay_session(script):
    """Replays the recording halted and runs the GDB |script| against it; returns GDB's output."""
    port = replay.free_port()
    q = replay.serve(port, quiet=True)
    try:
        text = open(script).read().replace("@PORT@", str(port))
        with open("build/replay.gdb", "w") as f:
            f.write(text)
        g = subprocess.run(["gdb", "-q", "-batch", "-nx", "-x", "build/replay.gdb"], capture_output=True,
                           text=True, timeout=REPLAY_BUDGET, stdin=subprocess.DEVNULL)
        return g.stdout + g.stderr
    except subprocess.TimeoutExpired as e:
        said = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        return f"(gdb timed out after {REPLAY_BUDGET} s)\n{said}"
    finally:
        q.kill()
        q.wait()
