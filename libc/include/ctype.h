/* ctype.h: character classes, ASCII only (libc/ctype.c).  EOF and bytes >= 0x80 are in none. */
#ifndef EMBER_CTYPE_H
#define EMBER_CTYPE_H

int isalpha(int c);
int isdigit(int c);
int isalnum(int c);
int isspace(int c);
int isupper(int c);
int islower(int c);
int isprint(int c);
int ispunct(int c);
int isxdigit(int c);
int iscntrl(int c);
int toupper(int c);
int tolower(int c);

#endif
