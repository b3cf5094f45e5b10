/* sys_file.c: the boot filesystem: open, read, list. */
#include "kernel/lib/string.h"
#include "kernel/proc/file.h"
#include "kernel/proc/process.h"
#include "kernel/syscall/syscall.h"

// long file_open(const char *path): a handle to a file of the boot filesystem.
long sys_file_open(const struct syscall_args *a)
{
    char path[BOOTFS_PATH_MAX];
    long err = strncpy_from_user(path, user_ptr_of(a->arg[0]), sizeof path);

    if (err < 0)
        return err;
    struct file *f = file_create(path, &err);
    if (!f)
        return err;
    handle_t h = handle_install(current_process(), &f->ob, file_type.default_rights);
    ob_unref(&f->ob);
    return h;
}

// long file_read(handle_t file, void *buf, size_t len, long offset): bytes read, 0 at the end.
long sys_file_read(const struct syscall_args *a)
{
    struct ob *o;
    uint64_t len = a->arg[2], offset = a->arg[3];
    long err = handle_get(current_process(), a->arg[0], &file_type, RIGHT_READ, &o);

    if (err < 0)
        return err;
    const struct bootfs_file *f = ((struct file *)o)->f;
    ob_unref(o);                    /* boot files never go away */
    if (!user_range_ok(a->arg[1], len))
        return E_FAULT;             /* the whole buffer, even past what the file fills */
    if ((long)offset < 0)
        return E_INVAL;
    if (offset >= f->size)
        return 0;
    if (len > f->size - offset)
        len = f->size - offset;
    err = copy_to_user(user_ptr_of(a->arg[1]), f->data + offset, len);
    return err < 0 ? err : (long)len;
}

// long file_list(long index, char *name, size_t len): the index-th file's path and its size.
long sys_file_list(const struct syscall_args *a)
{
    const struct bootfs_file *f = bootfs_entry(a->arg[0]);

    if (!user_range_ok(a->arg[1], a->arg[2]))
        return E_FAULT;
    if (!f)
        return E_NOTFOUND;
    size_t n = strlen(f->path) + 1;
    if (n > a->arg[2])
        return E_TOOBIG;
    long err = copy_to_user(user_ptr_of(a->arg[1]), f->path, n);
    return err < 0 ? err : (long)f->size;
}
