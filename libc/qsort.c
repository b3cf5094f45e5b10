/*
 * qsort.c: qsort as heapsort, and bsearch.
 *
 * Heapsort needs no recursion and no extra memory and is O(n log n) in every
 * case, which matters more here than quicksort's better average: a bad input
 * must not be able to make a program slow.  Not stable, as C allows.
 */
#include <stdint.h>
#include <stdlib.h>

typedef int (*compare_fn)(const void *, const void *);

static void swap_bytes(uint8_t *a, uint8_t *b, size_t size)
{
    for (size_t i = 0; i < size; i++) {
        uint8_t t = a[i];
        a[i] = b[i];
        b[i] = t;
    }
}

/* Moves element |root| down the max-heap base[0 .. n) until both children are smaller. */
static void sift_down(uint8_t *base, size_t root, size_t n, size_t size, compare_fn cmp)
{
    for (;;) {
        size_t child = 2 * root + 1, largest = root;

        if (child < n && cmp(base + child * size, base + largest * size) > 0)
            largest = child;
        if (child + 1 < n && cmp(base + (child + 1) * size, base + largest * size) > 0)
            largest = child + 1;
        if (largest == root)
            return;
        swap_bytes(base + root * size, base + largest * size, size);
        root = largest;
    }
}

void qsort(void *base, size_t n, size_t size, compare_fn cmp)
{
    uint8_t *b = base;

    for (size_t i = n / 2; i-- > 0;)           /* build the heap */
        sift_down(b, i, n, size, cmp);
    for (size_t end = n; end-- > 1;) {          /* move the largest behind the heap */
        swap_bytes(b, b + end * size, size);
        sift_down(b, 0, end, size, cmp);
    }
}

void *bsearch(const void *key, const void *base, size_t n, size_t size, compare_fn cmp)
{
    const uint8_t *b = base;
    size_t lo = 0, hi = n;                      /* the key, if present, is in [lo, hi) */

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp(key, b + mid * size);

        if (c == 0)
            return (void *)(b + mid * size);
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}
