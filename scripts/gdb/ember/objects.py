"""What each kind of object holds, in words (ember object, ember ports).

describe(ob) gives the header (type, tag, id, counts, name, creator), then
the state of its type from the type's own struct, found by the name of its
type descriptor (event_type -> struct event).  A type without a describer
here gets its struct's scalar fields printed by name, so a type added to the
kernel later is still shown.
"""
import gdb

from . import kernel, mem


def header(ob):
    tname, tag = kernel.type_of(ob)
    name = kernel.object_name(ob)
    lines = [f"{tname} {tag} at {int(ob):#x}, id {mem.fnum(ob, 'id')}" + (f', name "{name}"' if name else "")]
    lines.append(f"  references {mem.fnum(ob, 'refs')}, handles {mem.fnum(ob, 'handles')}, "
                 f"created by pid {mem.fnum(ob, 'creator_pid', '?')}")
    return lines


def owner_text(t):
    return kernel.thread_label(t) if mem.kernel_pointer(t) else "nobody"


def event(o, notes):
    return [f"  {'signaled' if mem.fnum(o, 'signaled') else 'not signaled'}, "
            f"{'manual' if mem.fnum(o, 'manual_reset') else 'auto'} reset"]


def mutex(o, notes):
    owner = o["owner"]
    lines = [f"  owner {owner_text(owner)}, depth {mem.fnum(o, 'depth')}"]
    if mem.fnum(o, "abandoned", 0):
        lines.append("  abandoned: its owner died holding it")
    return lines


def semaphore(o, notes):
    return [f"  count {mem.fnum(o, 'count')} of at most {mem.fnum(o, 'maximum')}"]


def pipe_end(o, notes):
    pipe = o["pipe"]
    if not mem.kernel_pointer(pipe):
        return ["  the pipe is gone"]
    cap = mem.field(pipe, "ring")
    size = cap.type.sizeof if cap is not None else "?"
    closed = mem.field(pipe, "closed")
    ends = ""
    if closed is not None:
        ends = ", read end " + ("closed" if int(closed[0]) else "open") + ", write end " + \
               ("closed" if int(closed[1]) else "open")
    return [f"  {mem.fnum(pipe, 'count')} bytes in the pipe of {size}{ends}"]


def process(o, notes):
    return [f"  pid {mem.fnum(o, 'pid')} ({kernel.process_name(o)}), {kernel.process_state(o)}, "
            f"{mem.fnum(o, 'nthreads', '?')} threads"]


def thread(o, notes):
    return [f"  {kernel.thread_label(o)}, {kernel.enum_text(o['state'], 'THREAD_')}, "
            f"priority {mem.fnum(o, 'priority', '?')}"]


def thread_object(o, notes):
    """A thread object holds the thread the scheduler runs (kernel/proc/thread_object.h)."""
    return thread(o["thread"].address, notes)


def section(o, notes):
    return [f"  {mem.fnum(o, 'npages')} pages"]


MESSAGE_KINDS = {v: n.lower() for v, n in kernel.macros("kernel/abi/types.h", "PORT_MSG_").items()}


def message_line(m):
    kind = MESSAGE_KINDS.get(mem.fnum(m, "kind"), str(mem.fnum(m, "kind")))
    line = f"    {kind} id {mem.fnum(m, 'id')}, {mem.fnum(m, 'len')} bytes from pid {mem.fnum(m, 'pid')}" \
           f" thread {mem.fnum(m, 'tid')}"
    n = mem.fnum(m, "len", 0)
    data = mem.field(m, "data")
    if data is not None and 0 < n:
        try:
            raw = bytes(gdb.selected_inferior().read_memory(int(data.address), min(n, 32)))
            line += " " + repr(raw.decode("latin-1")).replace("'", '"') + ("..." if n > 32 else "")
        except gdb.MemoryError:
            line += " (data unreadable)"
    handles = mem.fnum(m, "nhandles", 0)
    if handles:
        line += f", carrying {handles} handle{'s' if handles > 1 else ''}"
    return line


def messages(head, notes):
    return [message_line(mem.container_of(node, "struct message", "node")) for node in mem.list_nodes(head, notes)]


def port(o, notes):
    kind = kernel.enum_text(o["kind"], "PORT_")
    lines = [f"  {kind} port, {mem.fnum(o, 'queued', 0)} queued" + (", closed" if mem.fnum(o, "closed", 0) else "")]
    peer = mem.field(o, "peer")
    if peer is not None and mem.kernel_pointer(peer):
        lines.append(f"  connected to {kernel.object_summary(peer.cast(mem.lookup_type('struct ob').pointer()))}")
    queue = messages(o["queue"], notes)
    lines.append(f"  queue: {len(queue)} message{'s' if len(queue) != 1 else ''}")
    lines += queue
    service = mem.field(o, "in_service")
    if service is not None:
        taken = messages(service, notes)
        if taken:
            lines.append(f"  received, not yet answered: {len(taken)}")
            lines += taken
    calls = mem.field(o, "calls")
    if calls is not None:
        for node in mem.list_nodes(calls, notes):
            c = mem.container_of(node, "struct port_call", "node")
            lines.append(f"  {kernel.thread_label(c['thread'])} waits for the reply to its request")
    return lines


DESCRIBERS = {"event": event, "mutex": mutex, "semaphore": semaphore, "pipe_end": pipe_end,
              "process": process, "thread_object": thread_object, "section": section, "port": port}


def generic(o, notes):
    """The scalar fields of a struct this file does not know, by name."""
    parts = []
    for f in o.type.target().strip_typedefs().fields():
        if f.name in (None, "ob") or f.type.strip_typedefs().code not in (gdb.TYPE_CODE_INT, gdb.TYPE_CODE_BOOL,
                                                                          gdb.TYPE_CODE_ENUM):
            continue
        try:
            parts.append(f"{f.name} {o[f.name]}")
        except gdb.error:
            parts.append(f"{f.name} ?")
    return ["  " + ", ".join(parts)] if parts else []


def describe(ob, notes):
    """The lines of 'ember object' for the struct ob * |ob|."""
    lines = header(ob)
    full = kernel.full_object(ob)
    if full is not None:
        struct = full.type.target().strip_typedefs().tag
        try:
            lines += DESCRIBERS.get(struct, generic)(full, notes)
        except (gdb.error, mem.Unreadable) as e:
            notes.append(f"its {struct} state cannot be read: {e}")
    else:
        notes.append("its type's own struct is unknown to GDB: header only")
    waiting = [kernel.thread_label(t) for t in kernel.waiters(ob, notes)]
    lines.append("  waiting on it: " + (", ".join(waiting) if waiting else "nobody"))
    return lines
