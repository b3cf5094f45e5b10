"""Backtraces across the system-call boundary, and the running program's symbols.

The kernel is entered from ring 3 through syscall_entry (SYSCALL) or the
trap stubs (an interrupt or fault); both build a struct trap_frame on the
thread's kernel stack and call C with a pointer to it.  These stubs have no
unwind information, so GDB's backtrace would end there (or wander into
garbage).  TrapFrameUnwinder recognizes a frame whose pc is the return
address of that call and unwinds it from the trap frame: the caller is the
interrupted program (or kernel code), at the saved rip, rsp and rbp.  A
syscall frame does not save rbp (syscall_entry.S): there rbp is still the
program's, since C code preserves it.

ProgramSymbols loads the symbols of the running process's program
(build/user/NAME.elf, or build/tests/NAME.elf for a test suite) at every stop,
replacing the previous program's: every program is linked at 0x400000, so
only one can be loaded at a time.
"""
import os

import gdb
from gdb.unwinder import Unwinder

from . import kernel, mem

GATES = ("syscall_entry", "trap_common")    # the stubs that call C with a trap frame


def symbol_at(pc):
    """The name of the ELF symbol containing |pc| ("syscall_entry"), or None."""
    try:
        out = gdb.execute(f"info symbol {pc}", to_string=True)
    except gdb.error:
        return None
    return out.split()[0] if " in section " in out else None


class FrameId:
    """What GDB wants to tell frames apart: gdb.Values sp and pc."""

    def __init__(self, sp, pc):
        self.sp, self.pc = sp, pc


class TrapFrameUnwinder(Unwinder):
    def __init__(self):
        super().__init__("ember trap frames")
        self.offsets = None

    def offset(self, name):
        if self.offsets is None:
            t = mem.lookup_type("struct trap_frame")
            self.offsets = {f.name: f.bitpos // 8 for f in t.fields()} if t else {}
        return self.offsets.get(name)

    def __call__(self, pending):
        try:
            pc = int(pending.read_register("rip"))
            if pc < mem.KERNEL_HALF or symbol_at(pc) not in GATES:
                return None
            frame = int(pending.read_register("rsp"))   # the call's argument: the frame is at rsp
            syscall = symbol_at(pc) == "syscall_entry"
            regs = {}
            for name in ("rip", "rsp", "rbp", "rbx", "r12", "r13", "r14", "r15"):
                off = self.offset(name)
                if off is None:
                    return None
                current = pending.read_register(name)
                if syscall and name not in ("rip", "rsp"):
                    regs[name] = current                        # C preserved them: still the program's
                else:
                    regs[name] = gdb.Value(mem.read_u64(frame + off)).cast(current.type)
            info = pending.create_unwind_info(FrameId(pending.read_register("rsp"), pending.read_register("rip")))
            for name, value in regs.items():
                info.add_saved_register(name, value)
            return info
        except (gdb.error, gdb.MemoryError, mem.Unreadable):
            return None


class ProgramSymbols:
    """Keeps the running process's program symbols loaded."""

    def __init__(self, root):
        self.root = root
        self.loaded = None          # path of the program ELF whose symbols are in

    def elf_for(self, name):
        for folder in ("user", "tests"):
            path = os.path.join(self.root, "build", folder, f"{name}.elf")
            if os.path.exists(path):
                return path
        return None

    def on_stop(self, event=None):
        try:
            t = kernel.current_thread()
            if t is None or not mem.kernel_pointer(t["process"]):
                return
            path = self.elf_for(kernel.process_name(t["process"]))
            if path and path != self.loaded:
                self.load(path)
        except (gdb.error, gdb.MemoryError, mem.Unreadable):
            pass

    def load(self, path):
        """Drops every other program's symbols and adds |path|'s (unless user-symbols did)."""
        programs = [os.path.join(self.root, "build", d) + os.sep for d in ("user", "tests")]
        present = False
        for objfile in gdb.objfiles():
            name = os.path.abspath(objfile.filename or "")
            if name == path:
                present = True
            elif any(name.startswith(d) for d in programs):
                gdb.execute(f"remove-symbol-file {objfile.filename}", to_string=True)
        if not present:
            gdb.execute(f"add-symbol-file {path}", to_string=True)
            gdb.write(f"[ember: loaded the symbols of {os.path.relpath(path, self.root)}, the running program]\n")
        self.loaded = path


def register(root):
    gdb.unwinder.register_unwinder(None, TrapFrameUnwinder(), replace=True)
    symbols = ProgramSymbols(root)
    gdb.events.stop.connect(symbols.on_stop)
    return symbols
