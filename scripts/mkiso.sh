#!/bin/sh
# Builds a bootable GRUB ISO.  Usage: mkiso.sh OUT.iso KERNEL.elf BOOTFS.tar "kernel command line"
# The command line is how tests select boot options (for example test=fault).
set -e
out=$1 kernel=$2 bootfs=$3 cmdline=$4
stage=$(mktemp -d "${out%.iso}.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/boot/grub"
cp "$kernel" "$stage/boot/kernel.elf"
cp "$bootfs" "$stage/boot/bootfs.tar"
sed "s|@CMDLINE@|$cmdline|" boot/grub.cfg > "$stage/boot/grub/grub.cfg"
grub-mkrescue -o "$out" "$stage" >/dev/null 2>&1 || { grub-mkrescue -o "$out" "$stage"; exit 1; }
