/*
 * directory.c: directories of the object namespace (directory.h).
 *
 * A directory is a list of the names in it, in creation order, for listing;
 * finding a name goes through namespace.c's hash table instead.  Each name
 * holds a reference on its directory, so a directory whose last handle has
 * closed stays, name and all, until the last name in it goes: a name open
 * in it never loses its path.  The root has no name; /obj and /svc hold a
 * reference from boot and live for ever, and anyone may create names in
 * them by path, as in the flat namespace before directories.
 */
#include "kernel/abi/errors.h"
#include "kernel/lib/panic.h"
#include "kernel/mm/heap.h"
#include "kernel/ob/directory.h"
#include "kernel/ob/namespace.h"

struct directory {
    struct ob ob;                   /* first: a directory is an object */
    struct list_node entries;       /* struct ob_name.in_dir */
};

static struct ob *root;

static struct directory *dir_of(struct ob *o)
{
    ASSERT(o->type == &directory_type);
    return (struct directory *)o;
}

static void directory_destroy(struct ob *o)
{
    ASSERT(list_empty(&dir_of(o)->entries));    /* each name in it held a reference */
}

const struct ob_type directory_type = {
    .name = "directory", .code = OB_TYPE_DIRECTORY, .tag = TAG("ObDr"),
    .valid_rights = DIRECTORY_RIGHTS, .default_rights = DIRECTORY_RIGHTS,
    .open_rights = DIRECTORY_OPEN_RIGHTS,
    .destroy = directory_destroy,
};

struct ob *directory_create(void)
{
    struct directory *d = ob_create(&directory_type, sizeof *d);

    if (d)
        list_init(&d->entries);
    return d ? &d->ob : NULL;
}

void directory_add(struct ob *dir, struct list_node *entry)
{
    list_push_back(&dir_of(dir)->entries, entry);
}

void directory_remove(struct ob *dir, struct list_node *entry)
{
    (void)dir_of(dir);
    list_remove(entry);
}

void directory_for_each(struct ob *dir, void (*fn)(struct ob_name *n, void *ctx), void *ctx)
{
    struct list_node *pos;

    LIST_FOR_EACH(pos, &dir_of(dir)->entries)
        fn(LIST_ENTRY(pos, struct ob_name, in_dir), ctx);
}

struct ob *ob_root(void)
{
    return root;
}

/* Makes the directory |path| that lives for ever and where anyone may create names. */
static void make_public(const char *path)
{
    struct ob *d = directory_create();

    if (!d || ob_name_set(d, path) < 0)
        panic("namespace: cannot make %s", path);
    d->name->open_rights = DIRECTORY_OPEN_RIGHTS | RIGHT_WRITE;
}

void ob_namespace_init(void)
{
    if (!(root = directory_create()))
        panic("namespace: no memory for the root");
    make_public("/obj");
    make_public("/svc");
}
