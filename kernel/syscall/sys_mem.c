/*
 * sys_mem.c: mapping and unmapping zero-filled memory.  Addresses must be
 * page-aligned and inside user space; lengths are rounded up to pages.
 */
#include "kernel/arch/x86_64/layout.h"
#include "kernel/mm/vm.h"
#include "kernel/proc/job.h"
#include "kernel/proc/process.h"
#include "kernel/syscall/syscall.h"

/* |len| rounded up to pages, or 0 if it is 0 or larger than user space. */
static uint64_t page_round(uint64_t len)
{
    if (len == 0 || len > USER_TOP)
        return 0;
    return (len + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
}

static int valid_range(uint64_t addr, uint64_t len)
{
    return (addr & (PAGE_SIZE - 1)) == 0 && addr >= USER_BASE && user_range_ok(addr, len);
}

// long mem_map(const void *addr, size_t len, unsigned long flags)
// Maps zeroed memory at |addr|, or where the kernel picks when |addr| is NULL; returns the address.
// MEM_WRITE and MEM_EXEC together are E_INVAL: no page is both (W^X).
long sys_mem_map(const struct syscall_args *a)
{
    struct vm *vm = current_process()->vm;
    uint64_t addr = a->arg[0], len = page_round(a->arg[1]);

    if (a->arg[2] & ~(uint64_t)MEM_FLAGS_ALL || len == 0 || a->arg[2] == MEM_WRITE_EXEC)
        return E_INVAL;
    if (addr == 0 && !(addr = vm_pick_range(vm, len)))
        return E_NOMEM;
    if (!valid_range(addr, len))
        return E_INVAL;
    struct job *job = current_process()->job;
    long err = job_charge(job, JOB_PAGES, len / PAGE_SIZE);
    if (err == 0 && (err = vm_map(vm, addr, len, a->arg[2])) < 0)
        job_uncharge(job, JOB_PAGES, len / PAGE_SIZE);
    return err < 0 ? err : (long)addr;
}

// long mem_unmap(const void *addr, size_t len)
// E_INVAL also for a range that touches a section mapping: section_unmap removes those whole.
long sys_mem_unmap(const struct syscall_args *a)
{
    uint64_t addr = a->arg[0], len = page_round(a->arg[1]);

    if (len == 0 || !valid_range(addr, len) || vm_overlaps_shared(current_process()->vm, addr, len))
        return E_INVAL;
    struct process *p = current_process();
    uint64_t before = p->vm->committed;
    vm_unmap(p->vm, addr, len);
    job_uncharge(p->job, JOB_PAGES, before - p->vm->committed);
    return 0;
}
