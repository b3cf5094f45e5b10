/*
 * pipes_badinput: the pipe calls refuse bad input and move nothing
 * (ARCHITECTURE.md section 6, kernel/ipc/pipe.h): pipe_create with a bad
 * pointer is E_FAULT and leaves no handle behind; bad read and write
 * buffers (NULL, unmapped, kernel addresses, lengths that wrap) are
 * E_FAULT and the bytes in the pipe stay exactly as they were; bad handles
 * are E_BADHANDLE, then E_WRONGTYPE, then E_ACCESS, in that order; a read
 * end has no RIGHT_WRITE to give and a write end no RIGHT_READ.
 */
#include "tests/user/pipe_util.h"

TEST(create_with_bad_pointer_faults_and_leaves_no_handle)
{
    long held = handles_held();
    long ro = mem_map(NULL, PAGE_SIZE, MEM_READ);

    ASSERT_TRUE(ro > 0);
    EXPECT_ERR(pipe_create(NULL), E_FAULT);
    EXPECT_ERR(pipe_create((handle_t *)ro), E_FAULT);
    EXPECT_ERR(pipe_create(unmapped_page()), E_FAULT);
    EXPECT_ERR(pipe_create((handle_t *)(USER_TOP - sizeof(handle_t))), E_FAULT);
    EXPECT_ERR(pipe_create((handle_t *)KERNEL_HEAP_ADDR), E_FAULT);
    EXPECT_EQ(handles_held(), held);
    EXPECT_EQ(mem_unmap((void *)ro, PAGE_SIZE), 0);
}

TEST(bad_buffers_fault_and_move_nothing)
{
    char buf[SMALL];

    open_pipe();
    EXPECT_EQ(pipe_write(W, "keep", 4), 4);
    EXPECT_ERR(pipe_read(R, NULL, 1), E_FAULT);
    EXPECT_ERR(pipe_read(R, unmapped_page(), 1), E_FAULT);
    EXPECT_ERR(pipe_read(R, (void *)KERNEL_IMAGE_ADDR, 1), E_FAULT);
    EXPECT_ERR(pipe_read(R, (void *)-PAGE_SIZE, 2 * PAGE_SIZE), E_FAULT);   /* wraps */
    EXPECT_ERR(pipe_read(R, buf, UINT64_MAX), E_FAULT);
    EXPECT_ERR(pipe_write(W, NULL, 1), E_FAULT);
    EXPECT_ERR(pipe_write(W, unmapped_page(), PIPE_ATOMIC), E_FAULT);
    EXPECT_ERR(pipe_write(W, (void *)KERNEL_HEAP_ADDR, 1), E_FAULT);
    EXPECT_ERR(pipe_write(W, buf, 1UL << 63), E_FAULT);
    EXPECT_EQ(pipe_read(R, buf, sizeof buf), 4);    /* exactly what was there */
    EXPECT_EQ(memcmp(buf, "keep", 4), 0);
    close_pipe();
}

TEST(bad_handles_are_rejected_in_order)
{
    char c = 0;
    handle_t file = file_open(self_path());

    open_pipe();
    ASSERT_TRUE(file > 0);
    handle_t no_read = handle_duplicate(R, 0, RIGHT_WAIT);
    handle_t no_write = handle_duplicate(W, 0, RIGHT_WAIT);
    ASSERT_TRUE(no_read > 0 && no_write > 0);
    EXPECT_ERR(pipe_read(0, &c, 1), E_BADHANDLE);
    EXPECT_ERR(pipe_write(0, &c, 1), E_BADHANDLE);
    EXPECT_ERR(pipe_read(file, &c, 1), E_WRONGTYPE);
    EXPECT_ERR(pipe_write(file, &c, 1), E_WRONGTYPE);
    EXPECT_ERR(pipe_read(no_read, &c, 1), E_ACCESS);
    EXPECT_ERR(pipe_write(no_write, &c, 1), E_ACCESS);
    EXPECT_EQ(handle_close(no_read), 0);
    EXPECT_EQ(handle_close(no_write), 0);
    EXPECT_ERR(pipe_read(no_read, &c, 1), E_BADHANDLE);
    EXPECT_EQ(handle_close(file), 0);
    close_pipe();
}

TEST(end_rights_are_what_the_types_promise)
{
    open_pipe();
    EXPECT_ERR(handle_duplicate(R, 0, RIGHT_WRITE), E_ACCESS);  /* a read end has none to give */
    EXPECT_ERR(handle_duplicate(W, 0, RIGHT_READ), E_ACCESS);
    close_pipe();
}
