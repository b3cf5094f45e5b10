/*
 * foreground.h: the console's foreground rule (libc/foreground.c), which the
 * console driver (user/consoled.c) applies: who Ctrl-C ends, and whose
 * reads it answers.
 */
#ifndef EMBER_FOREGROUND_H
#define EMBER_FOREGROUND_H

#include <ember.h>
#include <stdbool.h>

struct foreground {
    handle_t target;            /* the process or job Ctrl-C ends; 0: none */
    uint32_t type;              /* its OB_TYPE_PROCESS or OB_TYPE_JOB */
    uint64_t id;                /* its pid, or the job's object id */
    handle_t controller;        /* a watch handle to who set it (the shell); 0: nobody has */
    uint64_t controller_pid;
};

/* A reader: which process sent a read, and the job it runs in. */
struct reader_id {
    uint64_t pid;
    uint64_t job_id;
};

/*
 * |target| (a process or job handle, now the driver's; 0 for none) becomes
 * the foreground, set by process |sender|.  E_WRONGTYPE for another type
 * (the handle is closed), else 0.
 */
long foreground_set(struct foreground *fg, handle_t target, uint64_t sender);
/* Ctrl-C: ends the target, if any, with |code|. */
void foreground_interrupt(const struct foreground *fg, int64_t code);
/* Whether |r| may read now: it is in the target, or it is the controller and there is no target. */
bool foreground_may_read(struct foreground *fg, const struct reader_id *r);
/* Who process |pid| is: its pid and job id (job 0 if it has ended). */
struct reader_id foreground_reader(uint64_t pid);

#endif
