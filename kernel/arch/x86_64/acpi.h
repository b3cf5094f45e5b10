/* Finding the ACPI tables in memory (acpi.c); parsing them is madt.c's. */
#ifndef EMBER_ACPI_H
#define EMBER_ACPI_H

#include <stdint.h>
#include "kernel/arch/x86_64/madt.h"

/*
 * The MADT, found from the RSDP copy GRUB gave (|rsdp_len| bytes; 0: none,
 * then the BIOS area is searched) and parsed into |out|.  Returns 0, or -1
 * when there is no valid RSDP, root table or MADT.
 */
int acpi_find_madt(const uint8_t *rsdp, uint32_t rsdp_len, struct madt_info *out);

#endif
