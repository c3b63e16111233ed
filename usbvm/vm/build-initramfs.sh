#!/usr/bin/env bash
# Prepares the VM of the real-USB tier in $DFU4J_USBVM_WORK (default /tmp/dfu4j-usbvm):
#   vmlinuz            Debian's stock kernel, taken from the linux-image package (not installed)
#   initramfs.cpio.gz  busybox-static, the kernel modules the tier needs, raw_gadget.ko, init
# Re-runnable and cached: the kernel package, raw_gadget.ko and the initramfs are rebuilt only
# when their inputs change, so a second run costs a second or two.
#
# Environment: DFU4J_USBVM_WORK (work dir), DFU4J_USBVM_KERNEL_DEB (use this linux-image .deb
# instead of the one linux-image-amd64 points to), DFU4J_USBVM_NO_APT=1 (never call apt-get).
# Host tools needed (scripts/usb-vm-test installs them): busybox-static, cpio, kmod, xz-utils,
# gcc-12, make, dpkg-deb, apt-get.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${DFU4J_USBVM_WORK:-/tmp/dfu4j-usbvm}
mkdir -p "$work"
work=$(cd "$work" && pwd)
export DFU4J_USBVM_WORK=$work

for tool in cpio depmod modprobe xz dpkg-deb gzip; do
  command -v "$tool" >/dev/null || { echo "usbvm: '$tool' is missing (run scripts/usb-vm-test, which installs it)" >&2; exit 1; }
done
if ! [ -x /bin/busybox ] || ! /bin/busybox --list | grep -x insmod >/dev/null; then  # not grep -q: under pipefail its early exit can SIGPIPE busybox
  echo "usbvm: /bin/busybox is missing or not busybox-static (apt-get install busybox-static)" >&2
  exit 1
fi

# ---- the kernel: the linux-image package linux-image-amd64 depends on, downloaded once ----------
if [ -n "${DFU4J_USBVM_KERNEL_DEB:-}" ]; then
  deb=$DFU4J_USBVM_KERNEL_DEB
else
  deb=$(ls "$work"/linux-image-*-amd64_*.deb 2>/dev/null | grep -v -e unsigned -e dbg | tail -1 || true)
  if [ -z "$deb" ]; then
    [ -n "${DFU4J_USBVM_NO_APT:-}" ] && { echo "usbvm: no kernel package in $work and apt is disabled" >&2; exit 1; }
    image_pkg() { apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}'; }
    pkg=$(image_pkg)
    if [ -z "$pkg" ]; then apt-get update -qq; pkg=$(image_pkg); fi
    [ -n "$pkg" ] || { echo "usbvm: apt knows no linux-image-amd64" >&2; exit 1; }
    echo "usbvm: apt-get download $pkg"
    (cd "$work" && apt-get -qq download "$pkg" 2>&1 | grep -v unsandboxed || true)
    deb=$(ls "$work"/"$pkg"_*.deb 2>/dev/null | tail -1 || true)
    [ -n "$deb" ] || { echo "usbvm: could not download $pkg" >&2; exit 1; }
  fi
fi
kdir=$work/kernel
if [ "$(cat "$kdir/.from" 2>/dev/null)" != "$deb" ]; then
  echo "usbvm: unpacking $(basename "$deb")"
  rm -rf "$kdir"
  mkdir -p "$kdir"
  dpkg-deb -x "$deb" "$kdir"
  echo "$deb" > "$kdir/.from"
fi
kver=$(ls "$kdir/lib/modules" | head -1)
[ -f "$kdir/lib/modules/$kver/modules.dep" ] || depmod -b "$kdir" "$kver"
cp -u "$kdir/boot/vmlinuz-$kver" "$work/vmlinuz"

"$here/build-raw-gadget.sh" "$deb"

# ---- the initramfs: rebuilt when the kernel, raw_gadget.ko, init or the module list change -------
# virtio + 9p carry the host's file systems into the guest; dummy_hcd is a virtual host controller
# wired to a virtual device controller (dummy_udc), which raw_gadget drives from user space.
modules="virtio_pci 9pnet_virtio 9p dummy_hcd"
stamp="$kver|$modules|$(md5sum "$here/init" "$work/raw_gadget.ko" /bin/busybox | cut -d' ' -f1 | tr '\n' ' ')"
if [ -f "$work/initramfs.cpio.gz" ] && [ "$(cat "$work/initramfs.from" 2>/dev/null)" = "$stamp" ]; then
  echo "usbvm: initramfs is up to date (kernel $kver)"
  exit 0
fi
root=$work/initramfs.d
rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,host,lib/modules}
cp /bin/busybox "$root/bin/busybox"
list=$root/lib/modules/load.list
: > "$list"
for m in $modules; do
  # --show-depends prints one "insmod PATH" per module in load order ("builtin" for built-ins).
  modprobe -d "$kdir" -S "$kver" --show-depends "$m" | awk '$1 == "insmod" {print $2}' |
  while read -r ko; do
    base=$(basename "$ko")
    base=${base%.xz}
    base=${base%.zst}
    grep -qx "$base" "$list" && continue
    case "$ko" in
      *.ko.xz) xz -dc "$ko" > "$root/lib/modules/$base" ;;
      *.ko.zst) zstd -qdc "$ko" > "$root/lib/modules/$base" ;;
      *) cp "$ko" "$root/lib/modules/$base" ;;
    esac
    echo "$base" >> "$list"
  done
done
cp "$work/raw_gadget.ko" "$root/lib/modules/raw_gadget.ko"
echo raw_gadget.ko >> "$list"
cp "$here/init" "$root/init"
chmod 755 "$root/init" "$root/bin/busybox"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1 > "$work/initramfs.cpio.gz")
echo "$stamp" > "$work/initramfs.from"
echo "usbvm: built initramfs ($(du -k "$work/initramfs.cpio.gz" | cut -f1) KiB, kernel $kver): $(tr '\n' ' ' < "$list")"
