#!/bin/sh
# What `make bench` and `make bench-scale` need beyond `make test`'s deps.sh.
#
#   bench_deps.sh linux   Debian's current linux-image-amd64 kernel, extracted into
#                         build/linux/ (vmlinuz, and "package" naming the .deb it came
#                         from), once: later runs use the cached copy.  When it cannot be
#                         had, build/linux/unavailable says why and the bench says so.
#   bench_deps.sh plot    python3-matplotlib, for bench-scale's SVG plots (Debian's
#                         /usr/bin/python3 sees it; the Makefile runs bench-scale with it).
#
# Never fails the build: a bench without Linux or without plots still runs and says
# what it lacks.  As root it runs apt-get; otherwise it prints the command to run.
dir=build/linux

apt_install() {
    if [ "$(id -u)" = 0 ]; then
        echo "bench deps: installing $*"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null ||
            { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
                apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }
    else
        echo "bench deps: missing; run: sudo apt-get install -y --no-install-recommends $*"
    fi
}

linux_unavailable() {
    echo "$*" > $dir/unavailable
    echo "bench deps: no Linux kernel image: $*"
    exit 0
}

linux() {
    [ -f $dir/vmlinuz ] && exit 0
    mkdir -p $dir/deb && rm -f $dir/unavailable $dir/deb/*.deb
    # The static C program of the Linux side links against glibc's libc.a.
    [ -f /usr/lib/x86_64-linux-gnu/libc.a ] || apt_install libc6-dev
    # linux-image-amd64 is a metapackage; the image is the package it depends on.
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/ { print $2; exit }')
    if [ -z "$pkg" ] && [ "$(id -u)" = 0 ]; then
        apt-get update -qq
        pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/ { print $2; exit }')
    fi
    [ -n "$pkg" ] || linux_unavailable "apt-cache knows no linux-image-amd64 (run apt-get update)"
    (cd $dir/deb && apt-get download "$pkg" >/dev/null 2>&1) ||
        linux_unavailable "apt-get download $pkg failed"
    deb=$(ls $dir/deb/*.deb)
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C $dir/deb --wildcards './boot/vmlinuz-*' ||
        linux_unavailable "no vmlinuz in $deb"
    mv $dir/deb/boot/vmlinuz-* $dir/vmlinuz
    echo "$(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version)" > $dir/package
    rm -rf $dir/deb
    echo "bench deps: Linux kernel from $(cat $dir/package)"
}

plot() {
    /usr/bin/python3 -c 'import matplotlib' 2>/dev/null || apt_install python3-matplotlib
}

case "$1" in
    linux) linux ;;
    plot) plot ;;
    *) echo "usage: $0 linux|plot" >&2; exit 2 ;;
esac
