/*
 * svcmgr: the supervisor, MINIX 3's reincarnation server cut to one file
 * (docs/09-drivers.md, "The restart path").  init starts it with the root
 * resource; it is the only holder of that handle that starts drivers.
 *
 *   svcmgr [-q QUICK_LIMIT] [-c BACKOFF_CAP_MS] [LIST]      (LIST: /etc/services)
 *
 * For each service of the list it makes fresh driver objects (the I/O-port
 * range and the interrupt the list names, nothing more), starts the
 * program with just those handles, and watches every driver's process in
 * one wait, together with its own control port (SVCMGR_PORT_NAME, which
 * the svc tool talks to).  It logs through the kernel's log path (say),
 * never through the console driver, which it may be restarting.  When a driver ends (exit, fault, kill) it logs
 * why and starts it again after a backoff: 10 ms, doubling to the cap,
 * back to 10 ms once a start has run STABLE_NS.  A driver that dies within
 * QUICK_NS of its start QUICK_LIMIT times in a row is marked failed and
 * left down until `svc start`.
 *
 * Hangs: a pinger thread per service sends SVC_PING on the driver's port
 * every PING_EVERY_NS; the main loop kills a driver that has not answered
 * for HANG_NS (its start counts as an answer) and restarts it.  The pinger
 * is a thread of its own so that a hung driver blocks only it.  svc crash
 * and svc hang ask the pinger to send SVC_CRASH or SVC_HANG instead of its
 * next ping.
 */
#include <ember.h>
#include <stdarg.h>
#include <service.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_DEFAULT        "/etc/services"
#define LIST_MAX_BYTES      4096
#define MAX_SERVICES        8
#define MAX_ARGS            8
#define NS_PER_MS           1000000L
#define BACKOFF_START_NS    (10 * NS_PER_MS)
#define BACKOFF_CAP_NS      (2000 * NS_PER_MS)
#define STABLE_NS           (5000 * NS_PER_MS)
#define QUICK_NS            (1000 * NS_PER_MS)
#define QUICK_LIMIT         5
#define PING_EVERY_NS       (250 * NS_PER_MS)
#define HANG_NS             (2000 * NS_PER_MS)
#define CHECK_EVERY_NS      (100 * NS_PER_MS)
#define HANG_KILL_CODE      124         /* what a hung driver is killed with (as timeout(1)) */
#define REASON_MAX          96

enum state { RUNNING, WAITING, STOPPED, FAILED };
static const char *const state_names[] = { "running", "waiting", "stopped", "failed" };

struct service {
    char *name, *port;              /* port NULL: none to ping */
    char *argv[MAX_ARGS + 1];       /* argv[0] is the program */
    long io_base, io_count, irq;    /* io_count 0, irq -1: none */
    enum state state;
    handle_t proc;                  /* while RUNNING */
    long pid, restarts, quick;
    long backoff, start_at, started;
    bool stopping, restarting, hung;
    char reason[REASON_MAX];        /* why it last ended */
    volatile long answered;         /* last ping answer (the pinger thread writes it) */
    volatile int inject;            /* SVC_CRASH or SVC_HANG for the pinger to send, or 0 */
};

static struct service services[MAX_SERVICES];

/*
 * Logs one line through the kernel's log path, never through the console
 * driver: the supervisor must not wait on a driver it may have to restart
 * (and its lines are in dmesg).
 */
static __attribute__((format(printf, 1, 2))) void say(const char *fmt, ...)
{
    char line[2 * REASON_MAX + 64];
    va_list ap;

    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    console_write(line, n < (int)sizeof line ? (size_t)n : sizeof line - 1);
}
static int nservices;
static long quick_limit = QUICK_LIMIT, backoff_cap = BACKOFF_CAP_NS;

/* ---- the list ------------------------------------------------------------------- */

static long parse_number(const char *s)
{
    return strcmp(s, "-") == 0 ? -1 : strtol(s, NULL, 0);
}

/* One line "NAME PORT IOPORTS IRQ PROGRAM ARGS..." into |s|; whether it is one. */
static bool parse_line(char *line, struct service *s)
{
    char *save, *w[4 + MAX_ARGS];
    int n = 0;

    for (char *t = strtok_r(line, " \t", &save); t && n < 4 + MAX_ARGS; t = strtok_r(NULL, " \t", &save))
        w[n++] = t;
    if (n < 5 || w[0][0] == '#')
        return false;
    memset(s, 0, sizeof *s);
    s->name = w[0];
    s->port = strcmp(w[1], "-") == 0 ? NULL : w[1];
    char *colon = strchr(w[2], ':');
    s->io_base = parse_number(w[2]);
    s->io_count = colon ? strtol(colon + 1, NULL, 0) : 0;
    s->irq = parse_number(w[3]);
    for (int i = 4; i < n; i++)
        s->argv[i - 4] = w[i];
    s->backoff = BACKOFF_START_NS;
    s->state = WAITING;             /* due at once */
    return true;
}

static void read_list(const char *path)
{
    static char text[LIST_MAX_BYTES];
    handle_t f = file_open(path);
    long n = f < 0 ? f : file_read(f, text, sizeof text - 1, 0);
    char *save;

    if (f > 0)
        handle_close(f);
    if (n < 0) {
        say("svcmgr: cannot read %s: %s\n", path, errstr(n));
        return;
    }
    text[n] = '\0';
    for (char *l = strtok_r(text, "\n", &save); l && nservices < MAX_SERVICES; l = strtok_r(NULL, "\n", &save))
        if (parse_line(l, &services[nservices]))
            nservices++;
}

/* ---- starting and ending -------------------------------------------------------- */

/* Makes |s|'s driver objects into |hs| and starts it; on failure marks it failed. */
static void start(struct service *s)
{
    handle_t hs[DRIVER_HANDLES] = { 0 };
    handle_t root = startup_resource();
    struct process_status st;
    long err = 0;

    if (s->io_count > 0)
        err = hs[DRIVER_IOPORT_HANDLE] = ioport_create(root, s->io_base, s->io_count);
    if (err >= 0 && s->irq >= 0)
        err = hs[DRIVER_IRQ_HANDLE] = interrupt_create(root, s->irq);
    if (err >= 0)
        err = s->proc = process_spawn(s->argv[0], (const char *const *)s->argv, hs, DRIVER_HANDLES);
    for (int i = DRIVER_IOPORT_HANDLE; i < DRIVER_HANDLES; i++)
        if (hs[i] > 0)
            handle_close(hs[i]);    /* the driver has its own now */
    if (err < 0) {
        s->state = FAILED;
        snprintf(s->reason, REASON_MAX, "cannot start: %s", errstr(err));
        say("svcmgr: %s %s\n", s->name, s->reason);
        return;
    }
    process_status(s->proc, &st);
    s->pid = (long)st.pid;
    s->state = RUNNING;
    s->started = s->answered = clock_now();
    s->stopping = s->restarting = s->hung = false;
}

/* |s|'s process ended: say why, then restart it after the backoff, or leave it down. */
static void ended(struct service *s)
{
    struct process_status st;
    long ran = clock_now() - s->started;

    process_status(s->proc, &st);
    handle_close(s->proc);
    s->proc = 0;
    if (s->hung)
        snprintf(s->reason, REASON_MAX, "hung (no answer to a ping for %ld ms)", HANG_NS / NS_PER_MS);
    else if (s->stopping || s->restarting)
        snprintf(s->reason, REASON_MAX, "%s by svc", s->stopping ? "stopped" : "restarted");
    else
        describe_status(&st, s->reason, REASON_MAX);
    if (s->stopping) {
        s->state = STOPPED;
        say("svcmgr: %s (pid %ld) stopped\n", s->name, s->pid);
        return;
    }
    if (ran >= STABLE_NS)
        s->backoff = BACKOFF_START_NS, s->quick = 0;
    if (ran < QUICK_NS && !s->restarting && ++s->quick >= quick_limit) {
        s->state = FAILED;
        say("svcmgr: %s (pid %ld) %s; failed: %ld quick crashes, left down\n", s->name, s->pid,
               s->reason, s->quick);
        return;
    }
    long wait = s->restarting ? 0 : s->backoff;
    s->restarts++;
    s->state = WAITING;
    s->start_at = clock_now() + wait;
    say("svcmgr: %s (pid %ld) %s; restart %ld in %ld ms\n", s->name, s->pid, s->reason,
           s->restarts, wait / NS_PER_MS);
    if (!s->restarting)
        s->backoff = s->backoff * 2 > backoff_cap ? backoff_cap : s->backoff * 2;
}

/* Ends |s|'s driver (the wait then sees it end and ended() decides what next). */
static void kill_driver(struct service *s, long code)
{
    if (s->state == RUNNING)
        process_kill(s->proc, code);
}

/* Kills drivers that stopped answering pings, and starts the ones whose backoff is over. */
static void check_services(void)
{
    long now = clock_now();

    for (struct service *s = services; s < services + nservices; s++) {
        if (s->state == RUNNING && s->port && !s->hung && now - s->answered > HANG_NS) {
            s->hung = true;
            kill_driver(s, HANG_KILL_CODE);
        }
        if (s->state == WAITING && now >= s->start_at)
            start(s);
    }
}

/* ---- the pinger: one thread per service ----------------------------------------- */

static void pinger(void *arg)
{
    struct service *s = arg;
    struct svc_conn conn = { s->port, 0 };

    for (;;) {
        thread_sleep(PING_EVERY_NS);
        if (s->state != RUNNING)
            continue;
        int op = s->inject ? s->inject : SVC_PING;
        s->inject = 0;
        if (svc_call_once(&conn, (uint32_t)op, NULL, 0, 0, NULL, 0) == 0 && op == SVC_PING)
            s->answered = clock_now();
    }
}

/* ---- the control port: what svc asks ------------------------------------------- */

static struct service *find(const char *name)
{
    for (int i = 0; i < nservices; i++)
        if (strcmp(services[i].name, name) == 0)
            return &services[i];
    return NULL;
}

/* SVCMGR_LIST: one line per service. */
static void list(struct svc_reply *rep)
{
    long now = clock_now();
    int used = 0;

    for (struct service *s = services; s < services + nservices; s++) {
        long up = s->state == RUNNING ? (now - s->started) / NS_PER_MS : 0;
        used += snprintf(rep->data + used, SVC_DATA_MAX - used, "%-8s %4ld %-8s %3ld %7ld.%03ld %s\n",
                         s->name, s->state == RUNNING ? s->pid : 0, state_names[s->state], s->restarts,
                         up / 1000, up % 1000, s->reason[0] ? s->reason : "-");
        if (used >= SVC_DATA_MAX)
            used = SVC_DATA_MAX - 1;
    }
    rep->len = (uint32_t)used;
}

/* A command from svc on the service named in the request. */
static void control(const struct svc_request *req, handle_t handle, const struct port_message *m,
                    struct svc_reply *rep)
{
    char name[SVC_DATA_MAX];
    struct service *s;

    (void)m;
    if (handle)
        handle_close(handle);
    if (req->op == SVCMGR_LIST) {
        list(rep);
        return;
    }
    snprintf(name, sizeof name, "%.*s", (int)req->len, req->data);
    if (!(s = find(name))) {
        rep->status = E_NOTFOUND;
    } else if (req->op == SVCMGR_START) {
        if (s->state == STOPPED || s->state == FAILED) {
            s->quick = 0, s->backoff = BACKOFF_START_NS;
            start(s);
        }
    } else if (req->op == SVCMGR_STOP) {
        s->stopping = true;
        if (s->state == RUNNING)
            kill_driver(s, 0);
        else
            s->state = STOPPED;
    } else if (req->op == SVCMGR_RESTART) {
        s->restarting = true;
        kill_driver(s, 0);
    } else if (req->op == SVCMGR_CRASH || req->op == SVCMGR_HANG) {
        rep->status = s->state == RUNNING && s->port ? 0 : E_INVAL;
        if (rep->status == 0)
            s->inject = req->op == SVCMGR_CRASH ? SVC_CRASH : SVC_HANG;
    } else {
        rep->status = E_INVAL;
    }
}

/* ---- the loop ------------------------------------------------------------------ */

static void options(int argc, char **argv, const char **list_path)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-q") == 0 && i + 1 < argc)
            quick_limit = atol(argv[++i]);
        else if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
            backoff_cap = atol(argv[++i]) * NS_PER_MS;
        else
            *list_path = argv[i];
    }
}

int main(int argc, char **argv)
{
    const char *list_path = LIST_DEFAULT;
    handle_t waits[1 + MAX_SERVICES];
    struct service *who[1 + MAX_SERVICES];
    handle_t ctl = port_create(SVCMGR_PORT_NAME, SVC_MAX_MESSAGE, 1);

    options(argc, argv, &list_path);
    read_list(list_path);
    if (ctl < 0)
        say("svcmgr: cannot register %s: %s\n", SVCMGR_PORT_NAME, errstr(ctl));
    for (int i = 0; i < nservices; i++)
        if (services[i].port)
            thread_start(pinger, &services[i], 0);
    for (;;) {
        int n = 0;
        long index = -1;
        check_services();
        if (ctl > 0)
            waits[n] = ctl, who[n++] = NULL;
        for (int i = 0; i < nservices; i++)
            if (services[i].state == RUNNING)
                waits[n] = services[i].proc, who[n++] = &services[i];
        if (n == 0)
            thread_sleep(CHECK_EVERY_NS);
        if (n == 0 || object_wait_many(waits, n, 0, CHECK_EVERY_NS, &index) < 0 || index < 0)
            continue;
        if (who[index])
            ended(who[index]);
        else
            svc_serve_one(ctl, control);
    }
}
