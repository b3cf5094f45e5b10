/*
 * start.c: from _start (crt0.S) to main, and back out through exit.
 * Keeps the start_info the kernel passed, for start_info().
 */
#include <stdlib.h>
#include <ember.h>
#include "libc/file.h"

int main(int argc, char **argv);

static const struct start_info *info_at_start;

const struct start_info *start_info(void)
{
    return info_at_start;
}

__attribute__((noreturn)) void __libc_start(const struct start_info *info);

void __libc_start(const struct start_info *info)
{
    info_at_start = info;
    if (info->nhandles > 0)
        libc_stdio_init(info);
    exit(main((int)info->argc, info->argv));
}

handle_t startup_resource(void)
{
    const struct start_info *si = start_info();

    return si->nhandles > STARTUP_ROOT_HANDLE ? si->handles[STARTUP_ROOT_HANDLE] : 0;
}
