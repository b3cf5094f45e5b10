/*
 * ctype.c: character classes for ASCII.  Every function takes an int that
 * is EOF or an unsigned char value, as in C; anything outside ASCII
 * (EOF, bytes >= 0x80) belongs to no class.
 */
#include <ctype.h>

#define ASCII_DEL   0x7f
#define CASE_BIT    0x20        /* 'a' - 'A': lower case sets it */

int isupper(int c)  { return c >= 'A' && c <= 'Z'; }
int islower(int c)  { return c >= 'a' && c <= 'z'; }
int isalpha(int c)  { return isupper(c) || islower(c); }
int isdigit(int c)  { return c >= '0' && c <= '9'; }
int isalnum(int c)  { return isalpha(c) || isdigit(c); }
int isxdigit(int c) { return isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
int iscntrl(int c)  { return (c >= 0 && c < ' ') || c == ASCII_DEL; }
int isprint(int c)  { return c >= ' ' && c < ASCII_DEL; }
int ispunct(int c)  { return isprint(c) && c != ' ' && !isalnum(c); }

/* Space, \t, \n, \v, \f and \r. */
int isspace(int c)  { return c == ' ' || (c >= '\t' && c <= '\r'); }

int toupper(int c)  { return islower(c) ? c & ~CASE_BIT : c; }
int tolower(int c)  { return isupper(c) ? c | CASE_BIT : c; }
