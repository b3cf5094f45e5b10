/*
 * sys_section.c: section calls that need no address space: create, and
 * read and write without a mapping.  The mapping calls are in
 * sys_section_view.c.
 */
#include "kernel/abi/rights.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/ipc/section.h"
#include "kernel/ob/handle.h"
#include "kernel/proc/process.h"
#include "kernel/syscall/create.h"

static struct ob *make_section(void *npages)
{
    return section_create(*(uint64_t *)npages);
}

// long section_create(size_t size, unsigned long flags, const char *name)
// A handle to |size| bytes (rounded up to pages) of zeroed shared memory;
// E_INVAL for 0, E_TOOBIG beyond SECTION_MAX_SIZE.  |name| and
// CREATE_OPEN_EXISTING as for events (an existing section keeps its size).
long sys_section_create(const struct syscall_args *a)
{
    uint64_t size = a->arg[0];
    unsigned long flags = a->arg[1];

    if ((flags & ~(unsigned long)SECTION_FLAGS_ALL) || size == 0)
        return E_INVAL;
    if (size > SECTION_MAX_SIZE)
        return E_TOOBIG;
    uint64_t npages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
    return create_object(&section_type, user_ptr_of(a->arg[2]), flags, make_section, &npages);
}

/* Looks up |h| as a section with |right|, then copies through section_read or section_write. */
static long section_io(const struct syscall_args *a, rights_t right,
                       long (*copy)(struct ob *, uint64_t, user_ptr, uint64_t))
{
    struct ob *s;
    long r = handle_get(current_process(), a->arg[0], &section_type, right, &s);

    if (r < 0)
        return r;
    r = copy(s, a->arg[1], user_ptr_of(a->arg[2]), a->arg[3]);
    ob_unref(s);
    return r;
}

// long section_read(handle_t section, long offset, void *buf, size_t len)
// Copies up to SECTION_IO_MAX bytes of the section at |offset| into |buf|, no mapping
// needed (RIGHT_READ); returns the count.  E_INVAL if [offset, offset + len) is not
// inside the section.
long sys_section_read(const struct syscall_args *a)
{
    return section_io(a, RIGHT_READ, section_read);
}

// long section_write(handle_t section, long offset, const void *buf, size_t len)
// The other way (RIGHT_WRITE); returns the count written.
long sys_section_write(const struct syscall_args *a)
{
    return section_io(a, RIGHT_WRITE, section_write);
}
