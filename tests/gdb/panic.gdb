# tests/gdb/panic.gdb: panic() inside a system call reports the process,
# thread and call like a fault does.  Ember boots with /bin/echo; stopped at
# the first instruction of sys_console_write (a leaf: its return address into
# syscall_dispatch is on top of the stack), GDB turns the handler into a tail
# call of panic(), with the process's name as the message (a string literal
# would need a malloc in the guest), and lets it run.  This is the only
# place in make test where GDB makes the guest run code it would not have.
# Stopped again inside the panic, the ember commands still read the machine.
# scripts/test.py checks the serial log for "PANIC: echo" and the report.
set architecture i386:x86-64
set pagination off
set confirm off
file build/kernel.elf
source scripts/gdb/ember.py
target remote localhost:@PORT@
hbreak *sys_console_write
continue
echo check: stopped\n
frame
set var $rdi = cpu_local.current->process->name
set var $pc = panic
hbreak fault_report_panic
continue
echo check: in-panic\n
ember ps
ember log
delete
continue
