/*
 * rand.c: rand and srand, glibc's generator (its TYPE_3 "random"): an
 * additive lagged Fibonacci generator, state[i] = state[i-3] + state[i-31]
 * (mod 2^32), each result the top 31 bits.  It is no better than any other
 * simple generator, but it is the one a student's Linux machine runs, so a
 * program seeded the same way prints the same numbers on both (the libcdemo
 * check relies on it).
 *
 * Seeding fills the 31 words with Park and Miller's minimal standard
 * generator (x * 16807 mod 2^31 - 1) and throws the first 310 results away,
 * as glibc does.  Not for threads: one state per process, unlocked.
 */
#include <stdint.h>
#include <stdlib.h>

#define RAND_DEGREE     31      /* words of state: the longer lag */
#define RAND_SEP        3       /* the shorter lag */
#define RAND_DISCARD    (10 * RAND_DEGREE)
#define PM_MODULUS      2147483647      /* 2^31 - 1 */
#define PM_MULTIPLIER   16807
#define PM_Q            127773          /* PM_MODULUS / PM_MULTIPLIER (Schrage's method) */
#define PM_R            2836            /* PM_MODULUS % PM_MULTIPLIER */

static uint32_t state[RAND_DEGREE];
static int front, rear;         /* state[front] += state[rear] gives the next result */
static int seeded;

static int32_t next_result(void)
{
    uint32_t v = state[front] += state[rear];

    front = (front + 1) % RAND_DEGREE;
    rear = (rear + 1) % RAND_DEGREE;
    return (int32_t)(v >> 1);
}

void srand(unsigned seed)
{
    long word = (int32_t)(seed ? seed : 1);     /* glibc keeps the seed as a signed 32-bit word */

    state[0] = (uint32_t)word;
    for (int i = 1; i < RAND_DEGREE; i++) {
        long hi = word / PM_Q, lo = word % PM_Q;

        word = PM_MULTIPLIER * lo - PM_R * hi;  /* word * 16807 mod 2^31 - 1, without overflow */
        if (word < 0)
            word += PM_MODULUS;
        state[i] = (uint32_t)word;
    }
    front = RAND_SEP;
    rear = 0;
    for (int i = 0; i < RAND_DISCARD; i++)
        next_result();
    seeded = 1;
}

int rand(void)
{
    if (!seeded)
        srand(1);
    return next_result();
}
