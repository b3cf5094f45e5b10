# tests/gdb/student.gdb: what a student does after `make gdb` (which runs
# scripts/gdbinit first; scripts/test.py points it at this QEMU through
# EMBER_GDB_PORT).  Ember boots with /bin/echo as its first process.  A
# software breakpoint set at the prompt must be the first stop of
# 'continue' (no stop at kernel_main on the way); bt there must continue
# into echo, whose symbols load by themselves; delete must not ask.
break sys_console_write
continue
echo check: first-stop\n
frame
echo check: student-bt\n
bt
echo check: delete\n
delete
info breakpoints
show confirm
kill
