/*
 * Handle rights, shared by the kernel, libc and the tests.  A handle carries
 * a subset of its object type's valid rights; duplicating can only keep or
 * drop rights, never add them.
 */
#ifndef EMBER_ABI_RIGHTS_H
#define EMBER_ABI_RIGHTS_H

#define RIGHT_DUPLICATE     (1u << 0)   /* make another handle to the object */
#define RIGHT_TRANSFER      (1u << 1)   /* pass the handle to another process */
#define RIGHT_WAIT          (1u << 2)   /* wait on the object */
#define RIGHT_READ          (1u << 3)   /* read data or state */
#define RIGHT_WRITE         (1u << 4)   /* write data */
#define RIGHT_SIGNAL        (1u << 5)   /* set/reset an event, release a semaphore */
#define RIGHT_KILL          (1u << 6)   /* end a process or thread */
#define RIGHT_MAP           (1u << 7)   /* map a section */
#define RIGHT_INFO          (1u << 8)   /* query status, exit code, ids */
#define RIGHT_MANAGE        (1u << 9)   /* put handles or mappings into a process, trace it, change a thread */
#define RIGHTS_ALL          0x3ffu
#define RIGHT_SAME          0x80000000u /* handle_duplicate: keep the rights the source has */

#endif
