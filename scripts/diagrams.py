#!/usr/bin/env python3
"""make diagrams: docs/diagrams/NAME.dot -> NAME.svg with Graphviz's dot.

Each SVG is checked in next to its source and carries the SHA-256 of the
source it was drawn from, so `make test` (scripts/docs_check.py) notices a
source edited without redrawing, without needing Graphviz itself.
`make diagrams` installs Graphviz when it is missing (Debian's graphviz)."""
import glob
import hashlib
import os
import subprocess
import sys

DIR = "docs/diagrams"
STAMP = "<!-- drawn from {name}.dot, sha256 {digest}, by scripts/diagrams.py -->\n"


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def stale():
    """[(dot, why)] for every diagram whose SVG is missing or was drawn from another source."""
    out = []
    for dot in sorted(glob.glob(os.path.join(DIR, "*.dot"))):
        name = os.path.splitext(os.path.basename(dot))[0]
        svg = os.path.join(DIR, name + ".svg")
        want = STAMP.format(name=name, digest=digest(dot))
        if not os.path.exists(svg):
            out.append((dot, "has no SVG: run make diagrams"))
        elif want not in open(svg).read():
            out.append((dot, "changed since its SVG was drawn: run make diagrams"))
    return out


def main():
    for dot in sorted(glob.glob(os.path.join(DIR, "*.dot"))):
        name = os.path.splitext(os.path.basename(dot))[0]
        svg = subprocess.run(["dot", "-Tsvg", dot], capture_output=True, text=True, check=True).stdout
        head, sep, body = svg.partition("<svg")          # the stamp goes after the XML prolog
        with open(os.path.join(DIR, name + ".svg"), "w") as f:
            f.write(head + STAMP.format(name=name, digest=digest(dot)) + sep + body)
        print(f"diagrams: {name}.svg")
    sys.exit(0)


if __name__ == "__main__":
    main()
