/*
 * section.c: the section object (section.h).
 *
 * The idea: a section is a list of frames, allocated and zeroed once, at
 * create.  Mapping writes those frames into an address space's page tables
 * with the software bit PTE_SHARED, which tells vm.c the frames are not the
 * address space's to free, and records the range (struct vm_shared, inside a
 * struct section_view here) in the address space.  A view is any whole-page
 * window [offset, offset + len) of the section; it remembers the most its
 * mapping handle allowed (max_flags), which caps section_protect later, as
 * NT caps NtProtectVirtualMemory by the view's maximum protection.  The view
 * holds a reference on the section; vm.c calls view_release when the range
 * is unmapped (section_unmap) or the process ends (vm_destroy).  So a
 * section's frames go back only when its last handle and its last mapping
 * are gone: that is simply its last reference.  section_read and
 * section_write reach the frames through the direct map, no mapping needed.
 *
 * Exports: section_type, section_create, section_size, section_map_view,
 * section_unmap, section_protect, section_read, section_write.  Not locked yet: it
 * relies on threads running on CPU 0 only (docs/14-smp.md, "The lock list").
 */
#include "kernel/abi/errors.h"
#include "kernel/abi/rights.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/arch/x86_64/phys.h"
#include "kernel/ipc/section.h"
#include "kernel/mm/frame.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/usercopy.h"
#include "kernel/mm/vm.h"
#include "kernel/ob/query.h"
#include "kernel/proc/job.h"

#define SECTION_COPY_OUT    0           /* section_copy: section to user buffer */
#define SECTION_COPY_IN     1           /* user buffer to section */

struct section {
    struct ob ob;
    uint64_t npages;
    bool charged;                       /* its pages count against its creator's job (job.h) */
    uint64_t frames[];          /* physical addresses; 0 for one not yet allocated */
};

/* One mapping of a section: a shared range of some address space. */
struct section_view {
    struct vm_shared range;     /* first: vm.c hands it back to view_release */
    struct section *section;    /* holds a reference */
};

static struct section *section_of(struct ob *o)
{
    return (struct section *)o;
}

static void section_destroy(struct ob *o)
{
    struct section *s = section_of(o);

    for (uint64_t i = 0; i < s->npages && s->frames[i]; i++)
        frame_free(s->frames[i]);
    if (s->charged)
        job_uncharge(o->job, JOB_PAGES, s->npages);
}

static long section_query(struct ob *o, uint32_t info_class, struct query_out *q);

const struct ob_type section_type = {
    .name = "section",
    .code = OB_TYPE_SECTION,
    .tag = TAG("Sect"),
    .valid_rights = RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_MAP | RIGHT_READ | RIGHT_WRITE |
                    RIGHT_INFO,
    .default_rights = RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_MAP | RIGHT_READ | RIGHT_WRITE |
                      RIGHT_INFO,
    .destroy = section_destroy,
    .query = section_query,
};

struct ob *section_create(uint64_t npages)
{
    struct section *s = ob_create(&section_type, sizeof *s + npages * sizeof s->frames[0]);

    if (!s)
        return NULL;
    s->npages = npages;
    if (job_charge(s->ob.job, JOB_PAGES, npages) < 0) {
        ob_unref(&s->ob);
        return NULL;                    /* create_object tells E_QUOTA (job_refused) */
    }
    s->charged = true;
    for (uint64_t i = 0; i < npages; i++) {
        s->frames[i] = frame_alloc_zeroed();
        if (!s->frames[i]) {
            ob_unref(&s->ob);           /* destroy frees the frames it got so far */
            return NULL;
        }
    }
    return &s->ob;
}

uint64_t section_size(struct ob *o)
{
    return section_of(o)->npages * PAGE_SIZE;
}

/* The range is gone from its address space: drop the view's reference. */
static void view_release(struct vm_shared *range)
{
    struct section_view *v = (struct section_view *)range;

    ob_unref(&v->section->ob);
    kfree(v);
}

long section_map_view(struct ob *o, struct vm *vm, const struct section_view_args *va)
{
    struct section *s = section_of(o);
    uint64_t size = section_size(o), addr = va->addr, len;

    if (va->offset % PAGE_SIZE || va->offset >= size || va->len > size - va->offset)
        return E_INVAL;                 /* the view must lie inside the section, page-aligned */
    len = va->len ? (va->len + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1) : size - va->offset;
    if (addr && !user_range_ok(addr, len))
        return E_INVAL;
    struct section_view *v = kmalloc(sizeof *v, TAG("SecV"));
    if (!v)
        return E_NOMEM;
    if (addr == 0 && !(addr = vm_pick_range(vm, len))) {
        kfree(v);
        return E_NOMEM;
    }
    v->range = (struct vm_shared){ .addr = addr, .len = len, .release = view_release,
                                   .max_flags = va->max_flags };
    v->section = s;
    long err = vm_map_shared(vm, &v->range, s->frames + va->offset / PAGE_SIZE, va->flags);
    if (err < 0) {
        kfree(v);
        return err;
    }
    ob_ref(o);
    return (long)addr;
}

long section_unmap(struct vm *vm, uint64_t addr, unsigned how)
{
    struct vm_shared *m = vm_find_shared(vm, addr);

    if (!m || (how == SECTION_UNMAP_AT_START && m->addr != addr))
        return E_INVAL;
    vm_unmap_shared(vm, m);
    return 0;
}

long section_protect(struct vm *vm, uint64_t addr, unsigned long flags)
{
    struct vm_shared *m = vm_find_shared(vm, addr);

    if (!m)
        return E_INVAL;
    if (flags & ~m->max_flags)
        return E_ACCESS;                /* more than the handle it was mapped with allowed */
    vm_protect_shared(vm, m, flags);
    return 0;
}

/*
 * Copies between the section's frames at |offset| and the user buffer |buf|,
 * a page at a time through the direct map.  At most SECTION_IO_MAX bytes:
 * returns the count, E_FAULT for a buffer not inside user space, E_INVAL
 * for a range not inside the section.
 */
static long section_copy(struct ob *o, uint64_t offset, user_ptr buf, uint64_t len, unsigned dir)
{
    struct section *s = section_of(o);
    uint64_t size = section_size(o), done = 0;

    if (!user_range_ok(buf.addr, len))
        return E_FAULT;                 /* the whole buffer, even past what one call copies */
    if (offset > size || len > size - offset)
        return E_INVAL;
    if (len > SECTION_IO_MAX)
        len = SECTION_IO_MAX;           /* the kernel is not preemptible: bounded per call */
    while (done < len) {
        uint64_t at = offset + done, in_page = at % PAGE_SIZE, n = PAGE_SIZE - in_page;
        uint8_t *bytes = (uint8_t *)phys_to_virt(s->frames[at / PAGE_SIZE]) + in_page;
        n = n < len - done ? n : len - done;
        long err = dir == SECTION_COPY_OUT ? copy_to_user(user_ptr_add(buf, done), bytes, n)
                                           : copy_from_user(bytes, user_ptr_add(buf, done), n);
        if (err < 0)
            return err;
        done += n;
    }
    return (long)done;
}

long section_read(struct ob *o, uint64_t offset, user_ptr buf, uint64_t len)
{
    return section_copy(o, offset, buf, len, SECTION_COPY_OUT);
}

long section_write(struct ob *o, uint64_t offset, user_ptr buf, uint64_t len)
{
    return section_copy(o, offset, buf, len, SECTION_COPY_IN);
}

/* OBJECT_INFO_SECTION: its size in bytes (object_query, syscall/sys_query.c). */
static long section_query(struct ob *o, uint32_t info_class, struct query_out *q)
{
    struct section_query_info info = { section_of(o)->npages * PAGE_SIZE };

    return info_class == OBJECT_INFO_SECTION ? query_put(q, &info, sizeof info) : E_INVAL;
}
