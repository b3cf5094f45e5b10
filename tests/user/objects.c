/*
 * objects: named objects and object identity (ARCHITECTURE.md section 4;
 * kernel/ob/namespace.c, syscall/create.c, sys_object.c object_open):
 *
 *   - a create call with a name puts the object in the one namespace;
 *     creating that name again is E_EXISTS (whatever the type), or with
 *     CREATE_OPEN_EXISTING a handle to the same object (its state, counts
 *     and limits untouched), or E_WRONGTYPE when it has another type;
 *   - object_open finds a name with the right type (or OB_TYPE_ANY), and
 *     says E_WRONGTYPE or E_NOTFOUND otherwise; names are seen by every
 *     process;
 *   - a name lives as long as its object: after the last handle closes (or
 *     the process holding it ends), open fails with E_NOTFOUND and the name
 *     can be created anew, as a new object;
 *   - access on names (issue 10): openers get the rights the creator chose
 *     (CREATE_OPENER_RIGHTS), or the type's default for openers: a port's
 *     openers may not receive, in this process or another; a creator may
 *     let nobody open a name (E_ACCESS, for create-or-open too); opener
 *     rights the type lacks, or without a name, are E_INVAL;
 *   - name lengths: 1 to OB_NAME_MAX - 1 bytes;
 *   - object ids are unique and never reused.
 */
#include <stdio.h>
#include "tests/user/util.h"

#define NAME                "/obj/test.objects.a"
#define OTHER_NAME          "/obj/test.objects.b"
#define PREFIX_NAME         "/obj/test.objects.a2"  /* NAME is a prefix of it: still another name */
#define PORT_NAME           "/obj/test.objects.port"
#define PORT_OPENER_RIGHTS  (RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_INFO)
#define MSG_MAX             64
#define SETTER_DELAY_NS     (20 * NS_PER_MS)        /* so the main thread is waiting by then */
#define ID_ROUNDS           100

/* The id of the object behind |h|, or 0. */
static uint64_t object_id(handle_t h)
{
    struct handle_info info;

    return handle_info_of(h, &info) ? info.object_id : 0;
}

/* A thread that sets an event a little later. */
static void set_later(void *arg)
{
    thread_sleep(SETTER_DELAY_NS);
    event_set(*(handle_t *)arg);
}

/* "--set-named NAME": opens the event called NAME and sets it. */
static int helper_set_named(int argc, char **argv)
{
    handle_t ev = argc > 0 ? object_open(argv[0], OB_TYPE_EVENT) : E_INVAL;

    return ev > 0 && event_set(ev) == 0 ? 0 : __LINE__;
}

/* "--create-named NAME": creates an event called NAME and exits (without closing it). */
static int helper_create_named(int argc, char **argv)
{
    return argc > 0 && event_create(0, argv[0]) > 0 ? 0 : __LINE__;
}

/* "--receive-named NAME": opens the port NAME and tries to receive on it; exits with the result. */
static int helper_receive_named(int argc, char **argv)
{
    handle_t p = argc > 0 ? object_open(argv[0], OB_TYPE_PORT) : E_INVAL;
    char buf[MSG_MAX];
    struct port_message m = { .data = buf, .data_room = sizeof buf };

    return p > 0 ? (int)-port_receive(p, &m, 0, 0) : __LINE__;
}

static const struct helper_mode helpers[] = {
    { "--set-named", helper_set_named },
    { "--receive-named", helper_receive_named },
    { "--create-named", helper_create_named },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* ---- creating names ----------------------------------------------------------- */

TEST(creating_a_taken_name_is_exists_whatever_the_type)
{
    handle_t ev = event_create(0, NAME), other;

    ASSERT_TRUE(ev > 0);
    EXPECT_ERR(event_create(0, NAME), E_EXISTS);
    EXPECT_ERR(event_create(EVENT_MANUAL_RESET, NAME), E_EXISTS);
    EXPECT_ERR(mutex_create(0, NAME), E_EXISTS);
    EXPECT_ERR(semaphore_create(0, 1, 0, NAME), E_EXISTS);
    ASSERT_TRUE((other = event_create(0, PREFIX_NAME)) > 0);    /* a longer name is another */
    EXPECT_NE(object_id(other), object_id(ev));
    handle_close(other);
    handle_close(ev);
}

TEST(create_open_existing_gives_the_same_object)
{
    handle_t ev = event_create(0, NAME), again, t;
    struct handle_info a, b;

    ASSERT_TRUE(ev > 0);
    ASSERT_TRUE((again = event_create(CREATE_OPEN_EXISTING, NAME)) > 0);
    EXPECT_NE(again, ev);
    EXPECT_EQ(object_id(again), object_id(ev));
    ASSERT_TRUE(handle_info_of(again, &b) && handle_info_of(ev, &a));
    EXPECT_STR(b.name, NAME);
    EXPECT_EQ(b.rights, a.rights);
    ASSERT_TRUE((t = thread_start(set_later, &ev, PAGE_SIZE)) > 0);
    EXPECT_EQ(object_wait(again, SETTLE_NS), 0);    /* set through one handle, released on the other */
    EXPECT_EQ(object_wait(t, SETTLE_NS), 0);
    handle_close(t);
    handle_close(again);
    handle_close(ev);
}

TEST(create_open_existing_leaves_the_object_as_it_is)
{
    handle_t ev = event_create(0, NAME), again;
    handle_t sem = semaphore_create(1, 2, 0, OTHER_NAME), sem_again;

    ASSERT_TRUE(ev > 0 && sem > 0);
    ASSERT_TRUE((again = event_create(CREATE_OPEN_EXISTING | EVENT_SIGNALED, NAME)) > 0);
    EXPECT_ERR(object_wait(ev, 0), E_TIMEDOUT);     /* EVENT_SIGNALED made nothing */
    ASSERT_TRUE((sem_again = semaphore_create(0, 5, CREATE_OPEN_EXISTING, OTHER_NAME)) > 0);
    EXPECT_EQ(semaphore_release(sem_again, 1), 1);  /* the count is the first one's */
    EXPECT_ERR(semaphore_release(sem_again, 1), E_LIMIT);   /* and so is the maximum, 2 */
    handle_close(again);
    handle_close(ev);
    handle_close(sem_again);
    handle_close(sem);
}

TEST(create_open_existing_of_another_type_is_wrongtype)
{
    handle_t ev = event_create(0, NAME);

    ASSERT_TRUE(ev > 0);
    EXPECT_ERR(mutex_create(CREATE_OPEN_EXISTING, NAME), E_WRONGTYPE);
    EXPECT_ERR(semaphore_create(0, 1, CREATE_OPEN_EXISTING, NAME), E_WRONGTYPE);
    EXPECT_EQ(object_wait(ev, 0), E_TIMEDOUT);      /* still the event it was */
    handle_close(ev);
}

TEST(create_open_existing_without_such_name_creates_it)
{
    handle_t ev = event_create(CREATE_OPEN_EXISTING, NAME), found;

    ASSERT_TRUE(ev > 0);
    ASSERT_TRUE((found = object_open(NAME, OB_TYPE_EVENT)) > 0);
    EXPECT_EQ(object_id(found), object_id(ev));
    handle_close(found);
    handle_close(ev);
}

/* ---- opening names ------------------------------------------------------------- */

TEST(object_open_checks_name_and_type)
{
    handle_t ev = event_create(0, NAME), mx = mutex_create(0, OTHER_NAME), found, any;

    ASSERT_TRUE(ev > 0 && mx > 0);
    ASSERT_TRUE((found = object_open(NAME, OB_TYPE_EVENT)) > 0);
    EXPECT_EQ(object_id(found), object_id(ev));
    ASSERT_TRUE((any = object_open(OTHER_NAME, OB_TYPE_ANY)) > 0);
    EXPECT_EQ(object_id(any), object_id(mx));
    EXPECT_ERR(object_open(NAME, OB_TYPE_MUTEX), E_WRONGTYPE);
    EXPECT_ERR(object_open(OTHER_NAME, OB_TYPE_SEMAPHORE), E_WRONGTYPE);
    EXPECT_ERR(object_open(PREFIX_NAME, OB_TYPE_ANY), E_NOTFOUND);
    EXPECT_ERR(object_open("/obj/test.objects", OB_TYPE_ANY), E_NOTFOUND);
    handle_close(any);
    handle_close(found);
    handle_close(mx);
    handle_close(ev);
}

TEST(object_open_gives_the_openers_default_rights)
{
    handle_t ev = event_create(0, NAME), found;
    struct handle_info info;

    ASSERT_TRUE(ev > 0);
    ASSERT_TRUE((found = object_open(NAME, OB_TYPE_EVENT)) > 0);
    ASSERT_TRUE(handle_info_of(found, &info));
    EXPECT_EQ(info.rights, EVENT_RIGHTS);
    EXPECT_EQ(info.type, OB_TYPE_EVENT);
    EXPECT_STR(info.type_name, "event");
    EXPECT_STR(info.name, NAME);
    handle_close(found);
    handle_close(ev);
}

/* ---- access on names ---------------------------------------------------------------- */

/* Anyone could receive on a server's port and steal its requests (issue 10). */
TEST(port_openers_may_not_receive)
{
    handle_t s = port_create(PORT_NAME, MSG_MAX, 0), opened;
    char buf[MSG_MAX];
    struct port_message m = { .data = buf, .data_room = sizeof buf };
    struct handle_info info;
    struct process_status st;

    ASSERT_TRUE(s > 0);
    ASSERT_TRUE((opened = object_open(PORT_NAME, OB_TYPE_PORT)) > 0);
    ASSERT_TRUE(handle_info_of(opened, &info));
    EXPECT_EQ(info.rights, PORT_OPENER_RIGHTS);
    EXPECT_ERR(port_receive(opened, &m, 0, 0), E_ACCESS);
    EXPECT_ERR(port_accept(opened, 1, 0), E_ACCESS);
    EXPECT_ERR(object_wait(opened, 0), E_ACCESS);
    ASSERT_EQ(run_self("--receive-named", PORT_NAME, &st), 0);
    EXPECT_EQ(st.exit_code, -E_ACCESS);             /* nor in another process */
    EXPECT_ERR(port_receive(s, &m, 0, 0), E_TIMEDOUT);  /* the creator still may */
    handle_close(opened);
    handle_close(s);
}

TEST(creator_chooses_the_openers_rights)
{
    handle_t ev = event_create(CREATE_OPENER_RIGHTS(RIGHT_WAIT), NAME), opened, again;
    struct handle_info info;

    ASSERT_TRUE(ev > 0);
    ASSERT_TRUE(handle_info_of(ev, &info));
    EXPECT_EQ(info.rights, EVENT_RIGHTS);           /* the creator's own handle: the default */
    ASSERT_TRUE((opened = object_open(NAME, OB_TYPE_EVENT)) > 0);
    ASSERT_TRUE(handle_info_of(opened, &info));
    EXPECT_EQ(info.rights, RIGHT_WAIT);
    EXPECT_ERR(event_set(opened), E_ACCESS);
    EXPECT_ERR(handle_duplicate(opened, 0, RIGHT_SAME), E_ACCESS);
    ASSERT_TRUE((again = event_create(CREATE_OPEN_EXISTING, NAME)) > 0);
    ASSERT_TRUE(handle_info_of(again, &info));
    EXPECT_EQ(info.rights, RIGHT_WAIT);             /* create-or-open is an open */
    EXPECT_EQ(event_set(ev), 0);
    EXPECT_EQ(object_wait(opened, 0), 0);
    handle_close(again);
    handle_close(opened);
    handle_close(ev);
}

TEST(creator_may_let_nobody_open_a_name)
{
    handle_t sem = semaphore_create(0, 1, CREATE_OPENER_RIGHTS(0), NAME);

    ASSERT_TRUE(sem > 0);
    EXPECT_ERR(object_open(NAME, OB_TYPE_ANY), E_ACCESS);
    EXPECT_ERR(object_open(NAME, OB_TYPE_EVENT), E_WRONGTYPE);
    EXPECT_ERR(semaphore_create(0, 1, CREATE_OPEN_EXISTING, NAME), E_ACCESS);
    EXPECT_ERR(semaphore_create(0, 1, 0, NAME), E_EXISTS);
    EXPECT_EQ(semaphore_release(sem, 1), 0);        /* the creator's handle works */
    handle_close(sem);
}

TEST(bad_opener_rights_are_inval_and_make_nothing)
{
    EXPECT_ERR(event_create(CREATE_OPENER_RIGHTS(RIGHT_KILL), NAME), E_INVAL);  /* not an event's */
    EXPECT_ERR(mutex_create(CREATE_OPENER_RIGHTS(RIGHT_SIGNAL), NAME), E_INVAL);
    EXPECT_ERR(event_create(CREATE_OPENER_RIGHTS(RIGHT_WAIT), NULL), E_INVAL);  /* no name */
    EXPECT_ERR(event_create(1UL << (CREATE_OPENERS_SHIFT + 2), NAME), E_INVAL); /* no CREATE_OPENERS */
    EXPECT_ERR(section_create(PAGE_SIZE, CREATE_OPENER_RIGHTS(RIGHT_WAIT), NAME), E_INVAL);
    EXPECT_ERR(object_open(NAME, OB_TYPE_ANY), E_NOTFOUND);
}

TEST(names_are_seen_by_other_processes)
{
    handle_t ev = event_create(0, NAME);
    struct process_status st;

    ASSERT_TRUE(ev > 0);
    ASSERT_EQ(run_self("--set-named", NAME, &st), 0);
    EXPECT_EQ(st.exit_code, 0);
    EXPECT_EQ(object_wait(ev, 0), 0);               /* the child found it and set it */
    handle_close(ev);
}

/* ---- a name lives as long as its object ------------------------------------------ */

TEST(name_goes_when_the_last_handle_closes)
{
    handle_t ev = event_create(0, NAME), dup, anew;
    uint64_t first_id;

    ASSERT_TRUE(ev > 0);
    first_id = object_id(ev);
    ASSERT_TRUE((dup = handle_duplicate(ev, 0, RIGHT_SAME)) > 0);
    EXPECT_EQ(handle_close(ev), 0);
    handle_t still = object_open(NAME, OB_TYPE_EVENT);      /* the duplicate keeps it */
    EXPECT_TRUE(still > 0);
    handle_close(still);
    EXPECT_EQ(handle_close(dup), 0);
    EXPECT_ERR(object_open(NAME, OB_TYPE_ANY), E_NOTFOUND);
    ASSERT_TRUE((anew = mutex_create(0, NAME)) > 0);        /* free again, for any type */
    EXPECT_NE(object_id(anew), first_id);
    handle_close(anew);
    EXPECT_ERR(object_open(NAME, OB_TYPE_ANY), E_NOTFOUND);
}

TEST(name_goes_when_the_process_holding_it_ends)
{
    struct process_status st;
    handle_t ev;

    ASSERT_EQ(run_self("--create-named", NAME, &st), 0);
    EXPECT_EQ(st.exit_code, 0);
    EXPECT_ERR(object_open(NAME, OB_TYPE_ANY), E_NOTFOUND);
    ASSERT_TRUE((ev = event_create(0, NAME)) > 0);
    handle_close(ev);
}

TEST(name_length_limits)
{
    char longest[OB_NAME_MAX], too_long[OB_NAME_MAX + 1];
    handle_t ev, found;

    memset(longest, 'n', sizeof longest - 1);
    longest[sizeof longest - 1] = '\0';
    memset(too_long, 'n', sizeof too_long - 1);
    too_long[sizeof too_long - 1] = '\0';
    ASSERT_TRUE((ev = event_create(0, longest)) > 0);
    ASSERT_TRUE((found = object_open(longest, OB_TYPE_EVENT)) > 0);
    EXPECT_EQ(object_id(found), object_id(ev));
    EXPECT_ERR(event_create(0, too_long), E_TOOBIG);
    EXPECT_ERR(object_open(too_long, OB_TYPE_ANY), E_TOOBIG);
    EXPECT_ERR(event_create(0, ""), E_INVAL);       /* "" is no name; NULL is "no name" */
    handle_close(found);
    handle_close(ev);
}

/* ---- identity --------------------------------------------------------------------- */

TEST(object_ids_are_unique_and_never_reused)
{
    uint64_t last = 0;
    int increasing = 0;

    for (int i = 0; i < ID_ROUNDS; i++) {
        handle_t ev = event_create(0, NULL);
        uint64_t id = object_id(ev);
        increasing += id > last;
        last = id;
        handle_close(ev);
    }
    EXPECT_EQ(increasing, ID_ROUNDS);
}
