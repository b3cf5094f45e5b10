/*
 * kv.h: the protocol of the key-value demo, shared by kvserver.c and
 * kvclient.c (read them in that order, with docs/07-ports.md).
 *
 * The server owns one LPC server port, KV_PORT_NAME.  Every call is one
 * port_request: a struct kv_request out, a struct kv_reply back.  Replies
 * carry only the used part of |text|, so most are a few dozen bytes.
 */
#ifndef EMBER_USER_KV_H
#define EMBER_USER_KV_H

#include <stddef.h>
#include <stdint.h>

#define KV_PORT_NAME    "/obj/kv"
#define KV_KEY_MAX      32          /* bytes, with the NUL */
#define KV_VALUE_MAX    64
#define KV_TEXT_MAX     1024        /* a reply's text: a value, or every key, one per line */

enum kv_op {
    KV_SET = 1,                     /* key = value */
    KV_GET,                         /* text = the value of key */
    KV_LIST,                        /* text = the keys */
};

struct kv_request {
    uint32_t op;                    /* enum kv_op */
    uint32_t reserved;
    char key[KV_KEY_MAX];
    char value[KV_VALUE_MAX];
};

struct kv_reply {
    int64_t status;                 /* 0, or E_NOTFOUND (get), E_LIMIT (set: the store is full),
                                       E_INVAL (a malformed request) */
    char text[KV_TEXT_MAX];
};

/* The server port's message limit: the larger of the two. */
#define KV_MAX_MESSAGE  sizeof(struct kv_reply)

/* How many bytes of |r| a reply sends: the status and the text up to its NUL. */
static inline size_t kv_reply_len(const struct kv_reply *r)
{
    size_t n = 0;

    while (n < KV_TEXT_MAX - 1 && r->text[n])
        n++;
    return offsetof(struct kv_reply, text) + n + 1;
}

#endif
