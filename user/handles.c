/*
 * handles [pid]: the handles of a process (default: this one): value, type,
 * rights, object id, the object's handle and reference counts, name.  All
 * of it from object_query on a handle to the process (OBJECT_INFO_PROCESS_HANDLES),
 * which process_open gives anyone with RIGHT_INFO.
 */
#include <ember.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_ROWS 256

/* Rights as letters, in the order of kernel/abi/rights.h. */
static void rights_string(uint32_t r, char *out)
{
    const char *letters = "DTwrWsKMiG";     /* dup transfer wait read write signal kill map info manaGe */
    int n = 0;

    for (int bit = 0; letters[bit]; bit++)
        if (r & (1u << bit))
            out[n++] = letters[bit];
    out[n] = '\0';
}

int main(int argc, char **argv)
{
    static struct handle_query_info list[MAX_ROWS];
    long pid = argc > 1 ? atol(argv[1]) : process_self_id();
    handle_t p = process_open(pid);
    long n = p < 0 ? p : object_query(p, OBJECT_INFO_PROCESS_HANDLES, list, sizeof list, NULL);
    char rights[16];

    if (n == E_TOOBIG)                      /* more than fit: show the first MAX_ROWS */
        n = (long)sizeof list;
    if (n < 0) {
        printf("handles: %s\n", errstr(n));
        return 1;
    }
    printf("%-18s %-10s %-10s %8s %4s %4s  %s\n", "handle", "type", "rights", "object", "hnd", "ref",
           "name");
    for (long i = 0; i < n / (long)sizeof list[0]; i++) {
        const struct object_basic_info *b = &list[i].basic;
        if (list[i].handle == p)
            continue;                       /* our own look at ourselves */
        rights_string(b->rights, rights);
        printf("%#-18lx %-10s %-10s %8lu %4lu %4lu  %s\n", (unsigned long)list[i].handle,
               b->type_name, rights, b->object_id, b->handles, b->refs, b->name);
    }
    printf("(rights: D duplicate, T transfer, w wait, r read, W write, s signal, K kill, M map, i info, G manage)\n");
    handle_close(p);
    return 0;
}
