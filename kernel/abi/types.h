/*
 * Scalar types and structures of the user/kernel interface, shared by the
 * kernel, libc and the tests.  Every structure has a fixed layout (only
 * 64-bit and 32-bit fields, no implicit padding).
 */
#ifndef EMBER_ABI_TYPES_H
#define EMBER_ABI_TYPES_H

#include <stdint.h>

typedef long handle_t;          /* > 0: a handle; < 0: an E_* code */
typedef uint32_t rights_t;

#define TIMEOUT_INFINITE    (-1L)   /* for every timeout argument, in nanoseconds */

/* mem_map flags */
#define MEM_READ            0x0     /* always readable */
#define MEM_WRITE           0x1
#define MEM_EXEC            0x2
#define MEM_FLAGS_ALL       (MEM_WRITE | MEM_EXEC)

/* What a process handed to a new one: placed by the kernel on its stack; rdi points to it. */
#define SPAWN_MAX_ARGS      32
#define SPAWN_MAX_ARG_BYTES 4096
#define SPAWN_MAX_HANDLES   16
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
};

/* Page-fault error bits, as the CPU reports them (for describing faults). */
#define FAULT_PF_PRESENT    0x1
#define FAULT_PF_WRITE      0x2
#define FAULT_PF_USER       0x4
#define FAULT_PF_FETCH      0x10

/* system_stats: the leak-check numbers. */
#define STATS_MAX_TAGS      48
struct stats_tag {
    uint32_t tag;               /* four characters, e.g. "Evnt", in memory order */
    uint32_t reserved;
    uint64_t live, peak, total, bytes;
};
struct system_stats {
    uint64_t free_frames;       /* free frames, counting the heap's cached empty slabs */
    uint64_t total_frames;
    uint64_t heap_bytes;        /* live kernel heap bytes, all tags */
    uint64_t ntags;
    struct stats_tag tags[STATS_MAX_TAGS];
};

#endif
