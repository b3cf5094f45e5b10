#!/bin/sh
# Writes the assembly for the kernel's symbol table (see kernel/lib/ksyms.c)
# from the function symbols of an ELF.  Usage: ksyms.sh kernel.elf > ksyms.S
# With no ELF (the first link) it writes an empty table.
set -e
echo '    .section .ksyms, "a"'
echo '    .balign 8'
echo '    .global ksyms_count, ksyms_table, ksyms_names'
if [ -z "$1" ]; then
    echo 'ksyms_count: .quad 0'
    echo 'ksyms_table:'
    echo 'ksyms_names: .byte 0'
    exit 0
fi
NM=${NM:-nm}
$NM -n "$1" | awk '
    $2 ~ /^[tTwW]$/ { addr[n] = $1; name[n] = $3; n++ }
    END {
        printf "ksyms_count: .quad %d\nksyms_table:\n", n
        off = 0
        for (i = 0; i < n; i++) { printf "    .quad 0x%s, %d\n", addr[i], off; off += length(name[i]) + 1 }
        printf "ksyms_names:\n"
        for (i = 0; i < n; i++) printf "    .asciz \"%s\"\n", name[i]
    }'
