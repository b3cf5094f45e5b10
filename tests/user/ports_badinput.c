/*
 * ports_badinput: the LPC calls refuse bad input and lose nothing
 * (ARCHITECTURE.md section 6, the port row; docs/07-ports.md): bad message
 * descriptors and buffers (NULL, unmapped, kernel addresses, a read-only
 * receive buffer, no room for the handles) are E_FAULT, nothing is queued
 * by a failed send and nothing is lost by a failed receive, nor is a
 * handle left behind; unknown receive flags are E_INVAL; a handle of the
 * wrong type, the wrong end of a connection for a call, and a handle
 * without RIGHT_WRITE or RIGHT_READ each get their own clear error.
 */
#include "tests/user/port_util.h"

#define NAME            "/obj/test.ports"

TEST(bad_descriptors_and_buffers_fault)
{
    handle_t s, client, end, ev = event_create(0, NULL);
    struct port_message m, reply;
    char buf[MSG_MAX];
    void *hole = unmapped_page();
    long ro = mem_map(NULL, PAGE_SIZE, MEM_READ);

    open_connection(NAME, &s, &client, &end);
    EXPECT_ERR(port_send(client, NULL), E_FAULT);
    EXPECT_ERR(port_send(client, hole), E_FAULT);
    struct port_message d = outgoing(hole, 1, NULL, 0);
    EXPECT_ERR(port_send(client, &d), E_FAULT);
    d = outgoing("x", 1, hole, 1);
    EXPECT_ERR(port_send(client, &d), E_FAULT);
    d = outgoing((void *)KERNEL_IMAGE_ADDR, 16, NULL, 0);
    EXPECT_ERR(port_send(client, &d), E_FAULT);
    d = outgoing("x", 1, NULL, 0);
    EXPECT_ERR(port_request(client, &d, (void *)ro), E_FAULT);     /* the reply must be writable */
    EXPECT_ERR(port_receive(s, (void *)ro, 0, 0), E_FAULT);
    EXPECT_ERR(port_receive(s, &m, 0, 0), E_TIMEDOUT);             /* nothing was queued */
    d = outgoing("x", 1, &ev, 1);
    EXPECT_EQ(port_send(client, &d), 0);
    handle_t got[PORT_MAX_HANDLES];
    long held = handles_held();
    m = incoming((void *)ro, MSG_MAX, got, PORT_MAX_HANDLES);
    EXPECT_ERR(port_receive(s, &m, 0, WAIT_NS), E_FAULT);          /* a read-only buffer */
    m = incoming(buf, sizeof buf, hole, PORT_MAX_HANDLES);
    EXPECT_ERR(port_receive(s, &m, 0, WAIT_NS), E_FAULT);          /* nowhere for the handle */
    EXPECT_EQ(handles_held(), held);                           /* nor was one left behind */
    m = incoming(buf, sizeof buf, got, PORT_MAX_HANDLES);
    EXPECT_EQ(port_receive(s, &m, 0, WAIT_NS), 0);                 /* still there, whole */
    EXPECT_EQ(m.nhandles, 1);
    EXPECT_EQ(event_set(got[0]), 0);
    reply = incoming(buf, sizeof buf, NULL, 0);
    EXPECT_ERR(port_request(client, NULL, &reply), E_FAULT);
    EXPECT_ERR(port_reply(s, NULL), E_FAULT);
    EXPECT_ERR(port_receive(s, &m, 0x100, 0), E_INVAL);            /* unknown flag */
    handle_close(got[0]);
    mem_unmap((void *)ro, PAGE_SIZE);
    close_connection(s, client, end);
}

/*
 * A descriptor the call writes back, whose first bytes are writable and whose
 * last are on a read-only page: the check before acting (a write probe of its
 * first and last byte, kernel/mm/usercopy.c) must see the second page too.
 */
TEST(descriptor_half_read_only_faults_before_acting)
{
    handle_t s, client, end;
    struct port_message m;
    char buf[MSG_MAX];
    long page = mem_map(NULL, 2 * PAGE_SIZE, MEM_WRITE);

    ASSERT_TRUE(page > 0);
    ASSERT_EQ(mem_unmap((void *)(page + PAGE_SIZE), PAGE_SIZE), 0);
    ASSERT_EQ(mem_map((void *)(page + PAGE_SIZE), PAGE_SIZE, MEM_READ), page + PAGE_SIZE);
    struct port_message *half = (struct port_message *)(page + PAGE_SIZE - sizeof(uint64_t));
    *(uint64_t *)half = 0;              /* data NULL, room 0: what lies on the read-only page */
    open_connection(NAME, &s, &client, &end);
    struct port_message d = outgoing("x", 1, NULL, 0);
    EXPECT_ERR(port_request(client, &d, half), E_FAULT);
    EXPECT_ERR(port_receive(s, half, 0, 0), E_FAULT);
    m = incoming(buf, sizeof buf, NULL, 0);
    EXPECT_ERR(port_receive(s, &m, 0, 0), E_TIMEDOUT);             /* the request was never sent */
    EXPECT_EQ(port_send(client, &d), 0);
    EXPECT_ERR(port_receive(s, half, 0, 0), E_FAULT);
    EXPECT_EQ(port_receive(s, &m, 0, 0), 0);                       /* the datagram stayed queued */
    EXPECT_EQ(m.len, 1u);
    mem_unmap((void *)page, 2 * PAGE_SIZE);
    close_connection(s, client, end);
}

TEST(wrong_handles_kinds_and_rights)
{
    handle_t s, client, end, ev = event_create(0, NULL);
    struct port_message m;
    char buf[MSG_MAX];

    open_connection(NAME, &s, &client, &end);
    struct port_message d = outgoing("x", 1, NULL, 0), reply = incoming(buf, sizeof buf, NULL, 0);
    EXPECT_ERR(port_send(ev, &d), E_WRONGTYPE);
    EXPECT_ERR(port_send(0, &d), E_BADHANDLE);
    EXPECT_ERR(port_request(s, &d, &reply), E_INVAL);      /* requests go through a client end */
    EXPECT_ERR(port_request(end, &d, &reply), E_INVAL);
    EXPECT_ERR(port_accept(client, 1, 0), E_INVAL);
    EXPECT_ERR(port_accept(s, 12345, 0), E_NOTFOUND);
    EXPECT_ERR(port_refuse(end, 1), E_INVAL);
    d.id = 1;
    EXPECT_ERR(port_reply(client, &d), E_INVAL);
    handle_t read_only = handle_duplicate(client, 0, RIGHT_READ | RIGHT_WAIT);
    EXPECT_ERR(port_send(read_only, &d), E_ACCESS);
    handle_t write_only = handle_duplicate(s, 0, RIGHT_WRITE);
    m = incoming(buf, sizeof buf, NULL, 0);
    EXPECT_ERR(port_receive(write_only, &m, 0, 0), E_ACCESS);
    handle_close(read_only);
    handle_close(write_only);
    handle_close(ev);
    close_connection(s, client, end);
}
