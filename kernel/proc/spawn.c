/*
 * spawn.c: building a process from an executable (spawn.h).
 *
 * Steps: find the file, make an empty process, load the ELF, map a stack
 * and write the start information on it, copy the passed handles, make the
 * first thread and let it run.  Any failure unwinds through one path: the
 * half-built process is simply released, and its destroy hook frees
 * whatever it got.
 *
 * The new stack, from the top down: the argument strings, the argv array
 * (argc pointers and a NULL), the handle array, struct start_info.  The
 * first thread starts at the ELF entry with rsp just below start_info and
 * rdi pointing at it.
 */
#include "kernel/abi/errors.h"
#include "kernel/abi/rights.h"
#include "kernel/lib/string.h"
#include "kernel/mm/vm.h"
#include "kernel/ob/handle.h"
#include "kernel/proc/bootfs.h"
#include "kernel/proc/elf.h"
#include "kernel/proc/job.h"
#include "kernel/proc/process.h"
#include "kernel/proc/spawn.h"
#include "kernel/proc/thread_object.h"
#include "kernel/sched/sched.h"

#define STACK_ALIGN 16

static const char *basename(const char *path)
{
    const char *b = path;

    for (const char *s = path; *s; s++)
        if (*s == '/')
            b = s + 1;
    return b;
}

/* Writes |len| bytes below |*sp| in |vm| and moves |*sp| down; 0 or E_TOOBIG when the stack is full. */
static long push(struct vm *vm, uint64_t *sp, const void *src, size_t len)
{
    if (*sp - len < USER_STACK_TOP - USER_STACK_SIZE)
        return E_TOOBIG;
    *sp -= len;
    return vm_write(vm, *sp, src, len);
}

static long build_stack(struct process *p, int argc, char *const argv[], const handle_t *handles,
                        int nhandles, uint64_t *sp_out)
{
    uint64_t sp = USER_STACK_TOP, uargv[SPAWN_MAX_ARGS + 1];
    long err = vm_map(p->vm, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE, MEM_WRITE);

    for (int i = argc - 1; err == 0 && i >= 0; i--) {
        err = push(p->vm, &sp, argv[i], strlen(argv[i]) + 1);
        uargv[i] = sp;
    }
    uargv[argc] = 0;
    sp &= ~(uint64_t)(STACK_ALIGN - 1);
    if (err == 0)
        err = push(p->vm, &sp, uargv, (argc + 1) * sizeof(uint64_t));
    uint64_t argv_at = sp;
    if (err == 0)
        err = push(p->vm, &sp, handles, nhandles * sizeof(handle_t));
    struct start_info si = { argc, (char **)argv_at, nhandles, (handle_t *)sp };
    sp &= ~(uint64_t)(STACK_ALIGN - 1);
    if (err == 0)
        err = push(p->vm, &sp, &si, sizeof si);
    *sp_out = sp;
    return err;
}

/*
 * Copies the parent's handles into |child|, writing the child's values into
 * |out|.  A 0 passes through as 0: "the console" in the stdio convention
 * (kernel/abi/types.h, STDIN_HANDLE...).
 */
static long pass_handles(struct process *parent, struct process *child, const handle_t *handles,
                         int n, handle_t *out)
{
    for (int i = 0; i < n; i++) {
        struct ob *o;
        if (handles[i] == 0) {
            out[i] = 0;
            continue;
        }
        long err = handle_get(parent, handles[i], NULL, RIGHT_TRANSFER, &o);
        if (err < 0)
            return err;
        out[i] = handle_install(child, o, (rights_t)handle_rights(parent, handles[i]));
        ob_unref(o);
        if (out[i] < 0)
            return out[i];
    }
    return 0;
}

/* The first process's startup handles: 0 for each stdio stream, then |root| (STARTUP_ROOT_HANDLE). */
static long pass_root(struct process *child, struct ob *root, handle_t *out)
{
    for (int i = 0; i < STARTUP_ROOT_HANDLE; i++)
        out[i] = 0;
    out[STARTUP_ROOT_HANDLE] = handle_install(child, root, root->type->default_rights);
    return out[STARTUP_ROOT_HANDLE] < 0 ? out[STARTUP_ROOT_HANDLE] : 0;
}

/* process_spawn and process_spawn_first: handles from |parent|, or |root| for the first process. */
static long spawn(struct process *parent, struct ob *root, const char *path, int argc,
                  char *const argv[], const handle_t *handles, int nhandles, struct process **out)
{
    const struct bootfs_file *f = bootfs_lookup(path);
    handle_t child_handles[SPAWN_MAX_HANDLES];
    uint64_t entry, sp;
    long err;

    if (!f)
        return E_NOTFOUND;
    if (elf_check(f->data, f->size) < 0)
        return E_NOEXEC;
    job_refused();                          /* forget an earlier refusal */
    struct process *p = process_create(basename(path));
    if (!p)
        return job_refused() ? E_QUOTA : process_ids_left() ? E_NOMEM : E_LIMIT;
    err = job_add_process(!parent ? job_root() : parent->spawn_job ? parent->spawn_job : parent->job, p);
    if (err < 0) {
        ob_unref(&p->ob);
        return err;
    }
    p->parent_pid = parent ? parent->pid : 0;
    if (parent)
        parent->spawned = true;
    p->traced = parent && (parent->traced & TRACE_CHILDREN) ? TRACE_FLAGS_ALL : 0;
    /* The first process supervises the system; others stay below it unless their creator says. */
    p->priority_ceiling = !parent ? PRIORITY_MAX :
                          parent->priority_ceiling < PRIORITY_CEILING_DEFAULT ?
                          parent->priority_ceiling : PRIORITY_CEILING_DEFAULT;
    err = elf_load(p->vm, f->data, f->size, &entry);
    if (err == 0 && root)
        err = pass_root(p, root, child_handles);
    else if (err == 0)
        err = pass_handles(parent, p, handles, nhandles, child_handles);
    if (err == 0)
        err = build_stack(p, argc, argv, child_handles, nhandles, &sp);
    if (err == 0)
        err = process_charge_pages(p);
    struct thread *t = err == 0 ? thread_create_user(p, entry, sp, sp) : NULL;
    if (!t) {
        ob_unref(&p->ob);
        return err < 0 ? err : job_refused() ? E_QUOTA : E_NOMEM;
    }
    sched_start(t);
    *out = p;
    return 0;
}

long process_spawn(struct process *parent, const char *path, int argc, char *const argv[],
                   const handle_t *handles, int nhandles, struct process **out)
{
    return spawn(parent, NULL, path, argc, argv, handles, nhandles, out);
}

long process_spawn_first(const char *path, int argc, char *const argv[], struct ob *root,
                         struct process **out)
{
    return spawn(NULL, root, path, argc, argv, NULL, STARTUP_ROOT_HANDLE + 1, out);
}
