/*
 * test_elf: the ELF64 loader's checks and loading (kernel/proc/elf.c).
 * Contract: only x86_64 little-endian executables load; every PT_LOAD
 * segment must lie inside the image and inside user space, with filesz no
 * larger than memsz, and the entry must be in user space, else E_NOEXEC
 * with nothing read outside the image (ASan watches); a good image maps
 * each segment page-aligned with its permissions (W only if PF_W, EXEC only
 * if PF_X), copies filesz bytes, and leaves empty segments alone.
 * vm_map and vm_write are stubbed here to record what the loader asks.
 */
#include <stdlib.h>
#include "kernel/abi/errors.h"
#include "kernel/abi/types.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/mm/vm.h"
#include "kernel/proc/elf.h"
#include "tests/unit/check.h"

#define EHDR_SIZE   64
#define PHDR_SIZE   56
#define PT_LOAD     1
#define PF_X        1
#define PF_W        2
#define PF_R        4
#define MAX_MAPS    8

struct ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

/* ---- stubs: what the loader asked the address space for ---- */
static struct { uint64_t addr, len; unsigned long flags; } maps[MAX_MAPS];
static int nmaps, nwrites;
static uint64_t written_at;
static uint8_t written[64];

long vm_map(struct vm *vm, uint64_t addr, uint64_t len, unsigned long flags)
{
    (void)vm;
    if (nmaps < MAX_MAPS)
        maps[nmaps].addr = addr, maps[nmaps].len = len, maps[nmaps].flags = flags;
    nmaps++;
    return 0;
}

long vm_write(struct vm *vm, uint64_t addr, const void *src, size_t len)
{
    (void)vm;
    nwrites++;
    if (len) {                          /* a bss-only segment writes nothing */
        written_at = addr;
        memcpy(written, src, len < sizeof written ? len : sizeof written);
    }
    return 0;
}

/* ---- a small executable: header, two program headers, 16 bytes of text ---- */
static uint8_t image[EHDR_SIZE + 2 * PHDR_SIZE + 16];

static struct ehdr *eh(void) { return (struct ehdr *)image; }
static struct phdr *ph(int i) { return (struct phdr *)(image + EHDR_SIZE + i * PHDR_SIZE); }

static void build(void)
{
    memset(image, 0, sizeof image);
    memcpy(eh()->ident, "\177ELF", 4);
    eh()->ident[4] = 2;                 /* 64-bit */
    eh()->ident[5] = 1;                 /* little-endian */
    eh()->type = 2;                     /* executable */
    eh()->machine = 62;                 /* x86_64 */
    eh()->entry = USER_BASE + 0x10;
    eh()->phoff = EHDR_SIZE;
    eh()->phentsize = PHDR_SIZE;
    eh()->phnum = 2;
    *ph(0) = (struct phdr){ PT_LOAD, PF_R | PF_X, EHDR_SIZE + 2 * PHDR_SIZE, USER_BASE + 0x10, 0, 16, 16, 4096 };
    *ph(1) = (struct phdr){ PT_LOAD, PF_R | PF_W, 0, USER_BASE + 0x3000, 0, 0, 0x2100, 4096 };
    memcpy(image + EHDR_SIZE + 2 * PHDR_SIZE, "0123456789abcdef", 16);
    nmaps = nwrites = 0;
}

static long load(void)
{
    uint64_t entry = 0;
    long err = elf_load(NULL, image, sizeof image, &entry);
    return err < 0 ? err : (long)entry;
}

static void loads_a_good_image(void)
{
    build();
    CHECK_EQ(load(), (long)(USER_BASE + 0x10));
    CHECK_EQ(nmaps, 2);
    CHECK_EQ(maps[0].addr, USER_BASE);                 /* page-aligned down */
    CHECK_EQ(maps[0].len, 4096);
    CHECK_EQ(maps[0].flags, MEM_EXEC);                 /* text: not writable */
    CHECK_EQ(maps[1].addr, USER_BASE + 0x3000);
    CHECK_EQ(maps[1].len, 0x3000);                     /* 0x2100 bytes span three pages */
    CHECK_EQ(maps[1].flags, MEM_WRITE);                /* data: never executable */
    CHECK_EQ(written_at, USER_BASE + 0x10);
    CHECK(memcmp(written, "0123456789abcdef", 16) == 0);
}

static void skips_empty_segments(void)
{
    build();
    ph(1)->memsz = 0;
    ph(1)->vaddr = 0;                   /* where a linker puts an empty data segment */
    CHECK_EQ(load(), (long)(USER_BASE + 0x10));
    CHECK_EQ(nmaps, 1);
}

static void refuses_wrong_kinds_of_file(void)
{
    build(); image[0] = 'X';            CHECK_EQ(load(), E_NOEXEC);
    build(); eh()->ident[4] = 1;        CHECK_EQ(load(), E_NOEXEC);    /* 32-bit */
    build(); eh()->type = 3;            CHECK_EQ(load(), E_NOEXEC);    /* shared object */
    build(); eh()->machine = 3;         CHECK_EQ(load(), E_NOEXEC);    /* i386 */
    build(); eh()->phentsize = 32;      CHECK_EQ(load(), E_NOEXEC);
    CHECK_EQ(elf_check(image, 10), E_NOEXEC);                          /* shorter than a header */
}

static void refuses_segments_outside_the_image_or_user_space(void)
{
    build(); eh()->phnum = 1000;                    CHECK_EQ(load(), E_NOEXEC);
    build(); eh()->phoff = UINT64_MAX - 8;          CHECK_EQ(load(), E_NOEXEC);
    build(); ph(0)->offset = sizeof image;          CHECK_EQ(load(), E_NOEXEC);
    build(); ph(0)->filesz = UINT64_MAX;            CHECK_EQ(load(), E_NOEXEC);
    build(); ph(0)->filesz = 17;                    CHECK_EQ(load(), E_NOEXEC);  /* > memsz */
    build(); ph(1)->vaddr = 0x1000;                 CHECK_EQ(load(), E_NOEXEC);  /* below USER_BASE */
    build(); ph(1)->vaddr = USER_TOP - 0x1000;      CHECK_EQ(load(), E_NOEXEC);  /* runs past the top */
    build(); ph(1)->memsz = UINT64_MAX;             CHECK_EQ(load(), E_NOEXEC);  /* wraps */
    build(); ph(1)->vaddr = KERNEL_VMA;             CHECK_EQ(load(), E_NOEXEC);
    build(); eh()->entry = KERNEL_VMA;              CHECK_EQ(load(), E_NOEXEC);
    build(); eh()->entry = 0;                       CHECK_EQ(load(), E_NOEXEC);
    CHECK_EQ(nmaps, 0);                 /* refused before mapping anything */
}

static void reads_nothing_past_a_truncated_image(void)
{
    build();
    size_t len = EHDR_SIZE + PHDR_SIZE + 8;     /* the second program header is cut */
    uint8_t *copy = malloc(len);
    memcpy(copy, image, len);
    long err = elf_check(copy, len);
    free(copy);
    CHECK_EQ(err, E_NOEXEC);
}

int main(void)
{
    RUN(loads_a_good_image);
    RUN(skips_empty_segments);
    RUN(refuses_wrong_kinds_of_file);
    RUN(refuses_segments_outside_the_image_or_user_space);
    RUN(reads_nothing_past_a_truncated_image);
    return check_status();
}
