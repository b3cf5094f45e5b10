/*
 * namespace.c: object names and paths (namespace.h).
 *
 * One hash table for every name: a bucket (hash of directory id and name)
 * chains the names (struct ob_name) that fall in it.  NT hashes each
 * directory into 37 fixed buckets; one table for all directories lets it
 * grow with the number of names, so the average chain stays under two
 * whatever a program creates.  The first OB_NAME_BUCKETS buckets are static
 * (no heap: the leak check sees nothing change as names come and go); past
 * two names a bucket the table doubles on the heap, and never shrinks, so a
 * create/close loop at the boundary never rehashes twice.
 *
 * A path is walked part by part: each part but the last is looked up in
 * the hash table under the directory before it.
 *
 * Locking: namespace_lock (a spinlock) guards the hash table, every name
 * and every directory's list of names.  A name is added and removed under
 * it, and ob_name_insert looks again under it, so two creators of one name
 * cannot both add it (the second gets E_EXISTS).  The table grows with it
 * held (namespace before heap).  A directory's reference is dropped after it
 * is released: dropping it may destroy the directory and remove its name.
 * ob_name_find returns the object without a reference, so its callers rely
 * on what chapter 14 lists as still to come: names looked up and referenced
 * in one step.
 */
#include "kernel/abi/errors.h"
#include "kernel/arch/x86_64/spinlock.h"
#include "kernel/lib/string.h"
#include "kernel/mm/heap.h"
#include "kernel/ob/directory.h"
#include "kernel/ob/namespace.h"

#define FNV_OFFSET      2166136261u
#define FNV_PRIME       16777619u
#define LOAD_MAX        2           /* names per bucket before the table doubles */

static struct ob_name *first_buckets[OB_NAME_BUCKETS];
static struct ob_name **buckets = first_buckets;
static uint32_t nbuckets = OB_NAME_BUCKETS;     /* a power of two */
static uint32_t nnames;
static LOCK_CLASS(namespace_class, "namespace");
static struct spinlock namespace_lock = SPINLOCK_INIT("namespace", namespace_class);   /* all of the above */

/* FNV-1a over |n| bytes at |p|, continuing from |h|. */
static uint32_t fnv(uint32_t h, const void *p, size_t n)
{
    const unsigned char *b = p;

    while (n--)
        h = (h ^ *b++) * FNV_PRIME;
    return h;
}

void ob_name_key(struct ob_name_key *k, struct ob *dir, const char *name, size_t len)
{
    uint64_t dir_id = dir ? dir->id : 0;

    k->dir = dir;
    k->name = name;
    k->len = (uint32_t)len;
    k->hash = fnv(fnv(FNV_OFFSET, &dir_id, sizeof dir_id), name, len);
}

static struct ob *find_locked(const struct ob_name_key *k)
{
    spin_assert_held(&namespace_lock);
    for (struct ob_name *n = buckets[k->hash & (nbuckets - 1)]; n; n = n->next)
        if (n->hash == k->hash && n->dir == k->dir && n->len == k->len &&
            memcmp(n->text, k->name, k->len) == 0)
            return n->object;
    return NULL;
}

struct ob *ob_name_find(const struct ob_name_key *k)
{
    spin_lock(&namespace_lock);
    struct ob *o = find_locked(k);
    spin_unlock(&namespace_lock);
    return o;
}

/* The length of the part of |p| before the next '/' or the end; E_INVAL if it is no name. */
static long part_len(const char *p)
{
    size_t n = 0;

    while (p[n] && p[n] != '/')
        n++;
    if (n == 0 || (p[0] == '.' && (n == 1 || (n == 2 && p[1] == '.'))))
        return E_INVAL;             /* "", "." and "..": a path has no such parts */
    return (long)n;
}

/* Whether every part of |path| is a name: checked whole, before any lookup. */
static bool syntax_ok(const char *path)
{
    for (long n; (n = part_len(path)) > 0; path += n + 1)
        if (path[n] == '\0')
            return true;
    return false;
}

long ob_path_walk(struct ob *dir, const char *path, struct ob_name_key *k)
{
    if (!dir) {
        dir = ob_root();
        path += *path == '/';
    } else if (*path == '/') {
        return E_INVAL;             /* relative to a directory: no leading '/' (as NT) */
    }
    if (!syntax_ok(path))
        return E_INVAL;             /* bad syntax is E_INVAL wherever it is, never "not found" */
    for (;;) {
        long n = part_len(path);
        if (n < 0)
            return n;
        ob_name_key(k, dir, path, (size_t)n);
        if (path[n] == '\0')
            return 0;
        struct ob *next = ob_name_find(k);
        if (!next)
            return E_NOTFOUND;
        if (next->type != &directory_type)
            return E_WRONGTYPE;
        dir = next;
        path += n + 1;
    }
}

/* Doubles the table when it is full enough; on no memory it just stays as it is. */
static void grow(void)
{
    uint32_t n = nbuckets * 2;
    struct ob_name **b = kzalloc(n * sizeof *b, TAG("NmHt"));

    if (!b)
        return;
    for (uint32_t i = 0; i < nbuckets; i++) {
        while (buckets[i]) {
            struct ob_name *e = buckets[i];
            buckets[i] = e->next;
            e->next = b[e->hash & (n - 1)];
            b[e->hash & (n - 1)] = e;
        }
    }
    if (buckets != first_buckets)
        kfree(buckets);
    buckets = b;
    nbuckets = n;
}

long ob_name_insert(const struct ob_name_key *k, struct ob *o)
{
    struct ob_name *n = kmalloc(sizeof *n + k->len + 1, TAG("Name"));

    if (!n)
        return E_NOMEM;
    spin_lock(&namespace_lock);
    if (find_locked(k)) {               /* taken since the caller looked */
        spin_unlock(&namespace_lock);
        kfree(n);
        return E_EXISTS;
    }
    struct ob_name **head = &buckets[k->hash & (nbuckets - 1)];
    *n = (struct ob_name){ .object = o, .dir = k->dir, .next = *head, .hash = k->hash,
                           .open_rights = ob_open_rights(o->type), .len = k->len };
    memcpy(n->text, k->name, k->len);
    n->text[k->len] = '\0';
    *head = n;
    o->name = n;
    if (n->dir) {
        ob_ref(n->dir);             /* a name keeps its directory (NT does the same) */
        directory_add(n->dir, &n->in_dir);
    }
    if (++nnames > nbuckets * LOAD_MAX)
        grow();
    spin_unlock(&namespace_lock);
    return 0;
}

struct ob *ob_name_lookup(const char *path)
{
    struct ob_name_key k;

    return ob_path_walk(NULL, path, &k) == 0 ? ob_name_find(&k) : NULL;
}

long ob_name_set(struct ob *o, const char *path)
{
    struct ob_name_key k;
    long err = ob_path_walk(NULL, path, &k);

    if (err < 0)
        return err;
    return ob_name_insert(&k, o);       /* E_EXISTS if the name is taken */
}

void ob_name_remove(struct ob *o)
{
    struct ob_name *n = o->name, **pp;

    if (!n)
        return;
    spin_lock(&namespace_lock);
    for (pp = &buckets[n->hash & (nbuckets - 1)]; *pp != n; pp = &(*pp)->next)
        ASSERT(*pp);
    *pp = n->next;
    nnames--;
    o->name = NULL;
    if (n->dir)
        directory_remove(n->dir, &n->in_dir);
    spin_unlock(&namespace_lock);
    if (n->dir)
        ob_unref(n->dir);           /* may destroy it, and so its own name: unlocked */
    kfree(n);
}

/* The name of the directory |n| is in, or NULL at the root or in an unnamed directory. */
static const struct ob_name *parent_name(const struct ob_name *n)
{
    return n->dir ? n->dir->name : NULL;
}

void ob_name_path(const struct ob *o, char *buf, size_t cap)
{
    size_t at = cap - 1;
    const struct ob_name *n;

    buf[at] = '\0';
    spin_lock(&namespace_lock);
    for (n = o->name; n; n = parent_name(n)) {
        bool rooted = !parent_name(n) && (!n->dir || n->dir == ob_root());
        if (n->len + rooted > at) {     /* too long: the last part alone */
            size_t len = strnlen(o->name->text, cap - 1);
            memcpy(buf, o->name->text, len);
            buf[len] = '\0';
            spin_unlock(&namespace_lock);
            return;
        }
        at -= n->len;
        memcpy(buf + at, n->text, n->len);
        if (rooted || parent_name(n))
            buf[--at] = '/';            /* a path from an unnamed directory has no leading '/' */
    }
    spin_unlock(&namespace_lock);
    memmove(buf, buf + at, cap - at);
}
