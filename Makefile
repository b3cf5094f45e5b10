# Ember's build.  `make` builds the kernel and a bootable ISO; `make run`
# boots it; `make test` runs every test layer; `make help` lists the rest.
#
# The host's gcc and binutils build the freestanding kernel; an x86_64-elf-
# cross toolchain on PATH is used instead when there is one.

CROSS   ?= $(if $(shell command -v x86_64-elf-gcc 2>/dev/null),x86_64-elf-,)
CC      := $(CROSS)gcc
LD      := $(CROSS)ld
NM      := $(CROSS)nm
HOSTCC  ?= gcc
PYTHON  ?= python3
QEMU    ?= qemu-system-x86_64
B       := build

# A plain `make` builds the kernel and the ISO (not the first rule below, ksyms0.S).
.DEFAULT_GOAL := all

# ---- the kernel -------------------------------------------------------------

KERNEL_SRCS := \
	$(wildcard boot/*.S) \
	kernel/main.c \
	$(wildcard kernel/arch/x86_64/*.c kernel/arch/x86_64/*.S) \
	$(wildcard kernel/mm/*.c kernel/mm/*.S) \
	$(filter-out kernel/lib/format_float.c kernel/lib/format_decimal.c,$(wildcard kernel/lib/*.c)) \
	$(wildcard kernel/sched/*.c kernel/ob/*.c kernel/sync/*.c kernel/ipc/*.c) \
	$(wildcard kernel/proc/*.c kernel/drv/*.c) \
	$(wildcard kernel/syscall/*.c)

WARN    := -Wall -Wextra -Werror
# LOCKDEP=1 (the default, and what make test runs) builds the lock-order validator in
# (kernel/lib/lockdep.h); make bench builds a second kernel without it, in $(B)/nolockdep.
LOCKDEP ?= 1
KCFLAGS := -std=gnu11 -O2 -g $(WARN) -I. -DLOCKDEP=$(LOCKDEP) \
	-ffreestanding -fno-builtin-printf -nostdlib -fno-pie -fno-pic -mcmodel=kernel \
	-mno-red-zone -mgeneral-regs-only -fno-stack-protector \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-fno-tree-loop-distribute-patterns -MMD -MP
KLDFLAGS := -nostdlib -n -z max-page-size=0x1000 -z noexecstack -T linker.ld

KERNEL_OBJS := $(patsubst %,$(B)/%.o,$(basename $(KERNEL_SRCS)))

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -c $< -o $@

$(B)/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -c $< -o $@

# Two links: the second carries the symbol table of the first (for backtraces).
$(B)/ksyms0.S: scripts/ksyms.sh
	@mkdir -p $(B)
	scripts/ksyms.sh > $@
$(B)/kernel.stage1.elf: $(KERNEL_OBJS) $(B)/ksyms0.o linker.ld
	$(LD) $(KLDFLAGS) -o $@ $(KERNEL_OBJS) $(B)/ksyms0.o
$(B)/ksyms.S: $(B)/kernel.stage1.elf scripts/ksyms.sh
	NM=$(NM) scripts/ksyms.sh $< > $@
$(B)/kernel.elf: $(KERNEL_OBJS) $(B)/ksyms.o linker.ld
	$(LD) $(KLDFLAGS) -o $@ $(KERNEL_OBJS) $(B)/ksyms.o
$(B)/ksyms0.o $(B)/ksyms.o: $(B)/%.o: $(B)/%.S
	$(CC) $(KCFLAGS) -c $< -o $@

# ---- libc and ring-3 programs ------------------------------------------------
# libc/*.c and libc/*.S make libc.a (crt0 apart); user/NAME.c becomes /bin/NAME.
# libc shares the kernel's formatter (kernel/lib/format.c, with floats), string functions
# and CMOS clock logic (kernel/drv/cmos.c: rtcd and the kernel's kclock run the same code).

GCC_INCLUDE := $(shell $(CC) -print-file-name=include)
UCFLAGS := -std=gnu11 -O2 -g $(WARN) -I. -ffreestanding -nostdinc \
	-isystem libc/include -isystem $(GCC_INCLUDE) -fno-pie -fno-pic \
	-fno-stack-protector -fno-omit-frame-pointer -fno-tree-loop-distribute-patterns -MD -MP
ULDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack -T user/user.ld

LIBC_SRCS := $(filter-out libc/crt0.S,$(wildcard libc/*.c libc/*.S))
LIBC_OBJS := $(patsubst %,$(B)/%.o,$(basename $(LIBC_SRCS))) $(B)/libc/format.o $(B)/libc/format_float.o \
	$(B)/libc/format_decimal.o $(B)/libc/kstring.o $(B)/libc/cmos.o
# A program in more than one file: user/sh_PART.c links into /bin/sh (sh.c includes sh.h).
USER_PARTS := $(wildcard user/sh_*.c)
USER_MAINS := $(filter-out $(USER_PARTS),$(wildcard user/*.c))
USER_PROGS := $(patsubst user/%.c,%,$(USER_MAINS))

$(B)/libc/%.o: libc/%.c
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -c $< -o $@
$(B)/libc/%.o: libc/%.S
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -c $< -o $@
$(B)/libc/format.o: kernel/lib/format.c
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -DFORMAT_FLOAT -c $< -o $@
$(B)/libc/format_float.o $(B)/libc/format_decimal.o: $(B)/libc/%.o: kernel/lib/%.c
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -c $< -o $@
$(B)/libc/kstring.o: kernel/lib/string.c
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -c $< -o $@
$(B)/libc/cmos.o: kernel/drv/cmos.c
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -c $< -o $@
$(B)/libc/libc.a: $(LIBC_OBJS)
	rm -f $@
	ar rcs $@ $^

$(B)/user/%.o: user/%.c
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -c $< -o $@
$(B)/user/%.elf: $(B)/user/%.o $(B)/libc/crt0.o $(B)/libc/libc.a user/user.ld
	$(LD) $(ULDFLAGS) -o $@ $(B)/libc/crt0.o $(filter $(B)/user/%.o,$^) $(B)/libc/libc.a
$(B)/user/sh.elf: $(patsubst user/%.c,$(B)/user/%.o,$(USER_PARTS))

# ---- ring-3 test suites: tests/user/NAME.c becomes /test/NAME -----------------
# and /test/NAME.cases, the names of its TEST() cases, read from its symbols.

TEST_SUITES := $(patsubst tests/user/%.c,%,$(wildcard tests/user/*.c))

$(B)/tests/%.o: tests/user/%.c
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -c $< -o $@
$(B)/tests/%.elf: $(B)/tests/%.o $(B)/libc/crt0.o $(B)/libc/libc.a user/user.ld
	$(LD) $(ULDFLAGS) -o $@ $(B)/libc/crt0.o $< $(B)/libc/libc.a
# gate puts code in the last page of user space: its own link map (tests/user/gate.ld).
$(B)/tests/gate.elf: ULDFLAGS := $(subst user/user.ld,tests/user/gate.ld,$(ULDFLAGS))
$(B)/tests/gate.elf: tests/user/gate.ld
$(B)/bootfs/test/%.cases: $(B)/tests/%.elf
	@mkdir -p $(dir $@)
	@# the TEST() names in definition order: nm -l gives each one's source line
	$(NM) -l $< | awk '$$3 ~ /^test_case_/ { split($$4, at, ":"); sub(/^test_case_/, "", $$3); \
		print at[2], $$3 }' | sort -n | cut -d' ' -f2 > $@
$(B)/bootfs/test/%: $(B)/tests/%.elf
	@mkdir -p $(dir $@)
	strip -o $@ $<

# ---- libcdemo on the host: its output is what Ember's run must print ---------
# user/libcdemo.c uses only standard C, so the host's gcc and glibc build it
# unchanged; tests/user/libc_demo.c compares Ember's run with this file.

$(B)/host/libcdemo: user/libcdemo.c
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=gnu11 -O2 $(WARN) -o $@ $< -lm
$(B)/bootfs/libcdemo.expected: $(B)/host/libcdemo
	@mkdir -p $(dir $@)
	$< > $@ 2>&1

# ---- the boot filesystem and the ISO ---------------------------------------

ROOTFS_FILES := $(shell find rootfs -type f 2>/dev/null)
BOOTFS_FILES := $(patsubst %,$(B)/bootfs/bin/%,$(USER_PROGS)) \
	$(patsubst %,$(B)/bootfs/test/%,$(TEST_SUITES)) \
	$(patsubst %,$(B)/bootfs/test/%.cases,$(TEST_SUITES)) \
	$(patsubst rootfs/%,$(B)/bootfs/%,$(ROOTFS_FILES)) \
	$(B)/bootfs/libcdemo.expected \
	$(B)/bootfs/etc/programs

# What `help` prints: each program's name and the first sentence of its source's opening comment.
$(B)/bootfs/etc/programs: $(USER_MAINS) scripts/helptext.py
	@mkdir -p $(dir $@)
	$(PYTHON) scripts/helptext.py $(USER_MAINS) > $@

$(B)/bootfs/%: rootfs/%
	@mkdir -p $(dir $@)
	cp $< $@

$(B)/bootfs/bin/%: $(B)/user/%.elf
	@mkdir -p $(dir $@)
	strip -o $@ $<

$(B)/bootfs.tar: $(BOOTFS_FILES)
	@mkdir -p $(B)/bootfs
	@# drop files whose source is gone (a removed test or program)
	@find $(B)/bootfs -type f | grep -vxF $(patsubst %,-e %,$(BOOTFS_FILES)) | xargs -r rm -f
	tar --format=ustar --owner=0 --group=0 --sort=name -cf $@ -C $(B)/bootfs .

$(B)/ember.iso: $(B)/kernel.elf $(B)/bootfs.tar boot/grub.cfg scripts/mkiso.sh
	scripts/mkiso.sh $@ $(B)/kernel.elf $(B)/bootfs.tar "$(CMDLINE)"

# ---- host unit tests (tests/unit: pure kernel logic under the sanitizers) ---

UNIT_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -I tests/unit/stubs -I . \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
UNIT_test_format    := kernel/lib/format.c
UNIT_test_frame     := kernel/mm/frame.c
UNIT_test_heap      := kernel/mm/heap.c kernel/mm/frame.c
UNIT_test_multiboot := kernel/arch/x86_64/multiboot.c
UNIT_test_madt      := kernel/arch/x86_64/madt.c
UNIT_test_lockdep   := kernel/lib/lockdep.c kernel/lib/format.c
UNIT_test_handle    := kernel/ob/handle.c kernel/ob/object.c kernel/ob/namespace.c kernel/ob/directory.c kernel/mm/heap.c kernel/mm/frame.c
UNIT_test_object    := kernel/ob/object.c kernel/ob/namespace.c kernel/ob/directory.c kernel/mm/heap.c kernel/mm/frame.c
UNIT_test_bootfs    := kernel/proc/bootfs.c
UNIT_test_elf       := kernel/proc/elf.c
UNIT_test_cmos      := kernel/drv/cmos.c
UNIT_test_line_edit := libc/line_edit.c libc/key_decode.c libc/line_history.c
UNIT_test_pipe      := kernel/ipc/pipe.c kernel/ob/object.c kernel/ob/namespace.c kernel/ob/directory.c kernel/mm/heap.c kernel/mm/frame.c
UNIT_TESTS := $(patsubst tests/unit/%.c,$(B)/unit/%,$(wildcard tests/unit/test_*.c))
# The libc tests include their sources themselves (renaming what clashes with the host's libc).
$(B)/unit/test_libc_string: libc/string.c kernel/lib/string.c libc/ctype.c
$(B)/unit/test_libc_strtol: libc/strtol.c libc/qsort.c
$(B)/unit/test_libc_format: kernel/lib/format.c kernel/lib/format_float.c kernel/lib/format_decimal.c
$(B)/unit/test_libc_strtod: libc/strtod.c libc/strtod_big.c libc/strtod.h
$(B)/unit/test_libc_scanf: libc/scanf.c libc/scan_input.c libc/scan.h
$(B)/unit/test_libc_math: libc/math.c libc/math_trig.c
UNIT_LIBS_test_libc_math := -lm         # the host's libm, to compare against
$(B)/unit/test_libc_stdlib: libc/rand.c libc/errno.c libc/include/errno.h kernel/abi/errors.h

.SECONDEXPANSION:
$(B)/unit/%: tests/unit/%.c tests/unit/stubs/host.c tests/unit/check.h tests/unit/seeded.h $$(UNIT_$$*)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -o $@ $< tests/unit/stubs/host.c $(UNIT_$*) $(UNIT_LIBS_$*)

# ---- the commands -------------------------------------------------------------

# CPUS=n boots n CPUs (QEMU -smp n).  1 by default: only CPU 0 runs threads so far, the
# others idle (docs/14-smp.md), so more would cost boot time and test nothing more.
CPUS    ?= 1
QEMU_FLAGS := -accel tcg -cpu max -m 256M -no-reboot -smp $(CPUS) \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04

.SECONDARY:

.PHONY: all deps run qemu-gdb gdb replay gdb-replay test stress unit bench bench-record bench-scale bench-trace fuzz \
	lab-start grade diagrams \
	clean help
all: $(B)/kernel.elf $(B)/ember.iso

deps:
	@scripts/deps.sh

# The serial output goes through scripts/symbolize.py, which adds file:line to
# the addresses in fault reports as they arrive (everything else passes at once).
SYMBOLIZE := | $(PYTHON) scripts/symbolize.py

run: deps all
	$(QEMU) $(QEMU_FLAGS) -nographic -cdrom $(B)/ember.iso $(SYMBOLIZE)

qemu-gdb: deps all
	@echo "QEMU waits for GDB on localhost:1234; run 'make gdb' in another terminal."
	$(QEMU) $(QEMU_FLAGS) -nographic -cdrom $(B)/ember.iso -S -gdb tcp::1234 $(SYMBOLIZE)

gdb: $(B)/kernel.elf
	gdb -q -x scripts/gdbinit

# Record one test run with QEMU's record/replay (TEST=suite.case: that case
# alone), then replay it under GDB, where reverse-step and reverse-continue work.
replay: deps all
	@test -n "$(TEST)" || { echo "usage: make replay TEST=suite.case [SEED=n]"; exit 2; }
	$(PYTHON) scripts/replay.py record $(TEST) $(if $(SEED),--seed $(SEED))

gdb-replay: $(B)/kernel.elf
	$(PYTHON) scripts/replay.py gdb

unit: $(UNIT_TESTS)

test: deps all unit
	$(PYTHON) scripts/test.py $(if $(TEST),--only $(TEST)) $(if $(SEED),--seed $(SEED)) --cpus $(CPUS)

# The SMP stress suites at full length (smp_stress_*_full: 1,000 rounds a race), booted RUNS
# times in a row, each with a new seed.  2 CPUs unless CPUS is given: the races are for
# several CPUs, and make test's 1 would leave them to the timer alone (docs/14-smp.md).
RUNS ?= 10
STRESS_CPUS := $(if $(filter command line environment,$(origin CPUS)),$(CPUS),2)
stress: deps all
	$(PYTHON) scripts/test.py --stress $(RUNS) --cpus $(STRESS_CPUS)

# The bench also boots Debian's Linux kernel (fetched once into build/linux by
# bench_deps.sh); make test never needs it.
# The bench kernel has no lock-order validator (LOCKDEP=0), so the numbers count the locks
# themselves and not the checks; it shares the boot filesystem with the test build.
BENCH_KERNEL := $(B)/nolockdep/kernel.elf
bench: deps all
	@scripts/bench_deps.sh linux
	$(MAKE) --no-print-directory B=$(B)/nolockdep LOCKDEP=0 $(BENCH_KERNEL)
	EMBER_KERNEL=$(BENCH_KERNEL) $(PYTHON) scripts/bench.py

# Where one row's instructions go: a profile by function, per round trip
# (ROW=lpc-roundtrip, event-pingpong, pipe-pingpong or null-syscall).
ROW ?= lpc-roundtrip
bench-trace: deps all
	$(MAKE) --no-print-directory B=$(B)/nolockdep LOCKDEP=0 $(BENCH_KERNEL)
	EMBER_KERNEL=$(BENCH_KERNEL) $(if $(filter command line,$(origin OUT)),OUT=$(OUT)) $(PYTHON) scripts/bench_trace.py $(ROW)

# Keeps the last make bench (build/bench.json) in docs/bench-record.json and rewrites
# the numbers the docs quote from it (scripts/bench_record.py; make test checks them).
bench-record:
	$(PYTHON) scripts/bench_record.py save

# Each operation against what drives its cost: a CSV and an SVG per operation in
# $(OUT) (build/scale; docs/perf holds the plots chapter 12 shows).
# Debian's python3, whose python3-matplotlib bench_deps.sh installs (another
# python3 first on PATH would not see it).
OUT ?= $(B)/scale
bench-scale: deps all
	@scripts/bench_deps.sh plot
	/usr/bin/python3 scripts/bench_scale.py $(OUT)

# The docs' diagrams: docs/diagrams/NAME.dot -> NAME.svg (Graphviz, installed when missing).
diagrams:
	@command -v dot >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq graphviz >/dev/null; } || \
		{ echo "diagrams: run: sudo apt-get install -y graphviz"; exit 1; }
	$(PYTHON) scripts/diagrams.py

# Labs (labs/README.md): a student tree for one lab, and its grade.
lab-start:
	@$(PYTHON) scripts/lab.py start $(LAB) $(DEST)
grade: deps
	@$(PYTHON) scripts/lab.py grade $(LAB)

# The ring-3 system-call fuzzer: SEED is a number or a range (1-16, default 1), CALLS per seed.
# (SEED has no default here: make test without one picks a new seed.)
CALLS ?= 10000
fuzz: deps all
	$(PYTHON) scripts/fuzz.py --seed $(or $(SEED),1) --calls $(CALLS)

compile_commands.json:
	$(MAKE) clean && bear -- $(MAKE) all unit

clean:
	rm -rf $(B)

help:
	@echo "make          build build/kernel.elf and build/ember.iso"
	@echo "make run      boot Ember in QEMU on this terminal (Ctrl-A X quits; CPUS=n for n CPUs)"
	@echo "make test     build and run every test layer (TEST=layer, suite or suite.case; SEED=n repeats a run; CPUS=n)"
	@echo "make stress   the SMP stress suites, 1,000 rounds a race, RUNS=10 times in a row (CPUS=2 unless given)"
	@echo "make bench    instructions per operation under QEMU -icount, Ember beside Linux"
	@echo "make bench-record  keep the last bench in docs/bench-record.json; rewrite the docs' marked numbers"
	@echo "make bench-scale  each operation against its driver of growth: CSV + SVG in OUT"
	@echo "make bench-trace ROW=lpc-roundtrip   where a row's instructions go, by function (OUT=docs/perf keeps it)"
	@echo "make fuzz SEED=1-16 CALLS=100000   the system-call fuzzer (seed or range, calls per seed)"
	@echo "make lab-start LAB=syscall [DEST=dir]   cut a student tree for one lab (labs/README.md)"
	@echo "make grade [LAB=syscall]   build, run the labs' graded tests, print points (build/grade.json)"
	@echo "make qemu-gdb / make gdb   debug the kernel (two terminals; see README)"
	@echo "make replay TEST=suite.case, then make gdb-replay   record a run, debug it backwards"
	@echo "make compile_commands.json for editors (uses bear)"

-include $(shell find $(B) -name '*.d' 2>/dev/null)
