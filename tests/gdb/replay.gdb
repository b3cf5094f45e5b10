# tests/gdb/replay.gdb: reverse debugging a recorded failure.  scripts/test_replay.py
# records selftest_replay.reserve_never_changes (make replay), replays it
# halted under QEMU from the kernel's entry and runs this script: stop where
# the ASSERT fails, watch the variable it checked, run backwards to the write
# that changed it (QEMU stops just after the writing instruction), one
# reverse-stepi more, onto the write itself, where the old value still stands,
# then reverse-step twice: to the start of that line, and back out of audit to
# the line that called it.  scripts/test_replay.py checks that we land on the
# line marked "replay: the bad write" in tests/user/selftest_replay.c, 1000
# after it and 1234 before it, then on the call of round 25.
set architecture i386:x86-64
set pagination off
set confirm off
file build/kernel.elf
source scripts/gdb/ember.py
target remote localhost:@PORT@
add-symbol-file build/tests/selftest_replay.elf
hbreak test_check_eq if actual != expected
continue
echo check: failed-assertion\n
bt 2
delete
watch -l reserve
reverse-continue
echo check: bad-write\n
frame
print reserve
delete
reverse-stepi
echo check: before-write\n
frame
print reserve
reverse-step
reverse-step
echo check: reverse-step\n
frame
print round
kill
