/*
 * main.c: kernel_main, called by boot/entry.S in 64-bit mode on the boot
 * stack.  It brings the machine up in the order ARCHITECTURE.md section 2
 * gives, one log line per step; a step that cannot work panics with the
 * reason instead of hanging.
 *
 * Boot options on the kernel command line (grub.cfg):
 *   test=boot      exit QEMU with the success code once the timer ticks;
 *   test=fault     fault on purpose (a write to an unmapped page) after boot;
 *   test=kstack    overflow a kernel stack on purpose: its guard must stop it;
 *   seed=N         shift where the timer's ticks fall in the run (seed_phase);
 *   fastpath=off   no direct switch: every wake goes through the run queue (the
 *                  tests run the IPC suites once this way, sched.c);
 *   clock=kernel   drive the CMOS clock in the kernel (kernel/drv/kclock.c), not rtcd;
 *   -- PROG ARGS   run PROG with ARGS as the first process instead of /bin/init.
 * The first process gets the root resource, the one source of driver
 * privilege, as its startup handle STARTUP_ROOT_HANDLE (kernel/drv/resource.c).
 * When the first process ends, so does the machine (QEMU exits with the
 * success code if it exited with 0): the test runner relies on that.
 */
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/cpu_local.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/multiboot.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/arch/x86_64/phys.h"
#include "kernel/arch/x86_64/pic.h"
#include "kernel/arch/x86_64/qemu.h"
#include "kernel/arch/x86_64/serial.h"
#include "kernel/arch/x86_64/smp.h"
#include "kernel/arch/x86_64/timer.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/drv/interrupt.h"
#include "kernel/drv/ioport.h"
#include "kernel/drv/kclock.h"
#include "kernel/drv/log.h"
#include "kernel/drv/resource.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/string.h"
#include "kernel/mm/frame.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/usercopy.h"
#include "kernel/ob/directory.h"
#include "kernel/ob/wait.h"
#include "kernel/proc/bootfs.h"
#include "kernel/proc/job.h"
#include "kernel/proc/process.h"
#include "kernel/proc/spawn.h"
#include "kernel/proc/thread_object.h"
#include "kernel/sched/kstack.h"
#include "kernel/sched/sched.h"
#include "kernel/sync/mutex.h"
#include "kernel/sync/timer.h"
#include "kernel/syscall/fault_report.h"

#define LOW_MEMORY_END      0x100000    /* BIOS data, VGA, ROMs: never handed out */
#define BOOT_TEST_TICKS     5
#define MAX_RESERVED        (3 + BOOT_MAX_MODULES)
#define INIT_PATH           "/bin/init"
#define INIT_MAX_ARGS       16
#define SEED_PHASE_SPAN     2000000     /* loop rounds of seed_phase: about 10 million instructions, a 100 Hz tick or more under -icount */

extern char _kernel_phys_start[], _kernel_end[];
extern uint64_t boot_entry_tsc;         /* boot/entry.S: the TSC at the kernel's first instruction */

struct boot_info boot_info;             /* kept for the rest of the kernel (and GDB) */

static void memory_init(void)
{
    struct mem_region reserved[MAX_RESERVED] = {
        { 0, LOW_MEMORY_END },
        { (uint64_t)_kernel_phys_start, (uint64_t)_kernel_end - KERNEL_VMA - (uint64_t)_kernel_phys_start },
        boot_info.info,
    };
    int n = 3;

    for (int i = 0; i < boot_info.nmodules; i++)
        reserved[n++] = (struct mem_region){ boot_info.modules[i].start,
                                             boot_info.modules[i].end - boot_info.modules[i].start };
    if (frame_init(boot_info.avail, boot_info.navail, reserved, n) < 0)
        panic("frames: no room for the frame bitmap");
    kprintf("frames: %lu free of %lu usable (%lu MiB)\n", frame_free_count(),
            frame_total_count(), frame_total_count() >> (20 - PAGE_SHIFT));
    paging_init(frame_phys_limit(), frame_alloc_zeroed, frame_free);
}

/* A deliberate kernel page fault, for the fault test: the dump must name it. */
static __attribute__((noinline)) void fault_on_purpose(void)
{
    volatile uint64_t *unmapped = (volatile uint64_t *)0x10;

    kprintf("test: writing to an unmapped kernel address\n");
    __asm__ volatile("" : "+r"(unmapped));  /* hide the constant from the optimizer */
    *unmapped = 1;
}

#define OVERFLOW_FRAME_BYTES    512

/*
 * Recurses until the stack runs out (a stack holds far fewer than |limit|
 * frames); the write after the call keeps each frame (no tail call).
 */
static __attribute__((noinline)) void recurse_deeply(uint64_t depth, uint64_t limit)
{
    volatile uint8_t frame[OVERFLOW_FRAME_BYTES];

    frame[0] = (uint8_t)depth;
    if (depth < limit)
        recurse_deeply(depth + 1, limit);
    frame[1] = frame[0] + 1;
}

/* A deliberate kernel stack overflow, for the guard test: on a thread's kind of stack (kstack.c). */
static void overflow_on_purpose(void)
{
    uint64_t top = kstack_alloc();

    if (!top)
        panic("test: no kernel stack to overflow");
    kprintf("test: recursing deeper than a kernel stack below 0x%lx\n", top);
    __asm__ volatile("mov %0, %%rsp\n\t"
                     "xor %%edi, %%edi\n\t"
                     "call *%1"
                     : : "r"(top), "r"(recurse_deeply), "S"((uint64_t)KSTACK_SIZE) : "rdi", "memory");
}

static void run_boot_tests(void)
{
    char opt[16];

    if (cmdline_option(boot_info.cmdline, "fastpath", opt, sizeof opt) >= 0 && strcmp(opt, "off") == 0) {
        sched_set_direct_switch(false);
        ob_set_handoff(false);
    }
    if (cmdline_option(boot_info.cmdline, "test", opt, sizeof opt) < 0)
        return;
    if (strcmp(opt, "fault") == 0)
        fault_on_purpose();
    if (strcmp(opt, "kstack") == 0)
        overflow_on_purpose();
    if (strcmp(opt, "boot") == 0) {
        uint64_t start = timer_ticks();
        while (timer_ticks() - start < BOOT_TEST_TICKS)
            irq_enable_and_halt();
        kprintf("test: timer ticked %d times\n", BOOT_TEST_TICKS);
        qemu_exit(QEMU_EXIT_SUCCESS);
    }
}

static void bootfs_mount(void)
{
    if (boot_info.nmodules < 1)
        panic("no boot filesystem module (grub.cfg's module2 line)");
    const struct boot_module *m = &boot_info.modules[0];
    int n = bootfs_init(phys_to_virt(m->start), m->end - m->start);
    if (n < 0)
        panic("the boot filesystem is not a ustar archive");
    kprintf("bootfs: %d files\n", n);
}

/*
 * seed=N (make test passes one, and prints it): spins N % SEED_PHASE_SPAN
 * loop rounds, about one timer tick's worth of instructions at most, before
 * the first process starts, so that every preemption of the run lands at
 * another instruction.  Under QEMU's -icount clock nothing else varies: the
 * same seed repeats a run exactly, another seed varies its interleavings.
 */
static void seed_phase(void)
{
    char opt[24];
    uint64_t seed = 0;

    if (cmdline_option(boot_info.cmdline, "seed", opt, sizeof opt) < 0)
        return;
    for (const char *c = opt; *c >= '0' && *c <= '9'; c++)
        seed = seed * 10 + (uint64_t)(*c - '0');
    kprintf("seed: %lu\n", seed);
    for (volatile uint64_t i = 0; i < seed % SEED_PHASE_SPAN; i++)
        continue;
}

/* Starts the first process: /bin/init, or what follows "--" on the command line. */
static void start_first_process(void)
{
    static char words[BOOT_CMDLINE_MAX];
    char *argv[INIT_MAX_ARGS + 1] = { INIT_PATH };
    int argc = 1;
    const char *rest = strstr(boot_info.cmdline, "-- ");
    struct process *p;

    if (rest) {
        memcpy(words, rest + 3, strlen(rest + 3) + 1);
        argc = 0;
        for (char *w = words; *w && argc < INIT_MAX_ARGS;) {
            argv[argc++] = w;
            while (*w && *w != ' ')
                w++;
            while (*w == ' ')
                *w++ = '\0';
        }
    }
    struct ob *root = resource_create_root();
    if (!root)
        panic("no memory for the root resource");
    long err = process_spawn_first(argv[0], argc, argv, root, &p);
    ob_unref(root);                 /* the first process's handle holds it now */
    if (err < 0)
        panic("cannot start %s: error %ld", argv[0], err);
    kprintf("ember: started %s as process %lu\n", argv[0], p->pid);
}

/*
 * Called by every new thread on its way to ring 3 (context.S); the first call
 * reports how long the kernel took from its entry to its first user thread.
 * Under QEMU's -icount shift=0 the TSC counts instructions: `make bench` reads
 * this line.  Elsewhere it counts cycles, printed all the same.
 */
void boot_mark_ring3(void)
{
    static bool reported;
    uint64_t now = rdtsc();

    if (reported)
        return;
    reported = true;
    kprintf("boot: %lu TSC ticks from kernel entry to ring 3\n", now - boot_entry_tsc);
}

void kernel_main(uint32_t magic, uint32_t info_phys)
{
    cpu_init_early();               /* GS: the spinlocks of everything below need it */
    fault_report_init();            /* panics and faults are reported from here on */
    serial_init();
    kprintf_add_sink(log_print);    /* kprintf's lines: the log ring and the serial line, whole */
    kprintf("\nember: booting\n");
    if (magic != MULTIBOOT2_BOOT_MAGIC)
        panic("not booted by a Multiboot2 loader (magic 0x%x)", magic);
    if (multiboot_parse(phys_to_virt(info_phys), info_phys, &boot_info) < 0)
        panic("malformed Multiboot2 boot information");
    kprintf("boot: command line \"%s\", %d memory regions, %d modules\n",
            boot_info.cmdline, boot_info.navail, boot_info.nmodules);
    gdt_init();
    idt_init();
    kprintf("cpu: GDT, TSS and IDT loaded\n");
    pic_init();
    interrupt_init();               /* a line no kernel handler has goes to its driver, or is masked */
    ioport_init();                  /* a process's I/O ports: loaded at each switch, closed at teardown */
    timer_init();                   /* early: the rest of bring-up is timer_calibrate's interval */
    memory_init();
    cpu_init();
    usercopy_init();                /* the copy loops for the CPU cpu_init set up */
    kstack_init();
    sched_init();
    thread_objects_init();
    process_init();
    timer_objects_init();
    mutex_objects_init();
    ob_namespace_init();
    kprintf("ob: namespace: the root, /obj and /svc\n");
    kclock_init(boot_info.cmdline);
    bootfs_mount();
    timer_calibrate();
    kprintf("timer: PIT at %d Hz, TSC at %lu MHz\n", TIMER_HZ, timer_tsc_hz() / 1000000);
    smp_init(&boot_info, kstack_alloc);           /* after timer_calibrate: the SIPI waits count TSC ticks */
    kprintf("ember: ready\n");
    run_boot_tests();
    job_init();
    seed_phase();
    start_first_process();
    sched_run();
}
