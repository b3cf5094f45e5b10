/* handles [pid]: the handles of a process (default: this one): value, type, rights, object, name. */
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
    static struct handle_info list[MAX_ROWS];
    long pid = argc > 1 ? atol(argv[1]) : 0;
    long n = handle_list(pid, list, sizeof list);
    char rights[16];

    if (n < 0) {
        printf("handles: %s\n", errstr(n));
        return 1;
    }
    printf("%-18s %-10s %-10s %8s  %s\n", "handle", "type", "rights", "object", "name");
    for (long i = 0; i < n && i < MAX_ROWS; i++) {
        rights_string(list[i].rights, rights);
        printf("%#-18lx %-10s %-10s %8lu  %s\n", (unsigned long)list[i].handle, list[i].type_name,
               rights, list[i].object_id, list[i].name);
    }
    printf("(rights: D duplicate, T transfer, w wait, r read, W write, s signal, K kill, M map, i info, G manage)\n");
    return 0;
}
