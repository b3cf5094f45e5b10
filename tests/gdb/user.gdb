# tests/gdb/user.gdb: the path a student steps through, from a ring-3 program
# into the kernel and back.  Ember boots with /bin/echo as its first process
# (kernel command line "-- /bin/echo from-gdb").  Checks: a breakpoint in
# echo's main hits with echo's source; the program's system call lands in
# syscall_entry; then in the handler sys_console_write, called from
# syscall_dispatch; and "finish" returns from the handler with its result.
# scripts/test.py replaces @PORT@ and checks the lines after "check:".
set architecture i386:x86-64
set pagination off
set confirm off
file build/kernel.elf
source scripts/gdb/ember.py
add-symbol-file build/user/echo.elf
target remote localhost:@PORT@
hbreak main
continue
echo check: user-main\n
frame
delete
hbreak syscall_entry
continue
echo check: entry\n
frame
echo check: user-rip\n
print/x $rcx
delete
hbreak sys_console_write
continue
echo check: handler\n
bt 3
echo check: finish\n
finish
kill
