/*
 * section.c: the section object (section.h).
 *
 * The idea: a section is a list of frames, allocated and zeroed once, at
 * create.  Mapping writes those frames into an address space's page tables
 * with the software bit PTE_SHARED, which tells vm.c the frames are not the
 * address space's to free, and records the range (struct vm_shared, inside a
 * struct section_view here) in the address space.  The view holds a
 * reference on the section; vm.c calls view_release when the range is
 * unmapped (section_unmap) or the process ends (vm_destroy).  So a section's
 * frames go back only when its last handle and its last mapping are gone:
 * that is simply its last reference.
 *
 * Exports: section_type, section_create, section_size, section_map,
 * section_unmap.  No locks: uniprocessor non-preemptible kernel.
 */
#include "kernel/abi/errors.h"
#include "kernel/abi/rights.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/ipc/section.h"
#include "kernel/mm/frame.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/vm.h"
#include "kernel/ob/query.h"

struct section {
    struct ob ob;
    uint64_t npages;
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
}

static long section_query(struct ob *o, uint32_t info_class, struct query_out *q);

const struct ob_type section_type = {
    .name = "section",
    .code = OB_TYPE_SECTION,
    .tag = TAG("Sect"),
    .valid_rights = RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_MAP | RIGHT_WRITE | RIGHT_INFO,
    .default_rights = RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_MAP | RIGHT_WRITE | RIGHT_INFO,
    .destroy = section_destroy,
    .query = section_query,
};

struct ob *section_create(uint64_t npages)
{
    struct section *s = ob_create(&section_type, sizeof *s + npages * sizeof s->frames[0]);

    if (!s)
        return NULL;
    s->npages = npages;
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

long section_map(struct ob *o, struct vm *vm, uint64_t addr, unsigned long flags)
{
    struct section_view *v = kmalloc(sizeof *v, TAG("SecV"));
    uint64_t len = section_size(o);

    if (!v)
        return E_NOMEM;
    if (addr == 0 && !(addr = vm_pick_range(vm, len))) {
        kfree(v);
        return E_NOMEM;
    }
    v->range = (struct vm_shared){ .addr = addr, .len = len, .release = view_release };
    v->section = section_of(o);
    long err = vm_map_shared(vm, &v->range, v->section->frames, flags);
    if (err < 0) {
        kfree(v);
        return err;
    }
    ob_ref(o);
    return (long)addr;
}

long section_unmap(struct vm *vm, uint64_t addr)
{
    return vm_unmap_shared(vm, addr);
}

/* OBJECT_INFO_SECTION: its size in bytes (object_query, syscall/sys_query.c). */
static long section_query(struct ob *o, uint32_t info_class, struct query_out *q)
{
    struct section_query_info info = { section_of(o)->npages * PAGE_SIZE };

    return info_class == OBJECT_INFO_SECTION ? query_put(q, &info, sizeof info) : E_INVAL;
}
