"""What the layers of scripts/test.py share: the verdicts, the ISOs, the logs."""
import os
import subprocess

BUILD = "build"
BOOT_BUDGET = 60            # seconds for one boot under TCG (it takes about 1)
USER_BUDGET = 900           # seconds for the whole ring-3 run
SILENCE_BUDGET = 180        # seconds without a line before the run counts as hung


class Results:
    """Counts verdicts and keeps every failure for the summary at the end."""

    def __init__(self, quiet=False):
        self.passed = 0
        self.failed = 0
        self.failures = []      # (name, why), in the order they happened
        self.quiet = quiet      # collect only (the runner layer judges a run's rendering)

    def say(self, text):
        if not self.quiet:
            print(text)

    def ok(self, name, detail=""):
        self.passed += 1
        self.say(f"  PASS {name}" + (f" ({detail})" if detail else ""))

    def fail(self, name, why):
        self.failed += 1
        self.failures.append((name, why))
        self.say(f"  FAIL {name}: {why}")

    def check(self, name, cond, why, detail=""):
        self.ok(name, detail) if cond else self.fail(name, why)

    def summary(self):
        """Every failure, one line each (the first line of why), after the totals."""
        if not self.failures:
            return ""
        lines = [f"{len(self.failures)} failure{'s' if len(self.failures) > 1 else ''}:"]
        lines += [f"  {name}: {why.splitlines()[0] if why else ''}" for name, why in self.failures]
        return "\n".join(lines)


def log_path(name):
    """Where a run's whole serial log is kept (build/logs/NAME.log)."""
    os.makedirs(f"{BUILD}/logs", exist_ok=True)
    return f"{BUILD}/logs/{name}.log"


SEED = None                 # the run's seed (set_seed), passed to every boot as seed=N


def set_seed(seed):
    global SEED
    SEED = seed


def make_iso(name, cmdline, seed=None):
    """An ISO of the current build with its own kernel command line (and the run's seed, or |seed|)."""
    iso = f"{BUILD}/test-{name}.iso"
    seed = SEED if seed is None else seed
    if seed is not None:
        cmdline = f"seed={seed} {cmdline}"
    subprocess.run(["scripts/mkiso.sh", iso, f"{BUILD}/kernel.elf", f"{BUILD}/bootfs.tar", cmdline],
                   check=True)
    return iso


def describe(run):
    if run.timed_out:
        return f"hang: no result within {BOOT_BUDGET}s; last lines:\n{run.tail()}"
    return f"QEMU exited with {run.exit_code}; last lines:\n{run.tail()}"


def source_line(path, marker):
    """The line number of the first line of |path| that contains |marker|."""
    with open(path) as f:
        for n, text in enumerate(f, 1):
            if marker in text:
                return n
    raise LookupError(f"{marker!r} is not in {path}")
