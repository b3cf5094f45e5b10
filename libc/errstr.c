/* errstr.c: names and messages of the E_* codes, from the list in kernel/abi/errors.h. */
#include <ember.h>

struct error_text {
    long code;
    const char *name;
    const char *message;
};

static const struct error_text errors[] = {
#define ERROR_TEXT(name, value, text) { value, #name, text },
    EMBER_ERRORS(ERROR_TEXT)
#undef ERROR_TEXT
};

static const struct error_text *find_error(long code)
{
    for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++)
        if (errors[i].code == code)
            return &errors[i];
    return NULL;
}

const char *errstr(long code)
{
    const struct error_text *e = find_error(code);

    return e ? e->message : "unknown error";
}

const char *errname(long code)
{
    const struct error_text *e = find_error(code);

    return e ? e->name : NULL;
}
