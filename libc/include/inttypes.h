/*
 * inttypes.h: printf and scanf conversions for the <stdint.h> types, and
 * the intmax_t helpers (libc/inttypes.c).  x86_64 is LP64: a 64-bit type
 * is a long, so PRId64 is "ld".
 */
#ifndef EMBER_INTTYPES_H
#define EMBER_INTTYPES_H

#include <stdint.h>

#define PRId8       "d"
#define PRId16      "d"
#define PRId32      "d"
#define PRId64      "ld"
#define PRIi8       "i"
#define PRIi16      "i"
#define PRIi32      "i"
#define PRIi64      "li"
#define PRIu8       "u"
#define PRIu16      "u"
#define PRIu32      "u"
#define PRIu64      "lu"
#define PRIo8       "o"
#define PRIo16      "o"
#define PRIo32      "o"
#define PRIo64      "lo"
#define PRIx8       "x"
#define PRIx16      "x"
#define PRIx32      "x"
#define PRIx64      "lx"
#define PRIX8       "X"
#define PRIX16      "X"
#define PRIX32      "X"
#define PRIX64      "lX"
#define PRIdMAX     "ld"
#define PRIiMAX     "li"
#define PRIuMAX     "lu"
#define PRIxMAX     "lx"
#define PRIXMAX     "lX"
#define PRIoMAX     "lo"
#define PRIdPTR     "ld"
#define PRIiPTR     "li"
#define PRIuPTR     "lu"
#define PRIxPTR     "lx"
#define PRIXPTR     "lX"
#define PRIoPTR     "lo"

#define SCNd8       "hhd"
#define SCNd16      "hd"
#define SCNd32      "d"
#define SCNd64      "ld"
#define SCNi8       "hhi"
#define SCNi16      "hi"
#define SCNi32      "i"
#define SCNi64      "li"
#define SCNu8       "hhu"
#define SCNu16      "hu"
#define SCNu32      "u"
#define SCNu64      "lu"
#define SCNx8       "hhx"
#define SCNx16      "hx"
#define SCNx32      "x"
#define SCNx64      "lx"
#define SCNo8       "hho"
#define SCNo16      "ho"
#define SCNo32      "o"
#define SCNo64      "lo"
#define SCNdMAX     "ld"
#define SCNiMAX     "li"
#define SCNuMAX     "lu"
#define SCNxMAX     "lx"
#define SCNdPTR     "ld"
#define SCNuPTR     "lu"
#define SCNxPTR     "lx"

typedef struct {
    intmax_t quot;
    intmax_t rem;
} imaxdiv_t;

intmax_t imaxabs(intmax_t v);
imaxdiv_t imaxdiv(intmax_t num, intmax_t den);
/* strtoll and strtoull for intmax_t (the same width here); errno as theirs. */
intmax_t strtoimax(const char *s, char **end, int base);
uintmax_t strtoumax(const char *s, char **end, int base);

#endif
