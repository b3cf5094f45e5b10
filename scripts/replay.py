#!/usr/bin/env python3
"""Record one test run with QEMU's record/replay, and replay it under GDB.

  replay.py record TEST [--seed N]   boot TEST (SUITE.CASE: that case's own program as the first
                                     process; SUITE: /bin/testrun SUITE) under -icount with
                                     rr=record, into build/replay/ (make replay TEST=...)
  replay.py gdb                      replay the last recording, halted, and attach GDB with
                                     scripts/gdbinit (make gdb-replay); reverse-step,
                                     reverse-next and reverse-continue work
  replay.py serve PORT               replay it halted, waiting for GDB on PORT

QEMU's record/replay logs everything that does not follow from the
instructions themselves (clock reads, serial input, disk completions) and an
initial snapshot, so a replay repeats the recorded run instruction for
instruction, and GDB's reverse commands work by reloading the snapshot and
replaying up to the instruction before.  What the recording contains is
written to build/replay/recording.json: if the kernel or ISO changed since,
or the run read host input, the replay says so before it starts.
"""
import argparse
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import qemu  # noqa: E402

DIR = "build/replay"
INFO = f"{DIR}/recording.json"
RECORD_BUDGET = 600
# Record/replay needs sleep=on (QEMU 7.2 cannot load the initial snapshot otherwise): it costs
# wall-clock time while the guest idles, never instructions.  shift=4 as make test's clock
# (scripts/qemu.py): the firmware's waits cost five times fewer instructions than at shift=0.
ICOUNT = "shift=4"
SNAPSHOT = "init"


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def cmdline_for(test, seed):
    if "." in test:
        suite, case = test.split(".", 1)
        run = f"-- /test/{suite} {case}"
    else:
        run = f"-- /bin/testrun {test}"
    return (f"seed={seed} " if seed is not None else "") + run


def drives(mode):
    """The -icount rr options and drives: the ISO behind blkreplay, snapshots in rr.qcow2."""
    return ["-net", "none",
            "-icount", f"{ICOUNT},rr={mode},rrfile={DIR}/run.rr,rrsnapshot={SNAPSHOT}",
            "-drive", f"file={DIR}/cd.qcow2,if=none,id=img-direct",
            "-drive", "driver=blkreplay,if=none,image=img-direct,id=img-blkreplay",
            "-device", "ide-cd,drive=img-blkreplay",
            "-drive", f"file={DIR}/rr.qcow2,if=none,id=rr"]


def record(test, seed=None, echo=print):
    """Records TEST; returns (qemu.Run, path of its serial log)."""
    if os.path.isdir(DIR):
        shutil.rmtree(DIR)
    os.makedirs(DIR)
    iso = f"{DIR}/run.iso"
    cmdline = cmdline_for(test, seed)
    subprocess.run(["scripts/mkiso.sh", iso, "build/kernel.elf", "build/bootfs.tar", cmdline], check=True)
    for args in (["-f", "qcow2", "-b", "run.iso", "-F", "raw", f"{DIR}/cd.qcow2"],
                 ["-f", "qcow2", f"{DIR}/rr.qcow2", "64M"]):
        subprocess.run(["qemu-img", "create", "-q"] + args, check=True)
    echo(f"replay: recording '{cmdline}' into {DIR}/ (no host input: the serial port's input is closed)")
    run = qemu.run(None, RECORD_BUDGET, extra=drives("record"), on_line=echo, log=f"{DIR}/run.log")
    with open(INFO, "w") as f:
        json.dump({"test": test, "seed": seed, "cmdline": cmdline, "host_input": False,
                   "kernel": digest("build/kernel.elf"), "recorded": time.strftime("%Y-%m-%d %H:%M:%S")}, f)
    return run, f"{DIR}/run.log"


def check_recording():
    """What the replay will repeat, and anything that would make it differ, in words."""
    if not os.path.exists(INFO):
        sys.exit("replay: nothing recorded yet; run 'make replay TEST=SUITE.CASE' first")
    with open(INFO) as f:
        info = json.load(f)
    print(f"replay: replaying '{info['cmdline']}', recorded {info['recorded']}, instruction for instruction")
    if info.get("host_input"):
        print("replay: the recorded run read host input; the replay feeds it the recorded input, not yours")
    if info["kernel"] != digest("build/kernel.elf"):
        print("replay: WARNING: build/kernel.elf changed since the recording; the replay runs the recorded "
              "kernel, so GDB's symbols do not match it. Record again with 'make replay'.")
    return info


def serve(port, serial="file:" + DIR + "/replay.log"):
    """Starts the replay halted with a GDB stub on |port|; returns the QEMU process."""
    cmd = [qemu.QEMU] + qemu.BASE_FLAGS + ["-serial", serial] + drives("replay") + \
          ["-S", "-gdb", f"tcp:127.0.0.1:{port}"]
    q = subprocess.Popen(cmd)
    for _ in range(100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return q
        time.sleep(0.1)
    q.kill()
    sys.exit("replay: QEMU did not start its GDB stub")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="what", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("test")
    rec.add_argument("--seed", type=int)
    sub.add_parser("gdb")
    srv = sub.add_parser("serve")
    srv.add_argument("port", type=int)
    args = ap.parse_args()
    if args.what == "record":
        run, log = record(args.test, args.seed)
        print(f"replay: recorded; the serial log is in {log}; 'make gdb-replay' replays it under GDB")
    elif args.what == "serve":
        check_recording()
        serve(args.port).wait()
    else:
        check_recording()
        port = free_port()
        q = serve(port)
        try:
            subprocess.run(["gdb", "-q", "-x", "scripts/gdbinit"], env=dict(os.environ, EMBER_GDB_PORT=str(port)))
        finally:
            q.kill()
            q.wait()


if __name__ == "__main__":
    main()
