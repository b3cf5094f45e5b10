"""The repeat and replay layers of make test (scripts/test.py).

  repeat   a suite booted twice with the run's seed gives byte-identical serial logs
  replay   a failing case is recorded with QEMU's record/replay (scripts/replay.py);
           under GDB, reverse-continue from its failed ASSERT reaches the bad write
"""
import re
import subprocess

import harness
import qemu
import replay
from harness import USER_BUDGET, describe, log_path, make_iso, source_line
from test_gdb import section

REPEAT_SUITE = "sched"          # preemption and timing: where a changed interleaving would show
REPLAY_CASE = "selftest_replay.reserve_never_changes"
REPLAY_BUDGET = 600             # the forward replay plus two more for reverse-continue


def layer_repeat(r):
    print(f"repeat: '{REPEAT_SUITE}' twice with seed {harness.SEED}: the serial logs are byte-identical")
    logs = []
    for n in (1, 2):
        run = qemu.run(make_iso("repeat", f"-- /bin/testrun {REPEAT_SUITE}"), USER_BUDGET,
                       log=log_path(f"repeat-{n}"))
        logs.append(run)
    a, b = logs
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
    print(f"replay: record {REPLAY_CASE}, then reverse-continue from its failed ASSERT to the bad write")
    run, log = replay.record(REPLAY_CASE, harness.SEED, echo=lambda line: None)
    r.check("replay.recorded-the-failure", run.has("FAIL reserve_never_changes") and run.exit_code == qemu.EXIT_FAILURE,
            f"expected the recording to end in the case's FAIL; {describe(run)}")
    port = replay.free_port()
    q = replay.serve(port)
    try:
        text = open("tests/gdb/replay.gdb").read().replace("@PORT@", str(port))
        with open("build/replay.gdb", "w") as f:
            f.write(text)
        g = subprocess.run(["gdb", "-q", "-batch", "-nx", "-x", "build/replay.gdb"], capture_output=True,
                           text=True, timeout=REPLAY_BUDGET)
        out = g.stdout + g.stderr
    except subprocess.TimeoutExpired as e:
        out = f"(gdb timed out)\n{e.stdout or ''}"
    finally:
        q.kill()
        q.wait()
    with open(log_path("replay-gdb"), "w") as f:
        f.write(out)
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
            and re.search(r"\$\d+ = 1000", section(out, "bad-write")),
            f"expected reverse-continue to stop in audit's round 25 at the write of {src}:{bad} "
            f"(or the line after it), reserve 1000; " + why)
