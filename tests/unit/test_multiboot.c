/*
 * test_multiboot.c: the contract of multiboot_parse and cmdline_option
 * (kernel/arch/x86_64/multiboot.h).  Boot information is built by hand and
 * handed over in a heap buffer of exactly total_size bytes, so ASan catches
 * any read past what the loader said it wrote; malformed lists must come
 * back as -1, and too many regions or modules are dropped, not overflowed.
 */
#include <stdint.h>
#include <stdlib.h>
#include "kernel/arch/x86_64/multiboot.h"
#include "tests/unit/check.h"

/* Multiboot2 (spec section 3.6): tag types, memory types, layouts. */
#define TAG_END             0
#define TAG_CMDLINE         1
#define TAG_MODULE          3
#define TAG_BASIC_MEMINFO   4           /* one we do not use: must be skipped */
#define TAG_MMAP            6
#define TAG_ACPI_OLD        14
#define TAG_ACPI_NEW        15
#define MEM_AVAILABLE       1
#define MEM_RESERVED        2
#define MEM_ACPI_RECLAIM    3
#define MEM_BAD             5
#define HEADER_SIZE         8           /* total_size, reserved */
#define TAG_ALIGN           8

#define INFO_MAX            8192
#define MODULE_TAG_MAX      512
#define MODULE_SIZE         0x1000      /* where a module's size does not matter */
#define PADDING_BYTE        0xee
#define INFO_PHYS           0x10000     /* where "GRUB" put it, for boot_info.info */

struct tag_header {
    uint32_t type, size;                /* size: header and payload, not the padding */
};

struct mmap_head {
    uint32_t entry_size, entry_version;
};

struct mmap_entry {                     /* also the test's own description of a map */
    uint64_t base, len;
    uint32_t type, reserved;
};

struct module_head {
    uint32_t start, end;                /* then the name, NUL-terminated */
};

struct mbi {
    uint64_t words[INFO_MAX / 8];       /* uint64_t: 8-byte aligned, as the spec says */
    uint32_t size;
};

static uint8_t *at(struct mbi *m, uint32_t off)
{
    return (uint8_t *)m->words + off;
}

static uint32_t total_size(struct mbi *m)
{
    uint32_t v;
    memcpy(&v, at(m, 0), sizeof v);
    return v;
}

static void set_total_size(struct mbi *m, uint32_t v)
{
    memcpy(at(m, 0), &v, sizeof v);
}

static uint32_t tag_size(struct mbi *m, uint32_t off)
{
    struct tag_header h;
    memcpy(&h, at(m, off), sizeof h);
    return h.size;
}

static void set_tag_size(struct mbi *m, uint32_t off, uint32_t size)
{
    struct tag_header h;
    memcpy(&h, at(m, off), sizeof h);
    h.size = size;
    memcpy(at(m, off), &h, sizeof h);
}

static void begin(struct mbi *m)
{
    memset(m, 0, sizeof *m);
    m->size = HEADER_SIZE;
    set_total_size(m, m->size);
}

/* Appends a tag; returns its offset so that a test can then break it. */
static uint32_t add_tag(struct mbi *m, uint32_t type, const void *payload, uint32_t len)
{
    const struct tag_header h = { type, sizeof h + len };
    uint32_t off = m->size;

    memcpy(at(m, off), &h, sizeof h);
    if (len)
        memcpy(at(m, off + sizeof h), payload, len);
    m->size += (h.size + TAG_ALIGN - 1) & ~(uint32_t)(TAG_ALIGN - 1);
    set_total_size(m, m->size);
    return off;
}

static void add_cmdline(struct mbi *m, const char *s)
{
    add_tag(m, TAG_CMDLINE, s, (uint32_t)strlen(s) + 1);
}

static void add_module(struct mbi *m, uint32_t start, uint32_t end, const char *name)
{
    uint8_t payload[MODULE_TAG_MAX];
    const struct module_head head = { start, end };
    uint32_t name_len = (uint32_t)strlen(name) + 1;

    memcpy(payload, &head, sizeof head);
    memcpy(payload + sizeof head, name, name_len);
    add_tag(m, TAG_MODULE, payload, sizeof head + name_len);
}

/* A memory map with entries |entry_size| bytes apart (the entry, or more with padding). */
static uint32_t add_mmap(struct mbi *m, const struct mmap_entry *e, int n, uint32_t entry_size)
{
    static uint8_t payload[INFO_MAX];
    const struct mmap_head head = { entry_size, 0 };

    /* garbage in any padding: an entry read at the wrong offset shows */
    memset(payload, PADDING_BYTE, sizeof payload);
    memcpy(payload, &head, sizeof head);
    for (int i = 0; i < n; i++)
        memcpy(payload + sizeof head + i * entry_size, &e[i], sizeof e[i]);
    return add_tag(m, TAG_MMAP, payload, sizeof head + n * entry_size);
}

static void end(struct mbi *m)
{
    add_tag(m, TAG_END, NULL, 0);
}

/* Parses a copy of exactly total_size bytes: reading past it is an ASan error. */
static int parse(struct mbi *m, struct boot_info *out)
{
    uint32_t total = total_size(m);
    uint8_t *exact = malloc(total);

    memcpy(exact, m->words, total);
    int r = multiboot_parse(exact, INFO_PHYS, out);
    free(exact);
    return r;
}

static struct mbi m;            /* static: too big for a comfortable stack frame */
static struct boot_info bi;

/* What GRUB gives on a PC: holes, ROMs, ACPI, RAM above 4 GiB around a bad page. */
static const struct mmap_entry pc_map[] = {
    { 0x0, 0x9fc00, MEM_AVAILABLE, 0 },
    { 0x9fc00, 0x400, MEM_RESERVED, 0 },
    { 0xf0000, 0x10000, MEM_RESERVED, 0 },
    { 0x100000, 0x7ee0000, MEM_AVAILABLE, 0 },
    { 0x7fe0000, 0x20000, MEM_ACPI_RECLAIM, 0 },
    { 0xfffc0000, 0x40000, MEM_RESERVED, 0 },
    { 0x100000000, 0x40000000, MEM_AVAILABLE, 0 },
    { 0x140000000, 0x1000, MEM_BAD, 0 },
    { 0x140001000, 0x3ffff000, MEM_AVAILABLE, 0 },
};
#define PC_MAP_N        (int)(sizeof pc_map / sizeof pc_map[0])
#define PC_AVAILABLE_N  4

/* The index of the first region in |out| that is not |map|'s next available entry; -1 if none. */
static int first_wrong_region(const struct boot_info *out, const struct mmap_entry *map, int n)
{
    int k = 0;

    for (int i = 0; i < n; i++) {
        if (map[i].type != MEM_AVAILABLE)
            continue;
        if (k >= out->navail || out->avail[k].base != map[i].base || out->avail[k].len != map[i].len)
            return k;
        k++;
    }
    return k == out->navail ? -1 : k;
}

static void well_formed(void)
{
    const uint32_t meminfo[2] = { 639, 130944 };

    begin(&m);
    add_cmdline(&m, "test=boot verbose");
    add_tag(&m, TAG_BASIC_MEMINFO, meminfo, sizeof meminfo);
    add_module(&m, 0x200000, 0x280000, "bootfs");
    add_mmap(&m, pc_map, PC_MAP_N, sizeof(struct mmap_entry));
    add_module(&m, 0x280000, 0x280123, "second module args");
    end(&m);

    CHECK_EQ(parse(&m, &bi), 0);
    CHECK_STR(bi.cmdline, "test=boot verbose");
    CHECK_EQ(bi.navail, PC_AVAILABLE_N);
    CHECK_EQ(first_wrong_region(&bi, pc_map, PC_MAP_N), -1);
    CHECK_EQ(bi.nmodules, 2);
    CHECK_EQ(bi.modules[0].start, 0x200000);
    CHECK_EQ(bi.modules[0].end, 0x280000);
    CHECK_STR(bi.modules[0].name, "bootfs");
    CHECK_EQ(bi.modules[1].start, 0x280000);
    CHECK_EQ(bi.modules[1].end, 0x280123);
    CHECK_STR(bi.modules[1].name, "second module args");
    /* the kernel reserves the information itself until it has been copied */
    CHECK_EQ(bi.info.base, INFO_PHYS);
    CHECK_EQ(bi.info.len, m.size);
}

/* The spec lets entries grow: the parser must step by entry_size, not by 24. */
static void mmap_wider_entries(void)
{
    const uint32_t wide = sizeof(struct mmap_entry) + TAG_ALIGN;

    begin(&m);
    add_mmap(&m, pc_map, PC_MAP_N, wide);
    end(&m);
    CHECK_EQ(parse(&m, &bi), 0);
    CHECK_EQ(bi.navail, PC_AVAILABLE_N);
    CHECK_EQ(first_wrong_region(&bi, pc_map, PC_MAP_N), -1);
}

static void too_many_regions(void)
{
    static struct mmap_entry many[BOOT_MAX_REGIONS + 8];
    const int n = (int)(sizeof many / sizeof many[0]);
    const uint64_t stride = 0x100000;

    for (int i = 0; i < n; i++)
        many[i] = (struct mmap_entry){ (uint64_t)i * stride, stride / 2, MEM_AVAILABLE, 0 };
    begin(&m);
    add_mmap(&m, many, n, sizeof(struct mmap_entry));
    add_module(&m, MODULE_SIZE, 2 * MODULE_SIZE, "after the map");
    end(&m);

    CHECK_EQ(parse(&m, &bi), 0);
    CHECK_EQ(bi.navail, BOOT_MAX_REGIONS);
    CHECK_EQ(bi.avail[BOOT_MAX_REGIONS - 1].base, (BOOT_MAX_REGIONS - 1) * stride);
    /* what follows avail[] in boot_info is intact */
    CHECK_EQ(bi.nmodules, 1);
    CHECK_STR(bi.modules[0].name, "after the map");
}

static void too_many_modules(void)
{
    const int n = BOOT_MAX_MODULES + 2;
    char name[16];

    begin(&m);
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "mod%d", i);
        add_module(&m, MODULE_SIZE * i, MODULE_SIZE * (i + 1), name);
    }
    add_cmdline(&m, "after the modules");
    end(&m);

    CHECK_EQ(parse(&m, &bi), 0);
    CHECK_EQ(bi.nmodules, BOOT_MAX_MODULES);
    snprintf(name, sizeof name, "mod%d", BOOT_MAX_MODULES - 1);
    CHECK_STR(bi.modules[BOOT_MAX_MODULES - 1].name, name);
    CHECK_STR(bi.cmdline, "after the modules");
}

/* Strings longer than boot_info's arrays are cut, still NUL-terminated. */
static void long_strings_truncated(void)
{
    char longest[BOOT_CMDLINE_MAX + 50];

    memset(longest, 'a', sizeof longest - 1);
    longest[sizeof longest - 1] = '\0';
    begin(&m);
    add_cmdline(&m, longest);
    add_module(&m, MODULE_SIZE, 2 * MODULE_SIZE, longest);
    end(&m);

    CHECK_EQ(parse(&m, &bi), 0);
    CHECK_EQ(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
    CHECK_EQ(strlen(bi.modules[0].name), BOOT_MODULE_NAME_MAX - 1);
}

/* A string that fills its tag without a NUL ends at the tag, not at the next zero byte. */
static void string_without_nul(void)
{
    const char text[] = { 'a', 'b', 'c', 'd', 'e' };

    begin(&m);
    uint32_t off = add_tag(&m, TAG_CMDLINE, text, sizeof text);
    /* garbage in the padding, so only the tag's size can stop the copy */
    memset(at(&m, off + sizeof(struct tag_header) + sizeof text), 'X',
           TAG_ALIGN - sizeof text % TAG_ALIGN);
    end(&m);

    CHECK_EQ(parse(&m, &bi), 0);
    CHECK_STR(bi.cmdline, "abcde");
}

static void tag_past_total_size(void)
{
    begin(&m);
    uint32_t off = add_tag(&m, TAG_CMDLINE, "x", 2);
    end(&m);
    set_tag_size(&m, off, m.size - off + TAG_ALIGN);
    CHECK_EQ(parse(&m, &bi), -1);

    /* an mmap claiming more entries than total_size holds */
    const uint32_t extra_entries = 4;
    begin(&m);
    off = add_mmap(&m, pc_map, PC_MAP_N, sizeof(struct mmap_entry));
    end(&m);
    set_tag_size(&m, off, tag_size(&m, off) + extra_entries * sizeof(struct mmap_entry));
    CHECK_EQ(parse(&m, &bi), -1);
}

/* A size below a tag's own header would never advance (size 0) or read garbage. */
static void tag_size_too_small(void)
{
    const uint32_t bad_sizes[] = { 0, sizeof(struct tag_header) / 2, sizeof(struct tag_header) - 1 };

    for (size_t i = 0; i < sizeof bad_sizes / sizeof bad_sizes[0]; i++) {
        begin(&m);
        uint32_t off = add_tag(&m, TAG_CMDLINE, "x", 2);
        end(&m);
        set_tag_size(&m, off, bad_sizes[i]);
        CHECK_EQ(parse(&m, &bi), -1);
    }
}

static void no_end_tag(void)
{
    begin(&m);
    add_cmdline(&m, "no end");
    CHECK_EQ(parse(&m, &bi), -1);

    /* an end tag that total_size leaves out does not count */
    begin(&m);
    add_cmdline(&m, "cut");
    end(&m);
    set_total_size(&m, m.size - sizeof(struct tag_header));
    CHECK_EQ(parse(&m, &bi), -1);

    /* the list ends in a fragment too short to be a tag header */
    const uint32_t fragment = sizeof(struct tag_header) / 2;
    begin(&m);
    add_cmdline(&m, "fragment");
    set_total_size(&m, m.size + fragment);
    CHECK_EQ(parse(&m, &bi), -1);
}

static void total_size_too_small(void)
{
    begin(&m);
    CHECK_EQ(total_size(&m), HEADER_SIZE);      /* the header alone: no room for an end tag */
    CHECK_EQ(parse(&m, &bi), -1);
}

/* Tags too short for their fixed fields are skipped, never read beyond. */
static void short_module_and_mmap_tags(void)
{
    /* start 0: any bytes read beyond the tag as "end" would look valid */
    const struct module_head module = { 0, MODULE_SIZE };
    const struct mmap_head mmap = { sizeof(struct mmap_entry), 0 };

    begin(&m);
    add_tag(&m, TAG_MODULE, &module, sizeof module.start);     /* start without end */
    add_tag(&m, TAG_MMAP, &mmap, sizeof mmap.entry_size);      /* entry_size without version */
    end(&m);
    CHECK_EQ(parse(&m, &bi), 0);
    CHECK_EQ(bi.nmodules, 0);
    CHECK_EQ(bi.navail, 0);
}

/*
 * An mmap tag with no room for entries and an absurd entry_size, one that
 * wraps to 0 when added to the entries' offset in the tag (16) in 32 bits.
 * The bytes after the tag (a command line made to look like an available
 * entry: its tag header as base, then len and type) are not part of the
 * map: nothing may be read from them.  Were this tag the last, the read
 * would be out of bounds; here it shows as a bogus region.
 */
static void mmap_huge_entry_size(void)
{
    const uint32_t entries_offset = sizeof(struct tag_header) + sizeof(struct mmap_head);
    const struct mmap_head head = { 0u - entries_offset, 0 };
    const uint8_t fake_entry[] = {
        'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A',     /* read as len */
        MEM_AVAILABLE, 0, 0, 0,                     /* read as type */
    };

    begin(&m);
    add_tag(&m, TAG_MMAP, &head, sizeof head);
    add_tag(&m, TAG_CMDLINE, fake_entry, sizeof fake_entry);
    end(&m);
    CHECK_EQ(parse(&m, &bi), 0);
    CHECK_EQ(bi.navail, 0);
}

#define OPT_MAX 16

static void option_values(void)
{
    char buf[OPT_MAX];

    CHECK_EQ(cmdline_option("test=boot", "test", buf, sizeof buf), 0);
    CHECK_STR(buf, "boot");
    CHECK_EQ(cmdline_option("quiet test=fault verbose", "test", buf, sizeof buf), 0);
    CHECK_STR(buf, "fault");
    CHECK_EQ(cmdline_option("  a=1   b=2  ", "b", buf, sizeof buf), 0);
    CHECK_STR(buf, "2");
    CHECK_EQ(cmdline_option("empty= x", "empty", buf, sizeof buf), 0);
    CHECK_STR(buf, "");
}

static void option_bare_word(void)
{
    char buf[OPT_MAX];

    memset(buf, 'X', sizeof buf);
    CHECK_EQ(cmdline_option("verbose", "verbose", buf, sizeof buf), 0);
    CHECK_STR(buf, "");
    CHECK_EQ(cmdline_option("test=boot verbose", "verbose", buf, sizeof buf), 0);
    CHECK_STR(buf, "");
}

static void option_absent(void)
{
    char buf[OPT_MAX];

    CHECK_EQ(cmdline_option("test=boot verbose", "debug", buf, sizeof buf), -1);
    CHECK_EQ(cmdline_option("", "test", buf, sizeof buf), -1);
    /* the key must be a whole word's name, not a prefix of one */
    CHECK_EQ(cmdline_option("test=boot", "te", buf, sizeof buf), -1);
    CHECK_EQ(cmdline_option("testing=1", "test", buf, sizeof buf), -1);
    /* nor something inside a value */
    CHECK_EQ(cmdline_option("x=test", "test", buf, sizeof buf), -1);
}

static void option_truncated(void)
{
    const int len = 4;
    char buf[OPT_MAX];

    memset(buf, 'X', sizeof buf);
    CHECK_EQ(cmdline_option("test=bootloader", "test", buf, len), 0);
    CHECK_STR(buf, "boo");
    CHECK_EQ(buf[len], 'X');
}

/* The RSDP copies: the new one is kept whichever comes first; a long tag is cut to 36 bytes. */
static void acpi_rsdp_tags(void)
{
    uint8_t old_rsdp[20], new_rsdp[40];

    memset(old_rsdp, 'o', sizeof old_rsdp);
    memset(new_rsdp, 'n', sizeof new_rsdp);
    begin(&m);
    add_tag(&m, TAG_ACPI_NEW, new_rsdp, sizeof new_rsdp);
    add_tag(&m, TAG_ACPI_OLD, old_rsdp, sizeof old_rsdp);
    end(&m);
    CHECK_EQ(parse(&m, &bi), 0);
    CHECK_EQ(bi.rsdp_len, (uint32_t)BOOT_RSDP_MAX);
    CHECK_EQ(bi.rsdp[0], 'n');
    CHECK_EQ(bi.rsdp[BOOT_RSDP_MAX - 1], 'n');
    begin(&m);
    add_tag(&m, TAG_ACPI_OLD, old_rsdp, sizeof old_rsdp);
    end(&m);
    CHECK_EQ(parse(&m, &bi), 0);
    CHECK_EQ(bi.rsdp_len, 20u);
    CHECK_EQ(bi.rsdp[19], 'o');
    begin(&m);
    add_tag(&m, TAG_ACPI_OLD, old_rsdp, sizeof old_rsdp);
    add_tag(&m, TAG_ACPI_NEW, new_rsdp, 36);
    end(&m);
    CHECK_EQ(parse(&m, &bi), 0);
    CHECK_EQ(bi.rsdp_len, 36u);
    CHECK_EQ(bi.rsdp[0], 'n');
}

int main(void)
{
    RUN(well_formed);
    RUN(mmap_wider_entries);
    RUN(too_many_regions);
    RUN(too_many_modules);
    RUN(long_strings_truncated);
    RUN(string_without_nul);
    RUN(tag_past_total_size);
    RUN(tag_size_too_small);
    RUN(no_end_tag);
    RUN(total_size_too_small);
    RUN(short_module_and_mmap_tags);
    RUN(mmap_huge_entry_size);
    RUN(acpi_rsdp_tags);
    RUN(option_values);
    RUN(option_bare_word);
    RUN(option_absent);
    RUN(option_truncated);
    return check_status();
}
