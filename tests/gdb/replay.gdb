# tests/gdb/replay.gdb: reverse debugging a recorded failure.  scripts/test_replay.py
# records selftest_replay.reserve_never_changes (make replay), replays it
# halted under QEMU and runs this script: stop where the ASSERT fails, watch
# the variable it checked, and run backwards to the write that changed it
# (QEMU stops just after the writing instruction; a reverse-stepi more would
# show the write itself, at the cost of one more replay).
# scripts/test_replay.py checks that we land on the line marked
# "replay: the bad write" in tests/user/selftest_replay.c.
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
kill
