#!/usr/bin/env python3
"""Adds source lines to Ember's serial log (make run, make test).

The kernel prints its own frames as "0xffffffff80101037 fault_on_purpose+0x17"
(it has a table of its function names) and a ring-3 program's addresses as
{{pc PROGRAM 0xADDRESS}} (the programs in the boot filesystem are stripped).
This filter appends " at FILE:LINE" to the first, from build/kernel.elf, and
replaces the second with "FUNCTION at FILE:LINE", from build/user/PROGRAM.elf
or build/tests/PROGRAM.elf.  An address that no symbol covers stays a bare
address; a line with neither form passes through unchanged.

  scripts/symbolize.py          filter stdin to stdout as it arrives (make run):
                                text goes out at once, a line is held back only
                                while it may still need a symbol
  symbolize.Symbolizer().line(text)    one line (the test harness)
"""
import os
import re
import select
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PC_MARKUP = re.compile(r"\{\{pc (\S+) (0x[0-9a-fA-F]+)\}\}")
KERNEL_FRAME = re.compile(r"(0xffffffff[0-9a-f]{8}) ([A-Za-z_][\w.]*\+0x[0-9a-f]+)(?=\s*$)")
HOLD_SECONDS = 0.2      # how long a partial line that may need a symbol is held (make run)


class Symbolizer:
    def __init__(self, build=os.path.join(ROOT, "build")):
        self.build = build
        self.cache = {}

    def program_elf(self, name):
        for folder in ("user", "tests"):
            path = os.path.join(self.build, folder, f"{name}.elf")
            if os.path.exists(path):
                return path
        return None

    def lookup(self, elf, addr):
        """(function, "file:line" or None) for |addr| in |elf|, or None when no symbol covers it."""
        key = (elf, addr)
        if key not in self.cache:
            self.cache[key] = self.addr2line(elf, addr)
        return self.cache[key]

    @staticmethod
    def addr2line(elf, addr):
        try:
            out = subprocess.run(["addr2line", "-f", "-e", elf, addr], capture_output=True,
                                 text=True, timeout=10).stdout.split("\n")
        except (OSError, subprocess.SubprocessError):
            return None
        if len(out) < 2 or out[0] in ("", "??"):
            return None
        where = out[1].split(" (discriminator")[0].strip()
        if where.startswith("??"):
            return out[0], None
        path, _, line = where.rpartition(":")
        if os.path.isabs(path) and path.startswith(ROOT + os.sep):
            path = os.path.relpath(path, ROOT)
        return out[0], f"{path}:{line}"

    def user_pc(self, m):
        elf = self.program_elf(m.group(1))
        found = self.lookup(elf, m.group(2)) if elf else None
        if not found:
            return m.group(2)                       # outside any symbol: the raw address
        func, where = found
        return f"{func} at {where}" if where else f"{func} ({m.group(2)})"

    def kernel_frame(self, m):
        found = self.lookup(os.path.join(self.build, "kernel.elf"), m.group(1))
        if not found or not found[1]:
            return m.group(0)
        return f"{m.group(0)} at {found[1]}"

    def line(self, text):
        if "{{pc " in text:
            text = PC_MARKUP.sub(self.user_pc, text)
        if "0xffffffff" in text:
            text = KERNEL_FRAME.sub(self.kernel_frame, text)
        return text


def may_need_symbol(partial):
    """Whether a line still being received could turn into one we rewrite."""
    return "{{" in partial or partial.endswith("{") or bool(re.search(r"0xffffffff[0-9a-f]*\s*\S*$", partial))


def stream(inp, out):
    """Copies |inp| to |out| byte-wise as it comes, symbolizing whole lines."""
    sym = Symbolizer()
    held = b""                      # the current line's bytes not yet written
    while True:
        ready, _, _ = select.select([inp], [], [], HOLD_SECONDS if held else None)
        if not ready:               # nothing more for a while: let the partial line out
            out.write(held)
            out.flush()
            held = b""
            continue
        chunk = os.read(inp, 4096)
        if not chunk:
            break
        data = held + chunk
        *lines, held = data.split(b"\n")
        for raw in lines:
            text = raw.decode("utf-8", "replace")
            out.write(sym.line(text).encode("utf-8") + b"\n" if "{{" in text or "0xffffffff" in text else raw + b"\n")
        if not may_need_symbol(held.decode("utf-8", "replace")):
            out.write(held)
            held = b""
        out.flush()
    out.write(held)
    out.flush()


if __name__ == "__main__":
    try:
        stream(sys.stdin.fileno(), sys.stdout.buffer)
    except KeyboardInterrupt:
        pass
