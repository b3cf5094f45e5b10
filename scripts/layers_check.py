#!/usr/bin/env python3
"""The kernel's folders are floors: a file includes only its own floor or lower.

Reads every #include "kernel/..." of every kernel/**/*.c, .h and .S file and
fails on one that reaches a higher floor, printing file:line, the header and
the two floors.  The floors, bottom-up (docs/00-design.md, section 1, says why
this order):

  abi      headers shared with ring 3: usable from every floor
  lib      strings, lists, the formatter, kprintf, panic
  arch     the CPU and the board: descriptor tables, traps, paging, timer, APICs
  mm       frames, the kernel heap, address spaces, user copies
  sched    threads as the scheduler sees them, run queues, wait queues, kernel stacks
  ob       the object manager: object header, handles, names, waiting
  proc     processes, jobs, threads as objects, programs and the boot filesystem
  sync ipc drv   the object types a process uses: one floor, three folders
  syscall  the trust boundary: dispatch, handlers, the tracer, fault reports
  main     kernel/main.c, which brings every floor up in order

A quoted include must name its header from the repository's root
("kernel/lib/list.h"), so that every one is placed on a floor.

A lower floor reaches a higher one only through a hook the higher floor
registers at its init (a function pointer, called like any function); those
calls carry no #include, so this check does not see them, and that is the
point: a reader going up the floors never meets a name from above.

ENTRIES is the allow-list: the upward includes the design permits (the trap
and system call entries, which exist to call up).  DEBT lists upward includes
not yet untangled (issue 15, item 6): each one must still exist, so the list
only shrinks, and a new upward include fails at once.

make test runs this as its `layers` layer; alone: python3 scripts/layers_check.py
(--no-debt: also report the DEBT entries, as the check would without them).
"""
import os
import re
import sys
import tempfile

FLOORS = [
    ("abi", ["kernel/abi"]),
    ("lib", ["kernel/lib"]),
    ("arch", ["kernel/arch"]),
    ("mm", ["kernel/mm"]),
    ("sched", ["kernel/sched"]),
    ("ob", ["kernel/ob"]),
    ("proc", ["kernel/proc"]),
    ("types", ["kernel/sync", "kernel/ipc", "kernel/drv"]),
    ("syscall", ["kernel/syscall"]),
    ("main", ["kernel/main.c"]),
]

# (file, included header): why an entry may call up.  Empty: the entries from ring 3 are
# assembly (syscall_entry.S calls syscall_dispatch, context.S sched_return_to_user) and
# include nothing to do it; trap.c reaches up through trap_hooks.
ENTRIES = {
}

# (file, included header): upward includes still to untangle.  Only removals.
DEBT = {
    ("kernel/ob/handle.c", "kernel/proc/process.h"),
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"(kernel/[^"]+)"')
QUOTED = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def floor_of(path):
    """(index, name) of the floor |path| (relative to the repository) is on, or None."""
    for i, (name, places) in enumerate(FLOORS):
        if any(path == p or path.startswith(p + "/") for p in places):
            return i, name
    return None


def kernel_files(root):
    for d, _, files in os.walk(os.path.join(root, "kernel")):
        for f in sorted(files):
            if f.endswith((".c", ".h", ".S")):
                yield os.path.relpath(os.path.join(d, f), root)


def unplaced_includes(root):
    """Quoted includes not named from the repository's root ("kernel/..."): the check cannot place them."""
    found = []
    for path in sorted(kernel_files(root)):
        with open(os.path.join(root, path), errors="replace") as f:
            for n, line in enumerate(f, 1):
                m = QUOTED.match(line)
                if m and not m.group(1).startswith("kernel/"):
                    found.append(f"{path}:{n}: includes \"{m.group(1)}\": name it from the root (\"kernel/...\")")
    return found


def upward_includes(root):
    """Every include that reaches a higher floor: (file, line, header, from floor, to floor)."""
    found = []
    for path in sorted(kernel_files(root)):
        here = floor_of(path)
        with open(os.path.join(root, path), errors="replace") as f:
            for n, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                there = floor_of(m.group(1)) if m else None
                if here is None or there is None or there[0] <= here[0]:
                    continue
                found.append((path, n, m.group(1), here[1], there[1]))
    return found


def check(root=".", entries=ENTRIES, debt=DEBT):
    """The problems, one line each: upward includes outside the lists, list entries gone stale."""
    problems, seen = [], set()
    for path, n, header, low, high in upward_includes(root):
        seen.add((path, header))
        if (path, header) not in entries and (path, header) not in debt:
            problems.append(f"{path}:{n}: includes {header}: floor {low} reaches up to floor {high}")
    for path, header in sorted(set(entries) | set(debt)):
        if (path, header) not in seen:
            problems.append(f"{path}: no longer includes {header} upward: "
                            "remove it from ENTRIES or DEBT in scripts/layers_check.py")
    problems += unplaced_includes(root)
    for path in kernel_files(root):
        if floor_of(path) is None:
            problems.append(f"{path}: on no floor: add its folder to FLOORS in scripts/layers_check.py")
    return problems


def catches_an_upward_include():
    """The check itself: a tree with one upward and one downward include fails on the first alone."""
    with tempfile.TemporaryDirectory() as root:
        for path, text in [("kernel/proc/process.h", ""), ("kernel/lib/string.h", ""),
                           ("kernel/lib/bad.c", '#include "kernel/lib/string.h"\n'
                                                '#include "kernel/proc/process.h"\n')]:
            os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
            with open(os.path.join(root, path), "w") as f:
                f.write(text)
        problems = check(root, {}, set())
    return problems == ["kernel/lib/bad.c:2: includes kernel/proc/process.h: "
                        "floor lib reaches up to floor proc"]


def main():
    debt = set() if "--no-debt" in sys.argv else DEBT
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    problems = check(root, ENTRIES, debt)
    for p in problems:
        print(p)
    print(f"layers: {len(problems)} problem(s); {len(DEBT)} upward include(s) still listed as debt")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
