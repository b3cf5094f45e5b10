/*
 * spin: loops forever without a system call, until it is ended: Ctrl-C at
 * the console (the shell makes it the foreground program) or kill PID.
 * The demo of docs/09-drivers.md, "The console".
 */
int main(void)
{
    for (;;)
        __asm__ volatile("" ::: "memory");
}
