# Shared helpers of the guest scripts (sourced; run inside the VM, chrooted into the host root,
# cwd = $DFU4J_USBVM_WORK, /tmp private to the guest).
# shellcheck shell=bash
PASS=0 FAIL=0 SKIP=0
[ -f "$DFU4J_USBVM_WORK/guest.env" ] && . "$DFU4J_USBVM_WORK/guest.env"
REPO=${DFU4J_REPO:?}
# Traces and logs go to the guest's tmpfs (a 9p write per trace line would slow the bridge down);
# save_outputs copies them to $DFU4J_USBVM_WORK/out for inspection after the run.
OUT=/tmp/usbvm-out
mkdir -p "$OUT"
# The JVMs in the guest run under TCG emulation: C1 only and a small serial heap start fastest.
# -XX:-UsePerfData as the launchers (./dfu, bin/dfu) pass it: no hsperfdata file per JVM.
JAVA_FAST="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto"
# Class-data sharing archives made on the host by scripts/usb-vm-test (same JVM, same jar paths)
# save several seconds of class loading per JVM start under emulation. They are used from a copy in
# the guest's tmpfs, as a real machine maps them from its local disk: the work dir is a 9p mount
# without page caching, and mapping an archive from there cost every JVM start about 1.3 s
# (dfu --version 3.1 s against 1.7 s; JVM "Genesis" 1.01 s against 0.18 s; -Xlog:startuptime).
CDS_DIR=/tmp/usbvm-cds
mkdir -p "$CDS_DIR"
for a in bridge dfu; do
  [ -f "$DFU4J_USBVM_WORK/cds/$a.jsa" ] && [ ! -f "$CDS_DIR/$a.jsa" ] && cp "$DFU4J_USBVM_WORK/cds/$a.jsa" "$CDS_DIR/$a.jsa"
done
BRIDGE_CDS=
[ -f "$CDS_DIR/bridge.jsa" ] && BRIDGE_CDS="-XX:SharedArchiveFile=$CDS_DIR/bridge.jsa"

result() { # result NAME PASS|FAIL|SKIP [why]
  echo "RESULT $2 $1${3:+ ($3)}"
  case "$2" in PASS) PASS=$((PASS + 1)) ;; SKIP) SKIP=$((SKIP + 1)) ;; *) FAIL=$((FAIL + 1)) ;; esac
}
check() { # check NAME command...   PASS when the command succeeds
  local name=$1; shift
  if "$@"; then result "$name" PASS; else result "$name" FAIL; fi
}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }

# usb_devices VID PID [first]: the sysfs dirs of every configured device with these ids; with "first" only
# the first one, and a false status when there is none. Builtins only: under TCG every fork costs tens of
# milliseconds.
usb_devices() {
  local d v p c
  for d in /sys/bus/usb/devices/*; do
    [ -f "$d/idVendor" ] || continue
    read -r v < "$d/idVendor"; read -r p < "$d/idProduct"
    [ "$v" = "$1" ] && [ "$p" = "$2" ] || continue
    c=; read -r c < "$d/bConfigurationValue" 2>/dev/null
    [ -n "$c" ] || continue
    echo "$d"
    [ "${3:-}" = first ] && return 0
  done
  [ "${3:-}" != first ]
}
# usb_device VID PID: the sysfs dir of a configured device with these ids, if any
usb_device() { usb_devices "$1" "$2" first; }
# wait_usb present|gone [seconds] [vid] [pid]; gives up early when the bridge process died
wait_usb() {
  local want=$1 deadline=$((SECONDS + ${2:-15})) vid=${3:-0483} pid=${4:-df11}
  while [ $SECONDS -le $deadline ]; do
    if usb_device "$vid" "$pid" >/dev/null; then [ "$want" = present ] && return 0; else [ "$want" = gone ] && return 0; fi
    if [ "$want" = present ] && [ -n "$BRIDGE_PID" ] && ! kill -0 "$BRIDGE_PID" 2>/dev/null; then return 1; fi
    sleep 0.1
  done
  return 1
}

BRIDGE_PID=
# start_bridge NAME [bridge options...]: starts the bridge in the background, logs in $OUT/NAME.log,
# trace in $OUT/NAME.trace; returns when the device is configured on the bus.
start_bridge() {
  local name=$1; shift
  rm -f "$OUT/$name.trace"
  java $JAVA_FAST $BRIDGE_CDS ${DFU4J_BRIDGE_JAVA_OPTS:-} -cp "${BRIDGE_CP:-$REPO/usbvm/target/usbvm-bridge.jar}" ${BRIDGE_MAIN:-io.github.dfu4j.usbvm.BridgeMain} \
    --trace "$OUT/$name.trace" "$@" > "$OUT/$name.log" 2>&1 &
  BRIDGE_PID=$!
  # The bridge's JVM starts under emulation: 8-25 s on an idle 2-core host, more when the host is
  # busy with other builds. wait_usb returns early when the bridge dies, so a long limit costs nothing.
  # BRIDGE_WAIT_IDS="VID PID": the ids to wait for (default the bootloader's 0483 df11)
  if wait_usb present "${DFU4J_USBVM_BRIDGE_START_S:-90}" ${BRIDGE_WAIT_IDS:-}; then return 0; fi
  echo "bridge $name did not enumerate; log:"; cat "$OUT/$name.log"
  return 1
}
# stop_bridge [VID PID]...: SIGTERM (the bridge saves its state file), then wait until the device is gone
# (under each of the ids given; default the bootloader's 0483 df11).
stop_bridge() {
  [ -n "$BRIDGE_PID" ] || return 0
  kill "$BRIDGE_PID" 2>/dev/null
  local deadline=$((SECONDS + 10))
  while kill -0 "$BRIDGE_PID" 2>/dev/null && [ $SECONDS -le $deadline ]; do sleep 0.1; done
  kill -9 "$BRIDGE_PID" 2>/dev/null
  wait "$BRIDGE_PID" 2>/dev/null
  BRIDGE_PID=
  if [ $# -eq 0 ]; then wait_usb gone 10; return; fi
  while [ $# -ge 2 ]; do wait_usb gone 10 "$1" "$2"; shift 2; done
}
# bridge_exited_within SECONDS: true when the bridge process ended by itself
bridge_exited_within() {
  local deadline=$((SECONDS + $1))
  while kill -0 "$BRIDGE_PID" 2>/dev/null && [ $SECONDS -le $deadline ]; do sleep 0.1; done
  if kill -0 "$BRIDGE_PID" 2>/dev/null; then return 1; fi
  wait "$BRIDGE_PID" 2>/dev/null
  BRIDGE_PID=
  return 0
}
save_outputs() {
  rm -rf "$DFU4J_USBVM_WORK/out"
  cp -r "$OUT" "$DFU4J_USBVM_WORK/out" 2>/dev/null
}
summary() {
  # Kernel health: raw_gadget.ko taints O+E (12288) by being out of tree and unsigned; W (512) or D (128) means trouble.
  local t
  t=$(cat /proc/sys/kernel/tainted)
  if [ $((t & (512 | 128))) = 0 ]; then result "kernel: no WARN or oops (tainted=$t)" PASS
  else dmesg | grep -A15 -E 'WARNING|BUG|Oops' | head -40; result "kernel: WARN or oops (tainted=$t)" FAIL; fi
  echo "$PASS passed, $FAIL failed, $SKIP skipped" > "$OUT/summary.txt"
  save_outputs
  echo "$PASS passed, $FAIL failed"
}
