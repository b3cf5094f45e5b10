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
instructions themselves (clock reads, serial input, disk completions), so a
replay repeats the recorded run instruction for instruction, and GDB's
reverse commands work by reloading a snapshot and replaying up to the
instruction before.  While recording, GDB stops the run once, where GRUB
jumps to the kernel's _start, for a snapshot there ("kernel"): the replay
starts from it, and every reverse command replays from it, never through the
firmware and GRUB again.  What the recording contains is written to
build/replay/recording.json: if the kernel changed since, or the run read
host input, the replay says so before it starts.
"""
import argparse
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
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
START_SNAPSHOT = "init"             # QEMU's, at the first instruction (rrsnapshot)
KERNEL_SNAPSHOT = "kernel"          # ours, at the kernel's first instruction
MULTIBOOT2_BOOT_MAGIC = 0x36d76289  # in eax when GRUB jumps to _start (kernel/arch/x86_64/multiboot.h)
# The APIC's "vapic" (an option ROM that patches TPR accesses, for old Windows guests) is off:
# with it, QEMU 7.2 deadlocked in a reverse-continue, every time once the snapshot was taken
# after the firmware had run: loading the snapshot, its post-load hook waits for the CPU
# thread, which waits for the replay lock the loader holds.  Ember never uses it.
NO_VAPIC = ["-global", "apic-common.vapic=off"]


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


def drives(mode, snapshot=START_SNAPSHOT):
    """The -icount rr options and drives: the ISO behind blkreplay, snapshots in rr.qcow2.
    |snapshot| is where a replay starts (a recording always makes START_SNAPSHOT).  One CPU
    whatever make test's CPUS: QEMU's record/replay refuses -smp with more ("not supported
    for 'smp'")."""
    return ["-smp", "1", "-net", "none"] + NO_VAPIC + qemu.FIXED_RTC + [
            "-icount", f"{ICOUNT},rr={mode},rrfile={DIR}/run.rr,rrsnapshot={snapshot}",
            "-drive", f"file={DIR}/cd.qcow2,if=none,id=img-direct",
            "-drive", "driver=blkreplay,if=none,image=img-direct,id=img-blkreplay",
            "-device", "ide-cd,drive=img-blkreplay",
            "-drive", f"file={DIR}/rr.qcow2,if=none,id=rr"]


def alone_bootfs(test):
    """A boot filesystem holding only TEST's suite program (SUITE.CASE runs it as the first process)."""
    suite = test.split(".", 1)[0]
    stage = f"{DIR}/bootfs/test"
    os.makedirs(stage)
    shutil.copy(f"build/bootfs/test/{suite}", stage)
    path = f"{DIR}/bootfs.tar"
    subprocess.run(["tar", "--format=ustar", "--owner=0", "--group=0", "--sort=name", "-cf", path,
                    "-C", f"{DIR}/bootfs", "."], check=True)
    return path


def snapshot_at_kernel_entry(port, result):
    """Through QEMU's GDB stub on |port|: run the halted recording to GRUB's jump into _start,
    take the snapshot KERNEL_SNAPSHOT there, and let the recording go on.  GDB's output goes into
    |result|.  If anything fails, the recording goes on without it (GDB detaches or QEMU ends)."""
    steps = ["set architecture i386:x86-64", "set pagination off", "set confirm off", "file build/kernel.elf",
             f"target remote 127.0.0.1:{port}",
             f"hbreak *_start if $eax == {MULTIBOOT2_BOOT_MAGIC:#x}", "continue",
             f"monitor savevm {KERNEL_SNAPSHOT}", "delete", "detach"]
    if not listening(port, None):
        result.append("QEMU's GDB stub never listened")
        return
    try:
        g = subprocess.run(["gdb", "-q", "-batch", "-nx"] + [a for s in steps for a in ("-ex", s)],
                           capture_output=True, text=True, timeout=RECORD_BUDGET, stdin=subprocess.DEVNULL)
        result.append(g.stdout + g.stderr)
    except subprocess.TimeoutExpired:
        result.append("gdb timed out")


def snapshot_icount(name):
    """The instruction count at which the recording's snapshot |name| was taken, or None if it has none."""
    out = subprocess.run(["qemu-img", "snapshot", "-l", f"{DIR}/cd.qcow2"], capture_output=True, text=True).stdout
    for line in out.splitlines():             # ID TAG VM-SIZE DATE VM-CLOCK ICOUNT
        words = line.split()
        if words[1:2] == [name] and words[-1].isdigit():
            return int(words[-1])
    return None


def record(test, seed=None, echo=print, alone=False):
    """Records TEST; returns (qemu.Run, path of its serial log).  |alone|: the boot filesystem
    holds only TEST's suite (fewer instructions for GRUB to load; nothing else can run)."""
    if os.path.isdir(DIR):
        shutil.rmtree(DIR)
    os.makedirs(DIR)
    iso = f"{DIR}/run.iso"
    cmdline = cmdline_for(test, seed)
    bootfs = alone_bootfs(test) if alone else "build/bootfs.tar"
    subprocess.run(["scripts/mkiso.sh", iso, "build/kernel.elf", bootfs, cmdline], check=True)
    for args in (["-f", "qcow2", "-b", "run.iso", "-F", "raw", f"{DIR}/cd.qcow2"],
                 ["-f", "qcow2", f"{DIR}/rr.qcow2", "64M"]):
        subprocess.run(["qemu-img", "create", "-q"] + args, check=True)
    echo(f"replay: recording '{cmdline}' into {DIR}/ (no host input: the serial port's input is closed)")
    port = free_port()
    gdb_said = []
    marker = threading.Thread(target=snapshot_at_kernel_entry, args=(port, gdb_said))
    marker.start()
    run = qemu.run(None, RECORD_BUDGET, extra=drives("record") + ["-S", "-gdb", f"tcp:127.0.0.1:{port}"],
                   on_line=echo, log=f"{DIR}/run.log")
    marker.join()
    at = snapshot_icount(KERNEL_SNAPSHOT)
    snapshot = START_SNAPSHOT if at is None else KERNEL_SNAPSHOT
    if at is None:
        echo("replay: no snapshot at the kernel's entry; replays start at the firmware. GDB said:\n"
             + "".join(gdb_said))
    with open(INFO, "w") as f:
        json.dump({"test": test, "seed": seed, "cmdline": cmdline, "host_input": False, "host_time": False,
                   "snapshot": snapshot,
                   "snapshot_icount": at or 0,
                   "kernel": digest("build/kernel.elf"), "recorded": time.strftime("%Y-%m-%d %H:%M:%S")}, f)
    return run, f"{DIR}/run.log"


def check_recording(path=INFO):
    """Says what the replay will repeat, and anything that would make it differ; returns the
    recording's description (|path|, recording.json)."""
    if not os.path.exists(path):
        sys.exit("replay: nothing recorded yet; run 'make replay TEST=SUITE.CASE' first")
    with open(path) as f:
        info = json.load(f)
    print(f"replay: replaying '{info['cmdline']}', recorded {info['recorded']}, instruction for instruction")
    if info.get("snapshot") != KERNEL_SNAPSHOT:
        print("replay: the recording has no snapshot at the kernel's entry: it replays from the firmware on, "
              "and every reverse command does too (slow); record again with 'make replay'")
    if info.get("host_input", True):
        print("replay: the recorded run read host input; the replay feeds it the recorded input, not yours")
    if info.get("host_time", True):
        print("replay: the recorded run read the host's clock; the replay gives it the recorded times, not today's")
    if not info.get("host_input", True) and not info.get("host_time", True):
        print("replay: the recorded run read no host input and no host time (its CMOS clock counts from "
              "2026-01-01 on the virtual clock)")
    if info["kernel"] != digest("build/kernel.elf"):
        print("replay: WARNING: build/kernel.elf changed since the recording; the replay runs the recorded "
              "kernel, so GDB's symbols do not match it. Record again with 'make replay'.")
    return info


def serve(port, serial="file:" + DIR + "/replay.log", quiet=False):
    """Starts the replay halted with a GDB stub on |port|, at the recording's snapshot
    (the kernel's entry); returns the QEMU process.  |quiet|: QEMU's messages go to
    build/replay/qemu.log rather than the terminal."""
    with open(INFO) as f:
        snapshot = json.load(f).get("snapshot", START_SNAPSHOT)
    cmd = [qemu.QEMU] + qemu.BASE_FLAGS + ["-serial", serial] + drives("replay", snapshot) + \
          ["-S", "-gdb", f"tcp:127.0.0.1:{port}"]
    log = open(f"{DIR}/qemu.log", "w") if quiet else None
    q = subprocess.Popen(cmd, stderr=log)
    if log:
        log.close()             # QEMU has its own copy
    if listening(port, q):
        return q
    q.kill()
    sys.exit("replay: QEMU did not start its GDB stub")


def listening(port, q, seconds=60):
    """Whether QEMU's GDB stub on |port| listens within |seconds| (False at once if QEMU |q| ended)."""
    for _ in range(seconds * 10):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return True
        if q is not None and q.poll() is not None:
            return False
        time.sleep(0.1)
    return False


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
        with open(INFO) as f:
            at = json.load(f)["snapshot_icount"]
        if at:
            print(f"replay: the replay starts at the kernel's entry, after {at:,} instructions of firmware and GRUB")
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
