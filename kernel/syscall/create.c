/*
 * create.c: what every "create a named object" call does once its own
 * arguments are checked: copy in the name, open the existing object when
 * asked, or make, name and install the new one.  Written once here so the
 * event, mutex, semaphore (and later) handlers stay a few lines each.
 */
#include "kernel/ob/handle.h"
#include "kernel/ob/namespace.h"
#include "kernel/proc/process.h"
#include "kernel/syscall/create.h"

long create_object(const struct ob_type *type, user_ptr uname, unsigned long flags,
                   struct ob *(*make)(void *ctx), void *ctx)
{
    char name[OB_NAME_MAX];
    struct process *p = current_process();
    struct ob_name_key key;
    struct ob *o;
    long err;

    if (uname.addr) {
        err = strncpy_from_user(name, uname, sizeof name);
        if (err < 0)
            return err;
        if (err == 0)
            return E_INVAL;             /* "" is no name */
        ob_name_key(&key, NULL, name);
        if ((o = ob_name_find(&key))) {
            if (!(flags & CREATE_OPEN_EXISTING))
                return E_EXISTS;
            return o->type == type ? handle_install(p, o, type->default_rights) : E_WRONGTYPE;
        }
    }
    o = make(ctx);
    if (!o)
        return E_NOMEM;
    err = uname.addr ? ob_name_insert(&key, o) : 0;    /* where the find looked: one pass */
    handle_t h = err < 0 ? err : handle_install(p, o, type->default_rights);
    ob_unref(o);
    return h;
}
