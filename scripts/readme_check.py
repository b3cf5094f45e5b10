#!/usr/bin/env python3
"""The README's first hour, run as printed (make test's `readme` layer).

The README walks a student from `make run` to the shell, a first program
(user/hello.c), a first test (tests/user/hello.c) and a breakpoint in a
system call.  This script checks that walk:
  - it builds a boot filesystem with the README's two C snippets added as
    user/hello.c and tests/user/hello.c, in a copy of the tree (sources and
    build/, so only the two new programs compile), exactly as a student's
    `make` would;
  - it boots Ember as `make run` does (init starts the shell) and types every
    `ember$` line of the README's code blocks, each when the shell prompts for
    it, as a student would: first the tour under "At the prompt", whose pids
    are those of a fresh boot, then the others in the README's order;
  - every line the README shows under a command must come out of that
    command, and the shell must complain ("sh: ...", "kill: ...", "...: not
    found") only where the README shows it.  Numbers vary only in the output of the commands in VARYING,
    as the README says there; a "^C" line under a command is Ctrl-C, pressed
    a few seconds after typing it;
  - every block of GDB commands (the first hour's and "Debugging with
    GDB"'s), run as a student runs them (make gdb's scripts/gdbinit first)
    on a machine booted as `make run` does, with what its comments say to
    type in terminal 1 typed at the shell's prompt: each stops in the
    handler it breaks on last, bt there reaches a program's main, and no
    command fails.

Run alone: python3 scripts/readme_check.py [-v] (after make).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402
import test_gdb  # noqa: E402
from harness import make_iso  # noqa: E402

BUILD = "build"
PROMPT = b"ember$ "
COMMAND_BUDGET = 90         # seconds for one command to bring the next prompt, under TCG
VARYING = {"hello": "its pid and the handle value, which carries the pid"}
TOUR = "## At the prompt"
SETTLE = 0.5                # seconds of quiet after a prompt that make it the shell's
CTRL_C = "^C"               # a line of its own under a command: the student presses Ctrl-C
CTRL_C_AFTER = 3            # seconds the command runs before it
COMPLAINT = re.compile(r"^(sh|kill): |.*: not found$")   # the shell's and its builtins' errors
RESTART = re.compile(r"svc (?:crash|restart) (\w+)")   # a driver the supervisor will start again


def blocks(text):
    """Every fenced code block of |text|: (language, [lines])."""
    return [(m.group(1), m.group(2).split("\n"))
            for m in re.finditer(r"^```(\w*)\n(.*?)\n```$", text, re.M | re.S)]


def uncomment(line):
    """A README line without its trailing "  # comment"."""
    return re.sub(r"\s{2,}#.*$", "", line).rstrip()


def commands(text):
    """[(command, [expected lines])] for each `ember$` line of the README: the tour
    under TOUR first (its pids are a fresh boot's), then the others in order."""
    found = []
    tour = re.search(rf"^{TOUR}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    rest = text.replace(tour.group(1), "") if tour else text
    for _, lines in blocks(tour.group(1) if tour else "") + blocks(rest):
        if not any(l.startswith(PROMPT.decode()) for l in lines):
            continue
        for line in lines:
            if line.startswith(PROMPT.decode()):
                found.append((uncomment(line[len(PROMPT):]), []))
            elif found and uncomment(line).strip() not in ("", "..."):
                found[-1][1].append(uncomment(line).strip())
    return found


def snippets(text):
    """The README's first program and first test: {path: source}."""
    out = {}
    for lang, lines in blocks(text):
        src = "\n".join(lines) + "\n"
        if lang == "c" and "#include <test.h>" in src:
            out.setdefault("tests/user/hello.c", src)
        elif lang == "c" and "int main" in src:
            out.setdefault("user/hello.c", src)
    return out


def gdb_sessions(text):
    """Each README block of `(gdb)` commands: (commands, what the student types in terminal 1
    meanwhile, from a comment "in terminal 1, type: X", or None)."""
    found = []
    for _, lines in blocks(text):
        cmds = [uncomment(l[len("(gdb) "):]) for l in lines if l.startswith("(gdb) ")]
        typed = [m.group(1).strip() for l in lines for m in [re.search(r"in terminal 1, type: (.*)$", l)] if m]
        if cmds:
            found.append((cmds, typed[0] if typed else None))
    return found


def build_bootfs(files, tmp):
    """A boot filesystem with |files| added, built by the Makefile in a copy of the tree."""
    tree = os.path.join(tmp, "tree")
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                            capture_output=True, text=True, check=True).stdout.split("\n")
    for f in filter(os.path.isfile, listed):
        os.makedirs(os.path.join(tree, os.path.dirname(f)), exist_ok=True)
        shutil.copy2(f, os.path.join(tree, f))
    for part in ("libc", "user", "tests", "bootfs", "abi"):
        if os.path.isdir(os.path.join(BUILD, part)):
            shutil.copytree(os.path.join(BUILD, part), os.path.join(tree, BUILD, part), symlinks=True)
    for f in os.listdir(BUILD):
        if os.path.isfile(os.path.join(BUILD, f)) and not f.endswith(".iso"):
            shutil.copy2(os.path.join(BUILD, f), os.path.join(tree, BUILD, f))
    for path, src in files.items():
        with open(os.path.join(tree, path), "w") as fh:
            fh.write(src)
    made = subprocess.run(["make", "-C", tree, f"{BUILD}/bootfs.tar"], capture_output=True, text=True)
    if made.returncode != 0:
        return None, made.stdout[-1500:] + made.stderr[-1500:]
    return os.path.join(tree, BUILD, "bootfs.tar"), ""


class Console:
    """QEMU's serial port: bytes out as they come, lines typed in when asked."""

    def __init__(self, iso):
        self.proc = subprocess.Popen([qemu.QEMU] + qemu.BASE_FLAGS + qemu.smp_flags() + ["-serial", "stdio", "-cdrom", iso],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.out = bytearray()
        self.changed = threading.Condition()
        threading.Thread(target=self.reader, daemon=True).start()

    def reader(self):
        while True:
            chunk = os.read(self.proc.stdout.fileno(), 4096)
            with self.changed:
                if not chunk:
                    self.out += b"\n[QEMU exited]\n"
                    self.changed.notify_all()
                    return
                self.out += chunk
                self.changed.notify_all()

    def prompt_after(self, start, budget):
        """Where the shell's next prompt after |start| begins, or None after |budget|
        seconds: the last prompt once the output has been quiet for SETTLE seconds
        (a program may print old prompts, as dmesg does, or a log line may follow one)."""
        deadline = time.monotonic() + budget
        with self.changed:
            while True:
                seen = len(self.out)
                self.changed.wait(SETTLE)
                if len(self.out) == seen and self.out.rfind(PROMPT, start) >= 0:
                    return self.out.rfind(PROMPT, start)
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    return None

    def wait_for(self, text, start, budget):
        """Whether |text| appears in the output after |start| within |budget| seconds."""
        deadline = time.monotonic() + budget
        with self.changed:
            while self.out.find(text, start) < 0:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    return False
                self.changed.wait(SETTLE)
            return True

    def type(self, line):
        self.press(line.encode() + b"\n")

    def press(self, keys):
        self.proc.stdin.write(keys)
        self.proc.stdin.flush()

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


def output_lines(raw):
    return [qemu.SYMBOLS.line(l.rstrip("\r").replace("\r", "")) for l in raw.decode("utf-8", "replace").split("\n")]


def matches(expected, got, varying):
    if not varying:
        return expected == got
    pattern = re.sub(r"(0x[0-9a-f]+|\d+)", lambda m: "0x[0-9a-f]+" if m.group(1).startswith("0x") else r"\d+",
                     re.escape(expected).replace(r"\ ", " "))
    return re.fullmatch(pattern, got) is not None


def run_session(iso, cmds, check):
    """Boots |iso| and types |cmds|; |check|(name, ok, why) for each command."""
    con = Console(iso)
    try:
        at = con.prompt_after(0, COMMAND_BUDGET)
        check("readme.boot-to-prompt", at is not None, "no shell prompt after boot:\n" + con.out[-800:].decode("utf-8", "replace"))
        if at is None:
            return
        for cmd, expected in cmds:
            start = at + len(PROMPT)
            con.type(cmd)
            if CTRL_C in expected:
                expected = [e for e in expected if e != CTRL_C]
                time.sleep(CTRL_C_AFTER)
                con.press(b"\x03")
            at = con.prompt_after(start, COMMAND_BUDGET)
            got = [l.strip() for l in output_lines(con.out[start:at if at is not None else len(con.out)])[1:]]
            varying = cmd.split()[0] in VARYING
            missing = [e for e in expected if not any(matches(e, g, varying) for g in got)]
            complaints = [g for g in got if COMPLAINT.match(g) and g not in expected]
            shown = "\n".join("    | " + g for g in got[-20:])
            check(f"readme.{cmd}", at is not None and not missing and not complaints,
                  ("no prompt came back; " if at is None else "") +
                  (f"the README shows {missing} but the output was:\n{shown}" if missing else "") +
                  (f"the shell complained: {complaints}" if complaints else "") or shown)
            if at is None:
                return
            restarted = RESTART.match(cmd)
            if restarted:               # keys typed before the new driver runs die with the old
                con.wait_for(f"svcmgr: {restarted.group(1)} (pid".encode(), start, COMMAND_BUDGET)
    finally:
        con.close()


def check_gdb(cmds, typed, check):
    """One README GDB session, typed into make gdb against a make run boot (with |typed|
    typed at the shell's first prompt): it must stop in the sys_ handler it breaks on last,
    bt there must reach a program's main, and no command may fail."""
    handlers = [m.group(2) for c in cmds for m in [re.match(r"(h?break) (sys_\w+)\b", c)] if m]
    check("readme.gdb-breaks-in-a-handler", bool(handlers),
          f"expected the README's GDB commands to break in a sys_ handler: {cmds}")
    if not handlers:
        return
    handler = handlers[-1]
    script = f"{BUILD}/readme-gdb-{handler}.gdb"
    with open(script, "w") as fh:
        fh.write("\n".join(cmds) + "\nkill\n")
    out = test_gdb.run_gdb(script, make_iso("readme-gdb", ""), as_student=True,
                           typed=typed.encode() + b"\n" if typed else None)
    stop = re.search(rf"^(Hardware assisted b|B)reakpoint \d+, {handler} \(", out, re.M)
    said = "gdb said:\n" + "\n".join("    | " + l for l in out.splitlines()[-60:])
    check("readme.gdb-stops-in-" + handler, stop is not None and re.search(r" in main \(.*\n?.*at user/", out[stop.end():]),
          f"expected the README's {cmds} to stop in {handler} and bt to reach a program's main; " + said)
    errors = [l for l in out.splitlines()
              if re.match(r"(No symbol|Undefined command|No breakpoint|Cannot access|Function \S+ not defined)", l)]
    check(f"readme.gdb-{handler}-commands-work", not errors,
          f"expected every command of the README's session to work, got: {errors}; " + said)


def check_readme(check, readme="README.md"):
    """The whole check; reports through |check|(name, ok, why)."""
    with open(readme) as fh:
        text = fh.read()
    files = snippets(text)
    check("readme.snippets", len(files) == 2, f"expected a first program and a first test in the README, found {list(files)}")
    sessions = gdb_sessions(text)
    check("readme.gdb-sessions", len(sessions) >= 2,
          f"expected the first hour's GDB session and the longer walkthrough, found {len(sessions)}")
    for cmds, typed in sessions:
        check_gdb(cmds, typed, check)
    with tempfile.TemporaryDirectory(prefix="ember-readme-") as tmp:
        bootfs, why = build_bootfs(files, tmp)
        check("readme.hello-builds", bootfs is not None, why)
        if bootfs is None:
            return
        iso = os.path.join(tmp, "readme.iso")
        subprocess.run(["scripts/mkiso.sh", iso, f"{BUILD}/kernel.elf", bootfs, ""], check=True,
                       capture_output=True)
        run_session(iso, commands(text), check)


def main():
    verbose = "-v" in sys.argv
    failed = []

    def check(name, ok, why):
        print(("PASS " if ok else "FAIL ") + name + (f": {why}" if not ok or verbose else ""))
        if not ok:
            failed.append(name)
    check_readme(check)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
