/*
 * gdbscene: one process holding one of each kind of object, in a known
 * state, for the GDB commands to show (tests/gdb/objects.gdb checks each one;
 * docs/08 uses it to introduce them).  Boot it as the first process and
 * break in sys_port_request:
 *
 *   handles      a manual-reset event "/obj/scene-event", set; an auto-reset
 *                event "/obj/scene-never", never set; a mutex its main thread
 *                owns twice; a semaphore "/obj/scene-sem" at 2 of 5; a pipe
 *                holding "hello"; the LPC server port "/svc/scene" and the
 *                client end of a connection to it; the server thread
 *   threads      main, which ends up in port_request on its connection; the
 *                server thread, which accepted it and then waits on
 *                "/obj/scene-never" for ever
 *   port queues  the server end holds one datagram, "ping", sent before the
 *                request, which the server never receives
 *
 * Run from the shell it ends by itself: the request fails once the server
 * thread is gone (here: never, so use Ctrl-C or kill).
 */
#include <ember.h>
#include <stdio.h>
#include <string.h>

#define SCENE_PORT      "/svc/scene"
#define SCENE_MAX_MSG   64
#define SCENE_MAX_THREADS 256           /* thread_list records read at once */
#define SCENE_MAX_TRIES 1000            /* yields before giving up on stillness */

/* Globals, so that GDB can name each handle: ember object mutex */
handle_t event, never, mutex, semaphore, ends[2], server, client;     /* not static: kept for GDB */

/* Accepts the one connection, then blocks on an event nobody sets. */
static void serve(void *arg)
{
    char buf[SCENE_MAX_MSG];
    struct port_message m = { .data = buf, .data_room = sizeof buf };

    (void)arg;
    if (port_receive(server, &m, 0, TIMEOUT_INFINITE) == 0 && m.kind == PORT_MSG_CONNECT)
        port_accept(server, m.id, 1);
    object_wait(never, TIMEOUT_INFINITE);
}

/*
 * Yields until every other thread of ours is blocked, so the scene is still
 * when GDB looks at it: the serving thread must be waiting on "never" before
 * main calls port_request (a slice ending between port_accept and that wait
 * would leave it "ready" at the breakpoint).
 */
static void wait_until_others_block(void)
{
    static struct thread_info ts[SCENE_MAX_THREADS];
    uint64_t self = (uint64_t)process_self_id();

    for (int tries = 0; tries < SCENE_MAX_TRIES; tries++) {
        long n = thread_list(ts, sizeof ts), moving = 0;
        for (long i = 0; i < n && i < SCENE_MAX_THREADS; i++)
            moving += ts[i].pid == self &&
                      (ts[i].state == THREAD_STATE_READY || ts[i].state == THREAD_STATE_NEW);
        if (moving == 0)
            return;
        thread_yield();
    }
}

int main(void)
{
    char reply_buf[SCENE_MAX_MSG];
    struct port_message ping = { .data = "ping", .len = 4 };
    struct port_message request = { .data = "request", .len = 7 };
    struct port_message reply = { .data = reply_buf, .data_room = sizeof reply_buf };

    event = event_create(EVENT_MANUAL_RESET | EVENT_SIGNALED, "/obj/scene-event");
    never = event_create(0, "/obj/scene-never");
    mutex = mutex_create(MUTEX_OWNED, NULL);
    object_wait(mutex, TIMEOUT_INFINITE);           /* recursive: depth 2 */
    semaphore = semaphore_create(2, 5, 0, "/obj/scene-sem");
    if (pipe_create(ends) == 0)
        pipe_write(ends[1], "hello", 5);
    server = port_create(SCENE_PORT, SCENE_MAX_MSG, 0);
    thread_start(serve, NULL, 0);
    client = port_connect(SCENE_PORT, NULL, 0);
    if (server < 0 || client < 0) {
        printf("gdbscene: cannot set up the port: %s\n", errstr(server < 0 ? server : client));
        return 1;
    }
    port_send(client, &ping);
    wait_until_others_block();
    long r = port_request(client, &request, &reply);    /* tests/gdb/objects.gdb stops in here */
    printf("gdbscene: request ended: %s\n", r < 0 ? errstr(r) : "answered");
    return 0;
}
