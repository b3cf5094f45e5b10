/*
 * test_madt.c: the contract of acpi_rsdp_root and madt_parse
 * (kernel/arch/x86_64/madt.h).  Tables are built by hand, checksummed, and
 * handed over in heap buffers of exactly their length, so ASan catches a
 * read past the table; a broken table must come back as -1, never loop.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include "kernel/arch/x86_64/madt.h"
#include "tests/unit/check.h"

#define TABLE_MAX   1024

struct table {
    uint8_t bytes[TABLE_MAX];
    uint32_t len;
};

static struct table t;

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

/* Sets byte |at| so that the first |len| bytes sum to 0. */
static void checksum(uint8_t *p, uint32_t len, uint32_t at)
{
    uint8_t sum = 0;

    p[at] = 0;
    for (uint32_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + p[i]);
    p[at] = (uint8_t)-sum;
}

static void madt_begin(uint32_t lapic)
{
    memset(&t, 0, sizeof t);
    memcpy(t.bytes, "APIC", 4);
    put32(t.bytes + ACPI_HEADER_SIZE, lapic);
    t.len = ACPI_HEADER_SIZE + 8;
}

static void add(const uint8_t *entry, uint8_t len)
{
    memcpy(t.bytes + t.len, entry, len);
    t.len += len;
}

static void add_cpu(uint8_t uid, uint8_t apic_id, uint32_t flags)
{
    uint8_t e[8] = { 0, 8, uid, apic_id };
    put32(e + 4, flags);
    add(e, sizeof e);
}

static void add_ioapic(uint8_t id, uint32_t addr, uint32_t gsi_base)
{
    uint8_t e[12] = { 1, 12, id, 0 };
    put32(e + 4, addr);
    put32(e + 8, gsi_base);
    add(e, sizeof e);
}

/* Seals the table (length, checksum) and parses a heap copy of exactly its size. */
static int parse(struct madt_info *out)
{
    put32(t.bytes + 4, t.len);
    checksum(t.bytes, t.len, 9);
    uint8_t *copy = malloc(t.len);
    memcpy(copy, t.bytes, t.len);
    int r = madt_parse(copy, t.len, out);
    free(copy);
    return r;
}

static void qemu_like_table(void)
{
    struct madt_info mi;
    const uint8_t override[10] = { 2, 10, 0, 0, 2, 0, 0, 0, 0, 0 };    /* IRQ 0 -> GSI 2 */

    madt_begin(0xfee00000);
    add_cpu(0, 0, 1);
    add_cpu(1, 1, 1);
    add_cpu(2, 5, 0);               /* present but disabled: not a CPU to start */
    add_ioapic(0, 0xfec00000, 0);
    add(override, sizeof override);
    CHECK_EQ(parse(&mi), 0);
    CHECK_EQ(mi.lapic_phys, 0xfee00000u);
    CHECK_EQ(mi.ncpus, 2);
    CHECK_EQ(mi.apic_ids[0], 0);
    CHECK_EQ(mi.apic_ids[1], 1);
    CHECK_EQ(mi.nioapics, 1);
    CHECK_EQ(mi.ioapic_phys, 0xfec00000u);
    CHECK_EQ(mi.noverrides, 1);
    CHECK_EQ(mi.overrides[0].irq, 0);
    CHECK_EQ(mi.overrides[0].gsi, 2u);
}

/* QEMU's overrides: IRQ 0 -> GSI 2 (edge, high: "conforms"), IRQ 9 -> GSI 9 level and high, one active low. */
static void isa_routes_follow_the_overrides(void)
{
    struct madt_info mi;
    const uint8_t pit[10] = { 2, 10, 0, 0, 2, 0, 0, 0, 0, 0 };
    const uint8_t sci[10] = { 2, 10, 0, 9, 9, 0, 0, 0, 0x0d, 0 };
    const uint8_t low[10] = { 2, 10, 0, 11, 20, 0, 0, 0, 0x0f, 0 };

    madt_begin(0xfee00000);
    add_ioapic(0, 0xfec00000, 0);
    add(pit, sizeof pit);
    add(sci, sizeof sci);
    add(low, sizeof low);
    CHECK_EQ(parse(&mi), 0);
    struct madt_route r = madt_isa_route(&mi, 0);
    CHECK(r.gsi == 2 && !r.level && !r.active_low);
    r = madt_isa_route(&mi, 2);             /* the cascade's pin is the PIT's now */
    CHECK_EQ(r.gsi, MADT_NO_GSI);
    r = madt_isa_route(&mi, 4);             /* no override: identity, the ISA bus's signal */
    CHECK(r.gsi == 4 && !r.level && !r.active_low);
    r = madt_isa_route(&mi, 9);
    CHECK(r.gsi == 9 && r.level && !r.active_low);
    r = madt_isa_route(&mi, 11);
    CHECK(r.gsi == 20 && r.level && r.active_low);
    CHECK_EQ(madt_isa_route(&mi, 15).gsi, 15u);
}

static void lapic_address_override(void)
{
    struct madt_info mi;
    uint8_t e[12] = { 5, 12 };

    put64(e + 4, 0x123456789000ull);
    madt_begin(0xfee00000);
    add(e, sizeof e);
    add_cpu(0, 3, 1);
    CHECK_EQ(parse(&mi), 0);
    CHECK_EQ(mi.lapic_phys, 0x123456789000ull);
    CHECK_EQ(mi.apic_ids[0], 3);
}

static void too_many_cpus_are_counted_not_kept(void)
{
    struct madt_info mi;

    madt_begin(0xfee00000);
    for (int i = 0; i < MAX_CPUS + 3; i++)
        add_cpu((uint8_t)i, (uint8_t)i, 1);
    CHECK_EQ(parse(&mi), 0);
    CHECK_EQ(mi.ncpus, MAX_CPUS);
    CHECK_EQ(mi.cpus_dropped, 3);
    CHECK_EQ(mi.apic_ids[MAX_CPUS - 1], MAX_CPUS - 1);
}

/* A zero-length entry would never advance: it must be refused, not looped on. */
static void zero_length_entry(void)
{
    struct madt_info mi;
    const uint8_t e[2] = { 0, 0 };

    madt_begin(0xfee00000);
    add_cpu(0, 0, 1);
    add(e, sizeof e);
    CHECK_EQ(parse(&mi), -1);
}

/* An entry whose length runs past the table's end. */
static void entry_past_the_end(void)
{
    struct madt_info mi;
    const uint8_t e[4] = { 1, 12, 0, 0 };      /* says 12, only 4 there */

    madt_begin(0xfee00000);
    add(e, sizeof e);
    CHECK_EQ(parse(&mi), -1);
}

/* Entries shorter than their type's fields are skipped, never read beyond. */
static void short_entries_are_skipped(void)
{
    struct madt_info mi;
    const uint8_t cpu[4] = { 0, 4, 0, 7 }, io[6] = { 1, 6, 0, 0, 0, 0 };

    madt_begin(0xfee00000);
    add(cpu, sizeof cpu);
    add(io, sizeof io);
    CHECK_EQ(parse(&mi), 0);
    CHECK_EQ(mi.ncpus, 0);
    CHECK_EQ(mi.nioapics, 0);
}

static void bad_checksum_length_or_signature(void)
{
    struct madt_info mi;

    madt_begin(0xfee00000);
    add_cpu(0, 0, 1);
    CHECK_EQ(parse(&mi), 0);
    t.bytes[ACPI_HEADER_SIZE + 9] ^= 1;        /* one byte changed after the checksum */
    CHECK_EQ(madt_parse(t.bytes, t.len, &mi), -1);
    madt_begin(0xfee00000);
    add_cpu(0, 0, 1);
    CHECK_EQ(parse(&mi), 0);
    CHECK_EQ(madt_parse(t.bytes, t.len - 1, &mi), -1);   /* length field disagrees */
    CHECK_EQ(madt_parse(t.bytes, 10, &mi), -1);          /* shorter than the fixed part */
    memcpy(t.bytes, "APIX", 4);
    checksum(t.bytes, t.len, 9);
    CHECK_EQ(madt_parse(t.bytes, t.len, &mi), -1);
}

static void rsdp(uint8_t *p, uint8_t revision, uint32_t rsdt, uint64_t xsdt)
{
    memset(p, 0, RSDP_V2_SIZE);
    memcpy(p, "RSD PTR ", 8);
    p[15] = revision;
    put32(p + 16, rsdt);
    put32(p + 20, RSDP_V2_SIZE);
    put64(p + 24, xsdt);
    checksum(p, RSDP_V1_SIZE, 8);
    checksum(p, RSDP_V2_SIZE, 32);
}

static void rsdp_roots(void)
{
    uint8_t p[RSDP_V2_SIZE];
    uint64_t root;
    bool wide;

    rsdp(p, 0, 0x7fe1000, 0);
    CHECK_EQ(acpi_rsdp_root(p, RSDP_V1_SIZE, &root, &wide), 0);
    CHECK_EQ(root, 0x7fe1000u);
    CHECK(!wide);
    rsdp(p, 2, 0x7fe1000, 0x7fe2000);
    CHECK_EQ(acpi_rsdp_root(p, RSDP_V2_SIZE, &root, &wide), 0);
    CHECK_EQ(root, 0x7fe2000u);
    CHECK(wide);
    CHECK_EQ(acpi_rsdp_root(p, RSDP_V1_SIZE, &root, &wide), 0);  /* only v1 bytes: the RSDT */
    CHECK(!wide);
    p[33] ^= 1;                     /* extended checksum broken: fall back to the RSDT */
    CHECK_EQ(acpi_rsdp_root(p, RSDP_V2_SIZE, &root, &wide), 0);
    CHECK_EQ(root, 0x7fe1000u);
    p[16] ^= 1;                     /* v1 checksum broken */
    CHECK_EQ(acpi_rsdp_root(p, RSDP_V2_SIZE, &root, &wide), -1);
    rsdp(p, 0, 0x7fe1000, 0);
    p[0] = 'X';
    CHECK_EQ(acpi_rsdp_root(p, RSDP_V2_SIZE, &root, &wide), -1);
    CHECK_EQ(acpi_rsdp_root(p, 10, &root, &wide), -1);
}

int main(void)
{
    RUN(qemu_like_table);
    RUN(isa_routes_follow_the_overrides);
    RUN(lapic_address_override);
    RUN(too_many_cpus_are_counted_not_kept);
    RUN(zero_length_entry);
    RUN(entry_past_the_end);
    RUN(short_entries_are_skipped);
    RUN(bad_checksum_length_or_signature);
    RUN(rsdp_roots);
    return check_status();
}
