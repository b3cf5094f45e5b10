/*
 * objs [pid]: the kernel's per-tag counts: live, peak and total allocations
 * and live bytes for each heap tag ("Evnt", "Proc"...), then free memory.
 * Run it before and after a program: the live counts should come back.
 * With a pid, then the objects that process holds, once each however many
 * handles it has to one: id, type, open handles and references in all,
 * name.  Those come from object_query on a handle to the process
 * (OBJECT_INFO_PROCESS_HANDLES); the counts from system_stats, which has
 * no object to ask.
 */
#include <ember.h>
#include <stdio.h>
#include <stdlib.h>

#define PAGE_KIB 4
#define MAX_ROWS 256

static int print_tags(void)
{
    static struct system_stats s;
    long err = system_stats(&s, sizeof s);

    if (err < 0) {
        printf("objs: %s\n", errstr(err));
        return 1;
    }
    printf("%-6s %8s %8s %10s %10s\n", "tag", "live", "peak", "total", "bytes");
    for (uint64_t i = 0; i < s.ntags; i++) {
        const struct stats_tag *t = &s.tags[i];
        printf("%-6.4s %8lu %8lu %10lu %10lu\n", (const char *)&t->tag, t->live, t->peak,
               t->total, t->bytes);
    }
    printf("kernel heap: %lu bytes live; memory: %lu of %lu KiB free\n", s.heap_bytes,
           s.free_frames * PAGE_KIB, s.total_frames * PAGE_KIB);
    return 0;
}

/* Whether an earlier row of |list| is the same object as row |i|. */
static int seen_before(const struct handle_query_info *list, long i)
{
    for (long j = 0; j < i; j++)
        if (list[j].basic.object_id == list[i].basic.object_id)
            return 1;
    return 0;
}

static int print_objects(long pid)
{
    static struct handle_query_info list[MAX_ROWS];
    handle_t p = process_open(pid);
    long n = p < 0 ? p : object_query(p, OBJECT_INFO_PROCESS_HANDLES, list, sizeof list, NULL);

    if (n == E_TOOBIG)
        n = (long)sizeof list;
    if (n < 0) {
        printf("objs: process %ld: %s\n", pid, errstr(n));
        return 1;
    }
    printf("\nobjects of process %ld:\n%8s %-10s %7s %5s  %s\n", pid, "id", "type", "handles",
           "refs", "name");
    for (long i = 0; i < n / (long)sizeof list[0]; i++) {
        const struct object_basic_info *b = &list[i].basic;
        if (list[i].handle != p && !seen_before(list, i))
            printf("%8lu %-10s %7lu %5lu  %s\n", b->object_id, b->type_name, b->handles, b->refs,
                   b->name);
    }
    handle_close(p);
    return 0;
}

int main(int argc, char **argv)
{
    int err = print_tags();

    for (int i = 1; i < argc && !err; i++)
        err = print_objects(atol(argv[i]));
    return err;
}
