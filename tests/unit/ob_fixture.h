/*
 * ob_fixture.h: what the object-manager host tests (test_handle.c,
 * test_object.c) share: the per-CPU data current_thread() reads, and a
 * test object type, "thing", whose hooks count how often they ran.
 */
#ifndef EMBER_TESTS_OB_FIXTURE_H
#define EMBER_TESTS_OB_FIXTURE_H

#include "kernel/abi/rights.h"
#include "kernel/mm/heap.h"
#include "kernel/ob/object.h"
#include "kernel/proc/process.h"

#define THING_TAG       TAG("Thng")
#define THING_CODE      100

struct cpu_local cpu_local;             /* what current_thread() reads */
static struct thread fake_thread;

/* Counts of the hooks each object type ran. */
static int destroyed, last_handles;

static void thing_destroy(struct ob *o)
{
    (void)o;
    destroyed++;
}

static void thing_last_handle(struct ob *o)
{
    (void)o;
    last_handles++;
}

static const struct ob_type thing_type = {
    .name = "thing", .code = THING_CODE, .tag = THING_TAG,
    .valid_rights = RIGHTS_ALL, .default_rights = RIGHTS_ALL,
    .destroy = thing_destroy, .on_last_handle = thing_last_handle,
};

#endif
