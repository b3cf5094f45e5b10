/*
 * ember.h for the host unit tests: the part of libc's ember.h that libc
 * files compiled on the host need (the E_* codes and errno_of), without
 * the system-call stubs, which only ring 3 has.
 */
#ifndef EMBER_H
#define EMBER_H

#include "kernel/abi/errors.h"

int errno_of(long code);

#endif
