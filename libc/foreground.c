/*
 * foreground.c: the console's foreground rule, applied by the console
 * driver (user/consoled.c; docs/09-drivers.md, "Only the foreground reads").
 *
 * A shell tells the console what runs in the foreground: a job (all the
 * programs of one command line) or a process, or nothing while the shell
 * itself waits at its prompt.  The console then
 *   - ends the foreground target on Ctrl-C (job_kill or process_kill);
 *   - answers reads only from the foreground: a process in the target, or,
 *     with no target, the shell that set it (the controller).  Other reads
 *     are held, not refused: a background job that reads waits until it is
 *     brought to the foreground (sh's fg), and never takes the shell's line.
 * Until some process has set the foreground, or once the one that did has
 * ended, anybody may read: a boot with no shell, or the moment between a
 * shell's death and its successor's first word.
 *
 * The console learns who sent a read from the kernel (port_message.pid),
 * and that process's job from process_list: one call per read request,
 * since a process's job is fixed at spawn.
 */
#include <foreground.h>
#include <string.h>

#define LIST_MAX    128                 /* processes looked through for a reader's job */

long foreground_set(struct foreground *fg, handle_t target, uint64_t sender)
{
    struct object_basic_info info;
    long r = 0;

    if (fg->target > 0)
        handle_close(fg->target);
    fg->target = 0;
    if (target > 0 && object_query(target, OBJECT_INFO_BASIC, &info, sizeof info, NULL) >= 0 &&
        (info.type == OB_TYPE_PROCESS || info.type == OB_TYPE_JOB)) {
        struct process_query_info p;
        fg->target = target;
        fg->type = info.type;
        fg->id = info.object_id;        /* a job's id: what process_list reports */
        if (info.type == OB_TYPE_PROCESS)
            fg->id = object_query(target, OBJECT_INFO_PROCESS, &p, sizeof p, NULL) >= 0 ? p.pid : 0;
    } else if (target > 0) {
        handle_close(target);
        r = E_WRONGTYPE;
    }
    if (fg->controller > 0)
        handle_close(fg->controller);
    fg->controller = process_open(sender);
    fg->controller_pid = sender;
    if (fg->controller < 0)
        fg->controller = 0;
    return r;
}

void foreground_interrupt(const struct foreground *fg, int64_t code)
{
    if (fg->target > 0 && fg->type == OB_TYPE_JOB)
        job_kill(fg->target, code);
    else if (fg->target > 0)
        process_kill(fg->target, code);
}

bool foreground_may_read(struct foreground *fg, const struct reader_id *r)
{
    if (fg->controller > 0 && object_wait(fg->controller, 0) == 0) {
        handle_close(fg->controller);   /* the shell is gone: the console is nobody's */
        fg->controller = 0;
    }
    if (fg->controller == 0)
        return true;
    if (fg->target > 0)
        return fg->type == OB_TYPE_JOB ? r->job_id == fg->id : r->pid == fg->id;
    return r->pid == fg->controller_pid;
}

struct reader_id foreground_reader(uint64_t pid)
{
    static struct process_info procs[LIST_MAX];
    long n = process_list(procs, sizeof procs);
    struct reader_id r = { pid, 0 };

    for (long i = 0; i < n && i < LIST_MAX; i++)
        if (procs[i].pid == pid && procs[i].state == PROCESS_RUNNING)
            r.job_id = procs[i].job_id;
    return r;
}
