#!/usr/bin/env python3
"""Ember's labs: cut a student tree from the real kernel, and grade one.

  lab.py list                    the labs, in course order, with their points
  lab.py start LAB [DEST]        a student tree for LAB in DEST (default ../ember-LAB)
  lab.py strip LAB               strip LAB's solution in this tree, in place
  lab.py grade [LAB]             build, run the graded tests, print points (and build/grade.json)

Each lab is a folder labs/NAME/ with a handout (README.md) and grade.txt, one
graded test per line: "SUITE.CASE POINTS".  Its solution is code in the
kernel marked in place:

    /* LAB NAME BEGIN stub: (void)o; */
    ...the reference solution...
    /* LAB NAME END */

Stripping replaces each marked region with its stub (one line that keeps the
tree building) and a comment pointing at the handout.  The result builds,
boots, and fails that lab's graded tests; labs/README.md says which other
tests lean on the same code.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402

LABS_DIR = "labs"
ORDER_FILE = os.path.join(LABS_DIR, "ORDER")
STRIPPED_MARK = ".ember-lab"        # in a student tree: which lab it was cut for
CASE_TIMEOUT_S = 20                 # a graded case that runs longer fails (testrun --timeout)
RUN_BUDGET_S = 600
CMDLINE_ROOM = 256 - 1 - len("-- /bin/testrun --timeout 999 ")
MARKER = re.compile(r"^([ \t]*)/\* LAB (\w+) BEGIN(?: stub: (.*?))? \*/\n(.*?)^[ \t]*/\* LAB \2 END \*/\n",
                    re.M | re.S)
SOURCE_DIRS = ("kernel", "libc", "user")


def die(msg):
    print(f"lab: {msg}", file=sys.stderr)
    sys.exit(2)


def lab_names():
    with open(ORDER_FILE) as f:
        return [l.split("#")[0].strip() for l in f if l.split("#")[0].strip()]


def graded_tests(lab):
    """[(SUITE.CASE, points)] of |lab|, from labs/LAB/grade.txt."""
    path = os.path.join(LABS_DIR, lab, "grade.txt")
    tests = []
    with open(path) as f:
        for line in f:
            line = line.split("#")[0].strip()
            if line:
                name, points = line.split()
                tests.append((name, int(points)))
    return tests


def source_files(root="."):
    for top in SOURCE_DIRS:
        for d, _, files in os.walk(os.path.join(root, top)):
            for f in files:
                if f.endswith((".c", ".h")):
                    yield os.path.join(d, f)


def regions(lab, root="."):
    """{file: count} of the marked regions of |lab| under |root|."""
    found = {}
    for path in source_files(root):
        with open(path) as f:
            n = sum(1 for m in MARKER.finditer(f.read()) if m.group(2) == lab)
        if n:
            found[path] = n
    return found


def strip(lab, root="."):
    """Replaces |lab|'s regions under |root| by their stubs; returns how many."""
    if os.path.exists(os.path.join(root, STRIPPED_MARK)):
        with open(os.path.join(root, STRIPPED_MARK)) as f:
            die(f"this tree was already cut for lab {f.read().strip()}: nothing changed")
    count = 0

    def replace(m):
        nonlocal count
        if m.group(2) != lab:
            return m.group(0)
        count += 1
        indent, stub = m.group(1), m.group(3)
        out = f"{indent}/* LAB {lab}: your code here (labs/{lab}/README.md) */\n"
        return out + (f"{indent}{stub}\n" if stub else "")

    for path in source_files(root):
        with open(path) as f:
            text = f.read()
        new = MARKER.sub(replace, text)
        if new != text:
            with open(path, "w") as f:
                f.write(new)
    if count == 0:
        die(f"no code is marked for lab {lab}")
    with open(os.path.join(root, STRIPPED_MARK), "w") as f:
        f.write(lab + "\n")
    return count


def cmd_start(lab, dest=None):
    if lab not in lab_names():
        die(f"no lab {lab!r}; the labs are: {' '.join(lab_names())}")
    if os.path.exists(STRIPPED_MARK):
        die("this tree is itself a student tree: start labs from the reference tree")
    dirty = subprocess.run(["git", "status", "--porcelain"], capture_output=True, text=True).stdout
    if dirty.strip():
        die("the tree has uncommitted changes; commit or stash them first (nothing was changed)")
    dest = dest or os.path.join("..", f"ember-{lab}")
    if os.path.exists(dest):
        die(f"{dest} already exists: nothing was changed")
    os.makedirs(dest)
    archive = subprocess.run(["git", "archive", "HEAD"], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", dest], input=archive, check=True)
    n = strip(lab, dest)
    subprocess.run(["git", "init", "-q", dest], check=True)
    subprocess.run(["git", "-C", dest, "add", "-A"], check=True)
    subprocess.run(["git", "-C", dest, "-c", "user.name=Ember", "-c", "user.email=ember@localhost",
                    "commit", "-q", "-m", f"Ember, lab {lab}: the starting point"], check=True)
    print(f"lab {lab}: {dest} is ready ({n} region{'s' if n != 1 else ''} to write); "
          f"the handout is {dest}/labs/{lab}/README.md; `make grade LAB={lab}` scores it")


def batches(cases):
    """|cases| in groups whose kernel command line fits BOOT_CMDLINE_MAX (256 bytes, multiboot.h)."""
    group, room = [], CMDLINE_ROOM
    for c in cases:
        if group and len(c) + 1 > room:
            yield group
            group, room = [], CMDLINE_ROOM
        group.append(c)
        room -= len(c) + 1
    if group:
        yield group


def run_cases(cases, echo):
    """Runs |cases| in as few boots as the command line allows; returns ({case: (ok, why)}, problem).
    A kernel that dies during a case fails that case with the reason; the cases after it run
    in a new boot.  A boot that dies before its first case ends the run: the rest did not run."""
    results, problems, pending = {}, [], list(cases)
    while pending:
        group = next(batches(pending))
        r, problem = run_batch(group, echo)
        results.update(r)
        if problem:
            problems.append(problem)
            for case, (ok, why) in r.items():
                if why == "no verdict":     # the case the kernel died in
                    results[case] = (False, problem.split(" before the run")[0] + " during this test")
        if not r:
            break
        pending = [c for c in pending if c not in results]
    return results, "\n".join(problems) or None


def run_batch(cases, echo):
    """Boots the current build's testrun on |cases|; returns ({case: (ok, why)}, problem)."""
    iso = os.path.join("build", "grade.iso")
    cmdline = f"-- /bin/testrun --timeout {CASE_TIMEOUT_S} " + " ".join(cases)
    subprocess.run(["scripts/mkiso.sh", iso, "build/kernel.elf", "build/bootfs.tar", cmdline], check=True)
    results, current = {}, [None]

    def on_line(line):
        m = re.match(r"(BEGIN|PASS|FAIL|LEAK) (\S+?)(?::\s*(.*))?$", line)
        if not m:
            return
        kind, name, why = m.groups()
        if kind == "BEGIN":
            current[0] = name
            results[name] = (False, "no verdict")
        elif current[0] and kind == "PASS" and results[current[0]][1] == "no verdict":
            results[current[0]] = (True, "")
        elif current[0] and kind in ("FAIL", "LEAK"):
            results[current[0]] = (False, f"{kind} {why or ''}".strip())

    run = qemu.run(iso, RUN_BUDGET_S, until=lambda l: l.startswith("DONE "), on_line=on_line)
    problem = None
    if not any(l.startswith("DONE ") for l in run.lines):
        problem = ("the kernel hung" if run.timed_out else f"the kernel stopped (QEMU exit {run.exit_code})") + \
                  " before the run ended; last lines:\n" + run.tail(8)
    return results, problem


def grade(labs, echo=print):
    """Builds and grades |labs|; returns the report (a dict, as written to build/grade.json)."""
    report = {"labs": [], "points": 0, "max": 0}
    build = subprocess.run(["make", "all"], capture_output=True, text=True)
    built = build.returncode == 0
    for lab in labs:
        tests = graded_tests(lab)
        entry = {"lab": lab, "tests": [], "points": 0, "max": sum(p for _, p in tests)}
        if built:
            results, problem = run_cases([t for t, _ in tests], echo)
        else:
            results, problem = {}, "the tree does not build:\n" + build.stderr.strip()[-1500:]
        echo(f"lab {lab}")
        for name, points in tests:
            ok, why = results.get(name, (False, problem or "did not run"))
            got = points if ok else 0
            entry["tests"].append({"test": name, "points": got, "max": points, "why": why})
            entry["points"] += got
            echo(f"  {got:3d}/{points:<3d} {name}" + ("" if ok else f"  ({why.splitlines()[0] if why else 'failed'})"))
        if problem:
            entry["problem"] = problem
            echo("  " + problem.replace("\n", "\n  "))
        echo(f"  lab {lab}: {entry['points']}/{entry['max']}")
        report["labs"].append(entry)
        report["points"] += entry["points"]
        report["max"] += entry["max"]
    os.makedirs("build", exist_ok=True)
    with open(os.path.join("build", "grade.json"), "w") as f:
        json.dump(report, f, indent=2)
    echo(f"total: {report['points']}/{report['max']} (build/grade.json)")
    return report


def copy_tree(dest, with_build=True):
    """This tree's files (tracked and new, not ignored) and its build, at |dest|: a rebuild there is
    incremental.  Not the boot images (16 MB each, a dozen of them: most of the build's bytes), nor
    the logs: a rebuild makes the one image it needs, and grading makes its own."""
    if os.path.exists(dest):
        shutil.rmtree(dest)
    os.makedirs(dest)
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], capture_output=True,
                           text=True, check=True).stdout.split("\n")
    for f in filter(None, files):
        if os.path.isfile(f):
            os.makedirs(os.path.join(dest, os.path.dirname(f)), exist_ok=True)
            shutil.copy2(f, os.path.join(dest, f))
    if with_build:
        shutil.copytree("build", os.path.join(dest, "build"), symlinks=True,
                        ignore=shutil.ignore_patterns("labcheck", "*.iso", "logs", "trace", "*.sock"))


def check_start(check):
    """lab-start's refusals, in a throwaway clone: a dirty tree, a student tree, an existing folder."""
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        ref, student = os.path.join(tmp, "ember"), os.path.join(tmp, "student")
        copy_tree(ref, with_build=False)            # this tree as it is, committed in a repository of its own
        subprocess.run(["git", "init", "-q", ref], check=True)
        subprocess.run(["git", "-C", ref, "add", "-A"], check=True)
        subprocess.run(["git", "-C", ref, "-c", "user.name=t", "-c", "user.email=t@localhost",
                        "commit", "-q", "-m", "reference"], check=True)
        lab = lab_names()[0]
        run = lambda *a, cwd=ref: subprocess.run([sys.executable, "scripts/lab.py", *a], cwd=cwd,
                                                 capture_output=True, text=True)
        with open(os.path.join(ref, "README.md"), "a") as f:
            f.write("a student's note\n")
        dirty = run("start", lab, student)
        kept = open(os.path.join(ref, "README.md")).read().endswith("a student's note\n")
        check("labs.start-refuses-a-dirty-tree", dirty.returncode != 0 and not os.path.exists(student) and kept,
              f"expected a refusal that changes nothing, got exit {dirty.returncode}: {dirty.stderr.strip()}")
        subprocess.run(["git", "-C", ref, "checkout", "-q", "README.md"], check=True)
        made = run("start", lab, student)
        ok = made.returncode == 0 and os.path.exists(os.path.join(student, STRIPPED_MARK)) and \
            not regions(lab, student) and bool(regions(lab, ref))
        check("labs.start-cuts-a-student-tree", ok, f"exit {made.returncode}: {made.stderr.strip()}")
        again = run("start", lab, os.path.join(tmp, "again"), cwd=student) if ok else made
        check("labs.start-refuses-a-student-tree", again.returncode != 0, "expected a refusal")
        exists = run("start", lab, student)
        check("labs.start-refuses-an-existing-folder", exists.returncode != 0 and "already exists" in exists.stderr,
              f"exit {exists.returncode}: {exists.stderr.strip()}")


def sabotage(lab, root, body="__builtin_trap();"):
    """|lab|'s solution under |root| made to crash the kernel: each marked region's code becomes |body|."""
    for path in source_files(root):
        with open(path) as f:
            text = f.read()
        new = MARKER.sub(lambda m: m.group(0) if m.group(2) != lab else f"{m.group(1)}{body}\n", text)
        if new != text:
            with open(path, "w") as f:
                f.write(new)


def check_grade_faults(check, quiet):
    """make grade on a tree that does not build, and on a kernel that dies in a graded test:
    every test gets zero with the reason, and a death does not stop the tests after it."""
    here, lab = os.getcwd(), lab_names()[0]
    dest = os.path.join(here, "build", "labcheck", "faults")
    copy_tree(dest)
    os.chdir(dest)
    try:
        with open("kernel/main.c") as f:
            main_c = f.read()
        with open("kernel/main.c", "w") as f:
            f.write(main_c + "#error the grader's check: this tree does not build\n")
        entry = grade([lab], echo=quiet)["labs"][0]
        whys = [t["why"] for t in entry["tests"]]
        check("labs.grade-scores-a-tree-that-does-not-build",
              entry["points"] == 0 and whys and all(w.startswith("the tree does not build") for w in whys),
              f"expected every test at zero with the build's failure; got {entry}")
        with open("kernel/main.c", "w") as f:
            f.write(main_c)
        sabotage(lab, ".")
        entry = grade([lab], echo=quiet)["labs"][0]
        whys = [t["why"] for t in entry["tests"]]
        check("labs.grade-goes-on-after-the-kernel-dies",
              entry["points"] == 0 and len(whys) > 1 and all(w.endswith("during this test") for w in whys),
              f"expected each of {lab}'s tests to end in its own kernel death; got {whys}")
    finally:
        os.chdir(here)
    shutil.rmtree(dest, ignore_errors=True)


def self_check(check, quiet=lambda line: None):
    """make test's labs layer: the reference tree earns every point; each lab strips, builds,
    boots and loses every point; stripping twice refuses.  |check|(name, ok, why) records each."""
    check_start(check)
    check_grade_faults(check, quiet)
    report = grade(lab_names(), echo=quiet)
    for entry in report["labs"]:
        lost = [t["test"] for t in entry["tests"] if t["points"] < t["max"]]
        check(f"labs.{entry['lab']}.reference-full-marks", not lost,
              f"the reference kernel loses points on {', '.join(lost)}: {entry.get('problem', '')}")
    here = os.getcwd()
    for lab in lab_names():
        dest = os.path.join(here, "build", "labcheck", lab)
        copy_tree(dest)
        os.chdir(dest)
        try:
            strip(lab)
            twice = subprocess.run([sys.executable, "scripts/lab.py", "strip", lab], capture_output=True, text=True)
            check(f"labs.{lab}.strip-twice-refused", twice.returncode != 0 and "already cut" in twice.stderr,
                  f"expected a second strip to refuse, got exit {twice.returncode}: {twice.stderr.strip()}")
            entry = grade([lab], echo=quiet)["labs"][0]
            kept = [t["test"] for t in entry["tests"] if t["points"]]
            check(f"labs.{lab}.stripped-fails-its-tests", entry.get("problem") is None and not kept,
                  f"expected the stripped tree to build, boot and fail every graded test; "
                  f"passed {kept}; {entry.get('problem') or ''}")
        finally:
            os.chdir(here)
        shutil.rmtree(dest, ignore_errors=True)


def main():
    args = sys.argv[1:]
    if not args or args[0] not in ("list", "start", "strip", "grade"):
        print(__doc__)
        sys.exit(2)
    if args[0] == "list":
        for lab in lab_names():
            tests = graded_tests(lab)
            print(f"{lab:12s} {sum(p for _, p in tests):3d} points, {len(tests)} tests, "
                  f"{sum(regions(lab).values())} marked regions")
    elif args[0] == "start":
        if len(args) < 2:
            die("usage: lab.py start LAB [DEST]")
        cmd_start(args[1], args[2] if len(args) > 2 else None)
    elif args[0] == "strip":
        if len(args) != 2 or args[1] not in lab_names():
            die(f"usage: lab.py strip LAB (one of: {' '.join(lab_names())})")
        print(f"lab {args[1]}: stripped {strip(args[1])} regions")
    else:
        marked = open(STRIPPED_MARK).read().strip() if os.path.exists(STRIPPED_MARK) else None
        labs = [args[1]] if len(args) > 1 and args[1] else ([marked] if marked else lab_names())
        for lab in labs:
            if lab not in lab_names():
                die(f"no lab {lab!r}; the labs are: {' '.join(lab_names())}")
        report = grade(labs)
        sys.exit(0)                     # a grade is a report, not a failure


if __name__ == "__main__":
    main()
