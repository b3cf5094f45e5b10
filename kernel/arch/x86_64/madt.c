/*
 * madt.c: reads the RSDP and the MADT from bytes (madt.h says why apart).
 *
 * The MADT ("Multiple APIC Description Table") is the ACPI header, the
 * local APIC address and flags, then a list of variable-length entries
 * {type, length, ...}.  Ember keeps four kinds: a processor's local APIC
 * (type 0: its APIC id, and whether the firmware enabled it), an I/O APIC
 * (type 1), an ISA interrupt override (type 2: under QEMU the PIT's IRQ 0
 * arrives at GSI 2) and a 64-bit local APIC address (type 5).  Every read
 * is checked against the table's length: a zero-length entry would loop
 * forever, and a long one would read past the table.
 *
 * madt_isa_route answers, from the overrides, where an ISA IRQ reaches the
 * I/O APIC and how its signal looks (ioapic.c programs the pin from it).
 */
#include "kernel/arch/x86_64/madt.h"
#include "kernel/lib/string.h"

#define MADT_LOCAL_APIC         0
#define MADT_IO_APIC            1
#define MADT_OVERRIDE           2
#define MADT_LAPIC_ADDRESS      5
#define MADT_ENTRIES_OFFSET     (ACPI_HEADER_SIZE + 8)  /* after the LAPIC address and flags */
#define LAPIC_ENABLED           (1u << 0)
#define RSDP_XSDT_REVISION      2

static uint32_t read32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);        /* tables are packed: no alignment promised */
    return v;
}

static uint64_t read64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

bool acpi_checksum_ok(const void *p, uint32_t len)
{
    uint8_t sum = 0;

    for (uint32_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + ((const uint8_t *)p)[i]);
    return sum == 0;
}

int acpi_rsdp_root(const uint8_t *rsdp, uint32_t len, uint64_t *root, bool *wide)
{
    if (len < RSDP_V1_SIZE || memcmp(rsdp, "RSD PTR ", 8) != 0 || !acpi_checksum_ok(rsdp, RSDP_V1_SIZE))
        return -1;
    /* ACPI 2.0 and later: an XSDT, checked by the extended checksum over all 36 bytes. */
    if (rsdp[15] >= RSDP_XSDT_REVISION && len >= RSDP_V2_SIZE && acpi_checksum_ok(rsdp, RSDP_V2_SIZE) &&
        read64(rsdp + 24) != 0) {
        *root = read64(rsdp + 24);
        *wide = true;
        return 0;
    }
    *root = read32(rsdp + 16);
    *wide = false;
    return *root ? 0 : -1;
}

/* One entry of |len| bytes (type and length included) into |out|. */
static void madt_entry(const uint8_t *e, uint8_t len, struct madt_info *out)
{
    if (e[0] == MADT_LOCAL_APIC && len >= 8 && (read32(e + 4) & LAPIC_ENABLED)) {
        if (out->ncpus < MAX_CPUS)
            out->apic_ids[out->ncpus++] = e[3];
        else
            out->cpus_dropped++;
    } else if (e[0] == MADT_IO_APIC && len >= 12) {
        if (out->nioapics++ == 0) {
            out->ioapic_phys = read32(e + 4);
            out->ioapic_gsi_base = read32(e + 8);
        }
    } else if (e[0] == MADT_OVERRIDE && len >= 10 && out->noverrides < MADT_MAX_OVERRIDES) {
        out->overrides[out->noverrides++] = (struct madt_override){
            .irq = e[3], .gsi = read32(e + 4), .flags = (uint16_t)(e[8] | e[9] << 8) };
    } else if (e[0] == MADT_LAPIC_ADDRESS && len >= 12) {
        out->lapic_phys = read64(e + 4);
    }
}

int madt_parse(const uint8_t *madt, uint32_t len, struct madt_info *out)
{
    memset(out, 0, sizeof *out);
    if (len < MADT_ENTRIES_OFFSET || memcmp(madt, "APIC", 4) != 0 || read32(madt + 4) != len ||
        !acpi_checksum_ok(madt, len))
        return -1;
    out->lapic_phys = read32(madt + ACPI_HEADER_SIZE);
    for (uint32_t off = MADT_ENTRIES_OFFSET; off < len;) {
        if (len - off < 2 || madt[off + 1] < 2 || madt[off + 1] > len - off)
            return -1;
        madt_entry(madt + off, madt[off + 1], out);
        off += madt[off + 1];
    }
    return 0;
}

struct madt_route madt_isa_route(const struct madt_info *mi, int irq)
{
    struct madt_route r = { .gsi = (uint32_t)irq };

    for (int i = 0; i < mi->noverrides; i++) {
        const struct madt_override *o = &mi->overrides[i];
        if (o->irq == irq) {
            r.gsi = o->gsi;
            r.active_low = (o->flags & MADT_POLARITY_MASK) == MADT_POLARITY_LOW;
            r.level = (o->flags & MADT_TRIGGER_MASK) == MADT_TRIGGER_LEVEL;
            return r;
        }
    }
    for (int i = 0; i < mi->noverrides; i++)
        if (mi->overrides[i].gsi == (uint32_t)irq)
            r.gsi = MADT_NO_GSI;    /* its pin carries another IRQ */
    return r;
}
