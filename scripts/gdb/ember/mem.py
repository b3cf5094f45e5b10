"""Reading a stopped Ember safely: memory only, never guest code.

Every helper here either returns a value or raises Unreadable with a sentence
saying what could not be read, so that a command can print what it could and
name what it could not (a half-built object, a freed slot, a corrupt list, a
stop before paging is on).  Structures are looked up by field name, so a field
added, moved or renamed elsewhere costs one missing detail, not the command.
"""
import gdb

LIST_LIMIT = 4096           # more nodes than this: the list is taken to be corrupt
KERNEL_HALF = 0xffff800000000000


class Unreadable(Exception):
    """What could not be read, in words."""


_types = {}


def lookup_type(name):
    """The type |name| ("struct process"), or None when the kernel has none by that name."""
    if name not in _types:
        try:
            _types[name] = gdb.lookup_type(name)
        except gdb.error:
            _types[name] = None
    return _types[name]


def symbol_value(name):
    """The value of a global or file-static variable of the kernel."""
    sym = gdb.lookup_global_symbol(name)
    if sym is None:
        try:
            sym = gdb.lookup_static_symbol(name)
        except AttributeError:
            sym = None
    if sym is None:
        raise Unreadable(f"the kernel has no symbol {name} (is build/kernel.elf loaded?)")
    try:
        return sym.value()
    except gdb.error as e:
        raise Unreadable(f"cannot read {name}: {e}")


def type_has_field(t, name):
    """Whether struct/union type |t| has field |name|, also inside anonymous unions and structs."""
    t = t.strip_typedefs()
    if t.code not in (gdb.TYPE_CODE_STRUCT, gdb.TYPE_CODE_UNION):
        return False
    return any(f.name == name or (f.name is None and type_has_field(f.type, name)) for f in t.fields())


def has_field(value, name):
    t = value.type.strip_typedefs()
    if t.code == gdb.TYPE_CODE_PTR:
        t = t.target()
    return type_has_field(t, name)


def field(value, name, default=None):
    """value->name, or |default| when the struct has no such field."""
    if not has_field(value, name):
        return default
    return value[name]


def num(value, what="a value"):
    """An int from a gdb.Value, or Unreadable naming |what|."""
    try:
        return int(value)
    except (gdb.MemoryError, gdb.error) as e:
        raise Unreadable(f"cannot read {what}: {e}")


def fnum(value, name, default=None):
    """int(value->name), |default| if there is no such field; Unreadable if it cannot be read."""
    f = field(value, name)
    return default if f is None else num(f, name)


def text(value, limit=64):
    """A C string (char array or pointer) as Python text, or Unreadable."""
    try:
        t = value.type.strip_typedefs()
        if t.code == gdb.TYPE_CODE_PTR and int(value) == 0:
            return ""
        if t.code == gdb.TYPE_CODE_ARRAY and t.sizeof:
            raw = bytes(int(value[i]) & 0xff for i in range(min(t.sizeof, limit)))
        elif t.code == gdb.TYPE_CODE_ARRAY:         # a flexible array member: read in place
            raw = bytes(gdb.selected_inferior().read_memory(int(value.address), limit))
        else:
            raw = bytes(gdb.selected_inferior().read_memory(int(value), limit))
        return raw.split(b"\0", 1)[0].decode("utf-8", "replace")
    except (gdb.MemoryError, gdb.error) as e:
        raise Unreadable(f"cannot read a name: {e}")


def read_u64(addr):
    try:
        return int.from_bytes(bytes(gdb.selected_inferior().read_memory(addr, 8)), "little")
    except gdb.MemoryError:
        raise Unreadable(f"cannot read memory at {addr:#x}")


def pointer(addr, type_name):
    """A |type_name| * at |addr|."""
    t = lookup_type(type_name)
    if t is None:
        raise Unreadable(f"the kernel has no {type_name}")
    return gdb.Value(addr).cast(t.pointer())


def offset_of(type_name, member):
    t = lookup_type(type_name)
    if t is None:
        raise Unreadable(f"the kernel has no {type_name}")
    for f in t.strip_typedefs().fields():
        if f.name == member:
            return f.bitpos // 8
    raise Unreadable(f"{type_name} has no field {member}")


def container_of(node_addr, type_name, member):
    """The |type_name| * whose |member| is at |node_addr| (LIST_ENTRY)."""
    return pointer(node_addr - offset_of(type_name, member), type_name)


def list_nodes(head, notes):
    """Addresses of the nodes of the list at |head| (a struct list_node value or address).
    Stops at a node that cannot be read, a loop that misses the head or LIST_LIMIT
    nodes, and says so in |notes|."""
    if isinstance(head, gdb.Value):
        head_addr = int(head) if head.type.strip_typedefs().code == gdb.TYPE_CODE_PTR else int(head.address)
    else:
        head_addr = head
    seen = set()
    try:
        node = read_u64(head_addr)
        while node != head_addr:
            if node in seen or len(seen) >= LIST_LIMIT:
                notes.append(f"the list at {head_addr:#x} loops without coming back: stopped after {len(seen)} nodes")
                return
            if node < KERNEL_HALF:
                notes.append(f"the list at {head_addr:#x} has a node at {node:#x}, outside the kernel: stopped")
                return
            seen.add(node)
            yield node
            node = read_u64(node)
    except Unreadable as e:
        notes.append(f"the list at {head_addr:#x} is broken: {e}")


def kernel_pointer(value):
    try:
        return int(value) >= KERNEL_HALF
    except (gdb.error, gdb.MemoryError):
        return False


def tag_text(tag):
    """A 4-character heap tag ("Evnt") from its integer."""
    return "".join(chr(b) if 32 <= b < 127 else "?" for b in int(tag).to_bytes(4, "little"))
