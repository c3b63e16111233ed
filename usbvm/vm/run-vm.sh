#!/usr/bin/env bash
# Boots the real-USB tier VM (qemu, Debian's stock kernel, dummy_hcd + raw_gadget) and runs one
# script inside it, chrooted into the host's root file system.
#
#   run-vm.sh [SCRIPT] [--shell] [--timeout SEC] [--mem MB] [--cpus N] [--accel kvm|tcg] [--check-accel]
#
# SCRIPT defaults to usbvm/guest/tier.sh. The guest sees the host's files read-only at their own
# paths (so it runs the host's java, dfu-util and the project's build outputs), the project tree
# read-only and $DFU4J_USBVM_WORK read-write; its /tmp is private. Host variables named DFU4J_*
# are passed in through $DFU4J_USBVM_WORK/guest.env.
# --check-accel only checks the accelerator (DFU4J_USBVM_ACCEL or --accel) and prints it.
# Exit code: the script's; 124 on timeout; 125 when the VM printed no exit code (a kernel oops
# powers the VM off at once: oops=panic panic=-1 and -no-reboot).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=${DFU4J_USBVM_WORK:-/tmp/dfu4j-usbvm}
mkdir -p "$work"
work=$(cd "$work" && pwd)
timeout_s=900 mem=2048 cpus=2 shell_mode= check_only= accel=${DFU4J_USBVM_ACCEL:-}
script=$repo/usbvm/guest/tier.sh
while [ $# -gt 0 ]; do
  case "$1" in
    --shell) shell_mode=1 ;;
    --timeout) timeout_s=$2; shift ;;
    --mem) mem=$2; shift ;;
    --cpus) cpus=$2; shift ;;
    --accel) accel=$2; shift ;;
    --check-accel) check_only=1 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) script=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") ;;
  esac
  shift
done
# Only hardware KVM runs a stock kernel: a PVM-backed /dev/kvm (kvm_pvm, found in some sandboxes)
# runs PVM-enabled guests only, and a stock kernel hangs in its decompressor there (no error, just
# a VM that never boots), so a forced kvm without hardware KVM fails here with the reason instead.
kvm_problem() {
  if [ ! -e /dev/kvm ]; then echo "/dev/kvm does not exist (no KVM on this host, or not passed into this container)"
  elif [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then echo "/dev/kvm is not readable and writable by $(id -un) (add the user to group kvm)"
  elif [ ! -d /sys/module/kvm_intel ] && [ ! -d /sys/module/kvm_amd ]; then
    echo "/dev/kvm is not hardware KVM (neither kvm_intel nor kvm_amd is loaded$([ -d /sys/module/kvm_pvm ] && echo '; it is PVM, which runs only PVM-enabled guest kernels'))"
  fi
}
if [ -z "$accel" ]; then
  if [ -z "$(kvm_problem)" ]; then accel=kvm; else accel=tcg; fi
fi
case "$accel" in
  kvm)
    why=$(kvm_problem)
    [ -z "$why" ] || { echo "usbvm: KVM was requested (DFU4J_USBVM_ACCEL=kvm or --accel kvm) but $why; use tcg or leave DFU4J_USBVM_ACCEL unset" >&2; exit 2; }
    accel_args=(-accel kvm -cpu host) ;;
  tcg) accel_args=(-accel tcg,thread=multi -cpu max) ;;
  *) echo "usbvm: the accelerator must be kvm or tcg, not '$accel'" >&2; exit 2 ;;
esac
if [ -n "$check_only" ]; then echo "usbvm: accelerator $accel"; exit 0; fi
[ -f "$work/vmlinuz" ] && [ -f "$work/initramfs.cpio.gz" ] || "$here/build-initramfs.sh" || exit 1
command -v qemu-system-x86_64 >/dev/null || { echo "usbvm: qemu-system-x86_64 missing (apt-get install qemu-system-x86)" >&2; exit 1; }

for name in $(compgen -e | grep '^DFU4J_' | grep -v -x -e DFU4J_USBVM_WORK -e DFU4J_REPO); do
  printf 'export %s=%q\n' "$name" "${!name}"
done > "$work/guest.env"

# Paths go on the kernel command line, which splits at spaces.
case "$work$repo$script" in *' '*) echo "usbvm: paths with spaces are not supported" >&2; exit 2 ;; esac
append="console=ttyS0 quiet loglevel=3 oops=panic panic=-1 usbvm.work=$work usbvm.repo=$repo"
if [ -n "$shell_mode" ]; then append+=" usbvm.shell=1"; else append+=" usbvm.cmd=$script"; fi
qemu=(qemu-system-x86_64 -machine pc "${accel_args[@]}" -m "$mem" -smp "$cpus"
  -kernel "$work/vmlinuz" -initrd "$work/initramfs.cpio.gz" -append "$append"
  -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap
  -virtfs "local,path=$repo,mount_tag=repo,security_model=none,readonly=on,multidevs=remap"
  -virtfs "local,path=$work,mount_tag=work,security_model=none,multidevs=remap"
  -nic none -no-reboot)

if [ -n "$shell_mode" ]; then
  exec "${qemu[@]}" -nographic
fi

log=$work/vm-console.log
t0=${EPOCHREALTIME/./}
elapsed() { local us=$(( ${EPOCHREALTIME/./} - t0 )); printf '%d.%02d' $((us / 1000000)) $(( (us / 10000) % 100 )); }
echo "usbvm: booting ($accel, $cpus cpus, $mem MiB); console log $log"
timeout -k 5 "$timeout_s" "${qemu[@]}" -display none -monitor none -serial stdio < /dev/null 2>&1 |
  while IFS= read -r line; do
    printf '[%7s] %s\n' "$(elapsed)" "${line%$'\r'}"
  done | tee "$log"
qemu_rc=${PIPESTATUS[0]}
echo "usbvm: VM wall time $(elapsed) s (qemu exit $qemu_rc)"
[ "$qemu_rc" = 124 ] && { echo "usbvm: TIMEOUT after $timeout_s s"; exit 124; }
rc=$(sed -n 's/.*DFU4J-USBVM-EXIT=\([0-9]*\).*/\1/p' "$log" | tail -1)
[ -n "$rc" ] || { echo "usbvm: the VM printed no exit code (kernel oops?)"; exit 125; }
exit "$rc"
