/*
 * elf.c: the ELF64 loader.
 *
 * An executable is a header, a table of program headers and the bytes they
 * point to.  Each PT_LOAD program header says: map [vaddr, vaddr + memsz)
 * with these permissions, fill the first filesz bytes from the file at
 * offset, leave the rest zero (that is .bss).  elf_check validates every
 * number before elf_load trusts it: the image comes from the boot
 * filesystem, but a student's broken program should get E_NOEXEC, not a
 * kernel fault.
 */
#include "kernel/abi/errors.h"
#include "kernel/abi/types.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/lib/string.h"
#include "kernel/mm/vm.h"
#include "kernel/proc/elf.h"

#define ELF_MAGIC       "\177ELF"
#define ELFCLASS64      2
#define ELFDATA2LSB     1
#define ET_EXEC         2
#define EM_X86_64       62
#define PT_LOAD         1
#define PF_X            1
#define PF_W            2

struct elf_header {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

static int in_user_space(uint64_t addr, uint64_t len)
{
    return addr >= USER_BASE && addr <= USER_TOP && len <= USER_TOP - addr;
}

static const struct elf_phdr *phdr(const uint8_t *img, int i)
{
    const struct elf_header *h = (const void *)img;
    return (const void *)(img + h->phoff + (uint64_t)i * sizeof(struct elf_phdr));
}

long elf_check(const uint8_t *img, size_t size)
{
    const struct elf_header *h = (const void *)img;

    if (size < sizeof *h || memcmp(h->ident, ELF_MAGIC, 4) != 0 || h->ident[4] != ELFCLASS64 ||
        h->ident[5] != ELFDATA2LSB || h->type != ET_EXEC || h->machine != EM_X86_64 ||
        h->phentsize != sizeof(struct elf_phdr) || h->phoff > size ||
        (uint64_t)h->phnum * sizeof(struct elf_phdr) > size - h->phoff ||
        !in_user_space(h->entry, 1))
        return E_NOEXEC;
    for (int i = 0; i < h->phnum; i++) {
        const struct elf_phdr *p = phdr(img, i);
        if (p->type != PT_LOAD || p->memsz == 0)  /* an empty segment maps nothing */
            continue;
        if (p->filesz > p->memsz || p->offset > size || p->filesz > size - p->offset ||
            !in_user_space(p->vaddr, p->memsz))
            return E_NOEXEC;
    }
    return 0;
}

long elf_load(struct vm *vm, const uint8_t *img, size_t size, uint64_t *entry)
{
    const struct elf_header *h = (const void *)img;
    long err = elf_check(img, size);

    if (err < 0)
        return err;
    for (int i = 0; i < h->phnum; i++) {
        const struct elf_phdr *p = phdr(img, i);
        if (p->type != PT_LOAD || p->memsz == 0)
            continue;
        uint64_t start = p->vaddr & ~(uint64_t)(PAGE_SIZE - 1);
        uint64_t end = (p->vaddr + p->memsz + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
        unsigned long flags = (p->flags & PF_W ? MEM_WRITE : 0) | (p->flags & PF_X ? MEM_EXEC : 0);
        err = vm_map(vm, start, end - start, flags);
        if (err == E_EXISTS)
            return E_NOEXEC;                /* segments sharing a page: not a layout we load */
        if (err < 0)
            return err;
        err = vm_write(vm, p->vaddr, img + p->offset, p->filesz);
        if (err < 0)
            return err;
    }
    *entry = h->entry;
    return 0;
}
