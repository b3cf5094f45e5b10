# Ember's GDB extension: `source scripts/gdb/ember.py` (scripts/gdbinit and
# the scripts in tests/gdb do).  Adds the `ember` commands (ember ps,
# threads, handles, object, waits, ports, vm, log, cpus), pretty-printers for the
# kernel's structs, backtraces that continue from a system call into the
# program that made it, and loads the running program's symbols at each stop.
# The code is in scripts/gdb/ember/; docs/08 walks through it.
import os
import sys

import gdb

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from ember import commands, cpus, printers, unwind  # noqa: E402

commands.register()
cpus.register()
printers.register()
EMBER_SYMBOLS = unwind.register(os.path.dirname(os.path.dirname(HERE)))
