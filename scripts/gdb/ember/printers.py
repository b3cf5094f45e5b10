"""Pretty-printers for the kernel's main structs.

`print *p` on a struct process, thread, ob, handle_entry, wait_block or
list_node starts with one line in words ("process 3 (sh), running, 2
threads") and then shows the fields as GDB would (`print/r` shows them raw).
"""
import gdb
import gdb.printing

from . import kernel, mem


class Printer:
    def __init__(self, val):
        self.val = val

    def to_string(self):
        try:
            return self.summary()
        except (gdb.error, gdb.MemoryError, mem.Unreadable) as e:
            return f"(unreadable: {e})"

    def children(self):
        t = self.val.type.strip_typedefs()
        for f in t.fields():
            try:
                yield f.name or "", self.val[f]
            except gdb.error:
                pass


class ProcessPrinter(Printer):
    def summary(self):
        p = self.val.address
        return f"process {mem.fnum(p, 'pid')} ({kernel.process_name(p)}), {kernel.process_state(p)}, " \
               f"{mem.fnum(p, 'nthreads', '?')} threads"


class ThreadPrinter(Printer):
    def summary(self):
        t = self.val.address
        return f"{kernel.thread_label(t)}, {kernel.enum_text(t['state'], 'THREAD_')}, " \
               f"priority {mem.fnum(t, 'priority', '?')}"


class ObPrinter(Printer):
    def summary(self):
        o = self.val.address
        return f"{kernel.object_summary(o)}, {mem.fnum(o, 'refs')} refs, {mem.fnum(o, 'handles')} handles"


class HandleEntryPrinter(Printer):
    def summary(self):
        o = self.val["object"]
        if int(o) == 0:
            return "free slot"
        return f"{kernel.object_summary(o)}, rights {kernel.rights_text(int(self.val['rights']))}"


class WaitBlockPrinter(Printer):
    def summary(self):
        return f"{kernel.thread_label(self.val['thread'])} waits on {kernel.object_summary(self.val['object'])}"


class ListNodePrinter(Printer):
    def summary(self):
        notes = []
        if int(self.val["next"]) == 0:
            return "list node (not linked)"
        try:
            n = sum(1 for _ in mem.list_nodes(self.val.address, notes))
        except gdb.error:
            return "list (unreadable)"
        return f"list of {n} node{'s' if n != 1 else ''}" + (f" ({notes[0]})" if notes else "")


def build():
    pp = gdb.printing.RegexpCollectionPrettyPrinter("ember")
    for tag, cls in (("process", ProcessPrinter), ("thread", ThreadPrinter), ("ob", ObPrinter),
                     ("handle_entry", HandleEntryPrinter), ("wait_block", WaitBlockPrinter),
                     ("list_node", ListNodePrinter)):
        pp.add_printer(tag, f"^{tag}$", cls)
    return pp


def register():
    gdb.printing.register_pretty_printer(None, build(), replace=True)
