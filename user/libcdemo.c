/*
 * libcdemo: a student's first C program, the same text on Ember and on
 * Linux.  It uses what such a program reaches for first (rand, sscanf,
 * strtok, perror, time, printf with "%.17g") and only standard headers, so
 * `gcc user/libcdemo.c -lm` builds it for the host unchanged.  The build
 * does exactly that and stores the host's output in the boot image
 * (/libcdemo.expected); tests/user/libc_demo.c runs /bin/libcdemo on Ember
 * and compares the two, byte for byte.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void dice(void)
{
    srand(42);
    printf("dice:");
    for (int i = 0; i < 10; i++)
        printf(" %d", rand() % 6 + 1);
    printf("\nrand after srand(7): %d\n", (srand(7), rand()));
}

static void parse_records(void)
{
    char line[] = "ada,36,1.75;alan,41,1.8;grace,85,1.52";

    for (char *rec = strtok(line, ";"); rec; rec = strtok(NULL, ";")) {
        char name[16];
        int age;
        double height;

        if (sscanf(rec, "%15[^,],%d,%lf", name, &age, &height) == 3)
            printf("%-6s age %3d height %.2f m\n", name, age, height);
    }
}

static void numbers(void)
{
    const double values[] = { 0.1 + 0.2, 1e23, 1.0 / 3, 2.5e-310, 123456789.125 };

    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        printf("%%.17g: %.17g  %%e: %e  %%a: %a\n", values[i], values[i], values[i]);
    printf("sqrt(2) = %.17g, squared %.17g\n", sqrt(2), sqrt(2) * sqrt(2));
    printf("%.30f\n", 0.1);
    printf("strtod(\"0.1\") == 0.1: %s\n", strtod("0.1", NULL) == 0.1 ? "yes" : "no");
}

static void errors(void)
{
    FILE *f = fopen("/no/such/file", "r");

    fflush(stdout);             /* stderr is unbuffered: keep the lines in order */
    if (!f)
        perror("fopen /no/such/file");
    errno = 0;
    long big = strtol("99999999999999999999", NULL, 10);
    printf("strtol overflow: %ld, %s\n", big, strerror(errno));
}

int main(void)
{
    time_t start = time(NULL);

    dice();
    parse_records();
    numbers();
    errors();
    printf("time went forward: %s\n", time(NULL) >= start ? "yes" : "no");
    return 0;
}
