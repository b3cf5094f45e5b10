/*
 * query.c: the basic information every object has (query.h), for
 * object_query (syscall/sys_query.c) and for listing a process's handles.
 */
#include "kernel/lib/string.h"
#include "kernel/ob/namespace.h"
#include "kernel/ob/object.h"
#include "kernel/ob/query.h"

void ob_copy_name(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strnlen(src, cap - 1) : 0;

    memcpy(dst, src, n);
    dst[n] = '\0';
}

void ob_basic_info(const struct ob *o, rights_t rights, struct object_basic_info *info)
{
    memset(info, 0, sizeof *info);
    info->object_id = o->id;
    info->handles = o->handles;
    info->refs = o->refs;
    info->creator_pid = o->creator_pid;
    info->type = o->type->code;
    info->rights = rights;
    ob_copy_name(info->type_name, sizeof info->type_name, o->type->name);
    ob_name_path(o, info->name, sizeof info->name);     /* the whole path, when it fits */
}
