/*
 * sys_section_view.c: mapping sections.  A view is a whole-page window of
 * a section in an address space: section_map maps all of it,
 * section_map_view any [offset, offset + size); section_unmap removes a view
 * by its start, section_unmap_view by any address inside it;
 * section_protect changes a view's rights, never beyond what the handle it
 * was mapped with allowed (RIGHT_WRITE for MEM_WRITE), recorded in the view.
 * Mapping into (or unmapping from) another process takes a handle to it
 * with RIGHT_MANAGE; process 0 means the caller.
 */
#include "kernel/abi/rights.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/ipc/section.h"
#include "kernel/ob/handle.h"
#include "kernel/proc/process.h"
#include "kernel/syscall/syscall.h"

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

/*
 * Looks up section |sh| (RIGHT_MAP, and RIGHT_WRITE for a writable view)
 * and process |ph|, and maps the view |v| (decoded by the caller); its
 * max_flags come from the section handle's rights.
 */
static long map_view(handle_t sh, handle_t ph, struct section_view_args *v)
{
    rights_t need = RIGHT_MAP | (v->flags & MEM_WRITE ? RIGHT_WRITE : 0);
    struct ob *s, *held;
    struct vm *vm;
    long r = handle_get(current_process(), sh, &section_type, need, &s);

    if (r < 0)
        return r;
    v->max_flags = handle_rights(current_process(), sh) & RIGHT_WRITE ? MEM_WRITE : 0;
    r = target_vm(ph, &held, &vm);
    if (r == 0)
        r = section_map_view(s, vm, v);
    if (held)
        ob_unref(held);
    ob_unref(s);
    return r;
}

static int page_aligned(uint64_t x)
{
    return x % PAGE_SIZE == 0;
}

// long section_map(handle_t section, handle_t process, const void *addr, unsigned long flags)
// Maps the whole section at |addr| (NULL: the kernel picks) in |process| (0: the caller),
// read-only, or read-write with MEM_WRITE (which needs RIGHT_WRITE; any mapping RIGHT_MAP).
// Returns the address; E_INVAL for a bad |addr| or flags, E_EXISTS if something is there.
long sys_section_map(const struct syscall_args *a)
{
    struct section_view_args v = { .addr = a->arg[2], .flags = a->arg[3] };

    if ((v.flags & ~(unsigned long)SECTION_MAP_FLAGS) || !page_aligned(v.addr) ||
        (v.addr && v.addr < USER_BASE))
        return E_INVAL;
    return map_view(a->arg[0], a->arg[1], &v);
}

// long section_map_view(handle_t section, handle_t process, const void *addr, long offset,
//                       long size, unsigned long flags)
// Maps [offset, offset + size) of the section (size rounded up to pages; 0: to the end),
// otherwise as section_map.  E_INVAL for an |offset| or |addr| not page-aligned, a window
// that wraps or runs past the section's end (checked after the handles, so their errors
// come first whatever the window).
long sys_section_map_view(const struct syscall_args *a)
{
    struct section_view_args v = { .addr = a->arg[2], .offset = a->arg[3], .len = a->arg[4],
                                   .flags = a->arg[5] };

    if ((v.flags & ~(unsigned long)SECTION_MAP_FLAGS) || !page_aligned(v.addr) ||
        (v.addr && v.addr < USER_BASE))
        return E_INVAL;
    return map_view(a->arg[0], a->arg[1], &v);  /* the window is checked against the section there */
}

/* Unmaps the view at |addr| of process |ph| as |how| says (section.h). */
static long unmap_view(handle_t ph, uint64_t addr, unsigned how)
{
    struct ob *held;
    struct vm *vm;
    long r = target_vm(ph, &held, &vm);

    if (r == 0)
        r = section_unmap(vm, addr, how);
    if (held)
        ob_unref(held);
    return r;
}

// long section_unmap(handle_t process, const void *addr)
// Unmaps the whole section mapping starting at |addr| in |process| (0: the caller);
// E_INVAL if no section mapping starts there.
long sys_section_unmap(const struct syscall_args *a)
{
    return unmap_view(a->arg[0], a->arg[1], SECTION_UNMAP_AT_START);
}

// long section_unmap_view(handle_t process, const void *addr)
// Unmaps the view containing |addr| in |process| (0: the caller); E_INVAL if none does.
long sys_section_unmap_view(const struct syscall_args *a)
{
    return unmap_view(a->arg[0], a->arg[1], SECTION_UNMAP_INSIDE);
}

// long section_protect(handle_t process, const void *addr, unsigned long flags)
// Makes the view containing |addr| read-only, or read-write with MEM_WRITE; E_INVAL
// if no view contains |addr|, E_ACCESS if the view's handle lacked RIGHT_WRITE.
long sys_section_protect(const struct syscall_args *a)
{
    unsigned long flags = a->arg[2];
    struct ob *held;
    struct vm *vm;

    if (flags & ~(unsigned long)SECTION_MAP_FLAGS)
        return E_INVAL;
    long r = target_vm(a->arg[0], &held, &vm);
    if (r == 0)
        r = section_protect(vm, a->arg[1], flags);
    if (held)
        ob_unref(held);
    return r;
}
