/*
 * The kernel's own symbol table, for symbolized backtraces.  The build links
 * the kernel once, extracts its function symbols with nm (scripts/ksyms.sh)
 * and links again with the table in the .ksyms section.
 */
#ifndef EMBER_KSYMS_H
#define EMBER_KSYMS_H

#include <stdint.h>

/* The name of the function containing |addr| and the offset into it, or NULL. */
const char *ksym_lookup(uint64_t addr, uint64_t *offset);

#endif
