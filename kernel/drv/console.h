/*
 * The console: the serial line, as ring 3 sees it through console_read and
 * console_write.  Input arrives by interrupt into a small buffer.
 */
#ifndef EMBER_CONSOLE_H
#define EMBER_CONSOLE_H

#include <stddef.h>
#include "kernel/mm/usercopy.h"

void console_init(void);
/* Copies up to |len| bytes of input to |buf|, blocking until there is at least one. */
long console_read(user_ptr buf, size_t len);
/* Writes up to |len| bytes from |buf| to the serial line; returns how many (a short write past 16 KiB). */
long console_write(user_ptr buf, size_t len);

#endif
