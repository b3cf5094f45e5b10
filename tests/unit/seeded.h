/*
 * seeded.h: the seeded random generator of the libc differential tests
 * (xorshift64).  Each test seeds it once from an environment variable
 * (FORMAT_SEED, STRTOD_SEED, ...) or its own default, and prints |seed| in
 * every failure, so `FORMAT_SEED=n build/unit/test_libc_format` repeats a
 * failing run exactly.
 */
#ifndef EMBER_TESTS_UNIT_SEEDED_H
#define EMBER_TESTS_UNIT_SEEDED_H

#include <stdint.h>
#include <stdlib.h>

static uint64_t seed, rng;

static inline void seed_random(const char *env_name, uint64_t default_seed)
{
    const char *env = getenv(env_name);

    seed = env ? strtoull(env, NULL, 0) : default_seed;
    rng = seed ? seed : default_seed;   /* xorshift never leaves 0 */
}

static inline uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

#endif
