/*
 * trace.c: the system call tracer.  A traced process (process_trace, or the
 * child of a traced one) has every call printed on the console after it
 * returns, decoded by the argument kinds of kernel/abi/syscalls.def:
 *
 *   [3 echo] console_write(buf=0x7000001ff0, len=3) = 3
 *   [3 echo] object_wait(object=0x300010001 event "/obj/go", timeout_ns=-1) = 0
 *   [3 echo] file_open(path="/nope") = E_NOTFOUND
 *
 * Calls that never return (process_exit, thread_exit) are not printed.
 */
#include "kernel/lib/kprintf.h"
#include "kernel/lib/string.h"
#include "kernel/ob/handle.h"
#include "kernel/ob/namespace.h"
#include "kernel/proc/process.h"
#include "kernel/syscall/syscall.h"

#define TRACE_STRING_MAX    40
#define TRACE_LINE_MAX      400
#define HANDLE_LOOKING      0xffffffffL     /* results above this are handles or addresses */

struct trace_desc {
    const char *name;
    int nargs;
    enum syscall_arg_kind kinds[6];
    const char *arg_names[6];
};

#define SYSCALL0(name) [SYS_##name] = { #name, 0, { 0 }, { 0 } },
#define SYSCALL1(name, k1, a1) [SYS_##name] = { #name, 1, { ARG_##k1 }, { #a1 } },
#define SYSCALL2(name, k1, a1, k2, a2) \
    [SYS_##name] = { #name, 2, { ARG_##k1, ARG_##k2 }, { #a1, #a2 } },
#define SYSCALL3(name, k1, a1, k2, a2, k3, a3) \
    [SYS_##name] = { #name, 3, { ARG_##k1, ARG_##k2, ARG_##k3 }, { #a1, #a2, #a3 } },
#define SYSCALL4(name, k1, a1, k2, a2, k3, a3, k4, a4) \
    [SYS_##name] = { #name, 4, { ARG_##k1, ARG_##k2, ARG_##k3, ARG_##k4 }, { #a1, #a2, #a3, #a4 } },
#define SYSCALL5(name, k1, a1, k2, a2, k3, a3, k4, a4, k5, a5) \
    [SYS_##name] = { #name, 5, { ARG_##k1, ARG_##k2, ARG_##k3, ARG_##k4, ARG_##k5 }, \
                     { #a1, #a2, #a3, #a4, #a5 } },
#define SYSCALL6(name, k1, a1, k2, a2, k3, a3, k4, a4, k5, a5, k6, a6) \
    [SYS_##name] = { #name, 6, { ARG_##k1, ARG_##k2, ARG_##k3, ARG_##k4, ARG_##k5, ARG_##k6 }, \
                     { #a1, #a2, #a3, #a4, #a5, #a6 } },
static const struct trace_desc descs[SYSCALL_COUNT] = {
#include "kernel/abi/syscalls.def"
};

static const char *error_name(long code)
{
#define EMBER_ERROR_NAME(name, value, text) if (code == value) return #name;
    EMBER_ERRORS(EMBER_ERROR_NAME)
#undef EMBER_ERROR_NAME
    return NULL;
}

struct line {
    char buf[TRACE_LINE_MAX];
    int len;
};

static void add(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct line *l, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (l->len < TRACE_LINE_MAX)
        l->len += kvsnprintf(l->buf + l->len, TRACE_LINE_MAX - l->len, fmt, ap);
    va_end(ap);
}

static void add_handle(struct line *l, handle_t h)
{
    struct handle_entry *e = handle_peek(current_process(), h);

    add(l, "%#lx", (unsigned long)h);
    if (e)
        add(l, " %s%s%s%s", e->object->type->name, e->object->name ? " \"" : "",
            ob_name_text(e->object) ? ob_name_text(e->object) : "", e->object->name ? "\"" : "");
}

static void add_string(struct line *l, uint64_t addr)
{
    char s[TRACE_STRING_MAX];
    long n = strncpy_from_user(s, user_ptr_of(addr), sizeof s);

    if (n >= 0)
        add(l, "\"%s\"", s);
    else if (n == E_TOOBIG)
        add(l, "\"%.*s\"...", TRACE_STRING_MAX - 1, s);
    else
        add(l, "%#lx (bad string)", (unsigned long)addr);
}

static void add_arg(struct line *l, enum syscall_arg_kind kind, uint64_t v)
{
    switch (kind) {
    case ARG_HANDLE: add_handle(l, (handle_t)v); break;
    case ARG_STRING: add_string(l, v); break;
    case ARG_NAME: v ? add_string(l, v) : add(l, "NULL"); break;
    case ARG_LEN:
    case ARG_COUNT: add(l, "%lu", v); break;
    case ARG_VALUE: add(l, "%ld", (long)v); break;
    default: add(l, "%#lx", (unsigned long)v); break;   /* pointers, addresses, flags */
    }
}

/* "name(arg=value, ...", decoded by the argument kinds of call |n| (a known one). */
static void add_call(struct line *l, const struct syscall_args *a, uint64_t n)
{
    const struct trace_desc *d = &descs[n];

    add(l, "%s(", d->name);
    for (int i = 0; i < d->nargs; i++) {
        add(l, "%s%s=", i ? ", " : "", d->arg_names[i]);
        add_arg(l, d->kinds[i], a->arg[i]);
    }
}

void syscall_describe(const struct syscall_args *a, uint64_t n, char *out, size_t size)
{
    struct line l = { .len = 0 };

    if (n < SYSCALL_COUNT) {
        add_call(&l, a, n);
        add(&l, ")");
    } else {
        add(&l, "syscall %lu (no such call)", n);
    }
    ksnprintf(out, size, "%s", l.buf);
}

void syscall_trace(const struct syscall_args *a, uint64_t n, long result)
{
    struct process *p = current_process();
    struct line l = { .len = 0 };

    if (n >= SYSCALL_COUNT) {
        kprintf("[%lu %s] syscall %lu = E_NOSYS\n", p->pid, p->name, n);
        return;
    }
    add(&l, "[%lu %s] ", p->pid, p->name);
    add_call(&l, a, n);
    const char *err = result < 0 ? error_name(result) : NULL;
    if (err)
        add(&l, ") = %s\n", err);
    else if (result > HANDLE_LOOKING)
        add(&l, ") = %#lx\n", (unsigned long)result);   /* a handle reads better in hex */
    else
        add(&l, ") = %ld\n", result);
    kprintf("%s", l.buf);
}
