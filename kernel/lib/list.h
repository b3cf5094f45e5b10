/*
 * Intrusive doubly linked lists, circular with a head node: an empty list's
 * head points at itself.  Embed a struct list_node in the element and get
 * back with LIST_ENTRY (container_of).
 */
#ifndef EMBER_LIST_H
#define EMBER_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_node {
    struct list_node *next, *prev;
};

#define LIST_INIT(name) { &(name), &(name) }
#define LIST_ENTRY(node, type, member) ((type *)((char *)(node) - offsetof(type, member)))
#define LIST_FOR_EACH(pos, head) for (pos = (head)->next; pos != (head); pos = pos->next)

static inline void list_init(struct list_node *head)
{
    head->next = head->prev = head;
}

static inline bool list_empty(const struct list_node *head)
{
    return head->next == head;
}

static inline void list_insert_before(struct list_node *pos, struct list_node *n)
{
    n->next = pos;
    n->prev = pos->prev;
    pos->prev->next = n;
    pos->prev = n;
}

static inline void list_push_back(struct list_node *head, struct list_node *n)
{
    list_insert_before(head, n);
}

/* Unlinks |n| and leaves it pointing at itself, so removing twice is harmless. */
static inline void list_remove(struct list_node *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    n->next = n->prev = n;
}

static inline struct list_node *list_pop_front(struct list_node *head)
{
    struct list_node *n = head->next;

    if (n == head)
        return NULL;
    list_remove(n);
    return n;
}

#endif
