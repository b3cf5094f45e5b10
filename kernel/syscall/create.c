/*
 * create.c: what every "create a named object" call does once its own
 * arguments are checked: copy in the name, find where it goes (a path from
 * the root or from a directory handle), open the existing object when
 * asked, or make, name and install the new one.  Written once here so the
 * event, mutex, semaphore, section, port and directory handlers stay a few
 * lines each.  It also records, per thread, whether the name existed
 * (object_existed).
 */
#include "kernel/ob/directory.h"
#include "kernel/ob/handle.h"
#include "kernel/ob/namespace.h"
#include "kernel/proc/job.h"
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

/*
 * Whether a name may be created in |dir|: through |held| (handle_get checked
 * RIGHT_WRITE), by the process that created |dir|, or by anyone when |dir|'s
 * openers may write (the root, /obj, /svc).
 */
static bool may_create_in(struct ob *dir, struct ob *held)
{
    if (dir == held || dir == ob_root() || dir->creator_pid == current_process()->pid)
        return true;
    return dir->name && (dir->name->open_rights & RIGHT_WRITE);
}

/* Where |path| goes from |held| (a directory handle's object, or NULL: the root). */
static long name_place(struct ob *held, const char *path, struct ob_name_key *k)
{
    long err = ob_path_walk(held, path, k);

    if (err == 0 && !may_create_in(k->dir, held))
        err = E_ACCESS;
    return err;
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
    long h = handle_install(current_process(), o, o->name->open_rights);
    current_thread()->create_existed = h > 0;
    return h;
}

/*
 * Copies in the name |uname| and finds where it goes from |held|: 0 and
 * |k| filled, or an E_*.  "" is E_INVAL: it is no name.
 */
static long take_name(struct ob *held, user_ptr uname, char *name, struct ob_name_key *k)
{
    long err = strncpy_from_user(name, uname, OB_NAME_MAX);

    if (err == 0)
        return E_INVAL;
    return err < 0 ? err : name_place(held, name, k);
}

/* Makes the object, names it where |k| says (if |k|), installs the creator's handle. */
static long make_named(const struct ob_type *type, const struct ob_name_key *k, rights_t open,
                       struct ob *(*make)(void *ctx), void *ctx)
{
    job_refused();                      /* forget an earlier refusal */
    struct ob *o = make(ctx);

    if (!o)
        return job_refused() ? E_QUOTA : E_NOMEM;
    long err = k ? ob_name_insert(k, o) : 0;  /* where the find looked: one pass */
    if (err == 0 && k)
        o->name->open_rights = open;
    handle_t h = err < 0 ? err : handle_install(current_process(), o, type->default_rights);
    ob_unref(o);
    return h;
}

long create_object_at(const struct ob_type *type, handle_t dir, user_ptr uname,
                      unsigned long flags, struct ob *(*make)(void *ctx), void *ctx)
{
    char name[OB_NAME_MAX];
    struct ob_name_key key;
    struct ob *held = NULL, *o;
    rights_t open;
    long err = opener_rights(type, flags, uname.addr != 0, &open);

    current_thread()->create_existed = false;
    if (err == 0 && dir)
        err = handle_get(current_process(), dir, &directory_type, RIGHT_WRITE, &held);
    if (err == 0 && !uname.addr && dir)
        err = E_INVAL;                  /* a directory, but no name to put in it */
    if (err == 0 && uname.addr)
        err = take_name(held, uname, name, &key);
    if (held)
        ob_unref(held);                 /* |key.dir| stays: a handle or a name keeps it */
    if (err < 0)
        return err;
    if (uname.addr && (o = ob_name_find(&key)))
        return open_existing(type, o, flags);
    return make_named(type, uname.addr ? &key : NULL, open, make, ctx);
}

long create_object(const struct ob_type *type, user_ptr uname, unsigned long flags,
                   struct ob *(*make)(void *ctx), void *ctx)
{
    return create_object_at(type, 0, uname, flags, make, ctx);
}
