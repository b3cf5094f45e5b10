/*
 * multiboot.c: reads GRUB's Multiboot2 boot information.
 *
 * The information is a size, then a list of tags {type, size, payload}, each
 * starting on an 8-byte boundary, ending with a tag of type 0.  We use five:
 * the command line (1), modules (3), the memory map (6) and GRUB's copies of
 * the ACPI RSDP (14: ACPI 1.0's, 15: 2.0's, preferred when both come).  Everything is
 * bounds-checked against the total size, so a malformed list cannot make us
 * read past it (tests/unit/test_multiboot.c feeds it broken ones).
 */
#include "kernel/arch/x86_64/multiboot.h"
#include "kernel/lib/string.h"

#define TAG_END         0
#define TAG_CMDLINE     1
#define TAG_MODULE      3
#define TAG_MMAP        6
#define TAG_ACPI_OLD    14
#define TAG_ACPI_NEW    15
#define MMAP_AVAILABLE  1

struct tag {
    uint32_t type, size;
};

struct mmap_entry {
    uint64_t base, len;
    uint32_t type, reserved;
};

static void copy_string(char *dst, int cap, const char *src, uint32_t avail)
{
    int n = 0;

    while ((uint32_t)n < avail && n < cap - 1 && src[n])
        dst[n] = src[n], n++;
    dst[n] = '\0';
}

static void parse_mmap(const uint8_t *p, uint32_t size, struct boot_info *out)
{
    uint32_t entry_size = *(const uint32_t *)(p + 8);

    if (entry_size < sizeof(struct mmap_entry))
        return;
    for (uint32_t off = 16; off <= size && entry_size <= size - off; off += entry_size) {
        const struct mmap_entry *e = (const void *)(p + off);
        if (e->type == MMAP_AVAILABLE && e->len && out->navail < BOOT_MAX_REGIONS)
            out->avail[out->navail++] = (struct mem_region){ e->base, e->len };
    }
}

static void parse_module(const uint8_t *p, uint32_t size, struct boot_info *out)
{
    const uint32_t *w = (const uint32_t *)(p + 8);

    if (size < 16 || out->nmodules >= BOOT_MAX_MODULES || w[1] < w[0])
        return;
    struct boot_module *m = &out->modules[out->nmodules++];
    m->start = w[0];
    m->end = w[1];
    copy_string(m->name, sizeof m->name, (const char *)(p + 16), size - 16);
}

/* A copy of the RSDP: the new one wins over the old, whatever their order. */
static void parse_rsdp(const struct tag *t, struct boot_info *out)
{
    uint32_t n = t->size - sizeof *t;

    if (t->type == TAG_ACPI_OLD && out->rsdp_len > 0)
        return;
    if (n > BOOT_RSDP_MAX)
        n = BOOT_RSDP_MAX;
    memcpy(out->rsdp, t + 1, n);
    out->rsdp_len = n;
}

int multiboot_parse(const void *info, uint64_t info_phys, struct boot_info *out)
{
    const uint8_t *base = info;
    uint32_t total = *(const uint32_t *)base;

    memset(out, 0, sizeof *out);
    out->info = (struct mem_region){ info_phys, total };
    if (total < 16)
        return -1;
    for (uint32_t off = 8; off + sizeof(struct tag) <= total;) {
        const struct tag *t = (const void *)(base + off);
        if (t->size < sizeof(struct tag) || t->size > total - off)
            return -1;
        if (t->type == TAG_END)
            return 0;
        if (t->type == TAG_CMDLINE)
            copy_string(out->cmdline, sizeof out->cmdline, (const char *)(t + 1), t->size - 8);
        else if (t->type == TAG_MODULE)
            parse_module(base + off, t->size, out);
        else if (t->type == TAG_MMAP && t->size >= 16)
            parse_mmap(base + off, t->size, out);
        else if (t->type == TAG_ACPI_OLD || t->type == TAG_ACPI_NEW)
            parse_rsdp(t, out);
        off += (t->size + 7) & ~7u;
    }
    return -1;                          /* no end tag */
}

int cmdline_option(const char *cmdline, const char *key, char *buf, int len)
{
    size_t klen = strlen(key);

    if (len <= 0)
        return -1;
    for (const char *p = cmdline; *p;) {
        while (*p == ' ')
            p++;
        const char *word = p;
        while (*p && *p != ' ')
            p++;
        if ((size_t)(p - word) < klen || strncmp(word, key, klen) != 0)
            continue;
        const char *v = word + klen;
        if (v != p && *v != '=')
            continue;
        if (*v == '=')
            v++;
        int n = 0;
        while (v + n < p && n < len - 1)
            buf[n] = v[n], n++;
        buf[n] = '\0';
        return 0;
    }
    return -1;
}
