/*
 * acpi.c: from the RSDP to the MADT, in physical memory.
 *
 * ACPI's tables form a tree the firmware leaves in memory: the RSDP ("Root
 * System Description Pointer") gives the address of the RSDT (32-bit table
 * addresses) or, from ACPI 2.0, the XSDT (64-bit); each entry of those
 * points at a table that starts with a 36-byte header (signature, length,
 * checksum).  GRUB hands the kernel a copy of the RSDP in the Multiboot2
 * information (multiboot.c); without one, we look where the BIOS leaves it,
 * on a 16-byte boundary in 0xe0000..0xfffff.  Tables may lie in memory the
 * direct map does not cover (reserved RAM at the top), so each is mapped
 * before it is read: first its header, then its whole length.
 */
#include "kernel/arch/x86_64/acpi.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/arch/x86_64/phys.h"
#include "kernel/lib/string.h"

#define BIOS_AREA_START     0xe0000
#define BIOS_AREA_END       0x100000
#define ACPI_TABLE_MAX      (64 * 1024)     /* more is a broken table, not one to map */

/* The table at |pa|, mapped whole, its length in |*len|; NULL if it cannot be. */
static const uint8_t *acpi_table(uint64_t pa, uint32_t *len)
{
    if (!pa || paging_map_device(pa, ACPI_HEADER_SIZE, false) < 0)
        return NULL;
    const uint8_t *t = phys_to_virt(pa);
    uint32_t n;
    memcpy(&n, t + 4, sizeof n);
    if (n < ACPI_HEADER_SIZE || n > ACPI_TABLE_MAX || paging_map_device(pa, n, false) < 0)
        return NULL;
    *len = n;
    return t;
}

/* The RSDP in the BIOS area, or NULL. */
static const uint8_t *rsdp_search(void)
{
    for (uint64_t pa = BIOS_AREA_START; pa < BIOS_AREA_END; pa += 16) {
        const uint8_t *p = phys_to_virt(pa);
        if (memcmp(p, "RSD PTR ", 8) == 0 && acpi_checksum_ok(p, RSDP_V1_SIZE))
            return p;
    }
    return NULL;
}

int acpi_find_madt(const uint8_t *rsdp, uint32_t rsdp_len, struct madt_info *out)
{
    uint64_t root_pa;
    uint32_t len, n;
    bool wide;

    if (rsdp_len == 0 && (rsdp = rsdp_search()) != NULL)
        rsdp_len = RSDP_V2_SIZE;    /* acpi_rsdp_root reads 36 only for revision 2 */
    if (!rsdp || acpi_rsdp_root(rsdp, rsdp_len, &root_pa, &wide) < 0)
        return -1;
    const uint8_t *root = acpi_table(root_pa, &len);
    if (!root || memcmp(root, wide ? "XSDT" : "RSDT", 4) != 0 || !acpi_checksum_ok(root, len))
        return -1;
    uint32_t size = wide ? 8 : 4;
    for (uint32_t off = ACPI_HEADER_SIZE; off + size <= len; off += size) {
        uint64_t pa = 0;
        memcpy(&pa, root + off, size);
        const uint8_t *t = acpi_table(pa, &n);
        if (t && memcmp(t, "APIC", 4) == 0)
            return madt_parse(t, n, out);
    }
    return -1;
}
