"""The gdb layer of make test (scripts/test.py): tests/gdb scripts against a halted QEMU.

  boot.gdb, user.gdb     GDB follows the kernel from kernel_main, and a program into a system call
  syscall_fault.gdb      a kernel fault inside a system call: the report names process, thread, call
  panic.gdb              the same for panic()
  objects.gdb            the ember commands on /bin/gdbscene stopped in sys_port_request
  cpus.gdb               ember cpus with 2 CPUs: each CPU's thread and pc
  student.gdb            make gdb's own setup (scripts/gdbinit): first stop, bt, delete
"""
import os
import re
import socket
import subprocess
import threading
import time

import qemu
from harness import BUILD, log_path, make_iso

GDB_BUDGET = 90


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def type_at_prompt(q, keys, prompt=b"ember$ "):
    """Reads QEMU's serial output (its stdout) and types |keys| once, when the shell first prompts:
    what a student does in terminal 1 while GDB runs the machine."""
    seen = bytearray()
    for chunk in iter(lambda: os.read(q.stdout.fileno(), 4096), b""):
        seen += chunk
        if keys is not None and prompt in seen:
            q.stdin.write(keys)
            q.stdin.flush()
            keys = None


def run_gdb(script, iso, serial=None, as_student=False, typed=None, cpus=None):
    """Starts QEMU halted with a GDB stub, runs |script| in gdb -batch, returns its output.
    The guest's serial log goes to the file |serial| (symbolized there after the run), if given.
    |as_student|: run scripts/gdbinit first, as make gdb does, and not in batch mode (so that
    its settings, confirmation included, are what a student gets).  |typed|: bytes typed on
    the serial line when the shell first prompts (then the serial log is not kept).  |cpus|:
    QEMU's -smp for this run (default: make test's CPUS)."""
    port = free_port()
    text = open(script).read().replace("@PORT@", str(port))
    path = f"{BUILD}/{os.path.basename(script)}"
    with open(path, "w") as f:
        f.write(text)
    line = "stdio" if typed else f"file:{serial}" if serial else "null"
    smp = ["-smp", str(cpus)] if cpus else qemu.smp_flags()
    q = subprocess.Popen([qemu.QEMU] + qemu.BASE_FLAGS + smp + ["-serial", line, "-cdrom", iso,
                                                          "-S", "-gdb", f"tcp:127.0.0.1:{port}"],
                         stdin=subprocess.PIPE if typed else subprocess.DEVNULL,
                         stdout=subprocess.PIPE if typed else subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if typed:
        threading.Thread(target=type_at_prompt, args=(q, typed), daemon=True).start()
    try:
        for _ in range(50):                     # wait for the stub to listen
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        cmd = ["gdb", "-q", "-nx", "-x", "scripts/gdbinit", "-x", path] if as_student else \
              ["gdb", "-q", "-batch", "-nx", "-x", path]
        g = subprocess.run(cmd, capture_output=True, text=True, timeout=GDB_BUDGET, stdin=subprocess.DEVNULL,
                           env=dict(os.environ, EMBER_GDB_PORT=str(port)))
        return g.stdout + g.stderr
    except subprocess.TimeoutExpired as e:
        return f"(gdb timed out)\n{e.stdout or ''}"
    finally:
        q.kill()
        q.wait()
        if serial and os.path.exists(serial):
            lines = open(serial, errors="replace").read().replace("\r", "").split("\n")
            with open(serial, "w") as f:
                f.write("\n".join(qemu.SYMBOLS.line(l) for l in lines))


def section(out, name):
    """The gdb output after 'check: name' up to the next check."""
    m = re.search(rf"check: {name}\n(.*?)(?=check: |\Z)", out, re.S)
    return m.group(1) if m else ""


def layer_gdb(r):
    print("gdb: GDB breaks in the 64-bit kernel and reads its variables")
    print("  (these runs use the host's clock and stop where GDB stops them: they do not repeat from the seed)")
    out = run_gdb("tests/gdb/boot.gdb", f"{BUILD}/ember.iso")
    why = "gdb output was:\n" + "\n".join("    | " + l for l in out.splitlines()[-20:])
    r.check("gdb.break-kernel_main", re.search(r"kernel_main \(.*\) at kernel/main\.c:\d+", section(out, "frame")),
            "expected to stop in kernel_main with a source line; " + why)
    r.check("gdb.later-breakpoint", "timer_init" in section(out, "backtrace") and "kernel_main" in section(out, "backtrace"),
            "expected a backtrace timer_init <- kernel_main; " + why)
    m = re.search(r"\$\d+ = (\d+)", section(out, "regions"))
    r.check("gdb.read-variable", m and int(m.group(1)) >= 1,
            "expected boot_info.navail >= 1; " + why)
    r.check("gdb.ember-in-interrupt", "timer_irq" in section(out, "interrupt")
            and "timer: PIT at 100 Hz" in section(out, "interrupt") and "Traceback" not in out
            and "Python Exception" not in out,
            "expected ember log and ember ps to work stopped in timer_irq, without a traceback; " + why)

    out = run_gdb("tests/gdb/user.gdb", make_iso("gdb-user", "-- /bin/echo from-gdb"))
    why = "gdb output was:\n" + "\n".join("    | " + l for l in out.splitlines()[-20:])
    r.check("gdb.user-main", re.search(r"main \(.*\) at user/echo\.c:\d+", section(out, "user-main")),
            "expected to stop in echo's main with its source line; " + why)
    r.check("gdb.syscall-entry", "syscall_entry" in section(out, "entry"),
            "expected the system call to land in syscall_entry; " + why)
    m = re.search(r"\$\d+ = 0x([0-9a-f]+)", section(out, "user-rip"))
    r.check("gdb.user-return-address", m and 0x400000 <= int(m.group(1), 16) < 0x800000,
            "expected rcx (the return rip) inside the program at 0x400000; " + why)
    bt = section(out, "handler")
    r.check("gdb.handler", "sys_console_write" in bt and "syscall_dispatch" in bt,
            "expected sys_console_write called from syscall_dispatch; " + why)
    r.check("gdb.finish", re.search(r"Value returned is \$\d+ = \d+", section(out, "finish")),
            "expected finish to return the handler's result; " + why)
    gdb_crash_reports(r)
    gdb_cpus(r)
    gdb_scene(r)
    gdb_student(r)


def gdb_student(r):
    """make gdb's setup: continue runs to the student's breakpoint, bt crosses into the program, delete asks nothing."""
    out = run_gdb("tests/gdb/student.gdb", make_iso("gdb-user", "-- /bin/echo from-gdb"), as_student=True)
    with open(log_path("gdb-student"), "w") as f:
        f.write(out)
    why = "gdb output was:\n" + "\n".join("    | " + l for l in out.splitlines()[-30:])
    r.check("gdb.student.first-stop-is-theirs",
            re.search(r"sys_console_write \(.*\)\s+at kernel/syscall/\w+\.c:\d+", section(out, "first-stop"))
            and "Breakpoint 2, sys_console_write" in out and "Breakpoint 1" not in out.split("Ember: the kernel is loaded")[-1],
            "expected the first 'continue' to stop at the student's breakpoint in sys_console_write; " + why)
    r.check("gdb.student.bt-into-program",
            re.search(r"syscall_entry(.|\n)*in main \(.*\)\s+at user/echo\.c:\d+", section(out, "student-bt")),
            "expected bt to continue from syscall_entry into echo's main, its symbols loaded by themselves; " + why)
    r.check("gdb.student.delete-asks-nothing",
            "No breakpoints or watchpoints" in section(out, "delete") and "(y or n)" not in out
            and "confirm potentially dangerous operations is off" in section(out, "delete"),
            "expected delete to remove every breakpoint without a question; " + why)


# tests/gdb/objects.gdb: each check is (name, section, pattern, what was expected)
SCENE_CHECKS = [
    ("before-paging", "before-paging", r"(could not read: the list at 0x[0-9a-f]+ is broken(.|\n)*){2}",
     "ember ps and vm before paging to say they could not read the process list"),
    ("before-paging-log", "before-paging", r"could not read: cannot read written",
     "ember log before paging to say it could not read the ring"),
    ("bt-reaches-main", "bt", r"sys_port_request(.|\n)*syscall_entry(.|\n)*port_request(.|\n)*in main \(\) at user/gdbscene\.c:\d+",
     "bt to go from sys_port_request through syscall_entry to gdbscene's main"),
    ("ps", "ps", r"\n\s+1\s+0\s+gdbscene\s+running\s+2\s+\d+", "pid 1 gdbscene, running, 2 threads"),
    ("ps-waits", "ps", r'thread \d+ waits on event "/obj/scene-never" \(id \d+\) with no timeout',
     "the server thread waiting on /obj/scene-never"),
    ("threads", "threads", r"\*\s+1 1 gdbscene\s+running(.|\n)*\s2 1 gdbscene\s+blocked\s+\d+\s+waits on event",
     "thread 1 running (marked *) and thread 2 blocked on the event"),
    ("handles", "handles", r"event\s+\d+\s+duplicate\|transfer\|wait\|signal\|info\s+/obj/scene-event(.|\n)*"
     r"mutex(.|\n)*semaphore\s+\d+\s+\S+\s+/obj/scene-sem(.|\n)*pipe-read(.|\n)*pipe-write(.|\n)*port\s+\d+\s+\S+\s+/svc/scene",
     "the handle table with types, rights decoded by name and names"),
    ("object-event", "object-event", r'event Evnt at 0x[0-9a-f]+, id \d+, name "/obj/scene-event"\n\s+references \d+, handles 1(.|\n)*signaled, manual reset',
     "the event's header and state"),
    ("object-waiters", "object-never", r"not signaled, auto reset\n\s+waiting on it: thread \d+ of gdbscene",
     "the never-set event with its waiting thread"),
    ("object-mutex", "object-mutex", r"owner thread 1 of gdbscene, depth 2", "the mutex's owner and depth"),
    ("object-semaphore", "object-semaphore", r"count 2 of at most 5", "the semaphore's count"),
    ("object-pipe", "object-pipe", r"5 bytes in the pipe", "the pipe's bytes"),
    ("object-by-id", "object-by-id", r"process Proc(.|\n)*pid 1 \(gdbscene\), running", "the process found by its id"),
    ("waits", "waits", r'thread \d+ of gdbscene waits on event "/obj/scene-never"', "who waits on what"),
    ("ports", "ports", r'name "/svc/scene"(.|\n)*server port, 1 queued(.|\n)*datagram id \d+, 4 bytes from pid 1 thread 1 "ping"',
     "the server port with the queued datagram"),
    ("vm", "vm", r"0x000000400000-0x[0-9a-f]+ r-x\s+\d+ pages", "the program's text mapped read-execute"),
    ("log", "log", r"ember: started /bin/gdbscene as process 1", "the kernel log"),
    ("printer", "printer", r"= process 1 \(gdbscene\), running, 2 threads", "the pretty-printed process"),
    ("printer-ob", "printer", r"ob = process \(id \d+\), \d+ refs, 0 handles", "the process's object header, printed"),
    ("printer-list", "printer", r"threads = list of 2 nodes", "the process's thread list, printed as its length"),
    ("printer-thread", "printer-thread", r"= thread \d+ of gdbscene, running, priority \d+", "the pretty-printed thread"),
    ("printer-handle", "printer-handle", r'= event "/obj/scene-event" \(id \d+\), rights duplicate\|transfer\|wait\|signal\|info',
     "the pretty-printed handle table entry"),
    ("object-by-address", "object-by-address", r"process Proc(.|\n)*pid 1 \(gdbscene\), running",
     "the process found by its object's address"),
    ("freed-object", "freed-object", r"has no type \(freed or half built\?\)(.|\n)*/obj/scene-never",
     "a typeless object named as unreadable, the other handles still listed"),
    ("corrupt-list", "corrupt-list", r"gdbscene(.|\n)*has a node at 0x1234, outside the kernel",
     "a corrupt process list reported after what could be read"),
]


def gdb_cpus(r):
    """ember cpus with 2 CPUs, stopped in echo's console_write: CPU 0 runs echo's thread in the
    handler, CPU 1 idles in ap_main; the * follows GDB's selected CPU."""
    out = run_gdb("tests/gdb/cpus.gdb", make_iso("gdb-user", "-- /bin/echo from-gdb"), cpus=2)
    with open(log_path("gdb-cpus"), "w") as f:
        f.write(out)
    why = "gdb output was:\n" + "\n".join("    | " + l for l in out.splitlines()[-20:])
    cpus = section(out, "cpus")
    r.check("gdb.cpus.cpu0-runs-echo",
            re.search(r"\*\s+0\s+0\s+online\s+thread \d+ of echo\s+0xffffffff8[0-9a-f]{7} <sys_console_write>", cpus),
            "expected CPU 0, selected, running echo's thread at sys_console_write; " + why)
    r.check("gdb.cpus.cpu1-idles",
            re.search(r"\n\s+1\s+1\s+(halted|online)\s+no thread\s+0xffffffff8[0-9a-f]{7} <ap_main\+\d+>", cpus),
            "expected CPU 1 with no thread, in ap_main; " + why)
    sel = section(out, "selected")
    r.check("gdb.cpus.selected-cpu-marked",
            re.search(r"\*\s+1\s+1\s", sel) and not re.search(r"\*\s+0\s+0\s", sel)
            and re.search(r"\*\s+2\s+Thread", sel) and "Traceback" not in out and "Python Exception" not in out,
            "expected the * on CPU 1 after `thread 2`, GDB's thread 2 still selected, no traceback; " + why)


def gdb_scene(r):
    """The ember commands on gdbscene, stopped in sys_port_request."""
    out = run_gdb("tests/gdb/objects.gdb", make_iso("gdb-scene", "-- /bin/gdbscene"), log_path("gdb-scene"))
    with open(log_path("gdb-scene-gdb"), "w") as f:
        f.write(out)
    for name, sect, pattern, expected in SCENE_CHECKS:
        text = section(out, sect)
        r.check(f"gdb.ember.{name}", re.search(pattern, text),
                f"expected {expected}; 'check: {sect}' printed:\n" + "\n".join("    | " + l for l in text.splitlines()[-25:]))
    r.check("gdb.ember.no-traceback", "Traceback" not in out and "Python Exception" not in out,
            "expected no Python traceback; gdb printed:\n" +
            "\n".join("    | " + l for l in out.splitlines() if "Python" in l or "Traceback" in l))


def gdb_crash_reports(r):
    """A kernel fault and a panic inside echo's console_write: the report names process, thread, call."""
    for kind in ("syscall_fault", "panic"):
        serial = log_path(f"gdb-{kind}")
        out = run_gdb(f"tests/gdb/{kind}.gdb", make_iso("gdb-user", "-- /bin/echo from-gdb"), serial)
        text = open(serial).read() if os.path.exists(serial) else ""
        why = "serial log was:\n" + "\n".join("    | " + l for l in text.splitlines()[-30:]) + \
              "\ngdb output was:\n" + "\n".join("    | " + l for l in out.splitlines()[-10:])
        first = "KERNEL FAULT: page fault" if kind == "syscall_fault" else "PANIC: echo"
        r.check(f"gdb.{kind}.reported", first in text, f"expected '{first}'; " + why)
        r.check(f"gdb.{kind}.process-thread", re.search(r"process 1 \(echo\), thread \d+", text),
                "expected the process and thread; " + why)
        r.check(f"gdb.{kind}.syscall", re.search(r"serving system call console_write\(buf=0x[0-9a-f]+, len=\d+\)", text),
                "expected the system call with its arguments decoded; " + why)
        r.check(f"gdb.{kind}.registers", re.search(r"rip ffffffff8[0-9a-f]{7} .*rsp ffff[0-9a-f]{12}", text)
                and re.search(r"cr3 [0-9a-f]{16}", text),
                "expected the kernel's registers (rip, rsp, cr3); " + why)
        if kind == "panic":
            stop = section(out, "in-panic")
            r.check("gdb.panic.ember-in-panic", re.search(r"\n\s+1\s+0\s+echo\s", stop) and "PANIC: echo" in stop
                    and "Traceback" not in out and "Python Exception" not in out,
                    "expected ember ps (echo) and ember log (PANIC: echo) to work stopped inside the panic; "
                    "gdb printed:\n" + "\n".join("    | " + l for l in stop.splitlines()[-20:]))
        caller = "sys_console_write" if kind == "syscall_fault" else "syscall_dispatch"
        r.check(f"gdb.{kind}.kernel-file-line",
                re.search(caller + r"\+0x[0-9a-f]+ at kernel/syscall/\w+\.c:\d+", text),
                f"expected {caller}'s frame with file:line; " + why)
        r.check(f"gdb.{kind}.user-frames", "called from echo:" in text and
                re.search(r"#\d+ \w+ at libc/\w+\.c:\d+", text.split("called from echo:")[-1]),
                "expected echo's own frames after the kernel's, with file:line; " + why)
