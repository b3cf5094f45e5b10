# tests/gdb/cpus.gdb: `ember cpus` on a machine of 2 CPUs (scripts/test_gdb.py boots it with
# -smp 2).  Ember boots with /bin/echo; stopped in sys_console_write on CPU 0, CPU 0 runs
# echo's thread in that handler while CPU 1 idles in ap_main.  Selecting GDB's thread 2
# (CPU 1) marks it instead, and the command leaves it selected.
# scripts/test.py replaces @PORT@ and checks the lines marked "check:".
set architecture i386:x86-64
set pagination off
set confirm off
file build/kernel.elf
source scripts/gdb/ember.py
target remote localhost:@PORT@
hbreak sys_console_write
continue
echo check: cpus\n
ember cpus
echo check: selected\n
thread 2
ember cpus
info thread
kill
