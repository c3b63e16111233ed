#!/usr/bin/env bash
# Builds raw_gadget.ko for Debian's stock kernel. Debian leaves CONFIG_USB_RAW_GADGET unset, so
# the module is compiled out of tree from the unmodified drivers/usb/gadget/legacy/raw_gadget.c.
#
#   build-raw-gadget.sh KERNEL_DEB      -> $DFU4J_USBVM_WORK/raw_gadget.ko
#
# Everything comes from Debian packages of the kernel's exact version, downloaded with
# `apt-get download` and only unpacked under the work dir (never installed):
#   linux-headers-<abi>-amd64, linux-headers-<abi>-common, linux-kbuild-<x.y>, linux-source-<x.y>
# The build is skipped when raw_gadget.ko already matches the kernel package.
set -euo pipefail
work=${DFU4J_USBVM_WORK:-/tmp/dfu4j-usbvm}
kernel_deb=${1:?usage: build-raw-gadget.sh KERNEL_DEB}

abi=$(dpkg-deb -f "$kernel_deb" Package | sed -e 's/^linux-image-//' -e 's/-unsigned$//')   # 6.1.0-56-amd64
version=$(dpkg-deb -f "$kernel_deb" Version)                                             # 6.1.192-2
series=$(echo "$abi" | cut -d. -f1,2)                                                    # 6.1
common=${abi%-*}-common                                                                  # 6.1.0-56-common
out=$work/raw_gadget.ko
stamp="$abi $version"

if [ -f "$out" ] && [ "$(cat "$out.from" 2>/dev/null)" = "$stamp" ]; then
  echo "usbvm: raw_gadget.ko is up to date for $abi"
  exit 0
fi

kb=$work/kbuild
mkdir -p "$kb/debs"
for pkg in "linux-headers-$abi" "linux-headers-$common" "linux-kbuild-$series" "linux-source-$series"; do
  if ! ls "$kb/debs/${pkg}_${version}_"*.deb >/dev/null 2>&1; then
    [ -n "${DFU4J_USBVM_NO_APT:-}" ] && { echo "usbvm: $pkg=$version is not in $kb/debs and apt is disabled" >&2; exit 1; }
    echo "usbvm: apt-get download $pkg=$version"
    # apt-get download runs as _apt when it can; the work dir may not be writable for it, which
    # only produces a warning ("unsandboxed"), so that line is filtered.
    (cd "$kb/debs" && { apt-get -qq download "$pkg=$version" 2>&1 ||
        { apt-get update -qq && apt-get -qq download "$pkg=$version" 2>&1; }; } | grep -v unsandboxed || true)
    ls "$kb/debs/${pkg}_${version}_"*.deb >/dev/null 2>&1 ||
      { echo "usbvm: cannot download $pkg=$version (archive out of step with the kernel?)" >&2; exit 1; }
  fi
done

root=$kb/root
rm -rf "$root"
mkdir -p "$root"
for pkg in "linux-headers-$abi" "linux-headers-$common" "linux-kbuild-$series"; do
  dpkg-deb -x "$kb/debs/${pkg}_${version}_"*.deb "$root"
done
headers=$root/usr/src/linux-headers-$abi
# The flavour's Makefile includes the -common tree by its absolute /usr/src path; point it at our copy.
sed -i "s|^include /usr/src/|include $root/usr/src/|" "$headers/Makefile"

src=$kb/raw_gadget
rm -rf "$src"
mkdir -p "$src"
echo "usbvm: extracting raw_gadget.c from linux-source-$series"
dpkg-deb --fsys-tarfile "$kb/debs/linux-source-${series}_${version}_"*.deb |
  tar -xO "./usr/src/linux-source-$series.tar.xz" | xz -dc |
  tar -xO "linux-source-$series/drivers/usb/gadget/legacy/raw_gadget.c" > "$src/raw_gadget.c"
echo 'obj-m := raw_gadget.o' > "$src/Kbuild"

# The headers' Makefile names the compiler the kernel was built with (gcc-12 on bookworm).
make -s -C "$headers" M="$src" modules 2>&1 | grep -v 'Skipping BTF' || true
[ -f "$src/raw_gadget.ko" ] || { echo "usbvm: raw_gadget.ko did not build" >&2; exit 1; }
strip --strip-debug -o "$out" "$src/raw_gadget.ko"
echo "$stamp" > "$out.from"
echo "usbvm: built $out ($(modinfo -F vermagic "$out"))"
