/*
 * The object namespace: names of objects ("/obj/jobs", any string of
 * 1..OB_NAME_MAX-1 bytes).  A name does not keep its object alive: it goes
 * when the object is destroyed.
 *
 * Names are found through one hash table keyed by (directory, name), so a
 * lookup costs the same with ten names or ten thousand.  Creating a named
 * object looks its name up once: ob_name_find leaves the key ready for
 * ob_name_insert, which links the new object where the find looked.
 */
#ifndef EMBER_NAMESPACE_H
#define EMBER_NAMESPACE_H

#include "kernel/ob/object.h"

#define OB_NAME_BUCKETS     4096    /* the table's first size; it doubles past 2 names a bucket */

/* An object's name: one allocation, under the tag "Name". */
struct ob_name {
    struct ob *object;
    struct ob *dir;                 /* the directory it is in (NULL: the root) */
    struct ob_name *next;           /* the next name in its hash bucket */
    uint32_t hash;
    rights_t open_rights;           /* what an opener by name gets; 0: nobody may open it */
    char text[];                    /* NUL-terminated */
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

/* A name looked up, with its hash: where it goes if it is new. */
struct ob_name_key {
    struct ob *dir;                 /* the directory it is in (NULL: the root) */
    const char *name;
    uint32_t hash;
};

/* Fills |k| for |name| in |dir| (|name| must outlive |k|). */
void ob_name_key(struct ob_name_key *k, struct ob *dir, const char *name);
/* The object |k| names (borrowed: no reference), or NULL. */
struct ob *ob_name_find(const struct ob_name_key *k);
/*
 * Gives |o| the name |k|, which ob_name_find just did not find (nothing
 * that names objects may run in between): no second search.  Openers get
 * the type's open rights (ob_open_rights) until the caller sets
 * name->open_rights.  E_NOMEM.
 */
long ob_name_insert(const struct ob_name_key *k, struct ob *o);
/* The object called |name| (borrowed: no reference), or NULL. */
struct ob *ob_name_lookup(const char *name);
/* Gives |o| the name |name|: E_EXISTS if taken, E_NOMEM. */
long ob_name_set(struct ob *o, const char *name);
/* Drops |o|'s name, if it has one. */
void ob_name_remove(struct ob *o);

#endif
