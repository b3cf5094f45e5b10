/*
 * ports_handles: handles carried by LPC messages (ARCHITECTURE.md section
 * 6, the port row; docs/07-ports.md): a handle moves with a message (gone
 * from the sender, installed with the same rights at the receiver), in a
 * request and back in its reply; on any error (no RIGHT_TRANSFER, a bad or
 * repeated handle, too many, a port of the connection itself, a gone peer,
 * a reply with no room) nothing moves; a pipe end or a port in flight
 * still counts as open.
 */
#include "tests/user/port_util.h"

#define NAME            "/obj/test.ports"
#define OTHER_NAME      "/obj/test.ports.other"

TEST(event_passed_in_a_request_moves)
{
    handle_t s, client, end, ev = event_create(EVENT_MANUAL_RESET, NULL);
    struct caller c;
    handle_t got[PORT_MAX_HANDLES];
    char buf[MSG_MAX];

    open_connection(NAME, &s, &client, &end);
    long rights = rights_of(ev);
    ASSERT_EQ(start_call(&c, client, "take this", &ev, 1), 0);
    struct port_message m = incoming(buf, sizeof buf, got, PORT_MAX_HANDLES);
    ASSERT_EQ(port_receive(s, &m, 0, WAIT_NS), 0);
    ASSERT_EQ(m.nhandles, 1);
    EXPECT_ERR(event_set(ev), E_BADHANDLE);     /* gone from the sender */
    EXPECT_EQ(event_set(got[0]), 0);            /* and working at the receiver */
    EXPECT_EQ(object_wait(got[0], 0), 0);
    EXPECT_EQ(rights_of(got[0]), rights);
    /* ...and back in the reply. */
    struct port_message r = outgoing("back", 5, got, 1);
    r.id = m.id;
    EXPECT_EQ(port_reply(s, &r), 0);
    EXPECT_ERR(object_wait(got[0], 0), E_BADHANDLE);
    EXPECT_EQ(join(c.thread), 0);
    EXPECT_EQ(c.result, 0);
    ASSERT_EQ(c.reply.nhandles, 1);
    EXPECT_EQ(object_wait(c.in_handles[0], 0), 0);  /* the same event: still set */
    handle_close(c.in_handles[0]);
    close_connection(s, client, end);
}

/* A send that fails leaves every listed handle where it was. */
TEST(failed_sends_move_nothing)
{
    handle_t s, client, end;
    handle_t ev = event_create(0, NULL), ev2 = event_create(0, NULL);
    handle_t no_transfer = handle_duplicate(ev, 0, RIGHT_DUPLICATE | RIGHT_SIGNAL | RIGHT_WAIT);

    open_connection(NAME, &s, &client, &end);
    handle_t hs[] = { ev, no_transfer };
    struct port_message d = outgoing("x", 1, hs, 2);
    EXPECT_ERR(port_send(client, &d), E_ACCESS);            /* needs RIGHT_TRANSFER */
    handle_t bad[] = { ev, 0x7777 };
    d = outgoing("x", 1, bad, 2);
    EXPECT_ERR(port_send(client, &d), E_BADHANDLE);
    handle_t twice[] = { ev, ev };
    d = outgoing("x", 1, twice, 2);
    EXPECT_ERR(port_send(client, &d), E_INVAL);             /* one handle cannot move twice */
    handle_t nine[PORT_MAX_HANDLES + 1] = { ev };
    d = outgoing("x", 1, nine, PORT_MAX_HANDLES + 1);
    EXPECT_ERR(port_send(client, &d), E_TOOBIG);
    d = outgoing("x", 1, &client, 1);
    EXPECT_ERR(port_send(client, &d), E_INVAL);             /* its own connection's port */
    d = outgoing("x", 1, &s, 1);
    EXPECT_ERR(port_send(client, &d), E_INVAL);
    d = outgoing(NULL, 1, &ev, 1);
    EXPECT_ERR(port_send(client, &d), E_FAULT);
    EXPECT_EQ(event_set(ev), 0);                /* all still ours */
    EXPECT_EQ(event_set(no_transfer), 0);
    EXPECT_EQ(handle_close(end), 0);            /* and a send to a gone peer */
    d = outgoing("x", 1, &ev2, 1);
    EXPECT_ERR(port_send(client, &d), E_PEERCLOSED);
    EXPECT_EQ(event_set(ev2), 0);
    struct port_message m;
    EXPECT_ERR(port_receive(s, &m, 0, 0), E_TIMEDOUT);     /* nothing was queued */
    handle_close(client);
    handle_close(s);
    handle_close(ev);
    handle_close(ev2);
    handle_close(no_transfer);
}

/* A reply that fails moves nothing either: the server keeps the handles. */
TEST(failed_reply_moves_nothing)
{
    handle_t s, client, end, ev = event_create(0, NULL);
    struct caller c;
    struct port_message m;
    char buf[MSG_MAX];

    open_connection(NAME, &s, &client, &end);
    ASSERT_EQ(start_call_room(&c, client, "q", NULL, 0, 4, PORT_MAX_HANDLES), 0);
    ASSERT_EQ(receive_one(s, &m, buf, sizeof buf), 0);
    struct port_message r = outgoing("too long", 9, &ev, 1);
    r.id = m.id;
    EXPECT_ERR(port_reply(s, &r), E_TOOBIG);   /* the caller has room for 4 bytes */
    EXPECT_EQ(event_set(ev), 0);
    r = outgoing("a", 2, &end, 1);
    r.id = m.id;
    EXPECT_ERR(port_reply(s, &r), E_INVAL);    /* a port of the caller's own connection */
    EXPECT_TRUE(rights_of(end) > 0);
    r = outgoing("a", 2, NULL, 0);
    r.id = m.id;
    EXPECT_EQ(port_reply(s, &r), 0);           /* the request was still there to answer */
    EXPECT_EQ(join(c.thread), 0);
    EXPECT_EQ(c.result, 0);
    close_connection(s, client, end);
    handle_close(ev);
}

/* A pipe's write end in flight is not closed: its reader sees no end of file. */
TEST(pipe_end_in_flight_still_counts_as_open)
{
    handle_t s, client, end, ends[PIPE_ENDS], got[PORT_MAX_HANDLES];
    char buf[MSG_MAX];

    ASSERT_EQ(pipe_create(ends), 0);
    open_connection(NAME, &s, &client, &end);
    struct port_message d = outgoing("w", 1, &ends[PIPE_WRITE_END], 1);
    ASSERT_EQ(port_send(client, &d), 0);
    EXPECT_ERR(object_wait(ends[PIPE_READ_END], 0), E_TIMEDOUT);   /* no data, no end of file */
    struct port_message m = incoming(buf, sizeof buf, got, PORT_MAX_HANDLES);
    ASSERT_EQ(port_receive(s, &m, 0, WAIT_NS), 0);
    ASSERT_EQ(m.nhandles, 1);
    EXPECT_EQ(pipe_write(got[0], "hi", 2), 2);
    EXPECT_EQ(pipe_read(ends[PIPE_READ_END], buf, sizeof buf), 2);
    handle_close(got[0]);
    EXPECT_EQ(pipe_read(ends[PIPE_READ_END], buf, sizeof buf), 0);  /* now it is closed */
    handle_close(ends[PIPE_READ_END]);
    close_connection(s, client, end);
}

/*
 * A port counts as open in flight like any other type (ports_transit.c has
 * more): sent away as its last handle, it keeps its name and arrives open; a
 * duplicate sent while the sender keeps one works at the receiver.
 */
TEST(a_port_sent_as_its_last_handle_stays_open)
{
    handle_t s, client, end, got[PORT_MAX_HANDLES];
    handle_t other = port_create(OTHER_NAME, MSG_MAX, 0);
    char buf[MSG_MAX];

    open_connection(NAME, &s, &client, &end);
    handle_t dup = handle_duplicate(other, 0, RIGHT_SAME);
    struct port_message d = outgoing("dup", 4, &dup, 1);
    ASSERT_EQ(port_send(client, &d), 0);
    struct port_message m = incoming(buf, sizeof buf, got, PORT_MAX_HANDLES);
    ASSERT_EQ(port_receive(s, &m, 0, WAIT_NS), 0);
    EXPECT_ERR(object_wait(got[0], 0), E_TIMEDOUT);            /* open, and empty */
    handle_close(got[0]);
    d = outgoing("last", 5, &other, 1);
    ASSERT_EQ(port_send(client, &d), 0);
    EXPECT_ERR(port_create(OTHER_NAME, MSG_MAX, 0), E_EXISTS); /* the name stays with it */
    m = incoming(buf, sizeof buf, got, PORT_MAX_HANDLES);
    ASSERT_EQ(port_receive(s, &m, 0, WAIT_NS), 0);
    ASSERT_EQ(m.nhandles, 1);
    EXPECT_ERR(port_receive(got[0], &m, 0, 0), E_TIMEDOUT);    /* arrived open */
    handle_close(got[0]);
    close_connection(s, client, end);
}
