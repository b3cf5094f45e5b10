/*
 * setjmp.h: non-local jumps (libc/setjmp.S).  setjmp saves the registers a
 * function must preserve, the stack pointer and its return address, and
 * returns 0; longjmp(env, v) returns from that setjmp again with |v| (1 if
 * |v| is 0).  The function that called setjmp must not have returned.
 */
#ifndef EMBER_SETJMP_H
#define EMBER_SETJMP_H

typedef unsigned long jmp_buf[8];   /* rbx rbp r12 r13 r14 r15 rsp rip; see setjmp.S */

__attribute__((returns_twice)) int setjmp(jmp_buf env);
__attribute__((noreturn)) void longjmp(jmp_buf env, int value);

#endif
