/*
 * The ACPI tables SMP bring-up reads, parsed from bytes (ACPI 6.5, sections
 * 5.2.5 to 5.2.12): the RSDP that points at the RSDT or XSDT, and the MADT
 * ("APIC") that lists the local APICs and the I/O APICs.  Pure functions on
 * memory the caller has mapped, so the host unit test (tests/unit/test_madt.c)
 * can feed them broken tables; acpi.c finds and maps the real ones.
 */
#ifndef EMBER_MADT_H
#define EMBER_MADT_H

#include <stdbool.h>
#include <stdint.h>

#define MAX_CPUS            8       /* local APICs beyond this are ignored (and counted) */
#define MADT_MAX_OVERRIDES  16
#define ACPI_HEADER_SIZE    36      /* every table but the RSDP starts with this header */
#define RSDP_V1_SIZE        20
#define RSDP_V2_SIZE        36

struct madt_override {              /* "ISA IRQ |irq| is wired to GSI |gsi|" */
    uint8_t irq;
    uint16_t flags;                 /* polarity and trigger mode, as in the table */
    uint32_t gsi;
};

/* An override's flags (ACPI 6.5, table 5.25): "conforms to the bus" (0) means, for ISA, edge and active high. */
#define MADT_POLARITY_MASK  0x3
#define MADT_POLARITY_LOW   0x3
#define MADT_TRIGGER_MASK   0xc
#define MADT_TRIGGER_LEVEL  0xc
#define MADT_NO_GSI         0xffffffffu

struct madt_route {                 /* where an ISA IRQ reaches the I/O APICs, and its signal */
    uint32_t gsi;                   /* MADT_NO_GSI: another IRQ's override took its pin */
    bool active_low;
    bool level;
};

struct madt_info {
    uint64_t lapic_phys;            /* the local APICs' MMIO base (every CPU: its own) */
    int ncpus;                      /* enabled processors kept, the boot CPU among them */
    uint8_t apic_ids[MAX_CPUS];
    int cpus_dropped;               /* enabled processors past MAX_CPUS */
    uint64_t ioapic_phys;           /* the first I/O APIC, 0 if none */
    uint32_t ioapic_gsi_base;
    int nioapics;
    int noverrides;
    struct madt_override overrides[MADT_MAX_OVERRIDES];
};

/* Whether |len| bytes at |p| sum to 0 (mod 256), as every ACPI table must. */
bool acpi_checksum_ok(const void *p, uint32_t len);
/*
 * The root table the RSDP at |rsdp| (|len| bytes available) names: its
 * physical address in |*root|, and |*wide| true for an XSDT (64-bit
 * entries), false for an RSDT (32-bit).  Returns 0, or -1 when the RSDP's
 * signature or checksum is wrong.
 */
int acpi_rsdp_root(const uint8_t *rsdp, uint32_t len, uint64_t *root, bool *wide);
/*
 * The MADT's |len| bytes at |madt| (header included) into |out|.  Returns
 * 0, or -1 when the signature, length or checksum is wrong or an entry runs
 * past the end.
 */
int madt_parse(const uint8_t *madt, uint32_t len, struct madt_info *out);
/*
 * Where ISA IRQ |irq| arrives: its override's GSI and signal, or else GSI
 * |irq|, edge-triggered, active high (the ISA bus's own).  An IRQ without
 * an override whose GSI another IRQ's override names (IRQ 2 under QEMU,
 * whose GSI 2 is the PIT's) has none: MADT_NO_GSI.
 */
struct madt_route madt_isa_route(const struct madt_info *mi, int irq);

#endif
