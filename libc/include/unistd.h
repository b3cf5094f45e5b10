/*
 * unistd.h: the POSIX basics that make sense on Ember (libc/unistd.c).
 *
 * Not here, and why: Ember has no fork (a process is made whole by
 * process_spawn, from a program file, with the handles it is given), no
 * exec (spawn is both), and no file descriptors beyond the three standard
 * streams: every other object is a handle (ember.h), so there is no
 * open/read/write/close/dup/pipe on numbers.  The standard streams keep
 * their numbers for isatty.
 */
#ifndef EMBER_UNISTD_H
#define EMBER_UNISTD_H

#include <stddef.h>

#ifndef EMBER_SSIZE_T
#define EMBER_SSIZE_T
typedef long ssize_t;
#endif
typedef int pid_t;
typedef unsigned useconds_t;

#define STDIN_FILENO    0
#define STDOUT_FILENO   1
#define STDERR_FILENO   2

/* Sleeps |seconds|; returns 0 (or the seconds left if the thread is being killed). */
unsigned sleep(unsigned seconds);
/* Sleeps |usec| microseconds (rounded up to the next timer tick); 0, or -1 with errno EINTR. */
int usleep(useconds_t usec);
/* This process's id (process_self_id). */
pid_t getpid(void);
/* 1 when standard stream |fd| is the console; 0 with errno ENOTTY (a pipe) or EBADF (another number). */
int isatty(int fd);

#endif
