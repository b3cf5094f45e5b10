/*
 * kvserver: a key-value store served over LPC, the server half of the
 * worked example in docs/07-ports.md (the client is kvclient.c, the
 * protocol kv.h).
 *
 *   kvserver        registers KV_PORT_NAME and serves until killed
 *
 * The whole server is one loop around port_receive on its server port.  All
 * of its clients' messages arrive there, each marked with the context this
 * server gave the connection when it accepted it: here, the connection's
 * slot in |clients|.  A request is answered by the next port_receive, with
 * PORT_RECEIVE_REPLY: the reply goes out and the next message comes in, in
 * one system call.
 */
#include <ember.h>
#include <stdio.h>
#include <string.h>
#include "user/kv.h"

#define MAX_KEYS        64
#define MAX_CLIENTS     64

struct entry {
    char key[KV_KEY_MAX];
    char value[KV_VALUE_MAX];
};

static struct entry store[MAX_KEYS];
static int nkeys;
static handle_t clients[MAX_CLIENTS];  /* server ends, by context; 0: a free slot */

/* A request and its reply share the buffer: the reply is written once the request is read. */
union kv_buffer {
    struct kv_request request;
    struct kv_reply reply;
};

static struct entry *find(const char *key)
{
    for (int i = 0; i < nkeys; i++)
        if (strcmp(store[i].key, key) == 0)
            return &store[i];
    return NULL;
}

static int64_t set(const char *key, const char *value)
{
    struct entry *e = find(key);

    if (!e && nkeys == MAX_KEYS)
        return E_LIMIT;
    if (!e) {
        e = &store[nkeys++];
        snprintf(e->key, sizeof e->key, "%s", key);
    }
    snprintf(e->value, sizeof e->value, "%s", value);
    return 0;
}

static void list(char *text)
{
    size_t used = 0;

    text[0] = '\0';
    for (int i = 0; i < nkeys && used < KV_TEXT_MAX; i++)
        used += snprintf(text + used, KV_TEXT_MAX - used, "%s\n", store[i].key);
}

/* Answers |req| (|len| bytes of it arrived) into |rep|. */
static void answer(struct kv_request req, uint32_t len, struct kv_reply *rep)
{
    struct entry *e;

    rep->status = 0;
    rep->text[0] = '\0';
    req.key[KV_KEY_MAX - 1] = req.value[KV_VALUE_MAX - 1] = '\0';  /* never trust the client */
    if (len != sizeof req)
        rep->status = E_INVAL;
    else if (req.op == KV_SET)
        rep->status = set(req.key, req.value);
    else if (req.op == KV_GET && (e = find(req.key)))
        snprintf(rep->text, KV_TEXT_MAX, "%s", e->value);
    else if (req.op == KV_GET)
        rep->status = E_NOTFOUND;
    else if (req.op == KV_LIST)
        list(rep->text);
    else
        rep->status = E_INVAL;
}

/* A client asks to connect: accept it into a free slot, which becomes the connection's context. */
static void connect_client(handle_t port, uint64_t id)
{
    for (int slot = 0; slot < MAX_CLIENTS; slot++) {
        if (clients[slot] == 0) {
            handle_t end = port_accept(port, id, slot);
            if (end > 0)
                clients[slot] = end;
            else
                port_refuse(port, id);  /* out of handles, say: do not leave it waiting */
            return;
        }
    }
    port_refuse(port, id);              /* full: the client gets E_ACCESS */
}

/* A client is gone (it closed its port, or died): close our end of its connection. */
static void client_left(uint64_t slot)
{
    if (slot < MAX_CLIENTS && clients[slot]) {
        handle_close(clients[slot]);
        clients[slot] = 0;
    }
}

int main(void)
{
    static union kv_buffer buf;
    struct port_message m = { .data = &buf };
    unsigned long flags = 0;            /* PORT_RECEIVE_REPLY once there is a reply in |m| */
    handle_t port = port_create(KV_PORT_NAME, KV_MAX_MESSAGE, 0);

    if (port < 0) {
        printf("kvserver: cannot register %s: %s\n", KV_PORT_NAME, errstr(port));
        return 1;
    }
    for (;;) {
        m.data_room = sizeof buf;
        long r = port_receive(port, &m, flags, TIMEOUT_INFINITE);
        flags = 0;
        if (r == E_PEERCLOSED)
            continue;                   /* the reply's caller had gone; nothing was received */
        if (r < 0) {
            printf("kvserver: receive: %s\n", errstr(r));
            continue;
        }
        if (m.kind == PORT_MSG_CONNECT) {
            connect_client(port, m.id);
        } else if (m.kind == PORT_MSG_REQUEST) {
            answer(buf.request, m.len, &buf.reply);
            m.len = (uint32_t)kv_reply_len(&buf.reply);
            flags = PORT_RECEIVE_REPLY; /* to m.id, with the next receive */
        } else if (m.kind == PORT_MSG_CLOSED) {
            client_left(m.context);
        }
    }
}
