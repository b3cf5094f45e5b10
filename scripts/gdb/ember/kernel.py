"""Ember's kernel as GDB sees it: processes, threads, handles, objects.

Each function reads memory only and reports what it could not read in the
|notes| list it is given (or by raising mem.Unreadable), so the commands in
commands.py can print what they have.  Constants that live in macros (rights,
process states, the handle-value layout) are read from the sources next to
this script, so a right or state added there shows up here by name.
"""
import os
import re

import gdb

from . import mem

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def macros(path, prefix):
    """{value: NAME} for the "#define PREFIXNAME value" lines of the source |path|."""
    found = {}
    try:
        with open(os.path.join(ROOT, path)) as f:
            for line in f:
                m = re.match(r"#define\s+" + prefix + r"(\w+)\s+\(?(0x[0-9a-fA-F]+|\d+)(?:u|ull)?\s*(?:<<\s*(\d+))?\)?", line)
                if m:
                    v = int(m.group(2), 0) << int(m.group(3) or 0)
                    found.setdefault(v, m.group(1))
    except OSError:
        pass
    return found


RIGHTS = {v: n for v, n in macros("kernel/abi/rights.h", "RIGHT_").items() if v and not v & (v - 1)}
PROCESS_STATES = macros("kernel/abi/types.h", "PROCESS_")
HANDLE_BITS = macros("kernel/ob/handle.c", "")


def handle_layout():
    bits = {n: v for v, n in HANDLE_BITS.items()}
    return bits.get("SLOT_BITS", 16), bits.get("GEN_BITS", 16), bits.get("PID_BITS", 31)


def rights_text(r):
    names = [RIGHTS[b].lower() for b in sorted(RIGHTS) if r & b]
    rest = r & ~sum(RIGHTS)
    if rest:
        names.append(f"{rest:#x}")
    return "|".join(names) if names else "none"


# ---- processes and threads ---------------------------------------------------

def processes(notes):
    head = mem.symbol_value("all_processes")
    for node in mem.list_nodes(head, notes):
        yield mem.container_of(node, "struct process", "all_node")


def find_process(pid, notes):
    for p in processes(notes):
        if mem.fnum(p, "pid") == pid:
            return p
    return None


def threads_of(p, notes):
    for node in mem.list_nodes(p["threads"], notes):
        yield mem.container_of(node, "struct thread", "proc_node")


def thread_object(t):
    """The struct thread_object around user thread |t| (kernel/proc/thread_object.h)."""
    return mem.container_of(int(t), "struct thread_object", "thread")


def all_threads(notes):
    """Every thread of every process, then the idle thread."""
    for p in processes(notes):
        yield from threads_of(p, notes)
    try:
        yield mem.symbol_value("idle_thread").address
    except mem.Unreadable:
        pass


def current_thread():
    try:
        t = mem.symbol_value("cpu_local")["current"]
        return t if mem.kernel_pointer(t) else None
    except (mem.Unreadable, gdb.error):
        return None


def process_name(p):
    try:
        return mem.text(p["name"])
    except mem.Unreadable:
        return "?"


def process_state(p):
    status = mem.field(p, "status")
    if status is None:
        return "?"
    state = mem.fnum(status, "state", -1)
    name = PROCESS_STATES.get(state, str(state)).lower()
    if mem.fnum(p, "torn_down", 0):
        name += ", torn down"
    return name


def enum_text(value, prefix):
    s = str(value)
    return s[len(prefix):].lower() if s.startswith(prefix) else s


def thread_label(t):
    """"thread 3 of init"; what a student would call it."""
    try:
        p = t["process"]
        owner = f" of {process_name(p)}" if mem.kernel_pointer(p) else " (kernel)"
        return f"thread {mem.fnum(t, 'tid')}{owner}"
    except (mem.Unreadable, gdb.error):
        return f"thread at {int(t):#x}"


# ---- objects -------------------------------------------------------------------

def type_of(ob):
    """(type name, tag) of the object header |ob| (a struct ob *)."""
    t = ob["type"]
    if not mem.kernel_pointer(t):
        raise mem.Unreadable(f"the object at {int(ob):#x} has no type (freed or half built?)")
    return mem.text(t["name"]), mem.tag_text(mem.num(t["tag"], "the type's tag"))


def type_symbol(ob):
    """The name of the object's type descriptor ("event_type"), from the symbol table."""
    try:
        out = gdb.execute(f"info symbol {int(ob['type'])}", to_string=True)
        return out.split()[0] if " in section " in out else None
    except gdb.error:
        return None


# descriptors whose struct is not named after them
STRUCT_OF = {"pipe_read_type": "pipe_end", "pipe_write_type": "pipe_end", "thread_type": "thread_object"}


def full_object(ob):
    """The object as its own struct (struct event *...), or None when unknown."""
    sym = type_symbol(ob)
    if not sym:
        return None
    name = STRUCT_OF.get(sym, sym[:-len("_type")] if sym.endswith("_type") else sym)
    t = mem.lookup_type(f"struct {name}")
    if t is None:
        return None
    return ob.cast(t.pointer())


def object_name(ob, depth=0):
    """The object's full name in the namespace ("/obj/go"), or ""."""
    name = mem.field(ob, "name")
    if name is None or not mem.kernel_pointer(name):
        return ""
    try:                            # a plain string, or a namespace entry: its text, in its directory
        if name.type.target().strip_typedefs().code == gdb.TYPE_CODE_INT:
            return mem.text(name)
        text = mem.text(name["text"])
        d = mem.field(name, "dir")
        if d is not None and mem.kernel_pointer(d) and depth < 16:
            return object_name(d, depth + 1).rstrip("/") + "/" + text
        return text if text.startswith("/") else "/" + text
    except (gdb.error, mem.Unreadable):
        return "?"


def object_summary(ob):
    """'event "/obj/go" (id 12)'."""
    try:
        tname, _ = type_of(ob)
        name = object_name(ob)
        return f"{tname}{' ' + repr(name).replace(chr(39), chr(34)) if name else ''} (id {mem.fnum(ob, 'id')})"
    except (mem.Unreadable, gdb.error) as e:
        return f"object at {int(ob):#x} ({e})"


def waiters(ob, notes):
    """Threads in the object's wait list."""
    for node in mem.list_nodes(ob["waiters"], notes):
        block = mem.container_of(node, "struct wait_block", "node")
        yield block["thread"]


# ---- handles ---------------------------------------------------------------------

def handles(p, notes):
    """(value, object, rights) for each open handle of |p|."""
    table = p["handles"]
    entries = table["entries"]
    cap = mem.fnum(table, "capacity", 0)
    pid = mem.fnum(table, "pid", 0)
    slot_bits, gen_bits, pid_bits = handle_layout()
    if not mem.kernel_pointer(entries):
        if cap:
            notes.append(f"the handle table of pid {pid} has no entries array")
        return
    for slot in range(cap):
        try:
            e = entries[slot]
            o = e["object"]
            if int(o) == 0:
                continue
            gen = mem.fnum(e, "gen", 0)
            value = ((pid & ((1 << pid_bits) - 1)) << (slot_bits + gen_bits)) | (gen << slot_bits) | slot
            yield value, o, mem.fnum(e, "rights", 0)
        except (gdb.MemoryError, gdb.error, mem.Unreadable) as err:
            notes.append(f"slot {slot} of pid {pid}'s handle table cannot be read: {err}")
            return


def decode_handle(value):
    slot_bits, gen_bits, pid_bits = handle_layout()
    return value >> (slot_bits + gen_bits), value & ((1 << slot_bits) - 1)


def reachable_objects(notes):
    """Every object a handle table holds, once each, with the first process seen holding it."""
    seen = {}
    for p in processes(notes):
        try:
            for _, o, _ in handles(p, notes):
                seen.setdefault(int(o), (o, p))
        except (gdb.error, mem.Unreadable) as e:
            notes.append(f"pid {mem.fnum(p, 'pid', '?')}: {e}")
    return seen
