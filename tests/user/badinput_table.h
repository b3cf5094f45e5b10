/*
 * badinput_table.h: how the bad-input suites (badinput_*.c) read libc's
 * syscall_descs table (generated from syscalls.def): what each argument's
 * kind and name say about it, and the small tables of what they cannot say.
 * A header of static functions, so not a suite; badinput.h builds the
 * valid arguments and the fixture on top of it.
 *
 * Argument names carry meaning: a HANDLE argument named "file", "process",
 * "thread", "object" (anything waitable) or "handle" (anything) gets the
 * fixture's file, children or thread; any other name, say "event", gets an
 * object made by the call "<name>_create".  A STRING named "path" is a boot
 * file system path (BOOTFS_PATH_MAX); other STRINGs and NAMEs are object
 * names (OB_NAME_MAX).  A new call that needs a row in one of the tables
 * below shows up as a failure naming the call and the argument.
 *
 * Left out of the table-driven cases, and why:
 *   - process_exit and thread_exit never return; kclock_read is E_NOTFOUND
 *     except in a clock=kernel boot (drivers_kclock checks its pointer
 *     there): all three are skipped;
 *   - calls that wait for a peer with valid arguments (pipe_read on an
 *     empty pipe, port_connect until accepted, ...) get only the handle and
 *     flag checks, which fail before any wait ("waits" below);
 *   - ADDR arguments are not dereferenced, only range-checked:
 *     badinput_values.addresses_outside_user_space_are_inval checks
 *     mem_map, mem_unmap and thread_create by hand;
 *   - "a handle without the needed right" is a duplicate with no rights at
 *     all; the few arguments used without any right are listed below.
 */
#ifndef EMBER_TESTS_USER_BADINPUT_TABLE_H
#define EMBER_TESTS_USER_BADINPUT_TABLE_H

#include <syscall_desc.h>
#include "tests/user/util.h"

#define MAX_ARGS            6
#define VALID_LEN           1024                /* a few records of any list call, any path */
#define QUIET_LEN           16                  /* console_write prints its buffer: keep it short */
#define FLAG_BITS           64

static const char *const skipped[] = { "process_exit", "thread_exit", "kclock_read" };

/* Calls that may wait for a peer when every argument is valid: handle and flag checks only. */
static const char *const waits[] = { "pipe_read", "pipe_write", "port_connect", "port_request",
                                     "port_request_timeout",
                                     /* these touch their buffer only when there is data or room */
                                     "pipe_read_timeout", "pipe_write_timeout", "pipe_peek" };

/* NAME arguments that must not be NULL. */
static const char *const name_required[] = { "port_create", "directory_create" };

/* STRING arguments that name an object to open: NULL is "no name", E_INVAL, not E_FAULT. */
static const char *const open_by_name[] = { "object_open", "object_open_at" };

/*
 * Calls that close the handles in their COUNT array: their valid array holds
 * 0s ("none", skipped) instead of the fixture's handles, which they would close.
 */
static const char *const closes_its_handles[] = { "handle_close_many" };

/* Argument values other than 0, where 0 is not valid. */
static const struct {
    const char *call, *arg;
    long value;
} valid_values[] = {
    { "semaphore_create", "initial", 1 },
    { "semaphore_create", "maximum", 1 },
    { "semaphore_release", "count", 1 },
    { "lock_selftest", "which", LOCK_SELFTEST_SPIN },  /* 0 names no test */
};

/* Buffer sizes other than VALID_LEN. */
static const struct {
    const char *call;
    size_t len;
} valid_lens[] = {
    { "system_stats", sizeof(struct system_stats) },
    { "console_write", QUIET_LEN },
};

/* The most elements a COUNT argument takes. */
static const struct {
    const char *call;
    size_t max;
} count_limits[] = {
    { "process_spawn", SPAWN_MAX_HANDLES },
    { "object_wait_many", WAIT_MANY_MAX },
    { "handle_close_many", HANDLE_CLOSE_MANY_MAX },
};

/* The flag bits each call knows; the others must be E_INVAL.  Calls not listed: only bit 63. */
static const struct {
    const char *call;
    unsigned long known;
} known_flags[] = {
    { "mem_map", MEM_FLAGS_ALL },
    { "object_wait_many", WAIT_FOR_ALL },
    { "handle_duplicate", RIGHTS_ALL | RIGHT_SAME },
    { "handle_replace", RIGHTS_ALL | RIGHT_SAME },
    { "handle_attributes", HANDLE_ATTRIBUTES_ALL },
    { "event_create", EVENT_MANUAL_RESET | EVENT_SIGNALED | CREATE_NAMED_FLAGS },
    { "mutex_create", MUTEX_OWNED | CREATE_NAMED_FLAGS },
    { "semaphore_create", CREATE_NAMED_FLAGS },
    { "section_create", SECTION_FLAGS_ALL },
    { "section_map", SECTION_MAP_FLAGS },
    { "directory_create", CREATE_NAMED_FLAGS },
    { "section_map_view", SECTION_MAP_FLAGS },
    { "section_protect", SECTION_MAP_FLAGS },
    { "port_receive", PORT_RECEIVE_REPLY },
    { "timer_create", TIMER_MANUAL_RESET | CREATE_OPEN_EXISTING },
    { "pipe_create_sized", PIPE_NONBLOCK },
    { "pipe_set_mode", PIPE_NONBLOCK },
    { "process_trace", TRACE_FLAGS_ALL },
};

/* HANDLE arguments for which 0 is a valid value ("the caller"). */
static const struct {
    const char *call, *arg;
} zero_handle_ok[] = {
    { "handle_duplicate", "process" },
    { "process_trace", "process" },
    { "thread_set_priority", "thread" },
    { "process_set_ceiling", "process" },
    { "job_create", "job" },
    { "job_set_spawn", "job" },
    { "section_map", "process" },
    { "section_unmap", "process" },
    { "directory_create", "directory" },    /* 0: the root */
    { "directory_list", "directory" },
    { "object_open_at", "from" },
    { "section_map_view", "process" },
    { "section_unmap_view", "process" },
    { "section_protect", "process" },
};

/* HANDLE arguments a call uses without checking any right. */
static const struct {
    const char *call, *arg;
} no_right_needed[] = {
    { "handle_close", "handle" },
    { "handle_replace", "handle" },     /* it makes no handle more: no right needed, as in Zircon */
    { "handle_attributes", "handle" },
    { "mutex_release", "mutex" },       /* ownership, not a right, decides */
    { "mutex_release_previous", "mutex" },
    { "object_query", "handle" },       /* basic information, class 0, needs no right */
};

/* Calls whose valid arguments still fail, for want of a state the fixture does not set up. */
static const struct {
    const char *call;
    long error;
} valid_errors[] = {
    { "mutex_release_previous", E_NOTOWNER },  /* the fixture's mutex has no owner */
};

/* Pointer arguments for which NULL is valid, besides every ARGV ("just the path") and NAME ("no name"). */
static const struct {
    const char *call, *arg;
} null_ok[] = {
    { "object_wait_many", "index" },    /* "do not tell me which" */
    { "job_create", "limits" },         /* "no limits of its own" */
    { "object_query", "needed" },       /* "do not tell me the size" */
};

/* ---- table lookups -------------------------------------------------------------- */

static inline int call_is(const struct syscall_desc *d, const char *name)
{
    return strcmp(d->name, name) == 0;
}

static inline int listed(const struct syscall_desc *d, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (call_is(d, names[i]))
            return 1;
    return 0;
}

static inline int is_skipped(const struct syscall_desc *d)
{
    return listed(d, skipped, ARRAY_LEN(skipped));
}

static inline long valid_value(const struct syscall_desc *d, int i)
{
    for (size_t k = 0; k < ARRAY_LEN(valid_values); k++)
        if (call_is(d, valid_values[k].call) && strcmp(d->arg_names[i], valid_values[k].arg) == 0)
            return valid_values[k].value;
    return 0;
}

static inline size_t valid_len(const struct syscall_desc *d)
{
    for (size_t k = 0; k < ARRAY_LEN(valid_lens); k++)
        if (call_is(d, valid_lens[k].call))
            return valid_lens[k].len;
    return VALID_LEN;
}

static inline size_t count_limit(const struct syscall_desc *d)
{
    for (size_t k = 0; k < ARRAY_LEN(count_limits); k++)
        if (call_is(d, count_limits[k].call))
            return count_limits[k].max;
    return SPAWN_MAX_HANDLES;
}

static inline unsigned long known_flags_of(const struct syscall_desc *d)
{
    for (size_t k = 0; k < ARRAY_LEN(known_flags); k++)
        if (call_is(d, known_flags[k].call))
            return known_flags[k].known;
    return ~(1UL << (FLAG_BITS - 1));
}

/* The error call |d| may return with valid arguments (valid_errors), or 0 for none. */
static inline long valid_error(const struct syscall_desc *d)
{
    for (size_t k = 0; k < ARRAY_LEN(valid_errors); k++)
        if (call_is(d, valid_errors[k].call))
            return valid_errors[k].error;
    return 0;
}

static inline int zero_handle_is_valid(const struct syscall_desc *d, int i)
{
    for (size_t k = 0; k < ARRAY_LEN(zero_handle_ok); k++)
        if (call_is(d, zero_handle_ok[k].call) && strcmp(d->arg_names[i], zero_handle_ok[k].arg) == 0)
            return 1;
    return 0;
}

static inline int needs_a_right(const struct syscall_desc *d, int i)
{
    for (size_t k = 0; k < ARRAY_LEN(no_right_needed); k++)
        if (call_is(d, no_right_needed[k].call) && strcmp(d->arg_names[i], no_right_needed[k].arg) == 0)
            return 0;
    return 1;
}

static inline int null_is_valid(const struct syscall_desc *d, int i)
{
    if (d->kinds[i] == ARG_ARGV || (d->kinds[i] == ARG_NAME && !listed(d, name_required,
                                                                       ARRAY_LEN(name_required))))
        return 1;
    for (size_t k = 0; k < ARRAY_LEN(null_ok); k++)
        if (call_is(d, null_ok[k].call) && strcmp(d->arg_names[i], null_ok[k].arg) == 0)
            return 1;
    return 0;
}

/* The number of the call named |name|, or -1 when there is none. */
static inline int find_call(const char *name)
{
    for (int nr = 0; nr < SYSCALL_COUNT; nr++)
        if (syscall_descs[nr].name && strcmp(syscall_descs[nr].name, name) == 0)
            return nr;
    return -1;
}

/* ---- argument kinds ------------------------------------------------------------ */

static inline int is_pointer(enum syscall_arg_kind k)
{
    return k == ARG_PTR_IN || k == ARG_PTR_OUT || k == ARG_STRING || k == ARG_ARGV || k == ARG_NAME;
}

static inline int is_string(enum syscall_arg_kind k)
{
    return k == ARG_STRING || k == ARG_NAME;
}

static inline int is_length(enum syscall_arg_kind k)
{
    return k == ARG_LEN || k == ARG_COUNT;
}

static inline int is_handle(enum syscall_arg_kind k)
{
    return k == ARG_HANDLE;
}

static inline int is_flags(enum syscall_arg_kind k)
{
    return k == ARG_FLAGS;
}

/* Whether argument |i| is a buffer whose size is the LEN or COUNT right after it. */
static inline int has_length_after(const struct syscall_desc *d, int i)
{
    return (d->kinds[i] == ARG_PTR_IN || d->kinds[i] == ARG_PTR_OUT) && i + 1 < d->nargs &&
           is_length(d->kinds[i + 1]);
}

static inline int has_count_after(const struct syscall_desc *d, int i)
{
    return has_length_after(d, i) && d->kinds[i + 1] == ARG_COUNT;
}

/* The call |nr| when it is testable and has an argument that |pick| accepts; NULL otherwise. */
static inline const struct syscall_desc *testable(int nr, int (*pick)(enum syscall_arg_kind))
{
    const struct syscall_desc *d = &syscall_descs[nr];

    if (!d->name || is_skipped(d))
        return NULL;
    if (listed(d, waits, ARRAY_LEN(waits)) && pick != is_handle && pick != is_flags)
        return NULL;
    for (int i = 0; i < d->nargs; i++)
        if (pick(d->kinds[i]))
            return d;
    return NULL;
}

/* Calls |check|(nr, i, |ctx|) for each argument |i| that |pick| accepts of every testable call. */
static inline void for_each_argument(int (*pick)(enum syscall_arg_kind),
                                     void (*check)(int nr, int i, void *ctx), void *ctx)
{
    for (int nr = 0; nr < SYSCALL_COUNT; nr++) {
        const struct syscall_desc *d = testable(nr, pick);
        for (int i = 0; d && i < d->nargs; i++)
            if (pick(d->kinds[i]))
                check(nr, i, ctx);
    }
}

#endif
