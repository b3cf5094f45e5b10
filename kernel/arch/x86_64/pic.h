/* The two 8259 interrupt controllers, remapped to vectors 32..47. */
#ifndef EMBER_PIC_H
#define EMBER_PIC_H

#include <stdbool.h>

void pic_init(void);
void pic_unmask(int irq);
void pic_mask(int irq);
/* Every line, the cascade too: the I/O APIC delivers them now (irq_line.c). */
void pic_mask_all(void);
void pic_eoi(int irq);
/* Whether |irq| (0..7) has been raised and not yet delivered, masked or not. */
bool pic_pending(int irq);

#endif
