/*
 * names_paths: the namespace as a tree of directories (issue 14;
 * kernel/ob/namespace.c, directory.c, syscall/sys_namespace.c, create.c):
 *
 *   - names are paths; the flat names of old ("/obj/x", "x") still work;
 *     case matters;
 *   - NULL, "" and bad syntax ("//", a trailing '/', "." or "..", a leading
 *     '/' relative to a directory) are E_INVAL for open and create alike; a
 *     missing directory on the way is E_NOTFOUND, something that is not one
 *     E_WRONGTYPE;
 *   - a directory can be created (from the root or relative to a directory
 *     handle), opened, listed (in creation order, a short buffer counts all)
 *     and created in: through a handle with RIGHT_WRITE, or by path by the
 *     process that made it; other openers may look and list, not create;
 *   - creating under a taken name with CREATE_OPEN_EXISTING opens it when
 *     the type matches and object_existed says so; another type is
 *     E_WRONGTYPE;
 *   - a directory whose last handle closes while a name in it is open stays
 *     (with its path) until that name goes, then goes too;
 *   - an unnamed directory is a private namespace.
 */
#include <stdio.h>
#include "tests/user/util.h"

#define DIR_NAME            "/obj/test.names.d"
#define IN_DIR              DIR_NAME "/a"
#define SUB_EVENT           DIR_NAME "/sub/e"
#define FLAT                "test.names.flat"   /* no '/': a name in the root */
#define LIST_ROOM           8

static uint64_t object_id(handle_t h)
{
    struct handle_info info;

    return handle_info_of(h, &info) ? info.object_id : 0;
}

/* "--create-in PATH": tries to create an event at PATH; exits with the result's negation. */
static int helper_create_in(int argc, char **argv)
{
    handle_t h = argc > 0 ? event_create(0, argv[0]) : E_INVAL;

    return h > 0 ? 0 : (int)-h;
}

/* "--make-tree": makes DIR_NAME with names in it and exits holding them. */
static int helper_make_tree(int argc, char **argv)
{
    (void)argc, (void)argv;
    handle_t d = directory_create(0, DIR_NAME, 0);

    return d > 0 && event_create(0, IN_DIR) > 0 && directory_create(d, "sub", 0) > 0 &&
           event_create(0, SUB_EVENT) > 0 ? 0 : __LINE__;
}

static const struct helper_mode helpers[] = {
    { "--create-in", helper_create_in },
    { "--make-tree", helper_make_tree },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* ---- paths and syntax ------------------------------------------------------------ */

TEST(flat_names_still_work_as_paths)
{
    handle_t ev = event_create(0, "/obj/test.names.x"), flat = event_create(0, FLAT), h;

    ASSERT_TRUE(ev > 0 && flat > 0);
    ASSERT_TRUE((h = object_open("/obj/test.names.x", OB_TYPE_EVENT)) > 0);
    EXPECT_EQ(object_id(h), object_id(ev));
    handle_close(h);
    ASSERT_TRUE((h = object_open("/" FLAT, OB_TYPE_EVENT)) > 0);   /* the same name, from the root */
    EXPECT_EQ(object_id(h), object_id(flat));
    handle_close(h);
    EXPECT_ERR(event_create(0, "/" FLAT), E_EXISTS);
    handle_close(flat);
    handle_close(ev);
}

TEST(names_are_case_sensitive)
{
    handle_t a = event_create(0, "/obj/test.names.Case"), b = event_create(0, "/obj/test.names.case");

    ASSERT_TRUE(a > 0 && b > 0);
    EXPECT_NE(object_id(a), object_id(b));
    EXPECT_ERR(object_open("/OBJ/test.names.case", OB_TYPE_ANY), E_NOTFOUND);
    handle_close(a);
    handle_close(b);
}

TEST(bad_syntax_no_name_and_empty_name_are_inval)
{
    static const char *const bad[] = {
        "//obj/x", "/obj//x", "/obj/x/", "/obj/", "/obj/./x", "/obj/../x", ".", "..", "/.",
    };
    handle_t d = directory_create(0, DIR_NAME, 0);

    ASSERT_TRUE(d > 0);
    EXPECT_ERR(object_open(NULL, OB_TYPE_ANY), E_INVAL);
    EXPECT_ERR(object_open("", OB_TYPE_ANY), E_INVAL);
    EXPECT_ERR(object_open_at(d, NULL, OB_TYPE_ANY), E_INVAL);
    EXPECT_ERR(object_open_at(d, "", OB_TYPE_ANY), E_INVAL);
    EXPECT_ERR(object_open_at(d, "/a", OB_TYPE_ANY), E_INVAL);     /* relative: no leading '/' */
    EXPECT_ERR(directory_create(d, "/a", 0), E_INVAL);
    EXPECT_ERR(directory_create(d, NULL, 0), E_INVAL);
    EXPECT_ERR(event_create(0, ""), E_INVAL);
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        EXPECT_EQ_AT(bad[i], object_open(bad[i], OB_TYPE_ANY), E_INVAL);
        EXPECT_EQ_AT(bad[i], event_create(0, bad[i]), E_INVAL);
        EXPECT_EQ_AT(bad[i], directory_create(0, bad[i], 0), E_INVAL);
    }
    handle_close(d);
}

TEST(missing_or_wrong_directories_on_the_way)
{
    handle_t ev = event_create(0, "/obj/test.names.ev");

    ASSERT_TRUE(ev > 0);
    EXPECT_ERR(object_open("/obj/test.names.none", OB_TYPE_ANY), E_NOTFOUND);
    EXPECT_ERR(object_open("/nodir/x", OB_TYPE_ANY), E_NOTFOUND);
    EXPECT_ERR(event_create(0, "/nodir/x"), E_NOTFOUND);
    EXPECT_ERR(object_open("/obj/test.names.ev/x", OB_TYPE_ANY), E_WRONGTYPE);
    EXPECT_ERR(event_create(0, "/obj/test.names.ev/x"), E_WRONGTYPE);
    handle_close(ev);
}

/* ---- directories ------------------------------------------------------------------------ */

TEST(directory_create_open_list_and_create_in)
{
    handle_t d = directory_create(0, DIR_NAME, 0), sub, a, e, root, h;
    struct directory_entry list[LIST_ROOM];

    ASSERT_TRUE(d > 0);
    memset(list, 0xff, sizeof list);
    ASSERT_TRUE((a = event_create(0, IN_DIR)) > 0);            /* by path: its creator may */
    ASSERT_TRUE((sub = directory_create(d, "sub", 0)) > 0);    /* relative to a handle */
    ASSERT_TRUE((e = event_create(0, SUB_EVENT)) > 0);
    EXPECT_EQ(directory_list(d, list, sizeof list), 2);
    EXPECT_STR(list[0].name, "a");
    EXPECT_EQ(list[0].type, OB_TYPE_EVENT);
    EXPECT_EQ(list[0].object_id, object_id(a));
    EXPECT_STR(list[1].name, "sub");
    EXPECT_EQ(list[1].type, OB_TYPE_DIRECTORY);
    EXPECT_EQ(list[1].open_rights, RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_READ | RIGHT_INFO);
    EXPECT_EQ(list[2].object_id, 0);                           /* a zeroed record ends the list */
    memset(list, 0, sizeof list);
    EXPECT_EQ(directory_list(d, list, sizeof list[0]), 2);     /* one fits; both counted */
    EXPECT_STR(list[0].name, "a");
    EXPECT_STR(list[1].name, "");                             /* no room: nothing more written */
    EXPECT_EQ(directory_list(d, NULL, 0), 2);
    EXPECT_ERR(directory_list(d, (void *)KERNEL_HEAP_ADDR, sizeof list), E_FAULT);
    ASSERT_TRUE((h = object_open_at(d, "sub/e", OB_TYPE_EVENT)) > 0);
    EXPECT_EQ(object_id(h), object_id(e));
    handle_close(h);
    ASSERT_TRUE((root = object_open("/", OB_TYPE_DIRECTORY)) > 0);
    ASSERT_TRUE((h = object_open_at(root, "obj/test.names.d/a", OB_TYPE_EVENT)) > 0);
    EXPECT_EQ(object_id(h), object_id(a));
    handle_close(h);
    EXPECT_TRUE(directory_list(root, NULL, 0) >= 2);           /* obj and svc at least */
    EXPECT_ERR(directory_create(root, "x", 0), E_ACCESS);      /* an opener may not write */
    struct handle_info info;
    ASSERT_TRUE(handle_info_of(e, &info));
    EXPECT_STR(info.name, SUB_EVENT);                          /* the whole path */
    handle_close(root);
    handle_close(e);
    handle_close(sub);
    handle_close(a);
    handle_close(d);
}

TEST(openers_of_a_directory_may_look_but_not_create)
{
    handle_t d = directory_create(0, DIR_NAME, 0), opened, bare;
    struct process_status st;

    ASSERT_TRUE(d > 0);
    ASSERT_TRUE((opened = object_open(DIR_NAME, OB_TYPE_DIRECTORY)) > 0);
    EXPECT_EQ(rights_of(opened), RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_READ | RIGHT_INFO);
    EXPECT_ERR(directory_create(opened, "x", 0), E_ACCESS);
    EXPECT_EQ(directory_list(opened, NULL, 0), 0);
    ASSERT_EQ(run_self("--create-in", DIR_NAME "/x", &st), 0);
    EXPECT_EQ(st.exit_code, -E_ACCESS);                         /* another process, by path */
    ASSERT_EQ(run_self("--create-in", "/obj/test.names.public", &st), 0);
    EXPECT_EQ(st.exit_code, 0);                                 /* /obj lets anyone */
    ASSERT_TRUE((bare = handle_duplicate(d, 0, RIGHT_WRITE)) > 0);
    EXPECT_ERR(object_open_at(bare, "x", OB_TYPE_ANY), E_ACCESS);
    EXPECT_ERR(directory_list(bare, NULL, 0), E_ACCESS);
    handle_close(bare);
    handle_close(opened);
    handle_close(d);
}

TEST(create_under_a_taken_name_opens_it_and_says_so)
{
    handle_t d, again, ev, ev2;

    ASSERT_TRUE((d = directory_create(0, DIR_NAME, CREATE_OPEN_EXISTING)) > 0);
    EXPECT_EQ(object_existed(), CREATE_MADE_NEW);
    ASSERT_TRUE((again = directory_create(0, DIR_NAME, CREATE_OPEN_EXISTING)) > 0);
    EXPECT_EQ(object_existed(), CREATE_EXISTED);
    EXPECT_EQ(object_id(again), object_id(d));
    EXPECT_ERR(directory_create(0, DIR_NAME, 0), E_EXISTS);
    EXPECT_EQ(object_existed(), CREATE_MADE_NEW);               /* a failed call says "not opened" */
    ASSERT_TRUE((ev = event_create(CREATE_OPEN_EXISTING, IN_DIR)) > 0);
    EXPECT_EQ(object_existed(), CREATE_MADE_NEW);
    ASSERT_TRUE((ev2 = event_create(CREATE_OPEN_EXISTING, IN_DIR)) > 0);
    EXPECT_EQ(object_existed(), CREATE_EXISTED);
    EXPECT_ERR(directory_create(0, IN_DIR, CREATE_OPEN_EXISTING), E_WRONGTYPE);
    EXPECT_ERR(mutex_create(CREATE_OPEN_EXISTING, DIR_NAME), E_WRONGTYPE);
    handle_close(ev2);
    handle_close(ev);
    handle_close(again);
    handle_close(d);
}

TEST(directory_closed_while_a_name_in_it_is_open)
{
    handle_t d = directory_create(0, DIR_NAME, 0), a, h;

    ASSERT_TRUE(d > 0);
    ASSERT_TRUE((a = event_create(0, IN_DIR)) > 0);
    EXPECT_EQ(handle_close(d), 0);                              /* its last handle */
    ASSERT_TRUE((h = object_open(IN_DIR, OB_TYPE_EVENT)) > 0);  /* the name keeps its path */
    EXPECT_EQ(object_id(h), object_id(a));
    handle_close(h);
    ASSERT_TRUE((h = object_open(DIR_NAME, OB_TYPE_DIRECTORY)) > 0);
    EXPECT_EQ(directory_list(h, NULL, 0), 1);
    handle_close(h);
    EXPECT_EQ(handle_close(a), 0);                              /* the last name in it */
    EXPECT_ERR(object_open(IN_DIR, OB_TYPE_ANY), E_NOTFOUND);
    EXPECT_ERR(object_open(DIR_NAME, OB_TYPE_ANY), E_NOTFOUND); /* and the directory went with it */
    ASSERT_TRUE((d = directory_create(0, DIR_NAME, 0)) > 0);    /* the name is free again */
    handle_close(d);
}

TEST(a_tree_goes_with_the_process_that_held_it)
{
    struct process_status st;

    ASSERT_EQ(run_self("--make-tree", NULL, &st), 0);
    EXPECT_EQ(st.exit_code, 0);
    EXPECT_ERR(object_open(SUB_EVENT, OB_TYPE_ANY), E_NOTFOUND);
    EXPECT_ERR(object_open(DIR_NAME, OB_TYPE_ANY), E_NOTFOUND);
}

TEST(an_unnamed_directory_is_a_private_namespace)
{
    handle_t p = directory_create(0, NULL, 0), x, h;

    ASSERT_TRUE(p > 0);
    ASSERT_TRUE((x = directory_create(p, "x", 0)) > 0);
    ASSERT_TRUE((h = object_open_at(p, "x", OB_TYPE_DIRECTORY)) > 0);
    EXPECT_EQ(object_id(h), object_id(x));
    handle_close(h);
    EXPECT_ERR(object_open("x", OB_TYPE_ANY), E_NOTFOUND);
    EXPECT_EQ(directory_list(p, NULL, 0), 1);
    handle_close(x);
    EXPECT_EQ(directory_list(p, NULL, 0), 0);
    handle_close(p);
}
