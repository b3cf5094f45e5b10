/*
 * ports_connect: naming and connecting to LPC ports (ARCHITECTURE.md
 * section 6, the port row; docs/07-ports.md): a server port needs a name,
 * taken names are E_EXISTS, limits past PORT_MAX_* are E_INVAL, and the
 * name goes with the port's last handle; connecting to no port is
 * E_NOTFOUND (to an object of another type E_WRONGTYPE); the server
 * receives PORT_MSG_CONNECT with the connect data and the client's pid and
 * tid, and accepts (both sides get a port) or refuses (the client gets
 * E_ACCESS), once.  Each case runs in a process of its own, with the
 * runner's leak check around it.
 */
#include "tests/user/port_util.h"

#define NAME            "/obj/test.ports"
#define OTHER_NAME      "/obj/test.ports.other"

TEST(create_needs_a_free_name_and_sane_limits)
{
    handle_t s = port_create(NAME, MSG_MAX, PORT_MAX_HANDLES);

    ASSERT_TRUE(s > 0);
    EXPECT_ERR(port_create(NAME, MSG_MAX, 0), E_EXISTS);
    EXPECT_ERR(port_create(NULL, MSG_MAX, 0), E_INVAL);
    EXPECT_ERR(port_create(OTHER_NAME, PORT_MAX_MESSAGE + 1, 0), E_INVAL);
    EXPECT_ERR(port_create(OTHER_NAME, MSG_MAX, PORT_MAX_HANDLES + 1), E_INVAL);
    EXPECT_EQ(handle_close(s), 0);
    s = port_create(NAME, PORT_MAX_MESSAGE, PORT_MAX_HANDLES);  /* the name went with it */
    ASSERT_TRUE(s > 0);
    EXPECT_EQ(handle_close(s), 0);
}

TEST(connect_needs_a_server_port)
{
    handle_t e = event_create(0, OTHER_NAME);

    EXPECT_ERR(port_connect(NAME, NULL, 0), E_NOTFOUND);
    EXPECT_ERR(port_connect(OTHER_NAME, NULL, 0), E_WRONGTYPE);
    EXPECT_ERR(port_connect(NAME, (void *)1, 1), E_FAULT);
    handle_t s = port_create(NAME, MSG_MAX, 0);
    EXPECT_ERR(port_connect(NAME, "x", MSG_MAX + 1), E_TOOBIG);
    handle_close(s);
    handle_close(e);
}

TEST(accept_tells_who_connects_and_gives_both_sides_a_port)
{
    struct connector c = { NAME, "hello", 6, NOT_YET };
    struct port_message m;
    char buf[MSG_MAX];
    handle_t s = port_create(NAME, MSG_MAX, 0);

    ASSERT_TRUE(s > 0);
    handle_t t = thread_start(connector_main, &c, THREAD_STACK);
    ASSERT_EQ(receive_one(s, &m, buf, sizeof buf), 0);
    EXPECT_EQ(m.kind, PORT_MSG_CONNECT);
    EXPECT_EQ(m.len, 6);
    EXPECT_STR(buf, "hello");
    EXPECT_EQ(m.pid, process_self_id());
    EXPECT_NE(m.tid, 0);
    EXPECT_EQ(c.result, NOT_YET);               /* still waiting for the answer */
    handle_t end = port_accept(s, m.id, CONTEXT);
    EXPECT_TRUE(end > 0);
    EXPECT_ERR(port_accept(s, m.id, CONTEXT), E_NOTFOUND);     /* answered once */
    EXPECT_EQ(join(t), 0);
    EXPECT_TRUE(c.result > 0);
    EXPECT_NE(c.result, end);
    close_connection(s, c.result, end);
}

TEST(refused_connect_is_access)
{
    struct connector c = { NAME, NULL, 0, NOT_YET };
    struct port_message m;
    char buf[MSG_MAX];
    handle_t s = port_create(NAME, MSG_MAX, 0);

    handle_t t = thread_start(connector_main, &c, THREAD_STACK);
    ASSERT_EQ(receive_one(s, &m, buf, sizeof buf), 0);
    ASSERT_EQ(m.kind, PORT_MSG_CONNECT);
    EXPECT_ERR(port_reply(s, &m), E_NOTFOUND);     /* a connect is not a request */
    EXPECT_EQ(port_refuse(s, m.id), 0);
    EXPECT_EQ(join(t), 0);
    EXPECT_ERR(c.result, E_ACCESS);
    EXPECT_ERR(port_refuse(s, m.id), E_NOTFOUND);
    EXPECT_ERR(port_receive(s, &m, 0, 0), E_TIMEDOUT);     /* nothing left behind */
    handle_close(s);
}
