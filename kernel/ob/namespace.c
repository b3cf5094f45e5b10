/*
 * namespace.c: object names (namespace.h).
 *
 * One hash table for every name: a bucket (hash of directory id and name)
 * chains the names (struct ob_name) that fall in it.  NT hashes each directory
 * into 37 fixed buckets; one table for all directories lets it grow with
 * the number of names, so the average chain stays under two whatever
 * a program creates.  The first OB_NAME_BUCKETS buckets are static (no
 * heap: the leak check sees nothing change as names come and go); past two
 * names a bucket the table doubles on the heap, and never shrinks, so a
 * create/close loop at the boundary never rehashes twice.
 */
#include "kernel/abi/errors.h"
#include "kernel/lib/string.h"
#include "kernel/mm/heap.h"
#include "kernel/ob/namespace.h"

#define FNV_OFFSET      2166136261u
#define FNV_PRIME       16777619u
#define LOAD_MAX        2           /* names per bucket before the table doubles */

static struct ob_name *first_buckets[OB_NAME_BUCKETS];
static struct ob_name **buckets = first_buckets;
static uint32_t nbuckets = OB_NAME_BUCKETS;     /* a power of two */
static uint32_t nnames;

/* FNV-1a over |n| bytes at |p|, continuing from |h|. */
static uint32_t fnv(uint32_t h, const void *p, size_t n)
{
    const unsigned char *b = p;

    while (n--)
        h = (h ^ *b++) * FNV_PRIME;
    return h;
}

void ob_name_key(struct ob_name_key *k, struct ob *dir, const char *name)
{
    uint64_t dir_id = dir ? dir->id : 0;

    k->dir = dir;
    k->name = name;
    k->hash = fnv(fnv(FNV_OFFSET, &dir_id, sizeof dir_id), name, strlen(name));
}

struct ob *ob_name_find(const struct ob_name_key *k)
{
    for (struct ob_name *n = buckets[k->hash & (nbuckets - 1)]; n; n = n->next)
        if (n->hash == k->hash && n->dir == k->dir && strcmp(n->text, k->name) == 0)
            return n->object;
    return NULL;
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
    size_t len = strlen(k->name) + 1;
    struct ob_name *n = kmalloc(sizeof *n + len, TAG("Name"));
    struct ob_name **head = &buckets[k->hash & (nbuckets - 1)];

    if (!n)
        return E_NOMEM;
    *n = (struct ob_name){ .object = o, .dir = k->dir, .next = *head, .hash = k->hash,
                           .open_rights = ob_open_rights(o->type) };
    memcpy(n->text, k->name, len);
    *head = n;
    o->name = n;
    if (++nnames > nbuckets * LOAD_MAX)
        grow();
    return 0;
}

struct ob *ob_name_lookup(const char *name)
{
    struct ob_name_key k;

    ob_name_key(&k, NULL, name);
    return ob_name_find(&k);
}

long ob_name_set(struct ob *o, const char *name)
{
    struct ob_name_key k;

    ob_name_key(&k, NULL, name);
    return ob_name_find(&k) ? E_EXISTS : ob_name_insert(&k, o);
}

void ob_name_remove(struct ob *o)
{
    struct ob_name *n = o->name, **pp;

    if (!n)
        return;
    for (pp = &buckets[n->hash & (nbuckets - 1)]; *pp != n; pp = &(*pp)->next)
        ASSERT(*pp);
    *pp = n->next;
    nnames--;
    o->name = NULL;
    kfree(n);
}
