# tests/gdb/boot.gdb: GDB can debug the 64-bit kernel from the first instruction.
# Checks: a hardware breakpoint at kernel_main hits with source lines, a later
# breakpoint (timer_init) hits after paging is switched, and a kernel
# variable (boot_info, filled by multiboot_parse) reads back what GRUB passed,
# and the ember commands work stopped in a timer interrupt.
# scripts/test.py replaces @PORT@ and checks the lines marked "check:".
set architecture i386:x86-64
set pagination off
set confirm off
file build/kernel.elf
source scripts/gdb/ember.py
target remote localhost:@PORT@
hbreak kernel_main
continue
echo check: frame\n
frame
break timer_init
continue
echo check: backtrace\n
bt 2
echo check: regions\n
print boot_info.navail
echo check: cmdline\n
print boot_info.cmdline
break timer_irq
continue
echo check: interrupt\n
bt 3
ember log
ember ps
kill
