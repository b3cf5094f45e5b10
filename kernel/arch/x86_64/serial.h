/* COM1, the kernel's log and (until drivers move to ring 3) the console. */
#ifndef EMBER_SERIAL_H
#define EMBER_SERIAL_H

#include <stdbool.h>

void serial_init(void);
void serial_putc(char c);
void serial_write(const char *s, unsigned long n);
/* Sends |c| if the transmitter is free; false (nothing sent) if it is still busy. */
bool serial_try_putc(char c);
bool serial_can_read(void);
int serial_getc(void);          /* -1 when no byte is waiting */
/* Raise IRQ 4 when a byte arrives. */
void serial_enable_rx_interrupt(void);

#endif
