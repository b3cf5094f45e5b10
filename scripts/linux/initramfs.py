"""Writes the Linux bench's initramfs: a cpio archive in the kernel's "newc" format.

The kernel unpacks it into its first root filesystem and runs /init.  The
archive holds /init (the bench), /true (the spawn row's program), /dev/console
(so the first process has its stdout on the serial console) and /sys (a mount
point).  Written here in a few lines instead of needing cpio(1): a newc entry is
a 110-byte ASCII header, the name, and the data, each padded to 4 bytes.
"""
import stat

S_IFCHR_CONSOLE = (5, 1)    # /dev/console's device numbers


def _entry(ino, name, mode, data=b"", rdev=(0, 0)):
    name_z = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(name_z), 0]
    header = b"070701" + b"".join(b"%08X" % f for f in fields)
    pad = lambda n: b"\0" * (-n % 4)
    return header + name_z + pad(len(header) + len(name_z)) + data + pad(len(data))


def write(path, files):
    """|files| maps an archive path ("init") to a host file; each becomes an executable."""
    out = [_entry(1, "dev", stat.S_IFDIR | 0o755),
           _entry(2, "dev/console", stat.S_IFCHR | 0o600, rdev=S_IFCHR_CONSOLE),
           _entry(3, "sys", stat.S_IFDIR | 0o755)]
    for ino, (name, host) in enumerate(sorted(files.items()), start=4):
        with open(host, "rb") as f:
            out.append(_entry(ino, name, stat.S_IFREG | 0o755, f.read()))
    out.append(_entry(0, "TRAILER!!!", 0))
    with open(path, "wb") as f:
        f.write(b"".join(out))
