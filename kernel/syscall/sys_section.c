/*
 * sys_section.c: section calls: create, map, unmap.  Mapping into (or
 * unmapping from) another process takes a handle to it with RIGHT_MANAGE;
 * process 0 means the caller.
 */
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

/* The address space of process |h| (0: the caller's, see process_arg); E_PEERCLOSED once torn down. */
static long target_vm(handle_t h, struct ob **held, struct vm **vm)
{
    struct process *p;
    long err = process_arg(h, &p, held);

    if (err < 0)
        return err;
    *vm = p->vm;
    return p->vm ? 0 : E_PEERCLOSED;    /* torn down: no address space any more */
}

// long section_map(handle_t section, handle_t process, const void *addr, unsigned long flags)
// Maps the whole section at |addr| (NULL: the kernel picks) in |process| (0: the caller),
// read-only, or read-write with MEM_WRITE (which needs RIGHT_WRITE; any mapping RIGHT_MAP).
// Returns the address; E_INVAL for a bad |addr| or flags, E_EXISTS if something is there.
long sys_section_map(const struct syscall_args *a)
{
    uint64_t addr = a->arg[2];
    unsigned long flags = a->arg[3];
    rights_t need = RIGHT_MAP | (flags & MEM_WRITE ? RIGHT_WRITE : 0);
    struct ob *s, *held;
    struct vm *vm;

    if ((flags & ~(unsigned long)SECTION_MAP_FLAGS) || addr % PAGE_SIZE)
        return E_INVAL;
    long r = handle_get(current_process(), a->arg[0], &section_type, need, &s);
    if (r < 0)
        return r;
    r = target_vm(a->arg[1], &held, &vm);
    if (r == 0 && addr && (addr < USER_BASE || !user_range_ok(addr, section_size(s))))
        r = E_INVAL;
    if (r == 0)
        r = section_map(s, vm, addr, flags);
    if (held)
        ob_unref(held);
    ob_unref(s);
    return r;
}

// long section_unmap(handle_t process, const void *addr)
// Unmaps the whole section mapping starting at |addr| in |process| (0: the caller);
// E_INVAL if no section mapping starts there.
long sys_section_unmap(const struct syscall_args *a)
{
    struct ob *held;
    struct vm *vm;
    long r = target_vm(a->arg[0], &held, &vm);

    if (r == 0)
        r = section_unmap(vm, a->arg[1]);
    if (held)
        ob_unref(held);
    return r;
}
