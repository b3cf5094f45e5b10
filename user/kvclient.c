/*
 * kvclient: the client half of the LPC worked example (docs/07-ports.md;
 * the server is kvserver.c, the protocol kv.h).
 *
 *   kvclient COMMAND...     runs the commands in order, on one connection:
 *     set KEY VALUE         store VALUE under KEY
 *     get KEY               print the value
 *     list                  print every key
 *     sleep MS              wait MS milliseconds (to restart the server meanwhile)
 *
 * Exit status: 0 when every command worked, KV_EXIT_NOT_FOUND when a get
 * found no such key, 1 for anything else.
 *
 * Each command is one port_request.  When it fails with E_PEERCLOSED the
 * server is gone (it crashed, or was killed); the client then reconnects
 * once, waiting a little for a restarted server to register the name again,
 * and sends the same request again.  That is safe here because every
 * request of this protocol is idempotent: a set the old server may already
 * have done is only done again.
 */
#include <ember.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "user/kv.h"

#define KV_EXIT_NOT_FOUND   2
#define RECONNECT_WAIT_NS   (5 * 1000000000L)   /* for a restarted server to register */
#define RETRY_NS            (10 * 1000000L)
#define NS_PER_MS           1000000L

/* Connects to the server, waiting up to RECONNECT_WAIT_NS for its name to appear. */
static handle_t connect_to_server(void)
{
    long deadline = clock_now() + RECONNECT_WAIT_NS;
    handle_t port;

    while ((port = port_connect(KV_PORT_NAME, NULL, 0)) == E_NOTFOUND && clock_now() < deadline)
        thread_sleep(RETRY_NS);
    return port;
}

/* Sends |req| through *|port| and waits for |rep|; reconnects once if the server went away. */
static long call(handle_t *port, const struct kv_request *req, struct kv_reply *rep)
{
    struct port_message out = { .data = (void *)req, .len = sizeof *req };
    struct port_message in = { .data = rep, .data_room = sizeof *rep };
    long r = port_request(*port, &out, &in);

    if (r != E_PEERCLOSED)
        return r;
    printf("kvclient: server gone; reconnecting\n");
    handle_close(*port);
    *port = connect_to_server();
    if (*port < 0)
        return *port;
    in.data_room = sizeof *rep;
    return port_request(*port, &out, &in);
}

#define SLEEP 0                         /* not a kv_op: a pause between requests */

static const struct {
    const char *name;
    int words;                          /* with the command's own */
    uint32_t op;
} commands[] = {
    { "set", 3, KV_SET },
    { "get", 2, KV_GET },
    { "list", 1, KV_LIST },
    { "sleep", 2, SLEEP },
};

/* Sends one request; prints what came back.  0, or the exit status it calls for. */
static int request(handle_t *port, uint32_t op, const char *key, const char *value)
{
    struct kv_request req = { .op = op };
    static struct kv_reply rep;

    snprintf(req.key, sizeof req.key, "%s", key);
    snprintf(req.value, sizeof req.value, "%s", value);
    long r = call(port, &req, &rep);
    if (r == 0)
        r = rep.status;
    if (r < 0) {
        printf("kvclient: %s: %s\n", key, errstr(r));
        return r == E_NOTFOUND ? KV_EXIT_NOT_FOUND : 1;
    }
    if (op == KV_GET)
        printf("%s\n", rep.text);
    else if (op == KV_LIST)
        printf("%s", rep.text);
    return 0;
}

/* Runs the command at |argv| (|argc| words left); how many words it used, or -1. */
static int command(handle_t *port, int argc, char **argv, int *status)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[0], commands[i].name) != 0 || commands[i].words > argc)
            continue;
        if (commands[i].op == SLEEP) {
            thread_sleep(atol(argv[1]) * NS_PER_MS);
            return commands[i].words;
        }
        int words = commands[i].words;
        int r = request(port, commands[i].op, words > 1 ? argv[1] : "", words > 2 ? argv[2] : "");
        if (r && !*status)
            *status = r;
        return words;
    }
    return -1;
}

int main(int argc, char **argv)
{
    int status = 0;
    handle_t port;

    if (argc < 2) {
        printf("usage: kvclient set KEY VALUE | get KEY | list | sleep MS ...\n");
        return 1;
    }
    port = connect_to_server();
    if (port < 0) {
        printf("kvclient: cannot connect to %s: %s\n", KV_PORT_NAME, errstr(port));
        return 1;
    }
    for (int i = 1; i < argc;) {
        int used = command(&port, argc - i, argv + i, &status);
        if (used < 0) {
            printf("kvclient: bad command at '%s'\n", argv[i]);
            return 1;
        }
        i += used;
    }
    handle_close(port);
    return status;
}
