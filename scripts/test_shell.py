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

from harness import log_path, make_iso
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
        self.typed_at = 0

    def command(self, line, budget=COMMAND_BUDGET):
        """Types |line|; the lines it printed before the next prompt, or None if none came."""
        if self.at is None:
            return None                 # a step before this one never got its prompt back
        start = self.typed_at = self.at + len(PROMPT)
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

    def wait_for(self, text, budget=COMMAND_BUDGET):
        """Whether |text| (bytes) came out since the last command was typed, within |budget| seconds."""
        deadline = time.monotonic() + budget
        while time.monotonic() < deadline and self.con.proc.poll() is None:
            if self.con.out.find(text, self.typed_at) >= 0:
                return True
            time.sleep(0.2)
        return False

    def lines_since(self, start):
        end = self.at if self.at is not None else len(self.con.out)
        got = [l.strip() for l in output_lines(self.con.out[start:end])[1:]]
        self.transcript += [PROMPT.decode() + "..."] + got
        return got if self.at is not None else None

    def shown(self):
        return "\n".join("    | " + l for l in self.transcript[-25:])

    def close(self):
        self.con.close()


def quiet(lines):
    """Whether a command came back to the prompt without printing anything."""
    return lines is not None and not any(lines)


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
        with open(log_path(f"shell-{name}"), "wb") as f:     # the whole serial output
            f.write(bytes(sh.con.out))


def ctrl_c_after_console_crash(sh, check):
    """Issue 9: after the console driver is crashed and restarted, Ctrl-C still ends the
    foreground program (libc tells the new driver what the foreground is)."""
    check("crash", sh.command("svc crash console") is not None, "no prompt after svc crash console")
    # The driver faults at its next request, which may come after the prompt (the
    # supervisor's ping): keys typed before then die with it, as docs/09 says.
    check("restarted", sh.wait_for(b"svcmgr: console (pid"), "expected svcmgr to restart the console driver")
    check("spin-ended-by-ctrl-c", interrupted(sh.interrupt("spin"), "spin"),
          "expected Ctrl-C to end spin (sh: spin: ... 130)")
    check("shell-answers", "still-here" in (sh.command("echo still-here") or []))


def ctrl_c_after_restart_in_foreground(sh, check):
    """The console driver restarted while a program is the foreground: the shell, waiting for
    it, tells the new driver, and Ctrl-C ends it."""
    check("spin-ended-by-ctrl-c", interrupted(sh.interrupt("spin | svc restart console"), "spin"),
          "expected Ctrl-C to end spin after the console's restart (sh: spin: ... 130)")
    check("shell-answers", "still-here" in (sh.command("echo still-here") or []))


def background_jobs(sh, check):
    """cmd &, jobs, wait, and the notice when a background job ends."""
    out = sh.command("sleep 3 &") or []
    check("announce", any(re.fullmatch(r"\[1\] \d+ sleep 3", l) for l in out), "expected '[1] PID sleep 3'")
    check("jobs-lists", "[1] running  sleep 3" in (sh.command("jobs") or []), "expected '[1] running  sleep 3'")
    check("wait-and-notice", "[1] done  sleep 3" in (sh.command("wait") or []),
          "expected wait to end with the notice '[1] done  sleep 3'")
    check("jobs-empty", quiet(sh.command("jobs")), "expected no job left")
    check("nothing-started", "sh: nosuch: command not found" in (sh.command("nosuch &") or [])
          and quiet(sh.command("jobs")), "expected no job for a line whose programs did not start")
    done = (sh.command("echo x | true &") or []) + (sh.command("sleep 500ms") or [])
    check("notice-at-prompt", "[1] done  echo x | true" in done,
          "expected '[1] done  echo x | true' before a later prompt")


def fg_and_kill(sh, check):
    """fg %n brings a job to the foreground, where Ctrl-C ends it; kill %n ends a job."""
    sh.command("spin &")
    check("fg-ctrl-c", interrupted(sh.interrupt("fg %1"), "spin"), "expected Ctrl-C to end spin brought back by fg")
    check("fg-no-job", "fg: no background job" in (sh.command("fg") or []))
    check("help-says-so", any("'fg %n'" in l and "'wait'" in l for l in sh.command("help") or []),
          "expected the shell's help to name fg %n and wait")
    sh.command("spin | spin &")
    out = (sh.command("kill %1") or []) + (sh.command("wait") or [])
    check("kill-job", "[1] killed (code 9)  spin | spin" in out and quiet(sh.command("jobs")),
          "expected job 1 killed with code 9, and gone")
    check("kill-no-job", "kill: %7: no such job" in (sh.command("kill %7") or []))


def only_foreground_reads(sh, check):
    """A background cat does not take what is typed for the shell; brought to the
    foreground it reads, and Ctrl-D ends its input."""
    sh.command("cat &")
    check("shell-gets-the-line", "typed-for-the-shell" in (sh.command("echo typed-for-the-shell") or []),
          "expected the shell, not the background cat, to read the line")
    if sh.at is None:
        return                          # the line went to cat: no prompt to go on from
    start = sh.at + len(PROMPT)
    sh.con.type("fg %1")
    time.sleep(CTRL_C_EVERY)
    sh.con.type("line-for-cat")
    time.sleep(CTRL_C_EVERY)
    sh.con.press(b"\x04")
    sh.at = sh.con.prompt_after(start, COMMAND_BUDGET)
    out = sh.lines_since(start) or []
    check("cat-reads-in-foreground", out.count("line-for-cat") == 2, "expected the line echoed, then cat's copy")
    check("shell-answers", "still-here" in (sh.command("echo still-here") or []))


def orphans_after_restart(sh, check):
    """A shell's background jobs end with it: after exit (init starts a new shell) the
    name kvserver registered is free, and a new kvserver serves."""
    sh.command("kvserver &")
    check("kv-set", quiet(sh.command("kvclient set color blue")))
    check("restarted", sh.command("exit") is not None, "no prompt from the restarted shell")
    sh.command("kvserver &")
    check("kv-again", "blue" not in (sh.command("kvclient get color") or []) and
          quiet(sh.command("kvclient set color red")) and "red" in (sh.command("kvclient get color") or []),
          "expected a fresh kvserver (the old one ended with its shell)")
    ps = sh.command("ps") or []
    check("one-kvserver", sum(1 for l in ps if re.search(r"\bkvserver\b", l)) == 1, "expected one kvserver in ps")
    out = (sh.command("kill %1") or []) + (sh.command("wait") or [])
    check("kill-new", "[1] killed (code 9)  kvserver" in out, "expected kill %1 to end the new kvserver")


SESSIONS = [
    ("ctrl-c-after-crash", ctrl_c_after_console_crash),
    ("ctrl-c-after-restart", ctrl_c_after_restart_in_foreground),
    ("background", background_jobs),
    ("fg-kill", fg_and_kill),
    ("foreground-reads", only_foreground_reads),
    ("orphans", orphans_after_restart),
]


def layer_shell(r, only=None):
    print("shell: sessions typed into the shell from the host (Ctrl-C, job control)")
    for name, steps in SESSIONS:
        if only in (None, name):
            session(r, name, steps)


if __name__ == "__main__":      # python3 scripts/test_shell.py [SESSION], after make
    import sys
    from harness import Results
    res = Results()
    layer_shell(res, sys.argv[1] if len(sys.argv) > 1 else None)
    print(f"{res.passed} passed, {res.failed} failed")
