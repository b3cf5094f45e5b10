/*
 * time.c: <time.h> and the sleeps of <unistd.h>, on Ember's clock_now (nanoseconds
 * since boot) and thread_sleep.  What they cannot be (a calendar) is said in time.h.
 */
#include <errno.h>
#include <limits.h>
#include <time.h>
#include <unistd.h>
#include <ember.h>

#define NS_PER_SEC      1000000000L
#define NS_PER_USEC     1000L
#define NS_PER_CLOCK    (NS_PER_SEC / CLOCKS_PER_SEC)
#define CLOCK_TICK_NS   10000000L       /* the kernel's timer tick: what clock_now resolves */

time_t time(time_t *t)
{
    time_t now = clock_now() / NS_PER_SEC;

    if (t)
        *t = now;
    return now;
}

clock_t clock(void)
{
    return clock_now() / NS_PER_CLOCK;
}

double difftime(time_t end, time_t start)
{
    return (double)end - (double)start;
}

static int check_clock(clockid_t clock, const struct timespec *ts)
{
    if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC) {
        errno = EINVAL;
        return -1;
    }
    if (!ts) {
        errno = EFAULT;
        return -1;
    }
    return 0;
}

int clock_gettime(clockid_t clock, struct timespec *ts)
{
    long now;

    if (check_clock(clock, ts) < 0)
        return -1;
    now = clock_now();
    ts->tv_sec = now / NS_PER_SEC;
    ts->tv_nsec = now % NS_PER_SEC;
    return 0;
}

int clock_getres(clockid_t clock, struct timespec *res)
{
    if (check_clock(clock, res) < 0)
        return -1;
    res->tv_sec = 0;
    res->tv_nsec = CLOCK_TICK_NS;
    return 0;
}

/* Sleeps |ns| (> 0), one call; 0, or -1 with errno EINTR when the thread is being killed. */
static int sleep_ns(long ns)
{
    long r = thread_sleep(ns);

    if (r < 0) {
        errno = r == E_CANCELED ? EINTR : errno_of(r);
        return -1;
    }
    return 0;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
    if (!req) {
        errno = EFAULT;
        return -1;
    }
    if (req->tv_sec < 0 || req->tv_nsec < 0 || req->tv_nsec >= NS_PER_SEC) {
        errno = EINVAL;
        return -1;
    }
    long ns = req->tv_sec > (LONG_MAX - req->tv_nsec) / NS_PER_SEC ? LONG_MAX     /* centuries */
                                                                  : req->tv_sec * NS_PER_SEC + req->tv_nsec;
    if (rem)
        *rem = (struct timespec){ 0, 0 };
    return ns > 0 ? sleep_ns(ns) : 0;
}

unsigned sleep(unsigned seconds)
{
    return seconds && sleep_ns((long)seconds * NS_PER_SEC) < 0 ? seconds : 0;
}

int usleep(useconds_t usec)
{
    return usec ? sleep_ns((long)usec * NS_PER_USEC) : 0;
}
