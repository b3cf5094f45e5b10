/*
 * sys_namespace.c: the namespace calls: open by path (from the root or from
 * a directory handle), create and list directories, and ask whether the
 * last create found its name taken (docs/04-objects.md, "Names").
 */
#include "kernel/lib/string.h"
#include "kernel/ob/directory.h"
#include "kernel/ob/handle.h"
#include "kernel/ob/namespace.h"
#include "kernel/proc/process.h"
#include "kernel/syscall/create.h"

/* The object at |path| from |from| (NULL: the root; "/" alone is the root itself), or an E_*. */
static long find_path(struct ob *from, const char *path, struct ob **out)
{
    struct ob_name_key k;
    long err;

    if (!from && strcmp(path, "/") == 0) {
        *out = ob_root();
        return 0;
    }
    if ((err = ob_path_walk(from, path, &k)) < 0)
        return err;
    *out = ob_name_find(&k);
    return *out ? 0 : E_NOTFOUND;
}

/*
 * Opens |upath| from directory handle |dir| (0: the root; RIGHT_READ) if
 * the object has type |type| (0: any), with the rights its name gives
 * openers.  A missing or empty path, or bad syntax, is E_INVAL.
 */
static long open_at(handle_t dir, user_ptr upath, uint64_t type)
{
    char path[OB_NAME_MAX];
    struct ob *from = NULL, *o;
    long err = dir ? handle_get(current_process(), dir, &directory_type, RIGHT_READ, &from) : 0;

    if (err == 0)
        err = upath.addr ? strncpy_from_user(path, upath, sizeof path) : E_INVAL;
    if (err == 0)
        err = E_INVAL;                  /* "" names nothing */
    if (err > 0)
        err = find_path(from, path, &o);
    if (err == 0 && type != OB_TYPE_ANY && type != o->type->code)
        err = E_WRONGTYPE;
    if (err == 0) {
        rights_t r = o == ob_root() ? DIRECTORY_OPEN_RIGHTS : o->name->open_rights;
        err = r ? handle_install(current_process(), o, r) : E_ACCESS;
    }
    if (from)
        ob_unref(from);
    return err;
}

// long object_open(const char *name, long type): a handle to a named object (type 0: any),
// with the rights its creator gave openers; E_ACCESS if it lets nobody open it.
// A path from the root; NULL, "" or bad syntax is E_INVAL.
long sys_object_open(const struct syscall_args *a)
{
    return open_at(0, user_ptr_of(a->arg[0]), a->arg[1]);
}

// long object_open_at(handle_t from, const char *name, long type)
// object_open for a path relative to directory |from| (RIGHT_READ; 0: the root).
long sys_object_open_at(const struct syscall_args *a)
{
    return open_at(a->arg[0], user_ptr_of(a->arg[1]), a->arg[2]);
}

static struct ob *make_directory(void *unused)
{
    (void)unused;
    return directory_create();
}

// long directory_create(handle_t directory, const char *name, unsigned long flags)
// A directory |name| in |directory| (RIGHT_WRITE; 0: a path from the root).
// CREATE_OPEN_EXISTING and CREATE_OPENER_RIGHTS as for events.
long sys_directory_create(const struct syscall_args *a)
{
    if (a->arg[2] & ~(uint64_t)CREATE_NAMED_FLAGS)
        return E_INVAL;                 /* a missing name is create_object_at's E_INVAL */
    return create_object_at(&directory_type, a->arg[0], user_ptr_of(a->arg[1]), a->arg[2],
                            make_directory, NULL);
}

struct listing {
    user_ptr out;
    size_t room, count;
    long err;
};

/* Copies |e| out as record |i| if it fits. */
static void put_entry(struct listing *l, size_t i, const struct directory_entry *e)
{
    if (i < l->room && l->err == 0)
        l->err = copy_to_user(user_ptr_add(l->out, i * sizeof *e), e, sizeof *e);
}

static void list_entry(struct ob_name *n, void *ctx)
{
    struct listing *l = ctx;
    struct directory_entry e = { n->object->id, n->object->type->code, n->open_rights, { 0 } };

    memcpy(e.name, n->text, n->len + 1);
    put_entry(l, l->count++, &e);
}

// long directory_list(handle_t directory, struct directory_entry *list, size_t len)
// Fills |list| with the names in |directory| (RIGHT_READ; 0: the root) that fit,
// then a zeroed record if there is room for it, and returns how many names there are.
long sys_directory_list(const struct syscall_args *a)
{
    struct listing l = { user_ptr_of(a->arg[1]), a->arg[2] / sizeof(struct directory_entry), 0, 0 };
    struct ob *dir = ob_root();
    long err = a->arg[0] ? handle_get(current_process(), a->arg[0], &directory_type, RIGHT_READ,
                                      &dir) : 0;

    if (err < 0)
        return err;
    if (!user_range_ok(a->arg[1], a->arg[2]))
        l.err = E_FAULT;
    else
        directory_for_each(dir, list_entry, &l);
    put_entry(&l, l.count, &(struct directory_entry){ 0 });   /* the end (and a buffer we can write) */
    if (a->arg[0])
        ob_unref(dir);
    return l.err < 0 ? l.err : (long)l.count;
}

// long object_existed(void): CREATE_EXISTED if this thread's last create call with a
// name opened an object that was already there, else CREATE_MADE_NEW.
long sys_object_existed(const struct syscall_args *a)
{
    (void)a;
    return current_thread()->create_existed ? CREATE_EXISTED : CREATE_MADE_NEW;
}
