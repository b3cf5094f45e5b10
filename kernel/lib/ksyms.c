/*
 * ksyms.c: address-to-name lookup over the generated table.
 * The table (scripts/ksyms.sh) is: a count, then |count| pairs of
 * (address, offset of the name in the string area), sorted by address,
 * then the NUL-terminated names.  The first link has an empty table.
 */
#include <stddef.h>
#include "kernel/lib/ksyms.h"

struct ksym {
    uint64_t addr;
    uint64_t name;
};

extern const uint64_t ksyms_count;
extern const struct ksym ksyms_table[];
extern const char ksyms_names[];
extern const char _text_end[];      /* linker.ld: the table covers text only */

const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
    uint64_t lo = 0, hi = ksyms_count;

    if (hi == 0 || addr < ksyms_table[0].addr || addr >= (uint64_t)_text_end)
        return NULL;                    /* outside any function: the caller prints it raw */
    while (hi - lo > 1) {               /* last entry with .addr <= addr */
        uint64_t mid = (lo + hi) / 2;
        if (ksyms_table[mid].addr <= addr)
            lo = mid;
        else
            hi = mid;
    }
    *offset = addr - ksyms_table[lo].addr;
    return ksyms_names + ksyms_table[lo].name;
}
