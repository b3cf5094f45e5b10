"""The Linux column of `make bench`: Debian's kernel, booted live in the same QEMU.

scripts/bench_deps.sh linux puts Debian's linux-image-amd64 kernel in
build/linux/vmlinuz.  Here we build the initramfs (scripts/linux/: the static
bench program as /init, and /true sized like Ember's /bin/true), boot it with
Ember's QEMU flags and -icount shift=0, and collect its `bench: NAME N` lines.

run() returns a LinuxRun: .results (name -> instructions), .release, and
.missing, the reason when there are no numbers (never a number from elsewhere).
"""
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "linux"))
import initramfs  # noqa: E402
import qemu  # noqa: E402

DIR = "build/linux"
SRC = "scripts/linux"
EMBER_TRUE = "build/bootfs/bin/true"
BUDGET = 900        # seconds: Linux boots in about 15 under TCG, the bench in a few more
PT_LOAD, PF_X, PF_W = 1, 1, 2


class LinuxRun:
    def __init__(self, missing=None):
        self.results = {}
        self.release = None
        self.package = None
        self.meltdown = None
        self.missing = missing


def segment_bytes(path):
    """File bytes of an ELF's code, read-only and writable PT_LOAD segments."""
    with open(path, "rb") as f:
        elf = f.read()
    phoff, = struct.unpack_from("<Q", elf, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", elf, 0x36)
    sizes = {"CODE_BYTES": 0, "RODATA_BYTES": 0, "DATA_BYTES": 0}
    for i in range(phnum):
        kind, flags, _, _, _, _, filesz = struct.unpack_from("<IIQQQQQ", elf, phoff + i * phentsize)
        if kind == PT_LOAD:
            key = "CODE_BYTES" if flags & PF_X else "DATA_BYTES" if flags & PF_W else "RODATA_BYTES"
            sizes[key] += filesz
    return sizes


def build_initramfs():
    """Compiles the two programs (host gcc, static) and writes build/linux/initrd.cpio."""
    init, true = f"{DIR}/init", f"{DIR}/true"
    subprocess.run(["gcc", "-static", "-O2", "-Wall", "-Wextra", "-Werror", "-o", init,
                    f"{SRC}/bench_linux.c"], check=True)
    sizes = [f"-D{k}={max(v, 1)}" for k, v in segment_bytes(EMBER_TRUE).items()]
    subprocess.run(["gcc", "-static", "-nostdlib", "-O2", "-Wall", "-Werror", *sizes, "-o", true,
                    f"{SRC}/true_linux.c"], check=True)
    initramfs.write(f"{DIR}/initrd.cpio", {"init": init, "true": true})
    return f"{DIR}/initrd.cpio"


def run():
    if not os.path.exists(f"{DIR}/vmlinuz"):
        why = "not fetched (scripts/bench_deps.sh linux)"
        if os.path.exists(f"{DIR}/unavailable"):
            why = open(f"{DIR}/unavailable").read().strip()
        return LinuxRun(missing=f"no Linux kernel image: {why}")
    out = LinuxRun()
    with open(f"{DIR}/package") as f:
        out.package = f.read().strip()
    boot = ["-kernel", f"{DIR}/vmlinuz", "-initrd", build_initramfs(),
            "-append", "console=ttyS0 quiet panic=-1", "-icount", "shift=0,sleep=off"]
    run = qemu.run(None, BUDGET, until=lambda line: line.startswith("linux: done"), extra=boot)
    for line in run.lines:
        parts = line.split()
        if len(parts) == 3 and parts[0] == "bench:":
            out.results[parts[1]] = int(parts[2])
        elif line.startswith("linux: release "):
            out.release = parts[2]
        elif line.startswith("linux: meltdown "):
            out.meltdown = line[len("linux: meltdown "):]
    if not out.results:
        out.missing = "Linux booted but printed no results; last lines:\n" + run.tail()
    return out
