/*
 * ports_transit: handles in flight (issue 14, item 9; message.c, port.c,
 * docs/07-ports.md, "Handles in messages"): the last handle of a port end
 * or a pipe end, moving inside a message, does not close it: its peer sees
 * it open and can keep sending, and what it sent meanwhile reaches the new
 * holder in order; a chain of CHAIN endpoints each carried in the previous
 * one tears down, when the first is closed, without deep recursion in the
 * kernel (the runner's leak check sees every port freed); a send that would
 * put a port inside its own queue, however indirectly (two ends each in the
 * other, a ring closed at the end of a CHAIN), is E_INVAL and moves
 * nothing, while the same chain may still move to a port outside it.
 */
#include <stdio.h>
#include "tests/user/port_util.h"

#define NAME            "/obj/test.transit"
#define CHAIN           200
#define NOTES           3

/* One more connection to the server port |s| (which must be ours): the client end, the server end in *|end|. */
static handle_t connect_once(handle_t s, handle_t *end)
{
    struct connector c = { NAME, NULL, 0, NOT_YET };
    struct port_message m;
    char buf[MSG_MAX];

    handle_t t = thread_start(connector_main, &c, THREAD_STACK);
    if (t < 0)
        return t;
    long err = receive_one(s, &m, buf, sizeof buf);
    *end = err < 0 ? err : port_accept(s, m.id, CONTEXT);
    join(t);
    return *end < 0 ? *end : c.result;
}

/* Sends the handle |h| (moving it) in a datagram through |through|. */
static long send_handle(handle_t through, handle_t h)
{
    struct port_message d = outgoing("h", 2, &h, 1);

    return port_send(through, &d);
}

/* Receives one datagram on |port|, its one handle into *|h|. */
static long receive_handle(handle_t port, handle_t *h)
{
    char buf[MSG_MAX];
    struct port_message m = incoming(buf, sizeof buf, h, 1);
    long err = port_receive(port, &m, 0, WAIT_NS);

    return err < 0 ? err : (m.nhandles == 1 ? 0 : E_INVAL);
}

static struct port_query_info port_info(handle_t p)
{
    struct port_query_info info;

    memset(&info, 0, sizeof info);
    EXPECT_EQ(object_query(p, OBJECT_INFO_PORT, &info, sizeof info, NULL), sizeof info);
    return info;
}

TEST(a_client_end_in_flight_stays_open_and_keeps_its_messages_in_order)
{
    handle_t s, carrier, carrier_end, end2, moved;
    char buf[MSG_MAX], note[8];

    open_connection(NAME, &s, &carrier, &carrier_end);
    handle_t c2 = connect_once(s, &end2);
    ASSERT_TRUE(c2 > 0 && end2 > 0);
    struct port_message d = outgoing("note0", 6, NULL, 0);
    ASSERT_EQ(port_send(end2, &d), 0);                  /* queued before the move */
    ASSERT_EQ(send_handle(carrier_end, c2), 0);         /* its last handle, into the carrier's queue */
    EXPECT_EQ(port_info(end2).closed, 0);               /* the peer sees it open */
    EXPECT_NE(port_info(end2).peer_id, 0);
    for (int i = 1; i < NOTES; i++) {
        snprintf(note, sizeof note, "note%d", i);
        d = outgoing(note, 6, NULL, 0);
        EXPECT_EQ_AT("a send to the end in flight", port_send(end2, &d), 0);
    }
    ASSERT_EQ(receive_handle(carrier, &moved), 0);
    for (int i = 0; i < NOTES; i++) {                   /* all of them, in order */
        struct port_message m = incoming(buf, sizeof buf, NULL, 0);
        snprintf(note, sizeof note, "note%d", i);
        ASSERT_EQ(port_receive(moved, &m, 0, 0), 0);
        EXPECT_STR(buf, note);
    }
    d = outgoing("up", 3, NULL, 0);
    EXPECT_EQ(port_send(moved, &d), 0);                 /* and the connection still works */
    EXPECT_EQ(handle_close(moved), 0);
    EXPECT_EQ(handle_close(end2), 0);
    close_connection(s, carrier, carrier_end);
}

TEST(a_server_port_in_flight_keeps_its_name)
{
    handle_t s, carrier, carrier_end, moved;
    handle_t other = port_create("/obj/test.transit.other", MSG_MAX, 0);

    ASSERT_TRUE(other > 0);
    open_connection(NAME, &s, &carrier, &carrier_end);
    ASSERT_EQ(send_handle(carrier_end, other), 0);
    EXPECT_ERR(port_create("/obj/test.transit.other", MSG_MAX, 0), E_EXISTS);   /* still there */
    ASSERT_EQ(receive_handle(carrier, &moved), 0);
    struct port_message m = incoming(NULL, 0, NULL, 0);
    EXPECT_ERR(port_receive(moved, &m, 0, 0), E_TIMEDOUT);  /* open, and empty */
    EXPECT_EQ(handle_close(moved), 0);
    close_connection(s, carrier, carrier_end);
}

TEST(a_pipe_end_in_flight_is_no_end_of_file)
{
    handle_t s, carrier, carrier_end, ends[PIPE_ENDS], moved;
    char c;

    ASSERT_EQ(pipe_create(ends), 0);
    open_connection(NAME, &s, &carrier, &carrier_end);
    ASSERT_EQ(send_handle(carrier_end, ends[PIPE_WRITE_END]), 0);
    EXPECT_ERR(pipe_read_timeout(ends[PIPE_READ_END], &c, 1, 0), E_AGAIN);  /* not 0: a writer lives */
    ASSERT_EQ(receive_handle(carrier, &moved), 0);
    EXPECT_EQ(pipe_write(moved, "k", 1), 1);
    EXPECT_EQ(pipe_read(ends[PIPE_READ_END], &c, 1), 1);
    EXPECT_EQ(handle_close(moved), 0);
    EXPECT_EQ(pipe_read(ends[PIPE_READ_END], &c, 1), 0);                      /* now it is gone */
    EXPECT_EQ(handle_close(ends[PIPE_READ_END]), 0);
    close_connection(s, carrier, carrier_end);
}

TEST(a_chain_of_ports_each_carried_in_the_previous_tears_down)
{
    static handle_t clients[CHAIN], ends[CHAIN];
    handle_t s = port_create(NAME, MSG_MAX, PORT_MAX_HANDLES);

    ASSERT_TRUE(s > 0);
    for (int i = 0; i < CHAIN; i++) {
        clients[i] = connect_once(s, &ends[i]);
        ASSERT_TRUE(clients[i] > 0 && ends[i] > 0);
    }
    for (int i = CHAIN - 1; i > 0; i--)                 /* client i goes into client i-1's queue */
        EXPECT_EQ_AT("carrying the next end", send_handle(ends[i - 1], clients[i]), 0);
    EXPECT_EQ(port_info(ends[CHAIN - 1]).closed, 0);    /* the deepest is still open */
    EXPECT_EQ(port_info(clients[0]).queued, 1);
    EXPECT_EQ(handle_close(clients[0]), 0);             /* and now the whole chain goes */
    EXPECT_EQ(port_info(ends[CHAIN - 1]).closed, 1);
    for (int i = 0; i < CHAIN; i++)
        EXPECT_EQ_AT("closing a server end", handle_close(ends[i]), 0);
    EXPECT_EQ(handle_close(s), 0);
}

TEST(a_send_that_would_make_a_cycle_moves_nothing)
{
    handle_t s, c1, e1, e2, e3;

    open_connection(NAME, &s, &c1, &e1);
    handle_t c2 = connect_once(s, &e2);
    handle_t c3 = connect_once(s, &e3);
    ASSERT_TRUE(c2 > 0 && c3 > 0);
    ASSERT_EQ(send_handle(e2, c1), 0);                  /* c1 waits in c2's queue */
    ASSERT_EQ(send_handle(e3, c2), 0);                  /* c2 (holding c1) waits in c3's queue */
    EXPECT_ERR(send_handle(e1, c3), E_INVAL);           /* c3 into c1: c1 -> c3 -> c2 -> c1 */
    EXPECT_EQ(port_info(c3).queued, 1);                 /* c3 still ours, as it was */
    EXPECT_EQ(handle_close(c3), 0);                     /* closes c2, which closes c1 */
    EXPECT_EQ(port_info(e1).closed, 1);
    EXPECT_EQ(handle_close(e1), 0);
    EXPECT_EQ(handle_close(e2), 0);
    EXPECT_EQ(handle_close(e3), 0);
    EXPECT_EQ(handle_close(s), 0);
}

TEST(two_ends_each_sent_into_the_other_is_refused)
{
    handle_t s, c1, e1, e2;

    open_connection(NAME, &s, &c1, &e1);
    handle_t c2 = connect_once(s, &e2);
    ASSERT_TRUE(c2 > 0);
    ASSERT_EQ(send_handle(e1, c2), 0);                  /* c2 waits in c1's queue */
    EXPECT_ERR(send_handle(e2, c1), E_INVAL);           /* c1 into c2's queue: c1 -> c2 -> c1 */
    EXPECT_EQ(port_info(c1).queued, 1);                 /* c1 still ours, holding c2 */
    EXPECT_EQ(handle_close(c1), 0);                     /* closes c2 with it */
    EXPECT_EQ(port_info(e2).closed, 1);
    EXPECT_EQ(handle_close(e1), 0);
    EXPECT_EQ(handle_close(e2), 0);
    EXPECT_EQ(handle_close(s), 0);
}

/*
 * A chain of CHAIN client ends, each waiting in the previous one's queue:
 * the head may go anywhere outside the chain (the walk follows all of it and
 * finds no way back), but not into the tail's queue, which would close a ring.
 */
TEST(a_chain_may_move_but_never_close_into_a_ring)
{
    static handle_t clients[CHAIN], ends[CHAIN];
    handle_t s, outside, outside_end;

    open_connection(NAME, &s, &outside, &outside_end);
    for (int i = 0; i < CHAIN; i++) {
        clients[i] = connect_once(s, &ends[i]);
        ASSERT_TRUE(clients[i] > 0 && ends[i] > 0);
    }
    for (int i = CHAIN - 1; i > 0; i--)                 /* client i goes into client i-1's queue */
        ASSERT_EQ(send_handle(ends[i - 1], clients[i]), 0);
    EXPECT_ERR(send_handle(ends[CHAIN - 1], clients[0]), E_INVAL);  /* the head into the tail */
    EXPECT_EQ(port_info(clients[0]).queued, 1);         /* still ours */
    EXPECT_EQ(send_handle(outside_end, clients[0]), 0); /* the head outside the chain: no ring */
    EXPECT_EQ(port_info(outside).queued, 1);
    EXPECT_EQ(handle_close(outside), 0);                /* the whole chain goes with it */
    EXPECT_EQ(port_info(ends[CHAIN - 1]).closed, 1);
    for (int i = 0; i < CHAIN; i++)
        EXPECT_EQ_AT("closing a server end", handle_close(ends[i]), 0);
    EXPECT_EQ(handle_close(outside_end), 0);
    EXPECT_EQ(handle_close(s), 0);
}

int main(int argc, char **argv)
{
    return test_main(argc, argv);
}
