/*
 * What the kernel keeps of GRUB's Multiboot2 boot information: the usable
 * memory, the modules (the boot filesystem), the command line and the ACPI
 * RSDP, copied
 * out so that the information's own memory can be reused.
 */
#ifndef EMBER_MULTIBOOT_H
#define EMBER_MULTIBOOT_H

#include <stdint.h>

#define MULTIBOOT2_BOOT_MAGIC   0x36d76289
#define BOOT_MAX_REGIONS        32
#define BOOT_MAX_MODULES        4
#define BOOT_CMDLINE_MAX        256
#define BOOT_MODULE_NAME_MAX    64
#define BOOT_RSDP_MAX           36      /* an ACPI 2.0 RSDP; 1.0's is the first 20 bytes */

struct mem_region {
    uint64_t base;
    uint64_t len;
};

struct boot_module {
    uint64_t start, end;                /* physical, end exclusive */
    char name[BOOT_MODULE_NAME_MAX];    /* GRUB's module command line */
};

struct boot_info {
    struct mem_region avail[BOOT_MAX_REGIONS];
    int navail;
    struct boot_module modules[BOOT_MAX_MODULES];
    int nmodules;
    char cmdline[BOOT_CMDLINE_MAX];
    struct mem_region info;             /* where the information itself lies */
    uint8_t rsdp[BOOT_RSDP_MAX];        /* GRUB's copy of the ACPI RSDP (kernel/arch/x86_64/acpi.c) */
    uint32_t rsdp_len;                  /* 0: GRUB gave none */
};

/*
 * Parses the Multiboot2 information at |info| (whose physical address is
 * |info_phys|) into |out|.  Returns 0, or -1 if it is malformed.  Regions
 * beyond BOOT_MAX_REGIONS and modules beyond BOOT_MAX_MODULES are dropped.
 */
int multiboot_parse(const void *info, uint64_t info_phys, struct boot_info *out);

/*
 * The value of "key=value" in the command line |cmdline|, copied into |buf|;
 * a bare "key" gives "".  Returns 0, or -1 when the key is absent.
 */
int cmdline_option(const char *cmdline, const char *key, char *buf, int len);

#endif
