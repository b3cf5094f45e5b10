#!/bin/sh
# Installs what building, running and testing Ember needs, when it is missing.
# As root it runs apt-get; otherwise it prints the exact command to run.
# `make run` and `make test` call it, so a fresh Debian machine needs nothing else.
set -e

# command -> Debian package that provides it
need="
gcc:gcc
make:make
ld:binutils
nm:binutils
tar:tar
python3:python3
gdb:gdb
qemu-system-x86_64:qemu-system-x86
qemu-img:qemu-utils
grub-mkrescue:grub-common
xorriso:xorriso
mformat:mtools
"
missing=""
for pair in $need; do
    cmd=${pair%%:*} pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || missing="$missing $pkg"
done
# grub-mkrescue needs the BIOS platform files to make a bootable ISO.
[ -d /usr/lib/grub/i386-pc ] || missing="$missing grub-pc-bin"
# The unit tests run under AddressSanitizer and UBSan.
echo 'int main(void){return 0;}' > /tmp/ember-asan-$$.c
if ! gcc -fsanitize=address,undefined -o /tmp/ember-asan-$$ /tmp/ember-asan-$$.c >/dev/null 2>&1; then
    missing="$missing libasan8 libubsan1"
fi
rm -f /tmp/ember-asan-$$ /tmp/ember-asan-$$.c

[ -z "$missing" ] && exit 0
missing=$(echo $missing | tr ' ' '\n' | sort -u | tr '\n' ' ')
if [ "$(id -u)" = 0 ]; then
    echo "deps: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $missing
else
    echo "deps: missing packages; run:"
    echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends $missing"
    exit 1
fi
