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

/*
 * The rights openers of the new object get (*|open|), from |flags|: the
 * type's default, or what CREATE_OPENER_RIGHTS says.  E_INVAL for rights
 * the type does not have, or opener rights for an object without a name.
 */
static long opener_rights(const struct ob_type *type, unsigned long flags, bool named,
                          rights_t *open)
{
    unsigned long r = flags >> CREATE_OPENERS_SHIFT;

    if (!(flags & CREATE_OPENERS)) {
        *open = ob_open_rights(type);
        return r ? E_INVAL : 0;
    }
    if (!named || (r & ~(unsigned long)type->valid_rights))
        return E_INVAL;
    *open = (rights_t)r;
    return 0;
}

/* A handle to |o|, which has the name being created: for an opener, with its open rights. */
static long open_existing(const struct ob_type *type, struct ob *o, unsigned long flags)
{
    if (!(flags & CREATE_OPEN_EXISTING))
        return E_EXISTS;
    if (o->type != type)
        return E_WRONGTYPE;
    if (!o->name->open_rights)
        return E_ACCESS;                /* its creator lets nobody open it */
    return handle_install(current_process(), o, o->name->open_rights);
}

long create_object(const struct ob_type *type, user_ptr uname, unsigned long flags,
                   struct ob *(*make)(void *ctx), void *ctx)
{
    char name[OB_NAME_MAX];
    struct ob_name_key key;
    rights_t open;
    struct ob *o;
    long err = opener_rights(type, flags, uname.addr != 0, &open);

    if (err < 0)
        return err;
    if (uname.addr) {
        err = strncpy_from_user(name, uname, sizeof name);
        if (err < 0)
            return err;
        if (err == 0)
            return E_INVAL;             /* "" is no name */
        ob_name_key(&key, NULL, name);
        if ((o = ob_name_find(&key)))
            return open_existing(type, o, flags);
    }
    o = make(ctx);
    if (!o)
        return E_NOMEM;
    err = uname.addr ? ob_name_insert(&key, o) : 0;    /* where the find looked: one pass */
    if (err == 0 && o->name)
        o->name->open_rights = open;
    handle_t h = err < 0 ? err : handle_install(current_process(), o, type->default_rights);
    ob_unref(o);
    return h;
}
