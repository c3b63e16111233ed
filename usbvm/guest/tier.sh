#!/bin/bash
# The real-USB tier, run INSIDE the VM by usbvm/vm/run-vm.sh (scripts/usb-vm-test prepares it).
# The bridge (usbvm-bridge.jar) puts dfu4j's simulated bootloaders on dummy_hcd through raw_gadget;
# dfu4j's CLI (dfu-cli/target/dfu.jar) and Debian's dfu-util talk to them through the kernel's USB
# stack. Prints "RESULT PASS|FAIL|SKIP name" lines, a "BENCH ..." line and "N passed, M failed".
#
# Inputs from the host (scripts/usb-vm-test): $DFU4J_USBVM_WORK/images/{small,bench}.{bin,dfu},
# $DFU4J_USBVM_WORK/cli/*.help (the CLI's --help per command; absent commands are skipped).
. "$(dirname "$0")/lib.sh"
IMG=$DFU4J_USBVM_WORK/images
CLI_DIR=$DFU4J_USBVM_WORK/cli
DFU_JAR=$REPO/dfu-cli/target/dfu.jar
SMALL_LEN=$(stat -c %s "$IMG/small.bin")
# DFU4J_USBVM_ONLY=list,util,dfu4j,fault,runtime,multi,ctrlc,udev,utilfe,plain,bench runs only those sections (development).
section() { [ -z "${DFU4J_USBVM_ONLY:-}" ] || [[ ",$DFU4J_USBVM_ONLY," == *",$1,"* ]]; }
echo "usbvm-tier: tests start at uptime $(uptime_s)s"

# ---- the dfu4j CLI, as far as it exists -----------------------------------------------------------
cli_has() { [ -f "$DFU_JAR" ] && [ -s "$CLI_DIR/$1.help" ]; }
cli_option() { grep -q -- "$2" "$CLI_DIR/$1.help" 2>/dev/null; }
# `dfu` as a command (timeout cannot run shell functions), with the guest's fast-start JVM flags
# and the CLI's class-data archive when the host made one. DFU_BACKEND picks the USB backend.
mkdir -p /tmp/usbvm-bin
DFU_CDS=
[ -f "$CDS_DIR/dfu.jsa" ] && DFU_CDS="-XX:SharedArchiveFile=$CDS_DIR/dfu.jsa" # lib.sh's tmpfs copy
cat > /tmp/usbvm-bin/dfu <<WRAP
#!/bin/sh
exec java $JAVA_FAST $DFU_CDS \${DFU_BACKEND:+-Ddfu4j.usb.backend=\$DFU_BACKEND} ${DFU4J_JAVA_OPTS:-} -jar "$DFU_JAR" "\$@"
WRAP
chmod +x /tmp/usbvm-bin/dfu
PATH=/tmp/usbvm-bin:$PATH

# dfu flash verifies by read-back by default. --leave-wait=0: the tier's chips have BOOT0 high and
# come back in DFU mode on purpose (to be read back), which the CLI would otherwise report.
flash_args=()
cli_option flash '--leave\[' && flash_args+=(--leave)
cli_option flash '--leave-wait' && flash_args+=(--leave-wait=0)
missing_cli() { echo "dfu4j CLI command '$1' not built (dfu-cli/target/dfu.jar${2:+; $2})"; }

upload_util() { # upload_util OUT LENGTH
  rm -f "$1"
  timeout 120 dfu-util -a 0 -s "0x08000000:$2" -U "$1" > "$OUT/util-upload.log" 2>&1
}
erases_in_trace() { grep -c 'DNLOAD blk=0 len=5 41 ' "$1"; }

# ---- 1. every personality enumerates; dfu-util and both dfu4j transports list it ---------------------
section list && for sim in stm32f405 stm32h743 mboot-pybd-sf2; do
  T=$(now)
  if ! start_bridge "list-$sim" --sim "$sim"; then
    result "$sim: bridge puts the device on the bus" FAIL "$(tail -1 "$OUT/list-$sim.log")"
    stop_bridge; continue
  fi
  result "$sim: device enumerates through raw_gadget ($(since "$T") s)" PASS
  timeout 60 dfu-util -l > "$OUT/list-$sim.util" 2>&1
  if grep -q 'Found DFU: \[0483:df11\].*name="@[^"]*Flash' "$OUT/list-$sim.util"; then
    result "$sim: dfu-util -l lists it with its DfuSe layout ($(grep -c 'Found DFU' "$OUT/list-$sim.util") alt settings)" PASS
  else
    cat "$OUT/list-$sim.util"; result "$sim: dfu-util -l lists it" FAIL
  fi
  for backend in jna usb4java; do
    if cli_has list; then
      if cli_option list '--backend'; then
        timeout 120 dfu list --backend="$backend" > "$OUT/list-$sim.$backend" 2>&1; rc=$?
      else
        DFU_BACKEND=$backend timeout 120 dfu list > "$OUT/list-$sim.$backend" 2>&1; rc=$?
      fi
      if [ $rc = 0 ] && grep -qi -e '0483:df11' -e 'STM32' -e 'mboot' "$OUT/list-$sim.$backend"; then
        result "$sim: dfu list (backend $backend) finds it" PASS
      else
        cat "$OUT/list-$sim.$backend"; result "$sim: dfu list (backend $backend) finds it" FAIL "exit $rc"
      fi
    else
      result "$sim: dfu list (backend $backend)" SKIP "$(missing_cli list)"
    fi
  done
  stop_bridge
done

# ---- 2. dfu-util as a peer: flash with :leave, read back, protocol as expected ---------------------
# BOOT0 high: after the leave the chip resets into its bootloader again, so the same bridge serves
# the read-back (and shows the re-enumeration works).
section util && if start_bridge util-flash --sim stm32f405 --sim-option boot0=high --state "$OUT/util.state"; then
  T=$(now)
  timeout 300 dfu-util -a 0 -s 0x08000000:leave -D "$IMG/small.bin" > "$OUT/util-flash.log" 2>&1; rc=$?
  result "dfu-util -D small.bin with :leave exits 0 ($(since "$T") s)" "$([ $rc = 0 ] && echo PASS || echo FAIL)" "exit $rc"
  if grep -q LEFT-BUS "$OUT/util-flash.trace" && wait_usb present 15 && grep -q 'ON-BUS connection 2' "$OUT/util-flash.trace"; then
    result "leave: device left the bus and came back in DFU mode (BOOT0 high)" PASS
  else
    result "leave: device left the bus and came back in DFU mode (BOOT0 high)" FAIL
  fi
  n=$(erases_in_trace "$OUT/util-flash.trace")
  check "dfu-util erased the 5 sectors 96 KiB touches (saw $n)" [ "$n" = 5 ]
  upload_util "$OUT/util.up" "$SMALL_LEN"
  check "dfu-util -U reads back what dfu-util wrote" cmp -s "$OUT/util.up" "$IMG/small.bin"
else
  result "bridge for the dfu-util flash" FAIL
fi
stop_bridge

# ---- 3. dfu4j flashes (verify + leave) and uploads over the real stack, with each USB backend; -------------
#         dfu-util agrees byte for byte
if ! section dfu4j; then :
elif cli_has flash; then
  for backend in jna usb4java; do
    tag="dfu4j-$backend"
    # the --backend option where the CLI has it; DFU_BACKEND (a system property, see the dfu wrapper) also
    bopt=(); cli_option flash '--backend' && bopt=(--backend="$backend")
    export DFU_BACKEND=$backend
    if start_bridge "$tag-flash" --sim stm32f405 --sim-option boot0=high --state "$OUT/$tag.state"; then
      T=$(now)
      timeout 300 dfu flash "$IMG/small.dfu" "${flash_args[@]}" "${bopt[@]}" > "$OUT/$tag-flash.log" 2>&1; rc=$?
      tail -3 "$OUT/$tag-flash.log"
      result "[$backend] dfu flash small.dfu ${flash_args[*]} exits 0 ($(since "$T") s)" "$([ $rc = 0 ] && echo PASS || echo FAIL)" "exit $rc"
      grep -q LEFT-BUS "$OUT/$tag-flash.trace" && result "[$backend] dfu flash: device left DFU mode" PASS ||
        result "[$backend] dfu flash: device left DFU mode" FAIL "no leave seen by the bridge"
      wait_usb present 15
      if cli_has upload; then
        timeout 300 dfu upload "$OUT/$tag.up" --address 0x08000000 --length "$SMALL_LEN" "${bopt[@]}" > "$OUT/$tag-upload.log" 2>&1; rc=$?
        check "[$backend] dfu upload reads back the flashed image (exit $rc)" cmp -s "$OUT/$tag.up" "$IMG/small.bin"
      else
        result "[$backend] dfu upload" SKIP "$(missing_cli upload)"
      fi
      upload_util "$OUT/util-of-$tag.up" "$SMALL_LEN"
      if [ -f "$OUT/util.up" ]; then
        check "[$backend] memory after dfu4j's flash == memory after dfu-util's flash (byte for byte, read by dfu-util)" \
          cmp -s "$OUT/util-of-$tag.up" "$OUT/util.up"
      else
        result "[$backend] memory after dfu4j's flash == after dfu-util's" SKIP "dfu-util's flash did not run"
      fi
    else
      result "[$backend] bridge for the dfu4j flash" FAIL
    fi
    stop_bridge
    cmp -s "$OUT/$tag.state" "$OUT/util.state" && echo "INFO [$backend] simulator state files after both flashes are identical" ||
      echo "INFO [$backend] simulator state files differ (they also hold boot counters); the memory comparison above is what counts"
  done
  unset DFU_BACKEND
else
  result "dfu flash with verify and leave" SKIP "$(missing_cli flash)"
  result "dfu upload + byte comparison with dfu-util's flash" SKIP "$(missing_cli flash)"
fi

# ---- 4. faults over real USB ------------------------------------------------------------------------
# 4a. the device stalls every write from the 3rd on. raw_gadget cannot stall a DNLOAD after its data
# stage, so the bridge reports it on the block's GETSTATUS (dfuERROR/errSTALLEDPKT): either way the
# host must see that block fail, also without the read-back verify that would catch a lost write.
stall_error_named() { # stall_error_named LOG: the one-line error names the failed WRITE and the stall/DFU error
  grep -Eq '^dfu: .*WRITE.*(stall|STALL|errSTALLEDPKT|dfuERROR)' "$1"
}
section fault && if start_bridge fault-stall --sim stm32f405 --sim-option 'fault=stall@cmd:write#3+'; then
  timeout 120 dfu-util -a 0 -s 0x08000000 -D "$IMG/small.bin" > "$OUT/fault-stall.util" 2>&1; rc=$?
  result "stall: dfu-util fails (exit $rc)" "$([ $rc != 0 ] && echo PASS || echo FAIL)"
  if cli_has flash; then
    timeout 120 dfu flash "$IMG/small.dfu" > "$OUT/fault-stall.dfu4j" 2>&1; rc=$?
    tail -2 "$OUT/fault-stall.dfu4j"
    if [ $rc = 1 ] && stall_error_named "$OUT/fault-stall.dfu4j"; then
      result "stall: dfu flash exits 1 with a one-line error naming the stalled WRITE" PASS
    else
      result "stall: dfu flash exits 1 with a one-line error naming the stalled WRITE" FAIL "exit $rc"
    fi
    if cli_option flash '--no-verify'; then
      timeout 120 dfu flash "$IMG/small.dfu" --no-verify > "$OUT/fault-stall-noverify.dfu4j" 2>&1; rc=$?
      tail -2 "$OUT/fault-stall-noverify.dfu4j"
      if [ $rc != 0 ] && stall_error_named "$OUT/fault-stall-noverify.dfu4j"; then
        result "stall: dfu flash --no-verify fails at the stalled WRITE (exit $rc)" PASS
      else
        result "stall: dfu flash --no-verify fails at the stalled WRITE" FAIL "exit $rc: a refused block went unnoticed"
      fi
    else
      result "stall: dfu flash --no-verify" SKIP "the CLI has no --no-verify"
    fi
    n=$(grep -c 'GETSTATUS AS-DFU-ERROR' "$OUT/fault-stall.trace")
    check "stall: the bridge reported the refused blocks as dfuERROR on their GETSTATUS ($n times)" [ "$n" -ge 3 ]
  else
    result "stall: dfu flash" SKIP "$(missing_cli flash)"
  fi
else
  result "bridge with a stall fault" FAIL
fi
stop_bridge

# 4b. unplug in the middle of the writes (the device stays away for 60 s)
section fault && for tool in dfu-util dfu4j; do
  if [ $tool = dfu4j ] && ! cli_has flash; then result "unplug mid-write: dfu flash" SKIP "$(missing_cli flash)"; continue; fi
  if start_bridge "fault-unplug-$tool" --sim stm32f405 --sim-option 'fault=disconnect:60000@cmd:write#10' --rejoin-timeout 1000; then
    if [ $tool = dfu-util ]; then
      timeout 120 dfu-util -a 0 -s 0x08000000 -D "$IMG/small.bin" > "$OUT/fault-unplug.$tool" 2>&1; rc=$?
      result "unplug mid-write: dfu-util fails (exit $rc)" "$([ $rc != 0 ] && echo PASS || echo FAIL)"
    else
      timeout 120 dfu flash "$IMG/small.dfu" > "$OUT/fault-unplug.$tool" 2>&1; rc=$?
      tail -2 "$OUT/fault-unplug.$tool"
      if { [ $rc = 1 ] || [ $rc = 4 ]; } && grep -q '^dfu: ' "$OUT/fault-unplug.$tool"; then
        result "unplug mid-write: dfu flash exits $rc (device failure / no device) with a one-line error" PASS
      else
        result "unplug mid-write: dfu flash exits 1 or 4 with a one-line error" FAIL "exit $rc"
      fi
    fi
    bridge_exited_within 10 && grep -q LEFT-BUS "$OUT/fault-unplug-$tool.trace" &&
      result "unplug mid-write ($tool): the device really left the bus" PASS ||
      result "unplug mid-write ($tool): the device really left the bus" FAIL
  else
    result "bridge with an unplug fault" FAIL
  fi
  stop_bridge
done

# 4c. the chip resets while answering the leave (like H7 ROMs): the flash is done, the tool must say so
if ! section fault; then :
elif cli_has flash; then
  if start_bridge fault-leave --sim stm32f405 --sim-option 'fault=disconnect:500@getstatus:leave'; then
    timeout 300 dfu flash "$IMG/small.dfu" "${flash_args[@]}" > "$OUT/fault-leave.dfu4j" 2>&1; rc=$?
    tail -2 "$OUT/fault-leave.dfu4j"
    result "reset during leave: dfu flash exits 0 (exit $rc)" "$([ $rc = 0 ] && echo PASS || echo FAIL)"
    if wait_usb present 15; then
      upload_util "$OUT/fault-leave.up" "$SMALL_LEN"
      check "reset during leave: the flash holds the image" cmp -s "$OUT/fault-leave.up" "$IMG/small.bin"
    else
      result "reset during leave: device back on the bus" FAIL
    fi
  else
    result "bridge with a reset-during-leave fault" FAIL
  fi
  stop_bridge
else
  result "reset during leave: dfu flash" SKIP "$(missing_cli flash)"
fi

# ---- lifecycle sections (issue 13): run-time detach/re-enumeration, several boards at once ---------------
# (usbvm/guest/tier-lifecycle.sh: sections runtime and multi)
. "$(dirname "$0")/tier-lifecycle.sh"

# ---- peer sections: ctrlc, udev, utilfe, plain (usbvm/guest/tier-peer.sh) -------------------------------
. "$(dirname "$0")/tier-peer.sh"

# ---- 5. benchmark: 1 MiB (30% blank blocks), real-time flash timing, dfu4j against dfu-util -------------
# Headline personality: the F746 ROM model, whose bwPollTimeout values (SET_ADDRESS 5 ms, write 5 ms,
# 32 KB erase 100 ms) are observed on an F745 [O] (docs/stm32.md "Pacing", docs/reference/stm32.md §6).
# The F405 model's write poll (104 ms, which dfu-util sleeps after each of its 512 blocks) is unverified
# [U]: it runs only as a labelled sensitivity row (DFU4J_USBVM_BENCH_SENSITIVITY=0 leaves it out).
# Rows: flash with verify, --no-verify, --incremental re-flash of the unchanged image (each against
# dfu-util -D), upload of 1 MiB against dfu-util -U, and JVM start-up (java -version, dfu --version).
BENCH_LEN=$(stat -c %s "$IMG/bench.bin")
BENCH_SIM=${DFU4J_USBVM_BENCH_SIM:-stm32f746}
bench_rows=()
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
timed() { # timed VAR LOG CMD...: runs CMD, sets VAR to its wall seconds (empty when it failed)
  local var=$1 log=$2 T rc; shift 2
  T=$(now); timeout 900 "$@" > "$log" 2>&1; rc=$?
  if [ $rc = 0 ]; then printf -v "$var" '%s' "$(since "$T")"; else printf -v "$var" '%s' ""; echo "$* -> exit $rc"; tail -3 "$log"; fi
  return $rc
}
bench_util() { # bench_util SIM TAG: dfu-util -D, then -U of the same 1 MiB, on a fresh bridge
  util_d= util_u=
  if start_bridge "bench-util-$2" --sim "$1" --time real; then
    timed util_d "$OUT/bench-$2.util" dfu-util -a 0 -s 0x08000000 -D "$IMG/bench.bin"
    result "bench $2: dfu-util -D 1 MiB (${util_d:-failed} s)" "$([ -n "$util_d" ] && echo PASS || echo FAIL)"
    rm -f "$OUT/bench-$2.up"
    timed util_u "$OUT/bench-$2.util-up" dfu-util -a 0 -s "0x08000000:$BENCH_LEN" -U "$OUT/bench-$2.up"
    result "bench $2: dfu-util -U 1 MiB (${util_u:-failed} s)" "$([ -n "$util_u" ] && cmp -s "$OUT/bench-$2.up" "$IMG/bench.bin" && echo PASS || echo FAIL)"
  else
    result "bench $2: bridge for dfu-util" FAIL
  fi
  stop_bridge
}
# No --leave (like dfu-util -D without :leave): the chip stays in DFU mode for the next row.
bench_dfu4j() { # bench_dfu4j SIM TAG [all]: dfu flash (verify); with 'all' also --no-verify, --incremental, upload
  d_verify= d_noverify= d_incr= d_up=
  if start_bridge "bench-dfu4j-$2" --sim "$1" --time real; then
    timed d_verify "$OUT/bench-$2.dfu4j" dfu flash "$IMG/bench.dfu"
    result "bench $2: dfu flash 1 MiB with verify (${d_verify:-failed} s)" "$([ -n "$d_verify" ] && echo PASS || echo FAIL)"
    if [ "${3:-}" = all ]; then
      timed d_noverify "$OUT/bench-$2.noverify" dfu flash --no-verify "$IMG/bench.dfu"
      result "bench $2: dfu flash --no-verify (${d_noverify:-failed} s)" "$([ -n "$d_noverify" ] && echo PASS || echo FAIL)"
      timed d_incr "$OUT/bench-$2.incr" dfu flash --incremental "$IMG/bench.dfu"
      result "bench $2: dfu flash --incremental, image unchanged (${d_incr:-failed} s)" "$([ -n "$d_incr" ] && echo PASS || echo FAIL)"
      rm -f "$OUT/bench-$2.dfu4j-up.bin"
      timed d_up "$OUT/bench-$2.dfu4j-up" dfu upload "$OUT/bench-$2.dfu4j-up.bin" --address 0x08000000 --length "$BENCH_LEN"
      result "bench $2: dfu upload 1 MiB (${d_up:-failed} s)" "$([ -n "$d_up" ] && cmp -s "$OUT/bench-$2.dfu4j-up.bin" "$IMG/bench.bin" && echo PASS || echo FAIL)"
    fi
  else
    result "bench $2: bridge for dfu4j" FAIL
  fi
  stop_bridge
}
if ! section bench; then :
elif ! cli_has flash; then
  result "bench: dfu flash 1 MiB" SKIP "$(missing_cli flash)"
else
  # JVM start-up in the VM: a bare JVM with the same flags, and the CLI (launcher flags + archive)
  T=$(now); java $JAVA_FAST -version > /dev/null 2>&1; jvm_bare=$(since "$T")
  T=$(now); dfu --version > /dev/null 2>&1; jvm_dfu=$(since "$T")
  bench_util "$BENCH_SIM" "$BENCH_SIM"
  bench_dfu4j "$BENCH_SIM" "$BENCH_SIM" all
  bench_rows+=("flash with verify / dfu-util -D|$d_verify|$util_d|0.9")
  bench_rows+=("--no-verify / dfu-util -D|$d_noverify|$util_d|0.8")
  bench_rows+=("upload 1 MiB / dfu-util -U|$d_up|$util_u|3")
  bench_rows+=("--incremental (unchanged) / dfu-util -D|$d_incr|$util_d|0.5")
  echo "BENCH-ROW personality $BENCH_SIM (F745 poll values [O]); 1 MiB, 30% blank, real-time flash timing; JVM start-up included in every dfu figure"
  for row in "${bench_rows[@]}"; do
    IFS='|' read -r what mine theirs target <<< "$row"
    r=$(ratio "${mine:-0}" "${theirs:-0}")
    echo "BENCH-ROW $what: ${mine:-failed} s / ${theirs:-failed} s = $r (target <= $target)"
  done
  echo "BENCH-ROW start-up: java -version ${jvm_bare} s, dfu --version ${jvm_dfu} s = $(ratio "$jvm_dfu" "$jvm_bare") x"
  main_verify=$d_verify main_util=$util_d
  if [ "${DFU4J_USBVM_BENCH_SENSITIVITY:-1}" != 0 ]; then
    bench_util stm32f405 stm32f405
    bench_dfu4j stm32f405 stm32f405
    echo "BENCH-ROW sensitivity only (F405 write poll 104 ms is [U]): flash with verify / dfu-util -D: ${d_verify:-failed} s / ${util_d:-failed} s = $(ratio "${d_verify:-0}" "${util_d:-0}")"
  fi
  echo "BENCH flash with verify / dfu-util -D on $BENCH_SIM ([O] polls): $(ratio "${main_verify:-0}" "${main_util:-0}") (dfu flash ${main_verify:-failed} s, dfu-util -D ${main_util:-failed} s, JVM start-up included)"
fi

echo "usbvm-tier: tests end at uptime $(uptime_s)s"
summary
[ $FAIL = 0 ]
