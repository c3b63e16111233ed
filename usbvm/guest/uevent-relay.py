#!/usr/bin/env python3
"""What udevd does for libusb, and nothing else, for the real-USB tier's guest (which has no udevd).

Debian's libusb is built with udev support: after libusb_init it learns of USB devices that appear or
go away only from udevd's netlink messages (group 2, "udev"), never from the kernel's own uevents
(group 1). Without udevd a process never sees a device that enumerated after it started, so a
`dfu flash` that detaches a run-time device cannot find the bootloader again. This relay listens to
the kernel's uevents and re-sends each one on the udev group in the libudev monitor format (systemd's
src/libsystemd/sd-device/device-monitor.c: a 40-byte header, "libudev", magic 0xfeedcafe, the
MurmurHash2 of subsystem and devtype for the receivers' socket filters, then the KEY=VALUE
properties). It applies no rules and changes no permissions. Run as root; stops on SIGTERM.
"""
import socket
import struct
import sys

NETLINK_KOBJECT_UEVENT = 15
GROUP_KERNEL, GROUP_UDEV = 1, 2
MAGIC = 0xFEEDCAFE


def murmur2(data: bytes, seed: int = 0) -> int:
    """MurmurHash2, 32 bit, as libudev's string_hash32 (seed 0, little-endian reads)."""
    m, length = 0x5BD1E995, len(data)
    h = (seed ^ length) & 0xFFFFFFFF
    i = 0
    while length - i >= 4:
        k = struct.unpack_from("<I", data, i)[0]
        k = (k * m) & 0xFFFFFFFF
        k ^= k >> 24
        k = (k * m) & 0xFFFFFFFF
        h = ((h * m) & 0xFFFFFFFF) ^ k
        i += 4
    rest = length - i
    if rest == 3:
        h ^= data[i + 2] << 16
    if rest >= 2:
        h ^= data[i + 1] << 8
    if rest >= 1:
        h ^= data[i]
        h = (h * m) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * m) & 0xFFFFFFFF
    h ^= h >> 15
    return h


def relay(message: bytes) -> bytes:
    """A kernel uevent ("ACTION@DEVPATH\\0KEY=VALUE\\0...") as a libudev monitor message, or b"" to skip."""
    parts = message.split(b"\0")
    if not parts or b"@" not in parts[0] or parts[0].startswith(b"libudev"):
        return b""
    props = [p for p in parts[1:] if b"=" in p]
    values = dict(p.split(b"=", 1) for p in props)
    if b"SUBSYSTEM" not in values or b"SEQNUM" not in values:
        return b""
    body = b"\0".join(props) + b"\0"
    subsystem = murmur2(values[b"SUBSYSTEM"])
    devtype = murmur2(values[b"DEVTYPE"]) if b"DEVTYPE" in values else 0
    header = struct.pack("<8s", b"libudev") + struct.pack(">I", MAGIC) + struct.pack("<III", 40, 40, len(body)) \
        + struct.pack(">IIII", subsystem, devtype, 0, 0)
    return header + body


def main() -> int:
    listen = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_KOBJECT_UEVENT)
    listen.bind((0, GROUP_KERNEL))
    send = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_KOBJECT_UEVENT)
    send.bind((0, 0))
    print("uevent-relay: relaying kernel uevents to the udev group", file=sys.stderr, flush=True)
    while True:
        out = relay(listen.recv(65536))
        if out:
            send.sendto(out, (0, GROUP_UDEV))


if __name__ == "__main__":
    sys.exit(main())
