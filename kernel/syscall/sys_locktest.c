/* sys_locktest.c: lock_selftest, the kernel's locks tested from inside (kernel/sched/locktest.c). */
#include "kernel/abi/errors.h"
#include "kernel/abi/types.h"
#include "kernel/lib/string.h"
#include "kernel/sched/locktest.h"
#include "kernel/syscall/syscall.h"

// long lock_selftest(long which, char *report, size_t len): runs test |which| (LOCK_SELFTEST_*)
// and copies its report, as much as fits in |len| (terminated when |len| > 0); returns its result.
long sys_lock_selftest(const struct syscall_args *a)
{
    long which = (long)a->arg[0];
    user_ptr buf = user_ptr_of(a->arg[1]);
    size_t len = a->arg[2];
    char report[LOCK_SELFTEST_REPORT_MAX];

    if (which < 1 || which > LOCK_SELFTEST_MAX)
        return E_INVAL;
    if (!user_range_ok(buf.addr, len))
        return E_FAULT;
    long r = locktest_run(which, report, sizeof report);
    size_t n = strlen(report) + 1;
    if (len && copy_to_user(buf, report, n < len ? n : len) < 0)
        return E_FAULT;
    if (len && n > len && copy_to_user(user_ptr_add(buf, len - 1), "", 1) < 0)
        return E_FAULT;
    return r;
}
