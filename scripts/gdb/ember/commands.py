"""The `ember` commands: a stopped Ember in words.

  ember ps               processes: state, threads, priority ceiling, what they wait on
  ember threads          threads: state, priority, what each waits on (* = running)
  ember handles PID      a process's handle table: value, type, id, name, rights
  ember object X         an object by address, id or handle value: header and state
  ember waits            who waits on what
  ember ports            every port reachable from a handle, with its queued messages
  ember vm PID           a process's mapped user memory, from its page tables
  ember log              the kernel log (the ring kprintf also writes to)
  ember cpus             every CPU: its thread and where it is (cpus.py)

Each reads memory only (no guest code runs), so they work at any stop, in
an interrupt or a panic.  A command prints what it could read and then a
line for each thing it could not; it never ends in a Python traceback.
"""
import gdb

from . import kernel, mem, objects

PAGE = 4096
DIRECT_MAP_BASE = 0xffff800000000000
PTE_P, PTE_W, PTE_U, PTE_PS, PTE_NX = 1, 2, 4, 0x80, 1 << 63
PTE_ADDR = 0x000ffffffffff000


def say(text):
    gdb.write(text + "\n")


def finish_notes(notes):
    for n in dict.fromkeys(notes):          # once each, in order
        say(f"(could not read: {n})")


class EmberCommand(gdb.Command):
    """A subcommand of `ember`: |run| prints, |notes| collects what could not be read."""

    def invoke(self, arg, from_tty):
        notes = []
        try:
            self.run(arg.strip(), notes)
        except mem.Unreadable as e:
            notes.append(str(e))
        except gdb.MemoryError as e:
            notes.append(f"{e} (is paging on yet? the kernel's data is mapped from kernel_main on)")
        except (gdb.error, ValueError, KeyError, TypeError, AttributeError, IndexError) as e:
            notes.append(f"{type(e).__name__}: {e}")
        finish_notes(notes)


class Ember(gdb.Command):
    """Ember's kernel objects on a stopped VM: ember ps|threads|handles PID|object X|waits|ports|vm PID|log|cpus."""

    def __init__(self):
        super().__init__("ember", gdb.COMMAND_DATA, prefix=True)

    def invoke(self, arg, from_tty):
        say(self.__doc__)


# ---- what a thread waits on ---------------------------------------------------

def port_callers(notes):
    """{thread address: port summary} for threads waiting for a reply to a request."""
    found = {}
    for o, _ in kernel.reachable_objects(notes).values():
        full = kernel.full_object(o)
        calls = mem.field(full, "calls") if full is not None else None
        if calls is None:
            continue
        for node in mem.list_nodes(calls, notes):
            c = mem.container_of(node, "struct port_call", "node")
            found[int(c["thread"])] = kernel.object_summary(o)
    return found


def waits_on(t, callers, notes):
    """What a blocked thread waits for, in words; None if it is not blocked."""
    if kernel.enum_text(t["state"], "THREAD_") != "blocked":
        return None
    w = mem.field(t, "wait")
    parts = []
    if w is not None and mem.kernel_pointer(w):
        n = mem.fnum(w, "count", 0)
        mode = "all of" if mem.fnum(w, "mode", 0) else ("any of" if n > 1 else "")
        objs = [kernel.object_summary(w["blocks"][i]["object"]) for i in range(min(n, 64))]
        parts.append(f"waits on {mode + ' ' if mode else ''}{', '.join(objs)}")
    elif int(t) in callers:
        parts.append(f"waits for the reply to its request on {callers[int(t)]}")
    else:
        parts.append("blocked in the kernel (a sleep or a kernel wait queue)")
    deadline = mem.fnum(t, "deadline", 0)
    parts.append(f"until tick {deadline}" if deadline else "with no timeout")
    return " ".join(parts)


class Ps(EmberCommand):
    """Processes: pid, parent, name, state, threads, handles, priority ceiling."""

    def __init__(self):
        super().__init__("ember ps", gdb.COMMAND_DATA)

    def run(self, arg, notes):
        callers = port_callers(notes)
        say(f"{'PID':>5} {'PPID':>5} {'NAME':<16} {'STATE':<12} {'THREADS':>7} {'HANDLES':>7} {'CEILING':>7}")
        for p in kernel.processes(notes):
            handles = mem.fnum(p["handles"], "count", "?")
            say(f"{mem.fnum(p, 'pid'):>5} {mem.fnum(p, 'parent_pid', 0):>5} {kernel.process_name(p):<16} "
                f"{kernel.process_state(p):<12} {mem.fnum(p, 'nthreads', '?'):>7} {handles:>7} "
                f"{mem.fnum(p, 'priority_ceiling', '-'):>7}")
            for t in kernel.threads_of(p, notes):
                w = waits_on(t, callers, notes)
                if w:
                    say(f"{'':>12} thread {mem.fnum(t, 'tid')} {w}")


class Threads(EmberCommand):
    """Threads: tid, process, state, priority and what each waits on; * marks the running one."""

    def __init__(self):
        super().__init__("ember threads", gdb.COMMAND_DATA)

    def run(self, arg, notes):
        running = kernel.current_thread()
        running = int(running) if running is not None else 0
        callers = port_callers(notes)
        say(f"  {'TID':>5} {'PROCESS':<18} {'STATE':<8} {'PRIO':>4}  WAITS ON")
        for t in kernel.all_threads(notes):
            p = t["process"]
            owner = f"{mem.fnum(p, 'pid')} {kernel.process_name(p)}" if mem.kernel_pointer(p) else "(idle)"
            w = waits_on(t, callers, notes) or ""
            mark = "*" if int(t) == running else " "
            say(f"{mark} {mem.fnum(t, 'tid'):>5} {owner:<18} {kernel.enum_text(t['state'], 'THREAD_'):<8} "
                f"{mem.fnum(t, 'priority', '?'):>4}  {w}")


def process_arg(arg, notes):
    try:
        pid = int(gdb.parse_and_eval(arg)) if arg else None
    except gdb.error:
        raise mem.Unreadable(f"'{arg}' is not a pid")
    if pid is None:
        t = kernel.current_thread()
        if t is None or not mem.kernel_pointer(t["process"]):
            raise mem.Unreadable("give a pid: no process is running here")
        return t["process"]
    p = kernel.find_process(pid, notes)
    if p is None:
        raise mem.Unreadable(f"no process has pid {pid}")
    return p


class Handles(EmberCommand):
    """The handle table of process PID (default: the running one): value, type, id, name, rights."""

    def __init__(self):
        super().__init__("ember handles", gdb.COMMAND_DATA)

    def run(self, arg, notes):
        p = process_arg(arg, notes)
        say(f"handles of pid {mem.fnum(p, 'pid')} ({kernel.process_name(p)}):")
        say(f"  {'HANDLE':<14} {'TYPE':<11} {'ID':>5}  {'RIGHTS':<40} NAME")
        for value, o, rights in kernel.handles(p, notes):
            try:
                tname, _ = kernel.type_of(o)
                oid, name = mem.fnum(o, "id"), kernel.object_name(o)
            except (mem.Unreadable, gdb.error) as e:
                tname, oid, name = "?", "?", f"(object at {int(o):#x}: {e})"
            say(f"  {value:#014x} {tname:<11} {oid:>5}  {kernel.rights_text(rights):<40} {name}")


def find_object(arg, notes):
    """An object by address, handle value or id."""
    v = int(gdb.parse_and_eval(arg))
    if v >= mem.KERNEL_HALF:
        return mem.pointer(v, "struct ob")
    pid, _ = kernel.decode_handle(v)
    if pid:
        p = kernel.find_process(pid, notes)
        if p is None:
            raise mem.Unreadable(f"{v:#x} looks like a handle of pid {pid}, which does not exist")
        for value, o, rights in kernel.handles(p, notes):
            if value == v:
                say(f"handle {v:#x} of pid {pid}, rights {kernel.rights_text(rights)}:")
                return o
        raise mem.Unreadable(f"pid {pid} has no open handle {v:#x}")
    for o, _ in kernel.reachable_objects(notes).values():
        if mem.fnum(o, "id") == v:
            return o
    for t in kernel.all_threads(notes):         # threads and processes without a handle to them
        if not mem.kernel_pointer(t["process"]):
            continue                            # the idle thread: no object
        for cand in (kernel.thread_object(t), t["process"]):
            if mem.fnum(cand["ob"], "id") == v:
                return cand["ob"].address
    raise mem.Unreadable(f"no object with id {v} is reachable from a handle table, process or thread")


class Object(EmberCommand):
    """An object by address (0xffff...), handle value (0x1000100000) or id: type, tag, counts, name, state, waiters."""

    def __init__(self):
        super().__init__("ember object", gdb.COMMAND_DATA)

    def run(self, arg, notes):
        if not arg:
            raise mem.Unreadable("usage: ember object ADDRESS|HANDLE|ID")
        for line in objects.describe(find_object(arg, notes), notes):
            say(line)


class Waits(EmberCommand):
    """Who waits on what: every blocked thread and the objects with waiters."""

    def __init__(self):
        super().__init__("ember waits", gdb.COMMAND_DATA)

    def run(self, arg, notes):
        callers = port_callers(notes)
        blocked = 0
        for t in kernel.all_threads(notes):
            w = waits_on(t, callers, notes)
            if w:
                blocked += 1
                say(f"{kernel.thread_label(t)} {w}")
        if not blocked:
            say("no thread is blocked")


class Ports(EmberCommand):
    """Every port a handle reaches: kind, peer, queued messages, callers waiting."""

    def __init__(self):
        super().__init__("ember ports", gdb.COMMAND_DATA)

    def run(self, arg, notes):
        count = 0
        for o, holder in kernel.reachable_objects(notes).values():
            try:
                if kernel.type_of(o)[0] != "port":
                    continue
            except mem.Unreadable as e:
                notes.append(str(e))
                continue
            count += 1
            for line in objects.describe(o, notes):
                say(line)
        if not count:
            say("no port is reachable from a handle table")


def page_table(phys):
    try:
        raw = bytes(gdb.selected_inferior().read_memory(DIRECT_MAP_BASE + phys, PAGE))
    except gdb.MemoryError:
        raise mem.Unreadable(f"the page table at physical {phys:#x} (through the direct map)")
    return [int.from_bytes(raw[i:i + 8], "little") for i in range(0, PAGE, 8)]


def user_pages(root, notes):
    """(virtual address, size, pte) for each present user page, in order (the lower half only)."""
    levels = [(39, 256)]
    def walk(phys, shift, base, limit):
        try:
            table = page_table(phys)
        except mem.Unreadable as e:
            notes.append(str(e))
            return
        for i in range(limit):
            e = table[i]
            if not e & PTE_P:
                continue
            va = base | (i << shift)
            if shift == 12 or e & PTE_PS:
                yield va, 1 << shift, e
            else:
                yield from walk(e & PTE_ADDR, shift - 9, va, 512)
    yield from walk(root, 39, 0, 256)


def flags_text(e):
    return "r" + ("w" if e & PTE_W else "-") + ("-" if e & PTE_NX else "x") + ("" if e & PTE_U else " kernel-only")


class Vm(EmberCommand):
    """The user memory of process PID (default: the running one): mapped ranges from its page tables."""

    def __init__(self):
        super().__init__("ember vm", gdb.COMMAND_DATA)

    def run(self, arg, notes):
        p = process_arg(arg, notes)
        vm = p["vm"]
        if not mem.kernel_pointer(vm):
            raise mem.Unreadable(f"pid {mem.fnum(p, 'pid')} has no address space (torn down)")
        root = mem.fnum(vm, "root")
        say(f"address space of pid {mem.fnum(p, 'pid')} ({kernel.process_name(p)}), page tables at {root:#x}:")
        shared = []
        head = mem.field(vm, "shared")
        if head is not None:
            for node in mem.list_nodes(head, notes):
                s = mem.container_of(node, "struct vm_shared", "node")
                shared.append((mem.fnum(s, "addr"), mem.fnum(s, "len")))
        start = end = flags = None
        ranges = []
        for va, size, e in user_pages(root, notes):
            f = flags_text(e)
            if start is not None and va == end and f == flags:
                end += size
                continue
            if start is not None:
                ranges.append((start, end, flags))
            start, end, flags = va, va + size, f
        if start is not None:
            ranges.append((start, end, flags))
        for s, e, f in ranges:
            what = ", shared (a section)" if any(a <= s < a + n for a, n in shared) else ""
            say(f"  {s:#014x}-{e:#014x} {f:<4} {(e - s) // PAGE:>6} pages{what}")
        if not ranges:
            say("  nothing mapped")


class Log(EmberCommand):
    """The kernel log: what kprintf printed, from the ring it also keeps (kernel/drv/log.c)."""

    def __init__(self):
        super().__init__("ember log", gdb.COMMAND_DATA)

    def run(self, arg, notes):
        ring = mem.symbol_value("klog")
        buf = ring["buf"]
        size = buf.type.sizeof
        written = mem.fnum(ring, "written")
        start = int(buf.address)
        try:
            raw = bytes(gdb.selected_inferior().read_memory(start, size))
        except gdb.MemoryError as e:
            raise mem.Unreadable(f"the log ring: {e}")
        if written > size:
            cut = written % size
            raw = raw[cut:] + raw[:cut]
            say(f"(the first {written - size} bytes are gone from the ring)")
        else:
            raw = raw[:written]
        gdb.write(raw.decode("utf-8", "replace"))


def register():
    Ember()
    for cls in (Ps, Threads, Handles, Object, Waits, Ports, Vm, Log):
        cls()
