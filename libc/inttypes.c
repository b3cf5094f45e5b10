/* inttypes.c: the intmax_t helpers of <inttypes.h>; intmax_t is long long's width here. */
#include <inttypes.h>
#include <stdlib.h>

intmax_t imaxabs(intmax_t v)
{
    return v < 0 ? -v : v;
}

imaxdiv_t imaxdiv(intmax_t num, intmax_t den)
{
    return (imaxdiv_t){ num / den, num % den };
}

intmax_t strtoimax(const char *s, char **end, int base)
{
    return strtoll(s, end, base);
}

uintmax_t strtoumax(const char *s, char **end, int base)
{
    return strtoull(s, end, base);
}
