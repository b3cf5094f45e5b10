#!/usr/bin/env python3
"""Writes /etc/programs for `help`: one line per program of /bin, its name and
the first sentence of the comment that opens its source ("echo: prints its
arguments...").  Usage: helptext.py user/NAME.c ... > build/bootfs/etc/programs
A program whose source opens without "NAME...: what it does" fails the build,
so every program says what it is."""
import os
import re
import sys


def summary(path):
    name = os.path.splitext(os.path.basename(path))[0]
    text = open(path).read()
    m = re.match(r"\s*/\*+(.*?)\*/", text, re.S)
    body = " ".join(l.strip().lstrip("*").strip() for l in (m.group(1) if m else "").splitlines())
    m = re.match(rf"{re.escape(name)}\b[^:]*:\s*(.+?\.)(\s|$)", body.strip())
    if not m:
        sys.exit(f"helptext: {path} does not open with '{name}: what it does.'")
    return name, re.sub(r"\s*\([^)]*\)", "", m.group(1))   # asides in parentheses are for readers of the source


def main():
    for path in sorted(sys.argv[1:]):
        name, what = summary(path)
        print(f"{name:10s} {what}")


if __name__ == "__main__":
    main()
