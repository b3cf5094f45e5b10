#!/usr/bin/env python3
"""The numbers the docs quote from `make bench`, and the check that they match.

`make bench` writes build/bench.json: one run, with its date, its commit and
every number it printed.  docs/bench-record.json is the checked-in record: a
list of such runs, oldest first; the last is the current one.  A number in
README.md or docs/*.md that came from `make bench` carries a mark, an HTML
comment right after it (invisible where the Markdown is shown):

    a round trip costs 2,120<!-- bench: lpc-roundtrip --> instructions
    it was 3,385<!-- bench f353b94: section-map --> before the spares

The key is a row of `make bench` (its Ember column), `boot` (kernel entry to
ring 3), or `linux:ROW` (the Linux column).  Without a run id the number is
the current run's; with one (a run's "id", its commit's first 7 digits) it is
that run's, which is how a "before" stays right after the record moves on.
`make bench-scale OUT=docs/perf` writes the curves chapter 12 shows; a number
read off one is marked `<!-- scale: OPERATION DRIVER -->` and checked against
docs/perf/OPERATION.csv, the row whose driver is DRIVER.

A whole table as `make bench` prints it is a fenced block after a line
`<!-- bench table -->` (or `<!-- bench table ID -->`) on a line of its own.

    python3 scripts/bench_record.py check   # what make test's docs layer runs
    python3 scripts/bench_record.py save    # make bench-record: keep build/bench.json
                                            # as the current run, rewrite every mark
                                            # without an id to its numbers and every
                                            # scale mark to docs/perf's

A profile `make bench-trace ROW=R OUT=docs/perf` kept (docs/perf/trace-R.txt,
its first line naming the commit traced) is quoted as a fenced block after a
line `<!-- trace: perf/trace-R.txt -->`: each line of the block is a number
and a function name the file has, followed by any words of explanation.

A mark whose number differs from the record, names a key or a run the record
does not have, or a table that differs, fails the check.
"""
import glob
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402

RECORD = "docs/bench-record.json"
LAST_RUN = "build/bench.json"
MARK = re.compile(r"([0-9][0-9,]*)<!-- bench(?: ([\w+.-]+))?: ([\w:.-]+) -->")
SCALE_MARK = re.compile(r"([0-9][0-9,]*)<!-- scale: ([\w-]+) ([0-9]+) -->")
SCALE_DIR = "docs/perf"
TABLE = re.compile(r"<!-- bench table(?: ([\w+.-]+))? -->$")     # a line of its own
TRACE = re.compile(r"<!-- trace: ([\w/.-]+) -->$")                # a line of its own


def documents():
    return ["README.md"] + sorted(glob.glob("docs/*.md"))


def load_runs():
    with open(RECORD) as f:
        return json.load(f)["runs"]


def find_run(runs, run_id):
    """The run named |run_id| (None: the current one), or None."""
    if run_id is None:
        return runs[-1] if runs else None
    return next((r for r in runs if r["id"] == run_id), None)


def value(run, key):
    """The number |key| names in |run|, or None."""
    if key == "boot":
        return run.get("boot")
    if key.startswith("linux:"):
        return (run.get("linux") or {}).get(key[len("linux:"):])
    return run["ember"].get(key)


def scale_value(op, driver):
    """The instructions docs/perf/OP.csv has for |driver|, or None."""
    try:
        with open(f"{SCALE_DIR}/{op}.csv") as f:
            rows = [line.strip().split(",") for line in f][1:]
    except OSError:
        return None
    return next((int(r[1]) for r in rows if r[0] == driver), None)


def table_block(lines, i):
    """The fenced block that starts at line |i| (after a table mark): (its lines, the index past it)."""
    if i >= len(lines) or not lines[i].startswith("```"):
        return None, i
    end = i + 1
    while end < len(lines) and not lines[end].startswith("```"):
        end += 1
    return [line.rstrip("\n") for line in lines[i + 1:end]], end + 1


def trace_problems(doc, n, lines, path):
    """Block lines after the trace mark on line |n| that the kept profile |path| does not have."""
    block, _ = table_block(lines, n)
    try:
        with open(os.path.join(os.path.dirname(doc), path)) as f:
            kept = {tuple(line.split()[:2]) for line in f}
    except OSError:
        return [f"{doc}:{n}: no kept profile {path} (make bench-trace ROW=... OUT=docs/perf)"]
    if not block:
        return [f"{doc}:{n}: a trace mark needs a fenced block"]
    return [f"{doc}:{n + 2 + i}: '{' '.join(b.split()[:2])}' is not in {path}"
            for i, b in enumerate(block) if tuple(b.split()[:2]) not in kept]


def check_document(doc, runs):
    """Every mark in |doc| that disagrees with the record, as 'file:line: what' strings."""
    problems = []
    with open(doc) as f:
        lines = f.readlines()
    for n, line in enumerate(lines, 1):
        for m in MARK.finditer(line):
            number, run_id, key = m.group(1), m.group(2), m.group(3)
            run = find_run(runs, run_id)
            want = value(run, key) if run else None
            if run is None:
                problems.append(f"{doc}:{n}: no run {run_id or '(current)'} in {RECORD}")
            elif want is None:
                problems.append(f"{doc}:{n}: run {run['id']} has no number '{key}'")
            elif number != f"{want:,}":
                problems.append(f"{doc}:{n}: {number} for '{key}', but run {run['id']} measured {want:,}")
        for m in SCALE_MARK.finditer(line):
            want = scale_value(m.group(2), m.group(3))
            if want is None or m.group(1) != f"{want:,}":
                problems.append(f"{doc}:{n}: {m.group(1)} for {m.group(2)} at {m.group(3)}, but "
                                f"{SCALE_DIR}/{m.group(2)}.csv has {'nothing' if want is None else f'{want:,}'}")
        m = TRACE.match(line.strip())
        if m:
            problems += trace_problems(doc, n, lines, m.group(1))
        m = TABLE.match(line.strip())
        if m:
            run = find_run(runs, m.group(1))
            block, _ = table_block(lines, n)
            if run is None or block is None:
                problems.append(f"{doc}:{n}: a bench table mark needs a recorded run and a fenced block")
            elif block != bench.table_lines(run):
                problems.append(f"{doc}:{n}: the table is not what run {run['id']} printed "
                                f"(python3 scripts/bench_record.py save rewrites it)")
    return problems


def check():
    """Every mismatch between the docs' bench numbers and the record."""
    runs = load_runs()
    return [p for doc in documents() for p in check_document(doc, runs)]


def catches_a_wrong_number(tmp="build/bench-mark-test.md"):
    """make test's check of this check: of a right and a wrong boot count, only the wrong one fails."""
    runs = load_runs()
    boot = runs[-1]["boot"]
    with open(tmp, "w") as f:
        f.write(f"right: {boot:,}<!-- bench: boot -->\nwrong: {boot + 1:,}<!-- bench: boot -->\n")
    problems = check_document(tmp, runs)
    os.remove(tmp)
    return len(problems) == 1 and problems[0].startswith(f"{tmp}:2:")


def catches_a_wrong_profile(tmp="build/bench-trace-test.md", kept="build/trace-test.txt"):
    """The same for a quoted profile: of a kept line and a changed one, only the changed fails."""
    with open(kept, "w") as f:
        f.write("make bench-trace ROW=test on 0000000\n    10.0  user_copy\n")
    with open(tmp, "w") as f:
        f.write("<!-- trace: trace-test.txt -->\n```\n   10.0  user_copy   two copies\n"
                "   11.0  user_copy\n```\n")
    problems = check_document(tmp, [])
    os.remove(tmp)
    os.remove(kept)
    return len(problems) == 1 and problems[0].startswith(f"{tmp}:4:")


def rewrite_document(doc, run):
    """Puts |run|'s numbers into every mark of |doc| without a run id, its table after every
    table mark without one, and docs/perf's numbers into every scale mark."""
    with open(doc) as f:
        lines = f.readlines()
    out, i = [], 0
    while i < len(lines):
        line = MARK.sub(lambda m: m.group(0) if m.group(2) or value(run, m.group(3)) is None else
                        f"{value(run, m.group(3)):,}<!-- bench: {m.group(3)} -->", lines[i])
        line = SCALE_MARK.sub(lambda m: m.group(0) if scale_value(m.group(2), m.group(3)) is None else
                              f"{scale_value(m.group(2), m.group(3)):,}" + m.group(0)[len(m.group(1)):], line)
        out.append(line)
        i += 1
        m = TABLE.match(line.strip())
        if m and not m.group(1):
            block, past = table_block(lines, i)
            if block is not None:
                out += [lines[i]] + [t + "\n" for t in bench.table_lines(run)] + [lines[past - 1]]
                i = past
    with open(doc, "w") as f:
        f.writelines(out)


def save():
    """Keeps build/bench.json as the current run (replacing a run with its id) and rewrites the docs."""
    with open(LAST_RUN) as f:
        run = json.load(f)
    runs = [r for r in load_runs() if r["id"] != run["id"]] + [run]
    with open(RECORD, "w") as f:
        json.dump({"runs": runs}, f, indent=1)
        f.write("\n")
    for doc in documents():
        rewrite_document(doc, run)
    print(f"bench record: run {run['id']} of {run['date']} is current; marked numbers rewritten "
          f"(git diff shows them; the prose around them may need a word)")


def main():
    if sys.argv[1:] == ["save"]:
        save()
        return 0
    problems = check()
    for p in problems:
        print(p)
    print(f"bench numbers: {len(problems)} mismatch{'es' if len(problems) != 1 else ''}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
