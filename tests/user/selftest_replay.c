/*
 * selftest_replay: a case that fails on purpose, for reverse debugging
 * (docs/08 walks through it; make test's "replay" layer runs it).  It runs
 * only when named.  The bank's reserve is set once and must never change;
 * one of the many operations of the run overwrites it, long before the
 * check that notices.  Recorded with
 * `make replay TEST=selftest_replay.reserve_never_changes` and replayed with
 * `make gdb-replay`, a watchpoint on the reserve and reverse-continue from
 * the failed ASSERT stop at the bad write.
 */
#include <stdio.h>
#include <test.h>

#define ACCOUNTS    4
#define ROUNDS      50
#define RESERVE     1234

long balance[ACCOUNTS];
long reserve;                   /* global: a watchpoint can name it */

/* Moves |amount| from account |from| to account |to|. */
static void transfer(int from, int to, long amount)
{
    balance[from] -= amount;
    balance[to] += amount;
}

/* The bug: an audit that "rounds" the reserve while it reads it. */
static __attribute__((noinline)) void audit(int round)
{
    if (round == ROUNDS / 2)
        reserve = reserve / 1000 * 1000;            /* replay: the bad write */
}

TEST(reserve_never_changes)
{
    reserve = RESERVE;
    for (int i = 0; i < ACCOUNTS; i++)
        balance[i] = 100 * (i + 1);
    for (int round = 0; round < ROUNDS; round++) {
        transfer(round % ACCOUNTS, (round + 1) % ACCOUNTS, round);
        audit(round);
        if (round % 10 == 0)
            printf("round %d: balances %ld %ld %ld %ld\n", round, balance[0], balance[1], balance[2], balance[3]);
    }
    ASSERT_EQ(reserve, RESERVE);                    /* replay: the failed assertion */
}
