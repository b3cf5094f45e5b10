/*
 * shmdemo: two processes share memory (a section) and move numbers through
 * a ring in it, a worked example of docs/06-sections.md.
 *
 *   shmdemo [COUNT]       produce COUNT numbers (default DEFAULT_COUNT)
 *   shmdemo --consumer N  (internal) the consumer, started by the producer
 *
 * The producer creates three objects: a section holding struct shared (a
 * ring of RING_SLOTS numbers and a place for the consumer's answer), and
 * two semaphores that keep the two sides in step:
 *   free_slots  how many slots the producer may fill (starts at RING_SLOTS)
 *   full_slots  how many slots the consumer may empty (starts at 0)
 * It starts a second copy of itself as the consumer and hands it the three
 * handles after the three standard streams (0, 0, 0: the console).  Then
 *   producer: wait free_slots, write slot i % RING_SLOTS, release full_slots
 *   consumer: wait full_slots, read  slot i % RING_SLOTS, release free_slots
 * A semaphore wait takes one from its count, so neither side ever touches
 * a slot the other is using, and neither spins: a side with nothing to do
 * sleeps in object_wait.  Each side sums what it moved; the producer checks
 * that the sums agree.
 */
#include <ember.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RING_SLOTS      16
#define DEFAULT_COUNT   10000
#define CONSUMER_MODE   "--consumer"
#define SELF_PATH       "/bin/shmdemo"
#define USAGE_EXIT      2

/* What the section holds: the same bytes in both processes, at different addresses. */
struct shared {
    uint64_t ring[RING_SLOTS];
    uint64_t consumer_sum;      /* written by the consumer before it exits */
    uint64_t out_of_order;      /* numbers that did not arrive in order */
};

/* The handles the producer passes, by position after stdin, stdout, stderr. */
enum { PASS_SECTION = STDIO_HANDLES, PASS_FREE, PASS_FULL, PASS_COUNT };

static struct shared *map_shared(handle_t section)
{
    long addr = section_map(section, 0, NULL, MEM_WRITE);

    if (addr < 0) {
        fprintf(stderr, "shmdemo: section_map: %s\n", errstr(addr));
        exit(1);
    }
    return (struct shared *)addr;
}

/* ---- the consumer ------------------------------------------------------------------ */

static int consume(long count)
{
    const handle_t *h = start_info()->handles;
    volatile struct shared *sh = map_shared(h[PASS_SECTION]);
    uint64_t sum = 0, out_of_order = 0;

    for (long i = 0; i < count; i++) {
        object_wait(h[PASS_FULL], TIMEOUT_INFINITE);     /* a slot has a number for us */
        uint64_t n = sh->ring[i % RING_SLOTS];
        semaphore_release(h[PASS_FREE], 1);              /* the slot may be reused */
        out_of_order += n != (uint64_t)i;
        sum += n;
    }
    sh->consumer_sum = sum;
    sh->out_of_order = out_of_order;
    printf("consumer: received %ld numbers, sum %lu\n", count, sum);
    return 0;
}

/* ---- the producer ------------------------------------------------------------------ */

static handle_t start_consumer(long count, const handle_t objects[3])
{
    char arg[24];
    snprintf(arg, sizeof arg, "%ld", count);
    const char *argv[] = { SELF_PATH, CONSUMER_MODE, arg, NULL };
    handle_t pass[PASS_COUNT] = { 0, 0, 0, objects[0], objects[1], objects[2] };

    return process_spawn(SELF_PATH, argv, pass, PASS_COUNT);
}

static uint64_t produce(volatile struct shared *sh, long count, handle_t free_slots,
                        handle_t full_slots)
{
    uint64_t sum = 0;

    for (long i = 0; i < count; i++) {
        object_wait(free_slots, TIMEOUT_INFINITE);      /* a slot is ours to fill */
        sh->ring[i % RING_SLOTS] = (uint64_t)i;
        semaphore_release(full_slots, 1);               /* and now the consumer's */
        sum += (uint64_t)i;
    }
    return sum;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], CONSUMER_MODE) == 0) {
        if (start_info()->nhandles < PASS_COUNT) {      /* started by hand, not by a producer */
            fprintf(stderr, "shmdemo: %s is started by the producer\n", CONSUMER_MODE);
            return USAGE_EXIT;
        }
        return consume(atol(argv[2]));
    }
    long count = argc > 1 ? atol(argv[1]) : DEFAULT_COUNT;
    handle_t objects[3] = {
        section_create(sizeof(struct shared), 0, NULL),
        semaphore_create(RING_SLOTS, RING_SLOTS, 0, NULL),      /* free_slots */
        semaphore_create(0, RING_SLOTS, 0, NULL),               /* full_slots */
    };
    if (count <= 0 || objects[0] < 0 || objects[1] < 0 || objects[2] < 0) {
        fprintf(stderr, "usage: shmdemo [COUNT > 0] (or out of memory)\n");
        return 1;
    }
    volatile struct shared *sh = map_shared(objects[0]);
    handle_t consumer = start_consumer(count, objects);
    if (consumer < 0) {
        fprintf(stderr, "shmdemo: cannot start the consumer: %s\n", errstr(consumer));
        return 1;
    }
    uint64_t sum = produce(sh, count, objects[1], objects[2]);
    printf("producer: sent %ld numbers, sum %lu\n", count, sum);
    object_wait(consumer, TIMEOUT_INFINITE);
    int ok = sh->consumer_sum == sum && sh->out_of_order == 0;
    printf("shmdemo: %s\n", ok ? "the sums agree, every number arrived in order" : "MISMATCH");
    return ok ? 0 : 1;          /* exit unmaps the section and closes the handles */
}
