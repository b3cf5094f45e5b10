/*
 * section_util.h: what the section suites (sections_*.c) share: a section
 * size, an address far from what mem_map(NULL) hands out, the values the
 * cases write, and a read-write mapping.  A header of static functions, so
 * not a suite.  Children get a section (and semaphores or events) as
 * handles after the three stdio ones, through spawn_passing (util.h).
 */
#ifndef EMBER_TESTS_USER_SECTION_UTIL_H
#define EMBER_TESTS_USER_SECTION_UTIL_H

#include "tests/user/util.h"

#define PAGES               4
#define SIZE                (PAGES * PAGE_SIZE)
#define FIXED_ADDR          (USER_STACK_TOP / 4 + 64 * PAGE_SIZE)  /* far from mem_map(NULL) */
#define MAGIC               0x5ec7104e
#define REPLY               0x0ddba11
#define CHILD_VALUE         42

/* Maps all of section |s| read-write into this process: its address, or NULL. */
static inline volatile uint64_t *map_rw(handle_t s)
{
    long a = section_map(s, 0, NULL, MEM_WRITE);

    return a > 0 ? (volatile uint64_t *)a : NULL;
}

#endif
