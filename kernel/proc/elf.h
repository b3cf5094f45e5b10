/* Loading ELF64 executables into an address space. */
#ifndef EMBER_ELF_H
#define EMBER_ELF_H

#include <stddef.h>
#include <stdint.h>

struct vm;

/*
 * Checks that |img| is an x86_64 ELF executable whose every loadable
 * segment lies inside the image and inside user space.  Pure: 0 or E_NOEXEC.
 */
long elf_check(const uint8_t *img, size_t size);
/* Maps and fills |img|'s segments into |vm| and stores the entry point.  0, E_NOEXEC or E_NOMEM. */
long elf_load(struct vm *vm, const uint8_t *img, size_t size, uint64_t *entry);

#endif
