/* true: does nothing, successfully (the smallest program: spawn benchmarks and scripts use it). */
int main(void)
{
    return 0;
}
