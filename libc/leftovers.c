/*
 * leftovers.c: what a supervising program (the test runner, the fuzzer)
 * needs after a child ends: end whatever it left running, and say what the
 * kernel's counts show it left behind.  Declared in <ember.h>.
 */
#include <ember.h>
#include <stdio.h>
#include <string.h>

#define FAMILY_MAX  256

/*
 * The kernel hands a dead process's children to its parent, so whatever an
 * ended child left running now descends from us.  Processes are listed
 * oldest first, so a parent comes before its children and one pass finds
 * the whole family.
 */
int process_end_descendants(long code)
{
    static struct process_info procs[FAMILY_MAX];
    uint64_t family[FAMILY_MAX] = { (uint64_t)process_self_id() };
    int nfamily = 1, killed = 0;
    long n = process_list(procs, sizeof procs);

    for (long i = 0; i < n && i < FAMILY_MAX && nfamily < FAMILY_MAX; i++) {
        int member = 0;
        for (int j = 0; j < nfamily && !member; j++)
            member = procs[i].parent_pid == family[j];
        if (!member)
            continue;
        family[nfamily++] = procs[i].pid;
        handle_t h = procs[i].state == PROCESS_RUNNING ? process_open((long)procs[i].pid) : 0;
        if (h > 0 && process_kill(h, code) == 0) {
            object_wait(h, TIMEOUT_INFINITE);
            killed++;
        }
        if (h > 0)
            handle_close(h);
    }
    return killed;
}

static const struct stats_tag *find_tag(const struct system_stats *s, uint32_t tag)
{
    for (uint64_t i = 0; i < s->ntags; i++)
        if (s->tags[i].tag == tag)
            return &s->tags[i];
    return NULL;
}

int stats_report_leaks(const struct system_stats *before, const struct system_stats *after,
                       const char *prefix)
{
    int leaks = 0;
    char t[5] = { 0 };

    for (uint64_t i = 0; i < after->ntags; i++) {
        const struct stats_tag *a = &after->tags[i], *b = find_tag(before, a->tag);
        long live = b ? (long)b->live : 0, bytes = b ? (long)b->bytes : 0;
        if ((long)a->live != live || (long)a->bytes != bytes) {
            memcpy(t, &a->tag, 4);
            printf("%s%s %+ld (%+ld bytes)\n", prefix, t, (long)a->live - live, (long)a->bytes - bytes);
            leaks++;
        }
    }
    if (after->free_frames != before->free_frames) {
        printf("%sframes %+ld\n", prefix, (long)after->free_frames - (long)before->free_frames);
        leaks++;
    }
    return leaks;
}
