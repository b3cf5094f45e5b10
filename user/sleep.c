/*
 * sleep DURATION: waits that long, on a timer object (kernel/sync/timer.c):
 * a one-shot timer armed for DURATION and one object_wait on it.  DURATION
 * is whole seconds ("2"), or milliseconds with "ms" ("250ms").
 */
#include <ember.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_PER_MS   1000000L
#define NS_PER_SEC  1000000000L
#define MAX_SECONDS (1000L * 1000 * 1000)   /* no overflow in nanoseconds */

/* DURATION in nanoseconds, or -1 when it is not one. */
static long parse_duration(const char *s)
{
    char *end;
    long n = strtol(s, &end, 10);

    if (end == s || n < 0 || n > MAX_SECONDS)
        return -1;
    if (*end == '\0')
        return n * NS_PER_SEC;
    return strcmp(end, "ms") == 0 ? n * NS_PER_MS : -1;
}

int main(int argc, char **argv)
{
    long ns = argc == 2 ? parse_duration(argv[1]) : -1;

    if (ns < 0) {
        fprintf(stderr, "usage: sleep SECONDS | sleep MILLISECONDSms\n");
        return 2;
    }
    handle_t t = timer_create(0, NULL);
    long err = t < 0 ? t : timer_set(t, ns, 0);
    if (err >= 0)
        err = object_wait(t, TIMEOUT_INFINITE);
    if (err < 0) {
        fprintf(stderr, "sleep: %s\n", errstr(err));
        return 1;
    }
    handle_close(t);
    return 0;
}
