/*
 * crash: faults on purpose, in ring 3.  A fault ends only the process that
 * made it: run `crash null` from the shell and the shell lives on and names
 * the fault ("sh: crash: page fault at 0x0, read, page not present, ...").
 * tests/user/faults.c runs it too.
 *
 *   crash null       read address 0 (page 0 is never mapped)
 *   crash write-ro   write to read-only data (.rodata)
 *   crash exec-nx    jump into data, which is mapped no-execute
 *   crash divide     divide by zero
 *   crash ud2        an invalid opcode
 *   crash int3       a breakpoint
 *   crash gp         a privileged instruction (hlt): general protection
 *   crash stack      recurse until the stack runs out
 *   crash kernel     read kernel memory
 *   crash write      write through a NULL pointer, in C: the report names
 *                    null_write and its line ("page fault writing 0x0 in
 *                    null_write at user/crash.c:N"; make test checks N)
 */
#include <stdio.h>
#include <string.h>

#define KERNEL_ADDRESS  0xffffffff80100000UL    /* where the kernel image is linked */
#define USAGE_EXIT      2

static const char read_only[] = "in .rodata";
static unsigned char data_code[] = { 0xc3 };    /* ret, but in .data: no-execute */

static void null_read(void)     { __asm__ volatile("mov 0, %%rax" ::: "rax"); }
static void write_ro(void)      { *(volatile char *)read_only = 'x'; }
static void exec_nx(void)       { ((void (*)(void))data_code)(); }
static void divide(void)        { __asm__ volatile("xor %%ecx, %%ecx; div %%ecx" ::: "rax", "rcx", "rdx"); }
static void ud2(void)           { __asm__ volatile("ud2"); }
static void int3(void)          { __asm__ volatile("int3"); }
static void gp(void)            { __asm__ volatile("hlt"); }
static void kernel_read(void)   { (void)*(volatile char *)KERNEL_ADDRESS; }

static int *volatile nowhere;   /* NULL; volatile so that the compiler keeps the write */
static void null_write(void)
{
    *nowhere = 7;               /* crash: the faulting write */
}

/* Each call keeps a buffer on the stack; |endless| stops the compiler from calling it infinite. */
static volatile int endless = 1;
static int recurse(int depth)
{
    volatile char frame[256];

    frame[0] = (char)depth;
    return endless ? recurse(depth + 1) + frame[0] : 0;
}
static void stack(void)         { recurse(0); }

static const struct {
    const char *kind;
    void (*crash)(void);
    const char *what;
} kinds[] = {
    { "null", null_read, "reading address 0" },
    { "write-ro", write_ro, "writing to read-only data" },
    { "exec-nx", exec_nx, "jumping into no-execute data" },
    { "divide", divide, "dividing by zero" },
    { "ud2", ud2, "running an invalid opcode" },
    { "int3", int3, "hitting a breakpoint" },
    { "gp", gp, "running hlt in ring 3" },
    { "stack", stack, "recursing without end" },
    { "kernel", kernel_read, "reading kernel memory" },
    { "write", null_write, "writing through a NULL pointer" },
};

int main(int argc, char **argv)
{
    for (size_t i = 0; argc == 2 && i < sizeof kinds / sizeof kinds[0]; i++) {
        if (strcmp(argv[1], kinds[i].kind) == 0) {
            printf("crash: %s\n", kinds[i].what);
            fflush(stdout);
            kinds[i].crash();
            printf("crash: still alive after %s?\n", kinds[i].what);
            return 1;
        }
    }
    fprintf(stderr, "usage: crash null|write-ro|exec-nx|divide|ud2|int3|gp|stack|kernel|write\n");
    return USAGE_EXIT;
}
