/*
 * sys_drv.c: the driver-object calls: derive a resource, make and enable an
 * I/O-port range, bind and acknowledge an interrupt (kernel/drv/,
 * docs/09-drivers.md).  Making anything needs a resource handle with
 * RIGHT_MANAGE; the range or line checks are the objects' own.
 */
#include "kernel/drv/interrupt.h"
#include "kernel/drv/ioport.h"
#include "kernel/drv/kclock.h"
#include "kernel/drv/resource.h"
#include "kernel/ob/handle.h"
#include "kernel/proc/process.h"
#include "kernel/syscall/syscall.h"

/* Installs the new object |*o| (made or not, by |err|) with its default rights; drops our reference. */
static long install_new(long err, struct ob *o)
{
    if (err < 0)
        return err;
    handle_t h = handle_install(current_process(), o, o->type->default_rights);
    ob_unref(o);
    return h;
}

/* The resource behind |h|, with RIGHT_MANAGE: what every "make a driver object" call needs. */
static long get_resource(handle_t h, struct ob **res)
{
    return handle_get(current_process(), h, &resource_type, RIGHT_MANAGE, res);
}

// long resource_create(handle_t resource, long kind, long base, long count)
long sys_resource_create(const struct syscall_args *a)
{
    struct ob *res, *o = NULL;
    long err = get_resource(a->arg[0], &res);

    if (err < 0)
        return err;
    err = resource_derive(res, a->arg[1], a->arg[2], a->arg[3], &o);
    ob_unref(res);
    return install_new(err, o);
}

// long ioport_create(handle_t resource, long base, long count)
long sys_ioport_create(const struct syscall_args *a)
{
    struct ob *res, *o = NULL;
    long err = get_resource(a->arg[0], &res);

    if (err < 0)
        return err;
    err = ioport_create(res, a->arg[1], a->arg[2], &o);
    ob_unref(res);
    return install_new(err, o);
}

/* Looks up the I/O-port range |h| with RIGHT_MAP and applies |op| to it for the caller. */
static long with_ioport(handle_t h, long (*op)(struct process *p, struct ob *o))
{
    struct ob *o;
    long err = handle_get(current_process(), h, &ioport_type, RIGHT_MAP, &o);

    if (err < 0)
        return err;
    err = op(current_process(), o);
    ob_unref(o);
    return err;
}

// long ioport_enable(handle_t ioport)
long sys_ioport_enable(const struct syscall_args *a)
{
    return with_ioport(a->arg[0], ioport_enable);
}

// long ioport_disable(handle_t ioport)
long sys_ioport_disable(const struct syscall_args *a)
{
    return with_ioport(a->arg[0], ioport_disable);
}

// long interrupt_create(handle_t resource, long irq)
long sys_interrupt_create(const struct syscall_args *a)
{
    struct ob *res, *o = NULL;
    long err = get_resource(a->arg[0], &res);

    if (err < 0)
        return err;
    err = interrupt_create(res, a->arg[1], &o);
    ob_unref(res);
    return install_new(err, o);
}

// long interrupt_ack(handle_t interrupt)
long sys_interrupt_ack(const struct syscall_args *a)
{
    struct ob *o;
    long err = handle_get(current_process(), a->arg[0], &interrupt_type, RIGHT_SIGNAL, &o);

    if (err < 0)
        return err;
    err = interrupt_ack(o);
    ob_unref(o);
    return err;
}

// long kclock_read(struct clock_time *time)
long sys_kclock_read(const struct syscall_args *a)
{
    struct clock_time t;
    long err = kclock_read(&t);

    if (err < 0)
        return err;
    return copy_to_user(user_ptr_of(a->arg[0]), &t, sizeof t) < 0 ? E_FAULT : 0;
}

// long kclock_crash(handle_t resource)
// Fault injection for the kernel clock's comparison test: only the root's holder may.
long sys_kclock_crash(const struct syscall_args *a)
{
    struct ob *res;
    long err = get_resource(a->arg[0], &res);

    if (err < 0)
        return err;
    err = resource_is_root(res) ? kclock_arm_fault() : E_ACCESS;
    ob_unref(res);
    return err;
}
