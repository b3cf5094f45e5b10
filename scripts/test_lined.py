"""The lined layer of make test (scripts/test.py): line editing at the console, typed on
the serial line as a student types it.

A `make run` boot: init, the supervisor, consoled, the shell.  Keys go in as the escape
sequences a terminal sends (Esc [ D is Left), and what is checked is the line the program
received, seen in its output: echo prints its arguments, cat the lines it reads, the shell
complains about a line too long for it.  Covered: insert in the middle with Left, Home and
End; Up recalling the shell's last line, in the shell and in another program (the history
is consoled's, one for every reader: docs/09-drivers.md, "Line editing"); an unknown and a
broken escape sequence losing no typed byte; a sequence split across two reads of the UART;
a line longer than the console's editor (LINE_EDIT_MAX) arriving whole; the shell's help
naming the keys.
These runs use the host's clock and typing: they do not repeat from the seed.
"""
import time

import readme_check
from harness import log_path, make_iso

UP, LEFT, HOME, END = b"\x1b[A", b"\x1b[D", b"\x1b[H", b"\x1b[F"
CTRL_D = b"\x04"
SPLIT_PAUSE = 1.0       # seconds between two halves of a sequence: consoled reads them apart
BUDGET = readme_check.COMMAND_BUDGET
LONG = 300              # bytes in the long line: more than the editor's 256, the shell's 255


class Session:
    """A booted Ember at its shell prompt; each command's output lines, the typed line cut."""

    def __init__(self, con):
        self.con = con
        self.at = con.prompt_after(0, BUDGET)

    def command(self, keys):
        """Types |keys| (a pair: two halves, with a pause between them, so consoled takes
        them in two interrupts).  The lines printed up to the next prompt, the first (what
        was typed) cut; None when no prompt came back."""
        start = self.at + len(readme_check.PROMPT)
        if isinstance(keys, tuple):
            self.con.press(keys[0])
            time.sleep(SPLIT_PAUSE)
            keys = keys[1]
        self.con.press(keys)
        self.at = self.con.prompt_after(start, BUDGET)
        if self.at is None:
            return None
        return [l.strip() for l in readme_check.output_lines(self.con.out[start:self.at])[1:]]


def cases():
    """(name, keys, a line the output must hold).  A line echoed while being edited holds
    backspaces, so only a program's own output can match."""
    return [
        ("insert-in-the-middle", b"echo lined-abd" + LEFT + b"c\r", "lined-abcd"),
        ("home-and-end", b"cho lined-h" + HOME + b"e" + END + b"ome\r", "lined-home"),
        ("history-recall", UP + b"\r", "lined-home"),
        ("history-recall-edited", UP + LEFT * 3 + b"X\r", "lined-hXome"),
        # the shell's line "cat", recalled in cat and edited there; Ctrl-D ends cat
        ("history-in-another-program", b"cat\r" + UP + HOME + b">\r" + CTRL_D, ">cat"),
        ("unknown-escape", b"echo lined-a\x1b[Zb\x1b[1;5Cc\x1b[15~d\r", "lined-abcd"),
        ("broken-escape", b"echo lined-a\x1bxb\r", "lined-axb"),
        ("escape-split-across-reads", (b"echo lined-ab\x1b[", b"DX\r"), "lined-aXb"),
        ("overlong-line", b"echo " + b"y" * LONG + b"\r", "sh: line too long (at most 255 characters)"),
        ("after-the-long-line", b"echo lined-still-here\r", "lined-still-here"),
        ("help-names-the-keys", b"help\r",
         "Up/Down recall the last 16 lines, in any program that reads the console."),
    ]


def layer_lined(r):
    print("lined: the arrows, Home, End and the history at the console, typed on the serial line")
    print("  (these runs type from the host: host input, so they do not repeat from the seed)")
    con = readme_check.Console(make_iso("lined", ""))
    try:
        s = Session(con)
        r.check("lined.boot-to-prompt", s.at is not None, "no shell prompt after boot")
        for name, keys, want in cases():
            if s.at is None:
                r.fail(f"lined.{name}", "no prompt came back after the case before")
                continue
            got = s.command(keys)
            shown = "\n".join("    | " + repr(g) for g in (got or [])[-12:])
            r.check(f"lined.{name}", got is not None and want in got and not any("not found" in g for g in got),
                    f"expected the line {want!r} in the output" + ("; no prompt came back" if got is None else "")
                    + f"; got:\n{shown}")
    finally:
        con.close()
        with open(log_path("lined"), "wb") as f:
            f.write(bytes(con.out))
