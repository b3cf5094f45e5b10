/* The two 8259 interrupt controllers, remapped to vectors 32..47. */
#ifndef EMBER_PIC_H
#define EMBER_PIC_H

void pic_init(void);
void pic_unmask(int irq);
void pic_mask(int irq);
void pic_eoi(int irq);

#endif
