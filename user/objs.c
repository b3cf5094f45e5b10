/*
 * objs: the kernel's per-tag counts: live, peak and total allocations and
 * live bytes for each heap tag ("Evnt", "Proc"...), then free memory.  Run it
 * before and after a program: the live counts should come back.
 */
#include <ember.h>
#include <stdio.h>

#define PAGE_KIB 4

int main(void)
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
