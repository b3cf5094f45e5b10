/*
 * serial.c: the 16550 UART at COM1 (I/O port 0x3f8), polled.
 * 115200 baud, 8 data bits, no parity, one stop bit.  Output waits for the
 * transmit holding register to drain; under QEMU it never has to.
 */
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/serial.h"

#define COM1            0x3f8
#define UART_DATA       0       /* with DLAB set: divisor low byte */
#define UART_IER        1       /* with DLAB set: divisor high byte */
#define UART_FCR        2
#define UART_LCR        3
#define UART_MCR        4
#define UART_LSR        5
#define LCR_8N1         0x03
#define LCR_DLAB        0x80
#define FCR_ENABLE_CLEAR 0x07
#define MCR_DTR_RTS_OUT2 0x0b
#define LSR_DATA_READY  0x01
#define IER_RX_READY    0x01
#define LSR_THR_EMPTY   0x20
#define BAUD_DIVISOR    1       /* 115200 / 1 */

void serial_init(void)
{
    outb(COM1 + UART_IER, 0);
    outb(COM1 + UART_LCR, LCR_DLAB);
    outb(COM1 + UART_DATA, BAUD_DIVISOR);
    outb(COM1 + UART_IER, 0);
    outb(COM1 + UART_LCR, LCR_8N1);
    outb(COM1 + UART_FCR, FCR_ENABLE_CLEAR);
    outb(COM1 + UART_MCR, MCR_DTR_RTS_OUT2);
}

void serial_putc(char c)
{
    while (!(inb(COM1 + UART_LSR) & LSR_THR_EMPTY))
        ;
    outb(COM1 + UART_DATA, (uint8_t)c);
}

bool serial_try_putc(char c)
{
    if (!(inb(COM1 + UART_LSR) & LSR_THR_EMPTY))
        return false;
    outb(COM1 + UART_DATA, (uint8_t)c);
    return true;
}

void serial_write(const char *s, unsigned long n)
{
    for (unsigned long i = 0; i < n; i++) {
        if (s[i] == '\n')
            serial_putc('\r');
        serial_putc(s[i]);
    }
}

bool serial_can_read(void)
{
    return inb(COM1 + UART_LSR) & LSR_DATA_READY;
}

int serial_getc(void)
{
    return serial_can_read() ? inb(COM1 + UART_DATA) : -1;
}

void serial_enable_rx_interrupt(void)
{
    outb(COM1 + UART_IER, IER_RX_READY);
}
