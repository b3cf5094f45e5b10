/*
 * The object namespace: a tree of directories (kernel/ob/directory.c) whose
 * entries are names of objects.  A path names an object from the root
 * ("/obj/kv"; the leading '/' may be left out, so the flat names of old
 * are names in the root) or from a directory handle ("kv", no leading
 * '/').  A path is at most OB_NAME_MAX-1 bytes; its parts are separated by
 * single '/'s and are neither empty nor "." nor "..".  Names compare byte
 * by byte: case matters.
 *
 * A name does not keep its object alive: it goes when the object is
 * destroyed.  It does keep its directory alive (a reference), as in NT.
 *
 * Names are found through one hash table keyed by (directory, name), so a
 * lookup costs the same with ten names or ten thousand.  Creating a named
 * object looks its name up once: ob_name_find leaves the key ready for
 * ob_name_insert, which links the new object where the find looked.
 */
#ifndef EMBER_NAMESPACE_H
#define EMBER_NAMESPACE_H

#include "kernel/lib/list.h"
#include "kernel/ob/object.h"

#define OB_NAME_BUCKETS     4096    /* the table's first size; it doubles past 2 names a bucket */

/* An object's name: one allocation, under the tag "Name". */
struct ob_name {
    struct ob *object;
    struct ob *dir;                 /* the directory it is in: holds a reference */
    struct ob_name *next;           /* the next name in its hash bucket */
    struct list_node in_dir;        /* the directory's entries, in creation order */
    uint32_t hash;
    rights_t open_rights;           /* what an opener by name gets; 0: nobody may open it */
    uint32_t len;                   /* of |text|, without the NUL */
    char text[];                    /* its last part, NUL-terminated */
};

/* The name of |o| (its last part), or NULL. */
static inline const char *ob_name_text(const struct ob *o)
{
    return o->name ? o->name->text : NULL;
}

/* What an opener by name gets of |type| when its creator does not say. */
static inline rights_t ob_open_rights(const struct ob_type *type)
{
    return type->open_rights ? type->open_rights : type->default_rights;
}

/* A name looked up: its directory, its last part and hash; where it goes if it is new. */
struct ob_name_key {
    struct ob *dir;                 /* NULL: the root */
    const char *name;
    uint32_t len;
    uint32_t hash;
};

/* Fills |k| for the |len| bytes |name| in |dir| (|name| must outlive |k|). */
void ob_name_key(struct ob_name_key *k, struct ob *dir, const char *name, size_t len);
/*
 * Walks |path| from |dir| (NULL: the root, and |path| may start with '/';
 * otherwise it must not) to the directory of its last part, and fills |k|
 * for that part.  E_INVAL for bad syntax, E_NOTFOUND when a directory on
 * the way is missing, E_WRONGTYPE when something on the way is not one.
 */
long ob_path_walk(struct ob *dir, const char *path, struct ob_name_key *k);
/* The object |k| names (borrowed: no reference), or NULL. */
struct ob *ob_name_find(const struct ob_name_key *k);
/*
 * Gives |o| the name |k|, which ob_name_find just did not find (nothing
 * that names objects may run in between): no second search.  Openers get
 * the type's open rights (ob_open_rights) until the caller sets
 * name->open_rights.  E_NOMEM.
 */
long ob_name_insert(const struct ob_name_key *k, struct ob *o);
/* The object at |path| from the root (borrowed: no reference), or NULL. */
struct ob *ob_name_lookup(const char *path);
/* Gives |o| the name |path| from the root: E_EXISTS if taken, ob_path_walk's errors, E_NOMEM. */
long ob_name_set(struct ob *o, const char *path);
/* Drops |o|'s name, if it has one (and the reference on its directory). */
void ob_name_remove(struct ob *o);
/* |o|'s path from the root into |buf| (|cap| bytes), or just its last part when that is too long. */
void ob_name_path(const struct ob *o, char *buf, size_t cap);

#endif
