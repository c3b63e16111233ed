# The device lifecycle over real USB (issue 13), sourced by tier.sh (inside the VM, after its helpers):
#   runtime  an application with a DFU run-time interface (bridge --sim CHIP-runtime, bitWillDetach 1, and
#            CHIP-runtime-reset, bitWillDetach 0): dfu flash detaches it, finds the bootloader again at the
#            same port, flashes, verifies and leaves; the application comes back at that port. dfu detach
#            and dfu reset on the same bridge.
#   multi    several boards at once: dummy_hcd is reloaded with num=4 (one UDC, so one root hub, per
#            board); one bridge process serves the boards (--boards N), each on its own UDC with its own serial.
#            -S and -p select the right board, no selector is refused, and --all flashes four boards;
#            its wall time against one board alone is the BENCH-ROW all4 line.
# shellcheck shell=bash

# wait_usb_count N SECONDS VID PID: until exactly N such devices are configured
wait_usb_count() {
  local n=$1 deadline=$((SECONDS + $2)) got
  while [ $SECONDS -le "$deadline" ]; do
    got=$(usb_devices "$3" "$4" | wc -l)
    [ "$got" = "$n" ] && return 0
    sleep 0.2
  done
  echo "wait_usb_count: $got of $n devices $3:$4 after $2 s"
  return 1
}
# port_of VID PID [SERIAL]: the port path (sysfs name, as dfu list and -p spell it) of that device
port_of() {
  local d s
  for d in $(usb_devices "$1" "$2"); do
    s=; read -r s < "$d/serial" 2>/dev/null
    if [ -z "${3:-}" ] || [ "$s" = "$3" ]; then echo "${d##*/}"; return 0; fi
  done
  return 1
}

# ---- runtime: detach -> re-enumeration -> flash -> leave -> the application back at the same port --------
lifecycle_runtime() { # lifecycle_runtime VARIANT(runtime|runtime-reset) BACKEND(jna|usb4java)
  local v=$1 b=$2 tag="rt-$1" path after rc n bit
  bit=$([ "$v" = runtime ] && echo 1 || echo 0)
  if ! start_bridge_app "$tag" --sim "stm32f405-$v" --sim-option serial=RUNTIME0000$bit; then
    result "$v: bridge puts the application (0483:5740) on the bus" FAIL "$(tail -1 "$OUT/$tag.log")"
    stop_bridge; return
  fi
  path=$(port_of 0483 5740)
  v="$v [$b]"
  result "$v (bitWillDetach $bit): the application enumerates at $path with its run-time DFU interface" PASS
  if [ "$1" = runtime ]; then
    timeout 120 dfu list --backend="$b" > "$OUT/$tag.list" 2>&1; rc=$?
    if [ $rc = 0 ] && grep -q "0483:5740" "$OUT/$tag.list" && grep -q "$path" "$OUT/$tag.list"; then
      result "$v: dfu list shows the run-time device at $path" PASS
    else
      cat "$OUT/$tag.list"; result "$v: dfu list shows the run-time device at $path" FAIL "exit $rc"
    fi
  fi
  T=$(now)
  # named by its port: without a selector the CLI does not detach an application it happens to find
  timeout 300 dfu flash "$IMG/small.dfu" --backend="$b" -p "$path" --leave --wait-app --leave-wait=20 --wait=30 > "$OUT/$tag-flash.log" 2>&1; rc=$?
  cat "$OUT/$tag-flash.log"
  if [ $rc = 0 ] && grep -q "Flashed and verified" "$OUT/$tag-flash.log" && grep -q "Application started" "$OUT/$tag-flash.log"; then
    result "$v: dfu flash -p $path (no --sim) detaches, flashes verified, leaves, application started ($(since "$T") s)" PASS
  else
    result "$v: dfu flash detaches, flashes verified, leaves, application started" FAIL "exit $rc"
  fi
  wait_usb present 20 0483 5740
  after=$(port_of 0483 5740)
  n=$(grep -c 'ON-BUS connection' "$OUT/$tag.trace")
  if [ -n "$after" ] && [ "$after" = "$path" ] && [ "$n" = 3 ] && ! usb_device 0483 df11 > /dev/null; then
    result "$v: the application is back at $path (sysfs), after 3 connections: application, bootloader, application" PASS
  else
    result "$v: the application is back at the same port" FAIL "before '$path', after '$after', $n connections"
  fi
  if [ "$1" = runtime-reset ]; then
    # a USB reset of the application in appIDLE: it carries on as the application (DFU 1.1 §5.1)
    timeout 300 dfu reset --backend="$b" -p "$path" --settle 2 > "$OUT/$tag-reset-app.log" 2>&1; rc=$?
    cat "$OUT/$tag-reset-app.log"
    sleep 1
    if [ $rc = 0 ] && grep -q "run-time mode" "$OUT/$tag-reset-app.log" && [ "$(port_of 0483 5740)" = "$path" ]; then
      result "$v: dfu reset of the application (appIDLE): still the application at $path" PASS
    else
      result "$v: dfu reset of the application: still the application" FAIL "exit $rc"
    fi
  fi
  timeout 300 dfu detach --backend="$b" -p "$path" --wait=30 > "$OUT/$tag-detach.log" 2>&1; rc=$?
  cat "$OUT/$tag-detach.log"
  if [ $rc = 0 ] && grep -q "^Detached 0483:5740 at $path" "$OUT/$tag-detach.log" && [ "$(port_of 0483 df11)" = "$path" ]; then
    result "$v: dfu detach: the bootloader (0483:df11) is at $path" PASS
  else
    result "$v: dfu detach: the bootloader at the same port" FAIL "exit $rc, df11 at '$(port_of 0483 df11)'"
  fi
  if [ "$1" = runtime ]; then
    # a USB reset in dfuIDLE: the ROM stays in DFU mode
    timeout 300 dfu reset --backend="$b" -p "$path" > "$OUT/$tag-reset.log" 2>&1; rc=$?
    cat "$OUT/$tag-reset.log"
    if [ $rc = 0 ] && grep -q "^Reset 0483:df11 (DFU mode) at $path; now at $path: 0483:df11 (DFU mode)" "$OUT/$tag-reset.log"; then
      result "$v: dfu reset of the bootloader: back in DFU mode at $path" PASS
    else
      result "$v: dfu reset of the bootloader: back in DFU mode" FAIL "exit $rc"
    fi
  fi
  stop_bridge_any
}
# start_bridge_app NAME ARGS...: start_bridge, waiting for the application's ids (0483:5740)
start_bridge_app() { BRIDGE_WAIT_IDS="0483 5740" start_bridge "$@"; }
# stop_bridge_any: stop_bridge for a device that may be the application or the bootloader
stop_bridge_any() { stop_bridge 0483 5740 0483 df11; }

if ! section runtime; then :
elif ! cli_has flash; then
  result "runtime: dfu flash of a run-time device" SKIP "$(missing_cli flash)"
else
  # The guest has no udevd, and Debian's libusb (the JNA backend's) learns of devices that appear
  # after it started only from udevd's messages: uevent-relay.py forwards the kernel's uevents in
  # udevd's format, as udevd would on a normal system. One backend per variant keeps the section short
  # (bitWillDetach 1 on JNA, 0 on usb4java; DFU4J_USBVM_RT_BACKEND1/0 pick others).
  # usb4java's libusb carries an older libudev that listens only when udevd's control socket
  # exists; an empty file stands in for it (the guest's /run is a private tmpfs).
  mkdir -p /run/udev && touch /run/udev/control
  python3 "$(dirname "${BASH_SOURCE[0]}")/uevent-relay.py" > "$OUT/uevent-relay.log" 2>&1 &
  RELAY_PID=$!
  lifecycle_runtime runtime ${DFU4J_USBVM_RT_BACKEND1:-jna}
  lifecycle_runtime runtime-reset ${DFU4J_USBVM_RT_BACKEND0:-usb4java}
  kill "$RELAY_PID" 2>/dev/null; wait "$RELAY_PID" 2>/dev/null
  rm -f /run/udev/control
fi

# ---- multi: two and four boards, one UDC each ----------------------------------------------------------
BOARD_PIDS=()
# start_boards SIM N [bridge options...]: one bridge process with N boards (--boards N): board i on
# dummy_udc.(i-1) with serial MULTI00000i (two digits), trace $OUT/multiN.i.trace; waits for all N.
# One JVM for all boards: N bridge JVMs starting at once under emulation answer the host's first
# requests too late (the kernel gives up enumerating them).
start_boards() {
  local sim=$1 n=$2; shift 2
  java $JAVA_FAST $BRIDGE_CDS -cp "$REPO/usbvm/target/usbvm-bridge.jar" io.github.dfu4j.usbvm.BridgeMain \
    --sim "$sim" --boards "$n" --sim-option serial=MULTI0000000 "$@" \
    --trace "$OUT/multi$n.trace" > "$OUT/multi$n.log" 2>&1 &
  BOARD_PIDS=($!)
  wait_usb_count "$n" "${DFU4J_USBVM_BRIDGE_START_S:-120}" 0483 df11 || { tail -5 "$OUT/multi$n.log"; return 1; }
}
stop_boards() {
  local p
  for p in "${BOARD_PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${BOARD_PIDS[@]}"; do wait "$p" 2>/dev/null; done
  BOARD_PIDS=()
  wait_usb_count 0 10 0483 df11
}
# reload_dummy_hcd N: dummy_hcd with N UDCs (the initramfs loaded it with one); the same module file
reload_dummy_hcd() {
  local ko=$DFU4J_USBVM_WORK/initramfs.d/lib/modules/dummy_hcd.ko
  rmmod dummy_hcd 2>/dev/null
  insmod "$ko" "num=$1" || return 1
  local deadline=$((SECONDS + 10))
  while [ "$(ls /sys/class/udc | wc -l)" != "$1" ] && [ $SECONDS -le $deadline ]; do sleep 0.1; done
  [ "$(ls /sys/class/udc | wc -l)" = "$1" ]
}
# image_variant OUT MARK: small.bin with MARK written at offset 0x1000 (the vector table stays)
image_variant() {
  cp "$IMG/small.bin" "$1"
  printf '%s' "$2" | dd of="$1" bs=1 seek=4096 conv=notrunc status=none
}

if ! section multi; then :
elif ! cli_has flash; then
  result "multi: -S/-p/--all over several boards" SKIP "$(missing_cli flash)"
elif ! reload_dummy_hcd 4; then
  result "multi: dummy_hcd reloaded with num=4 (4 UDCs)" FAIL "$(ls /sys/class/udc | tr '\n' ' ')"
else
  result "multi: dummy_hcd reloaded with num=4: UDCs $(ls /sys/class/udc | tr '\n' ' ')" PASS
  # -- two boards: -S and -p each pick the right one
  if start_boards stm32f405 2; then
    p1=$(port_of 0483 df11 MULTI0000001) p2=$(port_of 0483 df11 MULTI0000002)
    result "multi: two boards on the bus (MULTI0000001 at $p1, MULTI0000002 at $p2)" \
      "$([ -n "$p1" ] && [ -n "$p2" ] && [ "$p1" != "$p2" ] && echo PASS || echo FAIL)"
    image_variant "$OUT/multi-a.bin" "BOARD-A-SELECTED-BY-SERIAL"
    image_variant "$OUT/multi-b.bin" "BOARD-B-SELECTED-BY-PATH"
    timeout 300 dfu flash "$OUT/multi-a.bin" --address 0x08000000 -S MULTI0000001 > "$OUT/multi-S.log" 2>&1; rc=$?
    tail -2 "$OUT/multi-S.log"
    check "multi: dfu flash -S MULTI0000001 exits 0 (exit $rc)" [ $rc = 0 ]
    timeout 300 dfu flash "$OUT/multi-b.bin" --address 0x08000000 -p "$p2" > "$OUT/multi-p.log" 2>&1; rc=$?
    tail -2 "$OUT/multi-p.log"
    check "multi: dfu flash -p $p2 exits 0 (exit $rc)" [ $rc = 0 ]
    # read back both boards with dfu-util (a second opinion on which board got what)
    for i in 1 2; do
      rm -f "$OUT/multi-$i.up"
      timeout 120 dfu-util -a 0 -S "MULTI000000$i" -s "0x08000000:$SMALL_LEN" -U "$OUT/multi-$i.up" > "$OUT/multi-$i.util" 2>&1
    done
    if cmp -s "$OUT/multi-1.up" "$OUT/multi-a.bin" && cmp -s "$OUT/multi-2.up" "$OUT/multi-b.bin"; then
      result "multi: read back by dfu-util -S: board 1 holds the -S image, board 2 the -p image" PASS
    else
      result "multi: read back by dfu-util -S: each board holds its own image" FAIL \
        "1: $(cmp "$OUT/multi-1.up" "$OUT/multi-a.bin" 2>&1 | head -1); 2: $(cmp "$OUT/multi-2.up" "$OUT/multi-b.bin" 2>&1 | head -1)"
    fi
    timeout 120 dfu flash "$IMG/small.dfu" > "$OUT/multi-none.log" 2>&1; rc=$?
    tail -1 "$OUT/multi-none.log" | cut -c1-200
    if [ $rc = 4 ] && grep -q "^dfu: More than one DFU device matches" "$OUT/multi-none.log" && [ "$(wc -l < "$OUT/multi-none.log")" = 1 ]; then
      result "multi: no selector: one line 'More than one DFU device matches', exit 4 (docs/user-guide.md)" PASS
    else
      result "multi: no selector: 'More than one DFU device matches', exit 4" FAIL "exit $rc"
    fi
  else
    result "multi: two boards on the bus" FAIL
  fi
  stop_boards
  # -- four boards: --all, timed against one board alone, real-time flash timing (F746 [O] polls)
  if start_boards stm32f746 4 --time real; then
    result "multi: four boards on the bus ($(for i in 1 2 3 4; do port_of 0483 df11 "MULTI000000$i"; done | tr '\n' ' '))" PASS
    T=$(now)
    timeout 600 dfu flash "$IMG/bench.dfu" -S MULTI0000001 > "$OUT/multi-one.log" 2>&1; rc=$?
    t1=$(since "$T")
    tail -1 "$OUT/multi-one.log"
    check "multi: one board alone: dfu flash bench.dfu (1 MiB) -S MULTI0000001 exits 0 ($t1 s)" [ $rc = 0 ]
    T=$(now)
    timeout 900 dfu flash "$IMG/bench.dfu" --all > "$OUT/multi-all.log" 2>&1; rc=$?
    t4=$(since "$T")
    cat "$OUT/multi-all.log"
    n=$(grep -c ': flashed and verified' "$OUT/multi-all.log")
    if [ $rc = 0 ] && [ "$n" = 4 ]; then
      result "multi: dfu flash --all: four boards flashed and verified ($t4 s)" PASS
    else
      result "multi: dfu flash --all: four boards flashed and verified" FAIL "exit $rc, $n verified"
    fi
    r=$(awk -v a="$t4" -v b="$t1" 'BEGIN{ if (b > 0) printf "%.2f", a / b; else print "n/a" }')
    echo "BENCH-ROW all4 $r ($t4 s / $t1 s) dfu flash --all bench.dfu on 4 boards / one board alone (1 MiB, stm32f746 real time, JVM start-up in both; target <= 1.3)"
  else
    result "multi: four boards on the bus" FAIL
  fi
  stop_boards
  reload_dummy_hcd 1 || result "multi: dummy_hcd back to one UDC" FAIL
fi
