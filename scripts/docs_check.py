#!/usr/bin/env python3
"""The book must match the code: every name the docs cite must exist.

Reads README.md, docs/*.md and the labs' handouts and checks, line by line:
  - a `file/path.c` in backticks is a file of the repository (a path under
    kernel/ may drop the "kernel/" prefix, as the chapters do);
  - a `function_name` or `CONSTANT_NAME` in backticks (one with an underscore,
    so plain words pass) occurs in the source: kernel, libc, user, tests,
    scripts, the Makefile;
  - a Markdown link to a local file leads to one;
  - no document cites a design file that is not in the repository;
  - every chapter (docs/NN-*.md) ends with a section "## Exercises" of 3 to 6
    numbered exercises;
  - every name in a diagram's source (docs/diagrams/*.dot) with an underscore
    occurs in the source, and every diagram's SVG was drawn from its source
    as it is now (scripts/diagrams.py stamps each SVG with its source's hash).

It also runs scripts/bench_record.py's check: every number the docs mark as
coming from `make bench` is the one docs/bench-record.json recorded.

Placeholders (a path with NAME in it, such as tests/user/NAME.c), the
examples the docs ask the reader to write (EXAMPLES below), and names of other
systems (a name that follows "NT", "Zircon", "Linux" and the like within a few
words, as in "Zircon's `zx_handle_replace`") are not checked.
Prints one line per stale name and exits 1 if there is any.  make test runs it
as its `docs` layer; run it alone with `python3 scripts/docs_check.py`.
"""
import glob
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_record  # noqa: E402
import diagrams  # noqa: E402

# Names the docs use for things the reader writes, or that belong to other systems.
EXAMPLES = {
    "user/hello.c": "the reader's first program (README, chapter 8)",
    "tests/user/hello.c": "the reader's first test suite (chapter 8)",
    "first_case": "a test case in chapter 8's example suite",
    "second_case": "a test case in chapter 8's example suite",
    "PIPE_BUF": "POSIX's atomic pipe write size, compared with Ember's PIPE_ATOMIC",
}
DOT_WORDS = {"cluster_user", "cluster_kernel", "cluster_client", "cluster_server"}   # Graphviz's own
SOURCE = re.compile(r"\.(c|h|S|py|sh|def|ld|gdb|cfg)$|(^|/)(Makefile|gdbinit)$")
PATHLIKE = re.compile(r"[\w.\-/]+\.(c|h|S|py|sh|md|def|ld|gdb|cfg|svg|dot)")
DESIGN_FILES = ("ARCHITECTURE.md", "TESTING.md", "STYLE.md")
FOREIGN = re.compile(r"\b(NT|Windows|ReactOS|Wine|Zircon|Fuchsia|Linux|POSIX|Unix|xv6|seL4|L4|MINIX|"
                     r"glibc|musl|C11|C99)\b")
FOREIGN_REACH = 80          # characters before a name in which a system's name makes it foreign


def tracked_files():
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                         capture_output=True, text=True, check=True).stdout
    return [f for f in out.split("\n") if f and os.path.isfile(f)]


def source_words(files):
    words = set()
    for f in files:
        if SOURCE.search(f):
            with open(f, errors="replace") as fh:
                words.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", fh.read()))
    return words


def path_exists(tok, doc):
    if "NAME" in tok or tok in EXAMPLES:
        return True
    here = os.path.dirname(doc)
    return any(os.path.exists(p) for p in (tok, os.path.join(here, tok), os.path.join("kernel", tok)))


def check_line(doc, lineno, line, prev, words, names):
    problems = []
    for m_tok in re.finditer(r"`([^`\n]+)`", line):
        tok = m_tok.group(1).strip()
        m = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)(\(\))?", tok)
        if m:
            name = m.group(1)
            before = (prev + " " + line[:m_tok.start()])[-FOREIGN_REACH:]
            if "_" in name.strip("_") and name not in words and name not in EXAMPLES and \
                    "NAME" not in name and not FOREIGN.search(before):
                problems.append(f"`{tok}` names nothing in the source")
        elif PATHLIKE.fullmatch(tok) and "/" in tok and not path_exists(tok, doc):
            problems.append(f"`{tok}` is not a file in the repository")
    for link in re.findall(r"\]\(([^)#\s]+)", line):
        if "://" not in link and not os.path.exists(os.path.join(os.path.dirname(doc), link)):
            problems.append(f"the link to {link} leads nowhere")
    for name in re.findall(r"\b(" + "|".join(re.escape(d) for d in DESIGN_FILES) + r")\b", line):
        if name not in names:
            problems.append(f"cites {name}, which is not in the repository")
    return [f"{doc}:{lineno}: {p}" for p in problems]


EXERCISES_MIN, EXERCISES_MAX = 3, 6


def exercises_problem(doc):
    """Why chapter |doc| does not end with its exercises, or None."""
    with open(doc) as fh:
        text = fh.read()
    sections = re.split(r"^## ", text, flags=re.M)
    if len(sections) < 2 or not sections[-1].startswith("Exercises\n"):
        return "does not end with a section \"## Exercises\""
    count = len(re.findall(r"^\d+\. ", sections[-1], flags=re.M))
    if not EXERCISES_MIN <= count <= EXERCISES_MAX:
        return f"has {count} exercises; a chapter gives {EXERCISES_MIN} to {EXERCISES_MAX}"
    return None


def stale_names(root="."):
    """Every stale citation in the docs, as 'file:line: what' strings."""
    os.chdir(root)
    files = tracked_files()
    words = source_words(files)
    names = {os.path.basename(f) for f in files}
    docs = ["README.md"] + sorted(f for f in files if f.startswith(("docs/", "labs/")) and f.endswith(".md"))
    found = []
    for doc in docs:
        in_code, prev = False, ""
        with open(doc) as fh:
            for lineno, line in enumerate(fh, 1):
                if line.lstrip().startswith("```"):
                    in_code = not in_code       # code blocks show code, not citations
                    continue
                if not in_code:
                    found += check_line(doc, lineno, line.rstrip("\n"), prev, words, names)
                    prev = line.rstrip("\n")
    for doc in docs:
        why = re.fullmatch(r"docs/\d\d-[\w-]+\.md", doc) and exercises_problem(doc)
        if why:
            found.append(f"{doc}: {why}")
    for dot in sorted(glob.glob("docs/diagrams/*.dot")):
        with open(dot) as fh:
            for lineno, line in enumerate(fh, 1):
                if line.lstrip().startswith("//"):
                    continue
                for name in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", line.replace("\\n", " ")):
                    if "_" in name.strip("_") and name not in words and name not in DOT_WORDS:
                        found.append(f"{dot}:{lineno}: {name} names nothing in the source")
    found += [f"{dot}: {why}" for dot, why in diagrams.stale()]
    return found


def main():
    found = stale_names(sys.argv[1] if len(sys.argv) > 1 else ".")
    numbers = bench_record.check()
    for line in found + numbers:
        print(line)
    print(f"docs: {len(found)} stale name{'s' if len(found) != 1 else ''}, "
          f"{len(numbers)} bench number{'s' if len(numbers) != 1 else ''} unlike the record")
    sys.exit(1 if found or numbers else 0)


if __name__ == "__main__":
    main()
