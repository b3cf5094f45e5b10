/*
 * Scalar types and structures of the user/kernel interface, shared by the
 * kernel, libc and the tests.  Every structure has a fixed layout (only
 * 64-bit and 32-bit fields, no implicit padding).
 */
#ifndef EMBER_ABI_TYPES_H
#define EMBER_ABI_TYPES_H

#include <stdint.h>
#include "kernel/abi/rights.h"

typedef long handle_t;          /* > 0: a handle; < 0: an E_* code */
typedef uint32_t rights_t;

#define TIMEOUT_INFINITE    (-1L)   /* for every timeout argument, in nanoseconds */

/*
 * thread_set_priority: 0 (lowest) .. PRIORITY_MAX; new threads get
 * PRIORITY_NORMAL (or their process's ceiling, if lower).  A process has a
 * priority ceiling no thread of it may pass (E_LIMIT): the first process's
 * is PRIORITY_MAX, a spawned one's PRIORITY_CEILING_DEFAULT (or its
 * creator's, if lower), and a creator may change it with
 * process_set_ceiling, never above its own.
 */
#define PRIORITY_MAX        7
#define PRIORITY_NORMAL     4
#define PRIORITY_CEILING_DEFAULT (PRIORITY_NORMAL + 1)

/* Handle attributes (handle_attributes); handle_close_many takes at most HANDLE_CLOSE_MANY_MAX. */
#define HANDLE_PROTECT_CLOSE    0x1     /* handle_close and its kin refuse it with E_ACCESS */
#define HANDLE_ATTRIBUTES_ALL   HANDLE_PROTECT_CLOSE
#define HANDLE_CLOSE_MANY_MAX   64

/* object_wait_many flags */
#define WAIT_FOR_ALL        0x1     /* all at once; otherwise any one of them */
#define WAIT_MANY_MAX       64

/* Creating named objects: with a name that exists, open it (same type) instead of E_EXISTS. */
#define CREATE_OPEN_EXISTING 0x100
/*
 * Who may open a new named object by its name (object_open, or a create
 * with CREATE_OPEN_EXISTING), and with which rights: without CREATE_OPENERS,
 * the type's default for openers (a port's may connect, never receive);
 * with CREATE_OPENER_RIGHTS(r), rights |r| (a subset of the type's valid
 * rights), and CREATE_OPENER_RIGHTS(0) lets nobody open it (E_ACCESS).
 */
#define CREATE_OPENERS          0x200
#define CREATE_OPENERS_SHIFT    32
#define CREATE_OPENER_RIGHTS(r) (CREATE_OPENERS | ((unsigned long)(r) << CREATE_OPENERS_SHIFT))
#define CREATE_NAMED_FLAGS      (CREATE_OPEN_EXISTING | CREATE_OPENER_RIGHTS(RIGHTS_ALL))
#define OB_NAME_MAX         64      /* bytes, with the NUL */

/* event_create flags */
#define EVENT_MANUAL_RESET  0x1     /* stays set, releasing every waiter; otherwise auto reset */
#define EVENT_SIGNALED      0x2     /* starts set */
/* mutex_create flags */
#define MUTEX_OWNED         0x1     /* the creating thread owns it at once */

/* Object types, for object_open and the tools (0: any). */
#define OB_TYPE_ANY         0
#define OB_TYPE_PROCESS     1
#define OB_TYPE_THREAD      2
#define OB_TYPE_FILE        3
#define OB_TYPE_EVENT       4
#define OB_TYPE_MUTEX       5
#define OB_TYPE_SEMAPHORE   6
#define OB_TYPE_PIPE_READ   7
#define OB_TYPE_PIPE_WRITE  8
#define OB_TYPE_SECTION     9
#define OB_TYPE_PORT        10
#define OB_TYPE_TIMER       30      /* the object API's (kernel/sync/timer.c) */
#define OB_TYPE_RESOURCE    20      /* driver objects (kernel/drv, docs/09-drivers.md) */
#define OB_TYPE_IOPORT      21
#define OB_TYPE_INTERRUPT   22
#define OB_TYPE_DIRECTORY   40      /* the namespace (kernel/ob/directory.c) */

/* directory_list: one record per name in the directory, in creation order. */
struct directory_entry {
    uint64_t object_id;
    uint32_t type;              /* OB_TYPE_* */
    uint32_t open_rights;       /* what opening it by name gives */
    char name[OB_NAME_MAX];     /* its last part */
};
/* object_existed: what the calling thread's last create call with a name did. */
#define CREATE_MADE_NEW     0   /* made a new object (or failed) */
#define CREATE_EXISTED      1   /* CREATE_OPEN_EXISTING opened the object already there */
#define OB_TYPE_JOB         41      /* jobs and their quotas (kernel/proc/job.c) */

/*
 * Jobs (kernel/proc/job.c, docs/03-processes.md "Jobs").  Every process
 * belongs to one job; jobs nest.  A job's limits bind its processes and
 * every job nested in it: a resource is charged to the job and all its
 * ancestors when taken, given back when released, and a call that would
 * pass any of their limits fails with E_QUOTA, changing nothing.
 */
#define JOB_PAGES           0       /* committed memory pages: mapped, sections, kernel stacks */
#define JOB_PROCESSES       1
#define JOB_THREADS         2
#define JOB_HANDLES         3
#define JOB_OBJECTS         4       /* kernel objects created (handles not counted) */
#define JOB_RESOURCES       5
#define JOB_UNLIMITED       UINT64_MAX
#define JOB_DEPTH_MAX       8       /* jobs nest at most this deep (E_LIMIT) */
#define JOB_RESOURCE_NAMES  { "pages", "procs", "threads", "handles", "objects" }
struct job_limits {
    uint64_t limit[JOB_RESOURCES];  /* JOB_UNLIMITED: no limit of its own */
};
struct job_info {
    uint64_t id;                    /* the job object's id */
    uint64_t parent_id;             /* 0 for the root job */
    uint64_t usage[JOB_RESOURCES];  /* its processes' and its nested jobs' together */
    uint64_t limit[JOB_RESOURCES];
};

/* process_list, thread_list, handle_list: fixed-size records. */
struct process_info {
    uint64_t pid;
    uint64_t parent_pid;
    uint64_t state;             /* PROCESS_* */
    uint64_t nthreads;
    uint64_t nhandles;
    char name[32];
    uint64_t job_id;            /* the id of the job it belongs to */
    uint64_t priority_ceiling;
};
#define THREAD_STATE_NAMES  { "new", "ready", "running", "blocked", "dead" }
/* thread_info.state: the kernel's enum thread_state values (kernel/sched/thread.h). */
#define THREAD_STATE_NEW        0
#define THREAD_STATE_READY      1
#define THREAD_STATE_RUNNING    2
#define THREAD_STATE_BLOCKED    3
#define THREAD_STATE_DEAD       4
struct thread_info {
    uint64_t tid;
    uint64_t pid;
    uint64_t state;             /* index into THREAD_STATE_NAMES */
    uint64_t priority;
};
struct handle_info {
    handle_t handle;
    uint64_t object_id;
    uint32_t type;              /* OB_TYPE_* */
    uint32_t rights;
    char type_name[16];
    char name[OB_NAME_MAX];
};

/*
 * object_query(handle, info_class, buf, len, needed): what an object is and
 * its type's own state (docs/13-timers-and-queries.md).  A class is a type
 * code and a number: INFO_CLASS(OB_TYPE_ANY, n) classes work on any handle,
 * the others only on handles to that type (E_WRONGTYPE otherwise).  Basic
 * information needs no right, every other class RIGHT_INFO.  A buffer too
 * small is E_TOOBIG, and |*needed| (when not NULL) gets the size needed.
 */
#define INFO_CLASS(type, n)         (((type) << 8) | (n))
#define INFO_CLASS_TYPE(c)          ((c) >> 8)
#define OBJECT_INFO_BASIC           INFO_CLASS(OB_TYPE_ANY, 0)      /* struct object_basic_info */
#define OBJECT_INFO_PROCESS         INFO_CLASS(OB_TYPE_PROCESS, 1)  /* struct process_query_info */
#define OBJECT_INFO_PROCESS_THREADS INFO_CLASS(OB_TYPE_PROCESS, 2)  /* struct thread_query_info[] */
#define OBJECT_INFO_PROCESS_HANDLES INFO_CLASS(OB_TYPE_PROCESS, 3)  /* struct handle_query_info[] */
#define OBJECT_INFO_THREAD          INFO_CLASS(OB_TYPE_THREAD, 1)   /* struct thread_query_info */
#define OBJECT_INFO_EVENT           INFO_CLASS(OB_TYPE_EVENT, 1)    /* struct event_query_info */
#define OBJECT_INFO_MUTEX           INFO_CLASS(OB_TYPE_MUTEX, 1)    /* struct mutex_query_info */
#define OBJECT_INFO_SEMAPHORE       INFO_CLASS(OB_TYPE_SEMAPHORE, 1) /* struct semaphore_query_info */
#define OBJECT_INFO_PIPE_READ       INFO_CLASS(OB_TYPE_PIPE_READ, 1) /* struct pipe_query_info */
#define OBJECT_INFO_PIPE_WRITE      INFO_CLASS(OB_TYPE_PIPE_WRITE, 1) /* struct pipe_query_info */
#define OBJECT_INFO_SECTION         INFO_CLASS(OB_TYPE_SECTION, 1)  /* struct section_query_info */
#define OBJECT_INFO_PORT            INFO_CLASS(OB_TYPE_PORT, 1)     /* struct port_query_info */
#define OBJECT_INFO_TIMER           INFO_CLASS(OB_TYPE_TIMER, 1)    /* struct timer_query_info */

struct object_basic_info {
    uint64_t object_id;
    uint64_t handles;           /* open handles, counting those in messages in flight */
    uint64_t refs;              /* pointer references (each handle holds one) */
    uint64_t creator_pid;
    uint32_t type;              /* OB_TYPE_* */
    uint32_t rights;            /* what the queried handle grants */
    char type_name[16];
    char name[OB_NAME_MAX];     /* "" when unnamed */
};
struct process_query_info {
    uint64_t pid;
    uint64_t parent_pid;
    uint64_t state;             /* PROCESS_* */
    int64_t exit_code;          /* once ended */
    uint64_t nthreads;
    uint64_t nhandles;
    char name[32];
};
struct thread_query_info {
    uint64_t tid;
    uint64_t pid;
    uint64_t state;             /* THREAD_STATE_* */
    uint64_t priority;
    int64_t exit_code;          /* once THREAD_STATE_DEAD */
};
struct handle_query_info {
    handle_t handle;            /* in the queried process */
    struct object_basic_info basic;
};
struct event_query_info {
    uint32_t manual_reset;
    uint32_t signaled;
};
struct mutex_query_info {
    uint64_t owner_tid;         /* 0: free */
    uint64_t depth;
    uint32_t abandoned;         /* the next acquirer will get E_ABANDONED */
    uint32_t reserved;
};
struct semaphore_query_info {
    int64_t count;
    int64_t maximum;
};
struct pipe_query_info {
    uint64_t buffered;          /* bytes in the ring */
    uint64_t capacity;
    uint64_t peer_id;           /* object id of the other end; 0 once it is destroyed */
    uint32_t peer_closed;       /* the other end has no handle left */
    uint32_t flags;             /* PIPE_NONBLOCK if this end is non-blocking */
};
struct section_query_info {
    uint64_t size;              /* bytes */
};
#define PORT_KIND_SERVER        0
#define PORT_KIND_CLIENT        1
#define PORT_KIND_SERVER_END    2
struct port_query_info {
    uint32_t kind;              /* PORT_KIND_* */
    uint32_t closed;            /* the server port's last handle went, or the connection ended */
    uint64_t queued;            /* messages waiting to be received here */
    uint64_t in_service;        /* server port: received connects and requests not yet answered */
    uint64_t calls;             /* client end: its threads waiting for a reply */
    uint64_t peer_id;           /* an end: the other end's object id (0: disconnected); server: 0 */
    uint64_t server_id;         /* an end: its server port's id; a server port: its own */
    uint32_t max_message;
    uint32_t max_handles;
};
struct timer_query_info {
    uint32_t manual_reset;
    uint32_t signaled;
    uint32_t armed;
    uint32_t reserved;
    uint64_t due_in_ns;         /* armed: until it fires next, in whole ticks */
    uint64_t period_ns;         /* 0: one-shot */
};

/*
 * Timers (kernel/sync/timer.c): timer_create(flags, name), timer_set(timer,
 * due_ns, period_ns): signaled |due_ns| from now (0: at once), then every
 * |period_ns| unless 0; times are rounded up to whole ticks of the 100 Hz
 * clock.  timer_cancel disarms and leaves the signaled state alone.
 */
#define TIMER_MANUAL_RESET  0x1     /* stays signaled, releasing every waiter; otherwise auto reset */

/*
 * Pipes (kernel/ipc/pipe.c).  The ring holds PIPE_CAPACITY bytes, or what
 * pipe_create_sized asked for.  A write of up to PIPE_ATOMIC bytes is atomic:
 * it waits until there is room for all of it and lands in one piece, never
 * interleaved with another writer's bytes.  A write end is signaled when a
 * PIPE_ATOMIC-byte write would not block (or the reader is gone); a read end
 * when there is data (or end of file).  pipe_read_timeout and
 * pipe_write_timeout give up after their timeout (E_TIMEDOUT; a timeout of 0,
 * like a PIPE_NONBLOCK end, never waits: E_AGAIN); pipe_peek never waits.
 */
#define PIPE_CAPACITY       (64 * 1024)    /* pipe_create's; pipe_create_sized chooses */
#define PIPE_CAPACITY_MAX   (1024 * 1024)
#define PIPE_ATOMIC         4096           /* (or the capacity, when that is smaller) */
#define PIPE_NONBLOCK       0x1            /* pipe_create_sized, pipe_set_mode: E_AGAIN, never wait */
#define PIPE_ENDS           2       /* pipe_create writes handle_t ends[PIPE_ENDS]: */
#define PIPE_READ_END       0       /*   ends[0] reads */
#define PIPE_WRITE_END      1       /*   ends[1] writes */

/* Sections (kernel/ipc/section.c): shared memory, whole pages, at most this much. */
#define SECTION_MAX_SIZE    (64ul * 1024 * 1024)
#define SECTION_FLAGS_ALL   CREATE_NAMED_FLAGS     /* section_create flags */
#define SECTION_MAP_FLAGS   MEM_WRITE               /* section_map flags: MEM_WRITE or 0 */
#define SECTION_IO_MAX      (64ul * 1024)           /* section_read/section_write: bytes per call, at most */

/*
 * Ports (LPC: kernel/ipc/port.c, docs/07-ports.md).  A server creates a named
 * server port; clients connect by name and each side gets a communication
 * port.  Every call that moves a message takes a struct port_message: where
 * the bytes and handles are, and what the kernel tells about a message
 * received.  Sending moves the listed handles (each needs RIGHT_TRANSFER):
 * they leave the sender's table once the message is queued; on any error
 * nothing has moved.
 */
#define PORT_MAX_MESSAGE    4096    /* bytes in one message, at most */
#define PORT_MAX_HANDLES    8       /* handles in one message, at most */
#define PORT_QUEUE_MAX      64      /* messages waiting in one port; one more is E_AGAIN */

/* struct port_message.kind: what arrived */
#define PORT_MSG_CONNECT    1       /* a client asks to connect: port_accept or port_refuse its id */
#define PORT_MSG_REQUEST    2       /* a call: its caller waits for the reply to this id */
#define PORT_MSG_DATAGRAM   3       /* one way: no reply */
#define PORT_MSG_CLOSED     4       /* the client of connection |context| is gone (no bytes) */
#define PORT_MSG_REPLY      5       /* port_request: the answer to its request */

/* port_receive flags */
#define PORT_RECEIVE_REPLY  0x1     /* first send the message as the reply to request |id| */

struct port_message {
    void *data;                 /* the bytes */
    uint32_t len;               /* sending: bytes at |data|; received: how many arrived */
    uint32_t data_room;         /* receiving: bytes |data| has room for */
    handle_t *handles;          /* the handles */
    uint32_t nhandles;          /* sending: handles at |handles|; received: how many arrived */
    uint32_t handles_room;      /* receiving: handles |handles| has room for */
    uint64_t id;                /* received: the message's id; a reply: the request it answers */
    uint64_t context;           /* received: the value the server gave the connection at port_accept */
    uint64_t pid;               /* received: the sender's process id */
    uint64_t tid;               /* received: the sender's thread id */
    uint32_t kind;              /* received: PORT_MSG_* */
    uint32_t reserved;
};

/*
 * Driver objects (kernel/drv, docs/09-drivers.md).  A resource is a range of
 * I/O ports or IRQ lines (the root resource: all of both); from it, with
 * RIGHT_MANAGE, come narrower resources, I/O-port ranges and interrupts.
 */
#define RESOURCE_ROOT       0       /* resource_create kinds; the root is made only at boot */
#define RESOURCE_IOPORT     1
#define RESOURCE_IRQ        2
#define IOPORT_COUNT        0x10000 /* ports 0..0xffff */
#define IOPORT_GRANTS_MAX   8       /* ranges one process may have enabled at once */
#define IRQ_LINES           16      /* the legacy PIC's lines */
#define STARTUP_ROOT_HANDLE 3       /* the first process finds the root resource here in start_info */

/* The wall-clock time, UTC, as the CMOS clock keeps it (rtcd, or kclock_read). */
struct clock_time {
    uint32_t year, month, day;      /* 2026, 1..12, 1..31 */
    uint32_t hour, minute, second;
    uint64_t unix_seconds;          /* since 1970-01-01 00:00:00 UTC */
};

/* mem_map flags */
#define MEM_READ            0x0     /* always readable */
#define MEM_WRITE           0x1
#define MEM_EXEC            0x2
#define MEM_FLAGS_ALL       (MEM_WRITE | MEM_EXEC)
#define MEM_WRITE_EXEC      (MEM_WRITE | MEM_EXEC)  /* refused: E_INVAL (no page is both) */

/*
 * process_trace flags.  TRACE_CALLS prints the process's own calls;
 * TRACE_CHILDREN makes each child it spawns from then on traced in full
 * (its calls and its own children), so a tool such as /bin/trace can trace
 * a program without its own calls in the way.
 */
#define TRACE_CALLS         0x1
#define TRACE_CHILDREN      0x2
#define TRACE_FLAGS_ALL     (TRACE_CALLS | TRACE_CHILDREN)

/* What a process handed to a new one: placed by the kernel on its stack; rdi points to it. */
#define SPAWN_MAX_ARGS      32
#define SPAWN_MAX_ARG_BYTES 4096
#define SPAWN_MAX_HANDLES   16
/*
 * The spawn convention for standard streams: the first three handles passed
 * are the child's stdin, stdout and stderr, in that order, each a pipe end
 * (the read end for stdin, write ends for the others) or 0 for "the
 * console".  process_spawn passes a 0 through unchanged.  libc attaches its
 * streams accordingly (libc/handle_io.c); handles after these are the
 * program's own.  A program that passes fewer, or none, leaves the rest on
 * the console.
 */
#define STDIN_HANDLE        0       /* index into start_info.handles */
#define STDOUT_HANDLE       1
#define STDERR_HANDLE       2
#define STDIO_HANDLES       3
struct start_info {
    uint64_t argc;
    char **argv;                /* argc strings, then NULL */
    uint64_t nhandles;
    handle_t *handles;          /* handles passed at spawn, in the order given */
};

/* process_status: how a process ended. */
#define PROCESS_RUNNING     0
#define PROCESS_EXITED      1   /* called process_exit, or its last thread exited */
#define PROCESS_KILLED      2   /* by process_kill */
#define PROCESS_FAULTED     3   /* a ring-3 fault ended it */
struct process_status {
    uint64_t state;             /* PROCESS_* */
    int64_t exit_code;
    uint64_t fault_vector;      /* for PROCESS_FAULTED: the CPU exception */
    uint64_t fault_error;       /* its error code (page faults: PF_* bits) */
    uint64_t fault_addr;        /* page faults: the address (CR2) */
    uint64_t fault_rip;         /* where it happened */
    uint64_t pid;
    uint64_t fault_port;        /* a #GP by in/out on a port not granted: FAULT_PORT_VALID | port */
};
#define FAULT_PORT_VALID    0x10000

/* Page-fault error bits, as the CPU reports them (for describing faults). */
#define FAULT_PF_PRESENT    0x1
#define FAULT_PF_WRITE      0x2
#define FAULT_PF_USER       0x4
#define FAULT_PF_FETCH      0x10

/* system_stats: the leak-check numbers. */
#define STATS_MAX_TAGS      64      /* as many as the heap can track (HEAP_MAX_TAGS) */
struct stats_tag {
    uint32_t tag;               /* four characters, e.g. "Evnt", in memory order */
    uint32_t reserved;
    uint64_t live, peak, total, bytes;
};
#define STRETCH_CAUSE_TRAP  0x10000     /* a stretch's cause: + vector for an interrupt or fault */
#define STATS_MAX_CPUS      8       /* as many as the kernel starts (MAX_CPUS, kernel/arch/x86_64/madt.h) */
struct stats_cpu {              /* one CPU, as /bin/cpus lists it (docs/14-smp.md) */
    uint32_t apic_id;
    uint32_t online;            /* 1 once it reached its idle loop (CPU 0: from boot) */
    uint64_t ticks_busy;        /* timer ticks that found it running something */
    uint64_t ticks_idle;        /* ... and halted, waiting for work */
    uint64_t irqs;              /* device interrupts it took (all on CPU 0: the I/O APIC sends them there) */
    uint64_t ipis;              /* inter-processor interrupts it took (cpu_ping sends one) */
};
struct system_stats {
    uint64_t free_frames;       /* free frames, counting the heap's cached empty slabs */
    uint64_t total_frames;
    uint64_t heap_bytes;        /* live kernel heap bytes, all tags */
    /*
     * The longest the kernel ran with interrupts off (it is not preemptible:
     * from entry to the return to ring 3 or to idle), in nanoseconds, and what
     * began it: a system call number, or STRETCH_CAUSE_TRAP + vector.  Since
     * boot, and since the previous system_stats call (each call starts a new
     * "recent" window).
     */
    uint64_t stretch_max_ns, stretch_max_cause;
    uint64_t stretch_recent_ns, stretch_recent_cause;
    /*
     * Since boot: how many times the scheduler switched straight to a thread
     * just woken, without its run queue (the IPC fast path, kernel/sched/sched.c).
     */
    uint64_t direct_switches;
    uint64_t direct_switch_on;  /* 0 in a boot with fastpath=off: every wake takes the run queue */
    /*
     * Since boot: how many waits a signaler satisfied by handing its signal
     * straight to the first waiter (an event set, a semaphore release, a pipe
     * write; kernel/ob/wait.c, ob_handoff), not through the generic walk.
     * Also 0 for good with fastpath=off.
     */
    uint64_t wake_handoffs;
    /*
     * Since boot: port messages handed straight to a thread waiting in
     * port_receive on an empty queue, never queued (kernel/ipc/port.c).
     */
    uint64_t port_handoffs;
    uint64_t ntags;
    struct stats_tag tags[STATS_MAX_TAGS];
    uint64_t ncpus;             /* the CPUs the MADT listed, at most STATS_MAX_CPUS */
    struct stats_cpu cpus[STATS_MAX_CPUS];
};

/*
 * lock_selftest(which, report, len): the kernel's locks tested from inside
 * (kernel/sched/locktest.c, docs/14-smp.md); |report| gets what it saw, as text.
 */
#define LOCK_SELFTEST_SPIN          1   /* spinlock API: interrupts, nesting, owner; returns checks failed */
#define LOCK_SELFTEST_ORDER         2   /* two spinlock classes A->B then B->A: the inversions reported */
#define LOCK_SELFTEST_SLEEP_ORDER   3   /* the same with two sleeping locks */
#define LOCK_SELFTEST_SLEEP         4   /* holds a sleeping lock across a 20 ms sleep: 1 if it had to wait */
#define LOCK_SELFTEST_MAX           4
#define LOCK_SELFTEST_REPORT_MAX    1024

#endif
