"""Shell sessions typed from the host (make test's `shell` layer).

Each session boots Ember as `make run` does (init, the supervisor, consoled,
the shell on the serial line) and types into the shell as a student would,
through readme_check's Console: a line when the shell prompts for it, a key
(Ctrl-C) when a program is running.  What is checked is what came out on the
serial line.  Host input: these runs do not repeat from the seed.

Ctrl-C is pressed again every CTRL_C_EVERY seconds until the prompt returns
(at most CTRL_C_TRIES times): the shell makes a program the foreground only
once it has started it, and a key pressed before that ends nothing.  So no
check depends on how fast the host or the guest is; a Ctrl-C that never
works fails after the last try.
"""
import re
import time

from harness import make_iso
from readme_check import Console, PROMPT, output_lines

COMMAND_BUDGET = 90         # seconds for one command to bring the next prompt, under TCG
CTRL_C_EVERY = 2            # seconds between two presses of Ctrl-C
CTRL_C_TRIES = 15


class Shell:
    """One boot to the shell prompt, and commands typed into it."""

    def __init__(self, name):
        self.con = Console(make_iso(f"shell-{name}", ""))
        self.at = self.con.prompt_after(0, COMMAND_BUDGET)
        self.transcript = []

    def command(self, line, budget=COMMAND_BUDGET):
        """Types |line|; the lines it printed before the next prompt, or None if none came."""
        if self.at is None:
            return None                 # a step before this one never got its prompt back
        start = self.at + len(PROMPT)
        self.con.type(line)
        self.at = self.con.prompt_after(start, budget)
        return self.lines_since(start)

    def interrupt(self, line):
        """Types |line|, then Ctrl-C until the prompt comes back; its lines, or None."""
        if self.at is None:
            return None
        start = self.at + len(PROMPT)
        self.con.type(line)
        for _ in range(CTRL_C_TRIES):
            time.sleep(CTRL_C_EVERY)
            self.con.press(b"\x03")
            self.at = self.con.prompt_after(start, CTRL_C_EVERY)
            if self.at is not None:
                break
        return self.lines_since(start)

    def lines_since(self, start):
        end = self.at if self.at is not None else len(self.con.out)
        got = [l.strip() for l in output_lines(self.con.out[start:end])[1:]]
        self.transcript += [PROMPT.decode() + "..."] + got
        return got if self.at is not None else None

    def shown(self):
        return "\n".join("    | " + l for l in self.transcript[-25:])

    def close(self):
        self.con.close()


def interrupted(lines, program):
    """Whether the shell reported |program| ended by Ctrl-C (killed with code 130)."""
    return lines is not None and any(re.match(rf"sh: {program}: .*\b130\b", l) for l in lines)


def session(r, name, steps):
    """Boots a shell and runs |steps|(shell, check); every check is named shell.NAME.*."""
    sh = Shell(name)
    try:
        if sh.at is None:
            r.fail(f"shell.{name}", "no prompt after boot:\n" + sh.con.out[-800:].decode("utf-8", "replace"))
            return
        steps(sh, lambda what, ok, why="": r.check(f"shell.{name}.{what}", ok, (why + "\n" if why else "") + sh.shown()))
    finally:
        sh.close()


def ctrl_c_after_console_crash(sh, check):
    """Issue 9: after the console driver is crashed and restarted, Ctrl-C still ends the
    foreground program (libc tells the new driver what the foreground is)."""
    check("crash", sh.command("svc crash console") is not None, "no prompt after svc crash console")
    check("spin-ended-by-ctrl-c", interrupted(sh.interrupt("spin"), "spin"),
          "expected Ctrl-C to end spin (sh: spin: ... 130)")
    check("shell-answers", "still-here" in (sh.command("echo still-here") or []))


def ctrl_c_after_restart_in_foreground(sh, check):
    """The console driver restarted while a program is the foreground: the shell, waiting for
    it, tells the new driver, and Ctrl-C ends it."""
    check("spin-ended-by-ctrl-c", interrupted(sh.interrupt("spin | svc restart console"), "spin"),
          "expected Ctrl-C to end spin after the console's restart (sh: spin: ... 130)")
    check("shell-answers", "still-here" in (sh.command("echo still-here") or []))


SESSIONS = [
    ("ctrl-c-after-crash", ctrl_c_after_console_crash),
    ("ctrl-c-after-restart", ctrl_c_after_restart_in_foreground),
]


def layer_shell(r):
    print("shell: sessions typed into the shell from the host (Ctrl-C, job control)")
    for name, steps in SESSIONS:
        session(r, name, steps)
