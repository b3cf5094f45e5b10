/*
 * time.h: time on Ember's clock (libc/time.c), thin wrappers over the
 * clock_now and thread_sleep system calls.
 *
 * Ember has no battery-backed calendar clock yet: clock_now counts
 * nanoseconds since boot, in timer ticks (10 ms).  So time() is seconds
 * since boot, CLOCK_REALTIME and CLOCK_MONOTONIC read the same clock, and
 * clock() (which C means as processor time) is time since boot as well.
 * There is no calendar: no localtime, gmtime, mktime or strftime.
 */
#ifndef EMBER_TIME_H
#define EMBER_TIME_H

#include <stddef.h>

typedef long time_t;
typedef long clock_t;
typedef int clockid_t;

struct timespec {
    time_t tv_sec;
    long tv_nsec;               /* 0 .. 999,999,999 */
};

#define CLOCKS_PER_SEC  1000000L
#define CLOCK_REALTIME  0
#define CLOCK_MONOTONIC 1

/* Seconds since boot; stored in *|t| too when |t| is not NULL. */
time_t time(time_t *t);
/* Time since boot in CLOCKS_PER_SEC units. */
clock_t clock(void);
double difftime(time_t end, time_t start);
/* 0, or -1 with errno EINVAL (unknown clock) or EFAULT (|ts| NULL). */
int clock_gettime(clockid_t clock, struct timespec *ts);
int clock_getres(clockid_t clock, struct timespec *res);
/*
 * Sleeps at least |req| (rounded up to the next timer tick).  0, or -1
 * with errno EINVAL (negative, or tv_nsec out of range), EFAULT (|req|
 * NULL) or EINTR (the thread is being killed); *|rem| (if not NULL) gets
 * what was left: always 0, as nothing else interrupts a sleep on Ember.
 */
int nanosleep(const struct timespec *req, struct timespec *rem);

#endif
