# tests/gdb/syscall_fault.gdb: a kernel fault inside a system call is
# reported with the process, thread and call.  Ember boots with /bin/echo as
# its first process; in sys_console_write we point the handler's argument
# array at an unmapped address and let it run: the kernel faults reading it.
# scripts/test.py checks the serial log for the report (process, thread,
# "serving system call console_write(...)", kernel frames with file:line,
# then echo's own frames).
set architecture i386:x86-64
set pagination off
set confirm off
file build/kernel.elf
source scripts/gdb/ember.py
target remote localhost:@PORT@
hbreak sys_console_write
continue
echo check: stopped\n
frame
set var a = (const struct syscall_args *)0x10
continue
