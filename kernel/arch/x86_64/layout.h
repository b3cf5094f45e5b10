/*
 * The virtual address layout, in one place (ARCHITECTURE.md section 2).
 * Included by assembly too, so only #defines here.
 *
 *   0x0000000000400000 .. USER_TOP      user space (page 0 never mapped)
 *   0xffff800000000000 ..               direct map of all physical memory
 *   0xffffff0000000000 ..               kernel stacks (PML4 entry 510, kstack.c)
 *   0xffffffff80000000 ..               the kernel image (-mcmodel=kernel)
 */
#ifndef EMBER_LAYOUT_H
#define EMBER_LAYOUT_H

#define KERNEL_VMA              0xffffffff80000000
#define DIRECT_MAP_BASE         0xffff800000000000
#define PML4_INDEX_DIRECT_MAP   256
#define KSTACK_REGION           0xffffff0000000000
#define KSTACK_REGION_END       0xffffff8000000000
#define USER_BASE               0x0000000000400000
#define USER_TOP                0x0000800000000000
#define PAGE_SIZE               4096
#define PAGE_SHIFT              12

#endif
