# Sections of the real-USB tier sourced by usbvm/guest/tier.sh (run inside the VM, as root, with
# lib.sh and tier.sh's helpers loaded): Ctrl-C over real USB, access through the shipped udev rule as
# a non-root user, the `dfu util` front end beside dfu-util, and plain DFU 1.1 beside dfu-util.
# Sections (DFU4J_USBVM_ONLY): ctrlc, udev, utilfe, plain. Each starts its own bridge(s) and stops them.
# shellcheck shell=bash
PEER=/tmp/usbvm-peer       # the guest's tmpfs; world-writable so the non-root user can write its outputs
mkdir -p "$PEER" && chmod 1777 "$PEER"
PY=/usr/bin/python3
ROM_BASE=0x08000000
IMG_LEN=16384              # the 16 KiB images of these sections: one F405 sector, a short flash

# peer_images: $PEER/A.bin = the first 16 KiB of small.bin (a vector table, then seeded random bytes);
# B.bin = the same vector table, every later byte + 1 (so every block differs from A's); both also as
# DfuSe files (one element at 0x08000000, suffix 0483:df11, CRC as DFU 1.1 appendix B).
peer_images() {
  [ -f "$PEER/B.dfu" ] && return 0
  head -c "$IMG_LEN" "$IMG/small.bin" > "$PEER/A.bin"
  { head -c 1024 "$PEER/A.bin"; tail -c +1025 "$PEER/A.bin" | tr '\000-\377' '\001-\377\000'; } > "$PEER/B.bin"
  "$PY" - "$PEER" "$ROM_BASE" <<'PYEOF'
import struct, sys, zlib
d, addr = sys.argv[1], int(sys.argv[2], 0)
for n in ("A", "B"):
    data = open(f"{d}/{n}.bin", "rb").read()
    elem = struct.pack("<II", addr, len(data)) + data
    target = b"Target" + struct.pack("<BI", 0, 1) + b"dfu4j tier".ljust(255, b"\0") + struct.pack("<II", len(elem), 1) + elem
    body = b"DfuSe" + struct.pack("<BIB", 1, 11 + len(target), 1) + target
    suffix = struct.pack("<HHHH", 0xFFFF, 0xDF11, 0x0483, 0x011A) + b"UFD" + bytes([16])
    crc = zlib.crc32(body + suffix) ^ 0xFFFFFFFF
    open(f"{d}/{n}.dfu", "wb").write(body + suffix + struct.pack("<I", crc))
PYEOF
}
# read_flash OUT [LEN]: dfu-util reads the flash from 0x08000000 (the neutral reader of every section)
read_flash() {
  rm -f "$1"
  timeout 120 dfu-util -a 0 -s "$ROM_BASE:${2:-$IMG_LEN}" -U "$1" > "$1.log" 2>&1
}

# ---- ctrlc: SIGINT in the middle of a flash over real USB ------------------------------------------
# Real-time flash timing (the F405 model: 104 ms after every write) so the writes take seconds; the
# signal comes once the bridge has seen 8 data blocks. Then: exit 130 with the one "interrupted: ...
# re-run with --incremental" line; on the bus an ABORT after the last write and the device's answer
# dfuIDLE; dfu-util's first GETSTATUS (before any ABORT/CLRSTATUS of its own) finds dfuIDLE; and
# `dfu flash --incremental` finishes the image, verified.
peer_ctrlc() {
  if ! cli_has flash; then result "ctrlc: dfu flash" SKIP "$(missing_cli flash)"; return; fi
  if ! start_bridge ctrlc --sim stm32f405 --time real; then result "ctrlc: bridge" FAIL; stop_bridge; return; fi
  local pid rc n=0 deadline=$((SECONDS + 120)) T
  T=$(now)
  # a script's background job starts with SIGINT ignored (no job control), and a JVM keeps an ignored
  # signal ignored: env --default-signal gives dfu the SIGINT a terminal's Ctrl-C would deliver
  env --default-signal=INT dfu flash "$IMG/small.dfu" > "$OUT/ctrlc-flash.out" 2> "$OUT/ctrlc-flash.log" &
  pid=$!
  while kill -0 "$pid" 2>/dev/null && [ $SECONDS -le $deadline ]; do
    n=$(grep -c 'DNLOAD blk=\([2-9]\|[1-9][0-9]\+\) ' "$OUT/ctrlc.trace" 2>/dev/null)
    [ "${n:-0}" -ge 8 ] && break
    sleep 0.2
  done
  kill -INT "$pid" 2>/dev/null
  wait "$pid"; rc=$?
  tail -2 "$OUT/ctrlc-flash.log"
  if [ "$rc" = 130 ] && grep -Eq '^dfu: interrupted: .*written.*--incremental' "$OUT/ctrlc-flash.log"; then
    result "ctrlc: SIGINT after $n data blocks: dfu flash exits 130 with the one 'interrupted: ... --incremental' line ($(since "$T") s)" PASS
  else
    result "ctrlc: SIGINT after $n data blocks: dfu flash exits 130 with the 'interrupted' line" FAIL "exit $rc"
  fi
  # on the bus: the last data block, then ABORT; a GETSTATUS after it (if dfu sent one) answers state 2, dfuIDLE
  local after
  after=$(awk '/ DNLOAD blk=/ && !/blk=[01] / { w = NR; a = 0; s = "none" } w && / ABORT -> ack/ && !a { a = NR }
          a && / GETSTATUS -> 6 bytes/ && s == "none" { s = $10 } END { if (w && a > w) print s; else print "no-abort" }' "$OUT/ctrlc.trace")
  if [ "$after" = 02 ] || [ "$after" = none ]; then
    result "ctrlc: the bridge saw ABORT after the last data block (GETSTATUS after it: state ${after/02/2 dfuIDLE})" PASS
  else
    grep -E 'DNLOAD|ABORT|GETSTATUS' "$OUT/ctrlc.trace" | tail -4
    result "ctrlc: the bridge saw ABORT after the last data block, device in dfuIDLE" FAIL "$after"
  fi
  read_flash "$PEER/ctrlc-probe.bin" 2048
  local first
  first=$(grep -m1 '^DFU state(' "$PEER/ctrlc-probe.bin.log")
  if [ -n "$first" ] && [[ "$first" == *dfuIDLE* ]] && ! grep -qi -e 'aborting previous' -e 'clearing status' "$PEER/ctrlc-probe.bin.log"; then
    result "ctrlc: dfu-util's first GETSTATUS afterwards finds dfuIDLE, no abort needed ($first)" PASS
  else
    cat "$PEER/ctrlc-probe.bin.log"; result "ctrlc: dfu-util's first GETSTATUS afterwards finds dfuIDLE" FAIL "${first:-no state line}"
  fi
  T=$(now)
  timeout 300 dfu flash --incremental "$IMG/small.dfu" > "$OUT/ctrlc-incr.log" 2> "$OUT/ctrlc-incr.err"; rc=$?
  tail -n 2 "$OUT/ctrlc-incr.log" "$OUT/ctrlc-incr.err"
  if [ $rc = 0 ] && grep -q '^Flashed and verified' "$OUT/ctrlc-incr.log"; then
    result "ctrlc: then dfu flash --incremental completes, verified ($(since "$T") s)" PASS
  else
    result "ctrlc: then dfu flash --incremental completes, verified" FAIL "exit $rc"
  fi
  read_flash "$PEER/ctrlc-after.bin" "$SMALL_LEN"
  check "ctrlc: dfu-util reads back the whole image after the --incremental run" cmp -s "$PEER/ctrlc-after.bin" "$IMG/small.bin"
  stop_bridge
}

# ---- udev: a non-root user with the permissions docs/60-dfu4j.rules gives -----------------------------
# The guest has no udevd (and the host has no udevadm to run the rules), so the test applies the
# shipped rule's effect to the device node itself, as udev + systemd-logind would:
#   * base: Debian's 50-udev-default.rules makes a usb_device node MODE 0664 root:root (others may
#     read descriptors, not open it for writing) - this is "the permissions missing";
#   * the rules file must have a line for the device's idVendor/idProduct (read from sysfs); its
#     assignments are applied: TAG+="uaccess" is what systemd's uaccess builtin (73-seat-late.rules)
#     turns into a POSIX ACL entry user:<the logged-in seat user>:rw- on the node; the test user
#     plays that user, the ACL is set with setxattr(system.posix_acl_access); MODE=/GROUP= would be
#     chmod/chgrp;
#   * the file's documented alternative for SSH/CI (MODE="0660", GROUP="plugdev" and the user in
#     plugdev) is checked too, by the user's group list (setpriv --groups).
# The user dfu4jtest (uid 4242) is added to bind-mounted copies of /etc/passwd and /etc/group (the
# host root is read-only in the guest); commands run as it with setpriv, HOME in the guest's /tmp.
PEER_UID=4242
peer_user() {
  grep -q '^dfu4jtest:' /etc/passwd && return 0
  cp /etc/passwd "$PEER/passwd" && echo "dfu4jtest:x:$PEER_UID:$PEER_UID:dfu4j tier user:/tmp/home-dfu4jtest:/bin/sh" >> "$PEER/passwd"
  cp /etc/group "$PEER/group" && echo "dfu4jtest:x:$PEER_UID:" >> "$PEER/group"
  mount --bind "$PEER/passwd" /etc/passwd && mount --bind "$PEER/group" /etc/group
  mkdir -p /tmp/home-dfu4jtest && chown "$PEER_UID:$PEER_UID" /tmp/home-dfu4jtest
}
as_user() { # as_user GROUPS-OPTION CMD...: GROUPS-OPTION is --clear-groups or --groups=plugdev
  local g=$1; shift
  setpriv --reuid=dfu4jtest --regid=dfu4jtest "$g" -- env HOME=/tmp/home-dfu4jtest "$@"
}
# node_acl NODE set UID | clear | show: the node's access ACL (uaccess's effect), via setxattr
node_acl() {
  "$PY" - "$@" <<'PYEOF'
import os, stat, struct, sys
node, op = sys.argv[1], sys.argv[2]
NAME, U = "system.posix_acl_access", 0xFFFFFFFF
if op == "set":
    m = stat.S_IMODE(os.stat(node).st_mode)
    ents = [(0x01, (m >> 6) & 7, U), (0x02, 6, int(sys.argv[3])), (0x04, (m >> 3) & 7, U), (0x10, 6, U), (0x20, m & 7, U)]
    os.setxattr(node, NAME, struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *e) for e in ents))
elif op == "clear":
    try:
        os.removexattr(node, NAME)
    except OSError:
        pass
else:
    try:
        v = os.getxattr(node, NAME)
    except OSError:
        print("no ACL"); sys.exit(0)
    tags = {1: "user::", 2: "user:", 4: "group::", 8: "group:", 0x10: "mask::", 0x20: "other::"}
    out = []
    for i in range(4, len(v), 8):
        t, p, ident = struct.unpack("<HHI", v[i:i + 8])
        out.append(tags.get(t, "?") + ("" if ident == U else str(ident) + ":") + "".join(c if p & b else "-" for c, b in (("r", 4), ("w", 2), ("x", 1))))
    print(",".join(out))
PYEOF
}
peer_udev() {
  if ! cli_has flash; then result "udev: dfu flash as a non-root user" SKIP "$(missing_cli flash)"; return; fi
  local rules=$REPO/docs/60-dfu4j.rules
  peer_images
  peer_user || { result "udev: a non-root user in the guest" FAIL "could not add dfu4jtest"; return; }
  if ! start_bridge udev --sim stm32f405; then result "udev: bridge" FAIL; stop_bridge; return; fi
  local d vid pid bus dev node line assign rc
  d=$(usb_device 0483 df11); read -r vid < "$d/idVendor"; read -r pid < "$d/idProduct"
  read -r bus < "$d/busnum"; read -r dev < "$d/devnum"
  node=$(printf '/dev/bus/usb/%03d/%03d' "$bus" "$dev")
  # the permissions missing: udev's default for a usb_device node, no ACL
  chown root:root "$node"; chmod 0664 "$node"; node_acl "$node" clear
  as_user --clear-groups dfu flash "$PEER/A.bin@$ROM_BASE" > "$OUT/udev-denied.out" 2> "$OUT/udev-denied.log"; rc=$?
  cat "$OUT/udev-denied.log"
  if [ $rc = 4 ] && grep -q '^  fix: .*60-dfu4j.rules' "$OUT/udev-denied.log" && [ "$(grep -c '^dfu: ' "$OUT/udev-denied.log")" -ge 1 ] &&
      ! grep -q '^[[:space:]]*at ' "$OUT/udev-denied.log"; then
    result "udev: without the rule ($node 0664 root:root) dfu flash as dfu4jtest exits 4 with the 'fix: ... 60-dfu4j.rules' line, no stack trace" PASS
  else
    result "udev: without the rule dfu flash as dfu4jtest exits 4 with the udev advice" FAIL "exit $rc"
  fi
  # the shipped rule's line for this device, and what it assigns
  line=$(grep -n -v '^[[:space:]]*#' "$rules" | grep -i "ATTRS{idVendor}==\"$vid\"" | grep -i "ATTRS{idProduct}==\"$pid\"" | head -1)
  assign=$(echo "$line" | grep -o -E '(TAG\+?=|MODE=|GROUP=)"[^"]*"' | tr '\n' ' ')
  if [ -z "$line" ] || [ -z "$assign" ]; then
    result "udev: docs/60-dfu4j.rules has a line for $vid:$pid" FAIL "no matching line"
    stop_bridge; return
  fi
  result "udev: docs/60-dfu4j.rules line ${line%%:*} matches $vid:$pid and assigns $assign" PASS
  case "$assign" in *'"uaccess"'*) node_acl "$node" set "$PEER_UID" ;; esac
  case "$assign" in *MODE=*) chmod "$(echo "$assign" | sed -n 's/.*MODE="\([0-7]*\)".*/\1/p')" "$node" ;; esac
  case "$assign" in *GROUP=*) chgrp "$(echo "$assign" | sed -n 's/.*GROUP="\([^"]*\)".*/\1/p')" "$node" ;; esac
  echo "INFO udev: $node now $(stat -c '%A %U:%G' "$node") acl $(node_acl "$node" show)"
  as_user --clear-groups dfu list > "$OUT/udev-list.log" 2>&1; rc=$?
  if [ $rc = 0 ] && grep -q '0483:df11' "$OUT/udev-list.log" && ! grep -q 'Cannot open' "$OUT/udev-list.log"; then
    result "udev: with the rule applied dfu4jtest (no groups) runs dfu list and can open the board" PASS
  else
    cat "$OUT/udev-list.log"; result "udev: with the rule applied dfu4jtest runs dfu list" FAIL "exit $rc"
  fi
  as_user --clear-groups dfu flash "$PEER/A.bin@$ROM_BASE" > "$OUT/udev-flash.log" 2> "$OUT/udev-flash.err"; rc=$?
  tail -1 "$OUT/udev-flash.log"
  if [ $rc = 0 ] && grep -q '^Flashed and verified' "$OUT/udev-flash.log"; then
    result "udev: with the rule applied dfu4jtest flashes A.bin, verified" PASS
  else
    cat "$OUT/udev-flash.log" "$OUT/udev-flash.err"; result "udev: with the rule applied dfu4jtest flashes A.bin" FAIL "exit $rc"
  fi
  # the file's documented alternative for SSH sessions, CI and services: MODE 0660, GROUP plugdev
  if grep -q 'MODE="0660", GROUP="plugdev"' "$rules"; then
    node_acl "$node" clear; chgrp plugdev "$node"; chmod 0660 "$node"
    as_user --groups=plugdev dfu upload "$PEER/udev-up.bin" --address "$ROM_BASE" --length "$IMG_LEN" > "$OUT/udev-plugdev.log" 2>&1; rc=$?
    as_user --clear-groups dfu-util -a 0 -s "$ROM_BASE:$IMG_LEN" -U "$PEER/udev-nogroup.bin" > "$OUT/udev-nogroup.log" 2>&1
    local rc2=$?
    if [ $rc = 0 ] && cmp -s "$PEER/udev-up.bin" "$PEER/A.bin" && [ $rc2 != 0 ]; then
      result "udev: MODE 0660 GROUP plugdev: dfu4jtest in plugdev reads the board back (== A.bin); outside it dfu-util is refused (exit $rc2)" PASS
    else
      cat "$OUT/udev-plugdev.log"; result "udev: MODE 0660 GROUP plugdev variant" FAIL "dfu upload exit $rc, dfu-util without the group exit $rc2"
    fi
  else
    result "udev: MODE 0660 GROUP plugdev variant" SKIP "docs/60-dfu4j.rules no longer documents it"
  fi
  stop_bridge
}

# ---- utilfe: `dfu util` and dfu-util 0.11 on the same command lines, same gadget ----------------------
# One bridge (BOOT0 high, so :leave comes back in DFU mode). Each -D line runs twice with the same
# words: dfu-util with img = A, then dfu util with img = B (so each run must change the memory);
# dfu-util reads the flash back after each. Exit codes must be equal where both succeed; dfu util
# must print exactly its one 'dfu util: differs:' line for each difference it has on that line.
UTILFE_LINES=()
utilfe_pair() { # utilfe_pair TAG ARGS...: dfu-util ARGS, $UTILFE_BETWEEN, dfu util ARGS (same words)
  local tag=$1 c l; shift
  c=$(grep -c 'ON-BUS connection' "$OUT/utilfe.trace"); l=$(grep -c LEFT-BUS "$OUT/utilfe.trace")
  timeout 300 dfu-util "$@" > "$OUT/utilfe-$tag.util" 2>&1; U_RC=$?
  wait_back "$OUT/utilfe.trace" "$c" "$l"
  [ -n "${UTILFE_BETWEEN:-}" ] && eval "$UTILFE_BETWEEN"
  c=$(grep -c 'ON-BUS connection' "$OUT/utilfe.trace"); l=$(grep -c LEFT-BUS "$OUT/utilfe.trace")
  # stdout and stderr apart: the CLI's two streams are buffered separately, so a shared file may splice them
  timeout 300 dfu util "$@" > "$OUT/utilfe-$tag.dfu" 2> "$OUT/utilfe-$tag.dfu.err"; D_RC=$?
  wait_back "$OUT/utilfe.trace" "$c" "$l"
  DIFFERS=$(grep -c '^dfu util: differs:' "$OUT/utilfe-$tag.dfu.err")
  echo "INFO utilfe [$tag] '$*': dfu-util exit $U_RC, dfu util exit $D_RC, $DIFFERS differs line(s)"
}
# wait_back TRACE ON_BUS_BEFORE LEFT_BEFORE [VID PID]: when the device left the bus (within 3 s of the
# command's end), wait until the bridge has put it back and the host has configured it again
wait_back() {
  local t=$1 deadline=$((SECONDS + 3))
  while [ "$(grep -c LEFT-BUS "$t")" -le "$3" ] && [ $SECONDS -le $deadline ]; do sleep 0.2; done
  if [ "$(grep -c LEFT-BUS "$t")" -gt "$3" ]; then
    deadline=$((SECONDS + 30))
    while [ "$(grep -c 'ON-BUS connection' "$t")" -le "$2" ] && [ $SECONDS -le $deadline ]; do sleep 0.2; done
  fi
  wait_usb present 20 "${4:-0483}" "${5:-df11}"
}
utilfe_record() { UTILFE_LINES+=("$1 | dfu-util exit $U_RC | dfu util exit $D_RC | $2"); }
peer_utilfe() {
  if ! cli_has flash; then result "utilfe: dfu util" SKIP "$(missing_cli flash)"; return; fi
  peer_images
  if ! start_bridge utilfe --sim stm32f405 --sim-option boot0=high; then result "utilfe: bridge" FAIL; stop_bridge; return; fi
  local a b
  # -l
  utilfe_pair l -l
  a=$(grep -c '^Found DFU: \[0483:df11\]' "$OUT/utilfe-l.util"); b=$(grep -c '^Found DFU: \[0483:df11\]' "$OUT/utilfe-l.dfu")
  if [ $U_RC = 0 ] && [ $D_RC = 0 ] && [ "$a" -ge 1 ] && [ "$a" = "$b" ]; then
    result "utilfe: -l: both exit 0 and list the same $a 'Found DFU: [0483:df11]' alt settings" PASS
  else
    cat "$OUT/utilfe-l.dfu" "$OUT/utilfe-l.dfu.err"; result "utilfe: -l: both list the board" FAIL "exit $U_RC/$D_RC, $a/$b lines"
  fi
  utilfe_record "-l" "$a / $b Found DFU lines"
  # -a 0 -s 0x08000000:leave -D img.bin
  cp "$PEER/A.bin" "$PEER/img.bin"
  UTILFE_BETWEEN='read_flash "$PEER/fe-leave-util.up"; cp "$PEER/B.bin" "$PEER/img.bin"'
  utilfe_pair leave -a 0 -s "$ROM_BASE:leave" -D "$PEER/img.bin"
  UTILFE_BETWEEN=
  read_flash "$PEER/fe-leave-dfu.up"
  if [ $U_RC = 0 ] && [ $D_RC = 0 ] && cmp -s "$PEER/fe-leave-util.up" "$PEER/A.bin" && cmp -s "$PEER/fe-leave-dfu.up" "$PEER/B.bin" &&
      [ "$DIFFERS" = 1 ] && grep -q 'differs: dfu4j reads the written memory back' "$OUT/utilfe-leave.dfu.err"; then
    result "utilfe: -a 0 -s $ROM_BASE:leave -D img.bin: both exit 0, each one's image read back, one differs line (verify)" PASS
  else
    cat "$OUT/utilfe-leave.dfu" "$OUT/utilfe-leave.dfu.err"; result "utilfe: -a 0 -s $ROM_BASE:leave -D img.bin" FAIL "exit $U_RC/$D_RC, $DIFFERS differs lines"
  fi
  utilfe_record "-a 0 -s $ROM_BASE:leave -D img.bin" "memory == A after dfu-util: $(cmp -s "$PEER/fe-leave-util.up" "$PEER/A.bin" && echo yes || echo no), == B after dfu util: $(cmp -s "$PEER/fe-leave-dfu.up" "$PEER/B.bin" && echo yes || echo no)"
  # -a 0 -s 0x08000000:LEN -U out.bin (the flash holds B now)
  rm -f "$PEER/out.bin" "$PEER/out-util.bin"
  UTILFE_BETWEEN='mv -f "$PEER/out.bin" "$PEER/out-util.bin"'
  utilfe_pair upload -a 0 -s "$ROM_BASE:$IMG_LEN" -U "$PEER/out.bin"
  UTILFE_BETWEEN=
  if [ $U_RC = 0 ] && [ $D_RC = 0 ] && cmp -s "$PEER/out.bin" "$PEER/out-util.bin" && cmp -s "$PEER/out.bin" "$PEER/B.bin" && [ "$DIFFERS" = 0 ]; then
    result "utilfe: -a 0 -s $ROM_BASE:$IMG_LEN -U out.bin: both exit 0, the two files are equal (== B), no differs line" PASS
  else
    cat "$OUT/utilfe-upload.dfu" "$OUT/utilfe-upload.dfu.err"; result "utilfe: -a 0 -s $ROM_BASE:$IMG_LEN -U out.bin" FAIL "exit $U_RC/$D_RC"
  fi
  utilfe_record "-a 0 -s $ROM_BASE:$IMG_LEN -U out.bin" "files equal: $(cmp -s "$PEER/out.bin" "$PEER/out-util.bin" && echo yes || echo no)"
  # -d 0483:df11 -a 0 -R -D img.dfu (a DfuSe file; -R: a USB reset after the download)
  cp "$PEER/A.dfu" "$PEER/img.dfu"
  UTILFE_BETWEEN='read_flash "$PEER/fe-dfu-util.up"; cp "$PEER/B.dfu" "$PEER/img.dfu"'
  utilfe_pair dfuse -d 0483:df11 -a 0 -R -D "$PEER/img.dfu"
  UTILFE_BETWEEN=
  read_flash "$PEER/fe-dfu-dfu.up"
  if [ $U_RC = 0 ] && [ $D_RC = 0 ] && cmp -s "$PEER/fe-dfu-util.up" "$PEER/A.bin" && cmp -s "$PEER/fe-dfu-dfu.up" "$PEER/B.bin" && [ "$DIFFERS" = 1 ]; then
    result "utilfe: -d 0483:df11 -a 0 -R -D img.dfu: both exit 0, each one's image read back after the reset, one differs line (verify)" PASS
  else
    cat "$OUT/utilfe-dfuse.dfu" "$OUT/utilfe-dfuse.dfu.err"; result "utilfe: -d 0483:df11 -a 0 -R -D img.dfu" FAIL "exit $U_RC/$D_RC, $DIFFERS differs lines"
  fi
  utilfe_record "-d 0483:df11 -a 0 -R -D img.dfu" "memory == A after dfu-util: $(cmp -s "$PEER/fe-dfu-util.up" "$PEER/A.bin" && echo yes || echo no), == B after dfu util: $(cmp -s "$PEER/fe-dfu-dfu.up" "$PEER/B.bin" && echo yes || echo no)"
  # a write past the end of the flash (0x080FE000 + 16 KiB > 1 MiB): both refuse, the flash keeps B
  cp "$PEER/A.bin" "$PEER/img.bin"
  utilfe_pair outside -a 0 -s 0x080FE000 -D "$PEER/img.bin"
  read_flash "$PEER/fe-outside.up"
  if [ $U_RC != 0 ] && [ $D_RC != 0 ] && cmp -s "$PEER/fe-outside.up" "$PEER/B.bin" && grep -q 'outside the memory layout' "$OUT/utilfe-outside.dfu.err"; then
    result "utilfe: -a 0 -s 0x080FE000 -D img.bin (past the flash end): both refuse (exit $U_RC / $D_RC), the flash is unchanged" PASS
  else
    cat "$OUT/utilfe-outside.util" "$OUT/utilfe-outside.dfu" "$OUT/utilfe-outside.dfu.err"; result "utilfe: -s 0x080FE000 -D img.bin: both refuse" FAIL "exit $U_RC/$D_RC"
  fi
  utilfe_record "-a 0 -s 0x080FE000 -D img.bin" "flash unchanged: $(cmp -s "$PEER/fe-outside.up" "$PEER/B.bin" && echo yes || echo no)"
  # -a 0 -e on a device already in DFU mode (the run-time personality's detach is the runtime section's).
  # (-a 0: without it dfu-util counts the F405's 4 alt settings as 4 devices and refuses.) dfu util must
  # say it is already in DFU mode and send nothing; dfu-util's exit code is reported, not compared: 0.11
  # sends DFU_DETACH in DFU mode too, which the ST ROM stalls. Both must leave it in DFU mode.
  utilfe_pair detach -a 0 -e
  if [ $D_RC = 0 ] && grep -q 'already in DFU mode' "$OUT/utilfe-detach.dfu" && [ "$DIFFERS" = 1 ] && usb_device 0483 df11 > /dev/null; then
    result "utilfe: -a 0 -e on a DFU-mode device: dfu util exits 0, sends nothing (one differs line); dfu-util exits $U_RC; still in DFU mode" PASS
  else
    cat "$OUT/utilfe-detach.util" "$OUT/utilfe-detach.dfu" "$OUT/utilfe-detach.dfu.err"; result "utilfe: -a 0 -e on a DFU-mode device" FAIL "exit $U_RC/$D_RC"
  fi
  utilfe_record "-a 0 -e (device in DFU mode)" "dfu-util: $(grep -v -e '^$' -e Copyright -e 'This program' -e 'Please report' -e '^dfu-util 0' "$OUT/utilfe-detach.util" | tail -1 | cut -c1-70); dfu util: $(head -1 "$OUT/utilfe-detach.dfu" | cut -c1-60)"
  stop_bridge
  for l in "${UTILFE_LINES[@]}"; do echo "UTILFE-LINE $l"; done
}

# ---- plain: a plain DFU 1.1 (non-DfuSe) personality, flashed by dfu4j and by dfu-util -------------------
# The plain-dfu* personalities of the simulator (docs/simulator.md): 1209:0001, bcdDFU 0x0110, one alt
# setting, a 64 KB image area that a DNLOAD stream fills from its start and UPLOAD returns whole.
# Per personality, on one bridge (BOOT0 high: a reset comes back in DFU mode; real-time flash timing,
# see below): dfu-util -D A.bin, the
# memory read by dfu-util -U (64 KB); dfu flash B.bin (another image: the flash must change); dfu flash
# A.bin; dfu-util -U again: byte for byte the memory dfu-util's own flash left; dfu upload == it too.
# A bridge that does not know the personality makes the section SKIP with the bridge's reason.
PLAIN_SIMS=${DFU4J_USBVM_PLAIN_SIMS:-plain-dfu plain-dfu-nomt}
PLAIN_ID=(1209 0001)
# A not-tolerant device resets after manifestation and dfu4j reads it back only if it is in DFU mode at its
# port again within --leave-wait (default 2 s); the re-enumeration through the emulated VM takes longer.
PLAIN_WAIT=${DFU4J_USBVM_PLAIN_WAIT:---leave-wait=15}
# start_bridge_for VID PID NAME ARGS...: start_bridge for a device that is not 0483:df11
start_bridge_for() {
  local vid=$1 pid=$2 name=$3; shift 3
  rm -f "$OUT/$name.trace"
  java $JAVA_FAST $BRIDGE_CDS ${DFU4J_BRIDGE_JAVA_OPTS:-} -cp "${BRIDGE_CP:-$REPO/usbvm/target/usbvm-bridge.jar}" io.github.dfu4j.usbvm.BridgeMain \
    --trace "$OUT/$name.trace" "$@" > "$OUT/$name.log" 2>&1 &
  BRIDGE_PID=$!
  wait_usb present "${DFU4J_USBVM_BRIDGE_START_S:-90}" "$vid" "$pid" && return 0
  echo "bridge $name did not enumerate; log:"; cat "$OUT/$name.log"
  return 1
}
plain_run() { # plain_run TAG OUT ERR CMD...: runs CMD (rc in RC), then waits for the device if it reset
  local t=$OUT/$1.trace out=$2 err=$3 c l; shift 3
  c=$(grep -c 'ON-BUS connection' "$t"); l=$(grep -c LEFT-BUS "$t")
  if [ "$out" = "$err" ]; then timeout 120 "$@" > "$out" 2>&1; else timeout 120 "$@" > "$out" 2> "$err"; fi
  RC=$?
  wait_back "$t" "$c" "$l" "${PLAIN_ID[@]}"
}
plain_read() { # plain_read OUT: dfu-util reads the whole image area
  rm -f "$1"
  timeout 120 dfu-util -d "${PLAIN_ID[0]}:${PLAIN_ID[1]}" -a 0 -U "$1" > "$1.log" 2>&1
}
peer_plain() {
  if ! cli_has flash; then result "plain: dfu flash" SKIP "$(missing_cli flash)"; return; fi
  peer_images
  local sim rc tag
  for sim in $PLAIN_SIMS; do
    tag=plain-$sim
    # --time real: the plain model answers an early GETSTATUS with dfuDNBUSY and the time left (it never
    # NAKs), so on the bridge's default virtual clock, which only host requests move, a host that polls
    # in wall time would see dfuDNBUSY for ever (dfu-util -D hung at 0%); real time makes it finish
    if ! start_bridge_for "${PLAIN_ID[@]}" "$tag" --sim "$sim" --sim-option boot0=high --time real; then
      if grep -qi -e 'unknown' -e 'no such' -e 'not a personality' "$OUT/$tag.log"; then
        result "plain: $sim" SKIP "the bridge does not know this personality (plain DFU work not merged?): $(tail -1 "$OUT/$tag.log")"
      else
        result "plain: $sim: bridge puts the device on the bus" FAIL "$(tail -1 "$OUT/$tag.log")"
      fi
      stop_bridge; wait_usb gone 10 "${PLAIN_ID[@]}"; continue
    fi
    plain_run "$tag" "$OUT/$tag-util.log" "$OUT/$tag-util.log" dfu-util -d 1209:0001 -a 0 -D "$PEER/A.bin"; rc=$RC
    plain_read "$PEER/$tag-util.mem"
    # dfu-util 0.11 does not handle a device that is not manifestation tolerant (its dfu_load.c has a FIXME
    # there): it polls again 1 s after dfuMANIFEST, the device has reset by then, and it exits 74 with
    # "unable to read DFU status after completion" although the image was written. That exit is expected
    # for plain-dfu-nomt*; the memory is what counts.
    local util_ok=0
    if [ $rc = 0 ]; then util_ok=1
    elif [[ $sim == *nomt* ]] && [ $rc = 74 ] && grep -q 'unable to read DFU status after completion' "$OUT/$tag-util.log"; then util_ok=1; fi
    if [ $util_ok = 1 ] && [ "$(head -c "$IMG_LEN" "$PEER/$tag-util.mem" | cmp - "$PEER/A.bin" >/dev/null && echo y)" = y ]; then
      result "plain: $sim: dfu-util -d 1209:0001 -a 0 -D A.bin exits $rc$([ $rc = 74 ] && echo ' (its known not-tolerant case)'); dfu-util -U reads A back ($(stat -c %s "$PEER/$tag-util.mem") bytes: the image area)" PASS
    else
      tail -n 5 "$OUT/$tag-util.log"; result "plain: $sim: dfu-util -D A.bin" FAIL "exit $rc"
    fi
    plain_run "$tag" "$OUT/$tag-dfu4j-B.log" "$OUT/$tag-dfu4j-B.err" dfu flash "$PEER/B.bin" $PLAIN_WAIT; rc=$RC
    plain_read "$PEER/$tag-B.mem"
    if [ $rc = 0 ] && grep -q '^Flashed and verified' "$OUT/$tag-dfu4j-B.log" &&
        [ "$(head -c "$IMG_LEN" "$PEER/$tag-B.mem" | cmp - "$PEER/B.bin" >/dev/null && echo y)" = y ]; then
      result "plain: $sim: dfu flash B.bin exits 0, verified; dfu-util reads B back" PASS
    else
      cat "$OUT/$tag-dfu4j-B.log" "$OUT/$tag-dfu4j-B.err"; result "plain: $sim: dfu flash B.bin" FAIL "exit $rc"
    fi
    plain_run "$tag" "$OUT/$tag-dfu4j-A.log" "$OUT/$tag-dfu4j-A.err" dfu flash "$PEER/A.bin" $PLAIN_WAIT; rc=$RC
    plain_read "$PEER/$tag-dfu4j.mem"
    if [ $rc = 0 ] && [ -s "$PEER/$tag-util.mem" ] && cmp "$PEER/$tag-dfu4j.mem" "$PEER/$tag-util.mem"; then
      result "plain: $sim: after dfu flash A.bin the image area equals, byte for byte, what dfu-util's flash of A.bin left" PASS
    else
      cat "$OUT/$tag-dfu4j-A.log" "$OUT/$tag-dfu4j-A.err"; result "plain: $sim: dfu flash A.bin == dfu-util's memory" FAIL "exit $rc"
    fi
    rm -f "$PEER/$tag-up.bin"
    # no addresses in plain DFU: --address 0 is the start of the stream; a --length past the area lets
    # the device end the upload with its short frame, as dfu-util -U does
    timeout 120 dfu upload "$PEER/$tag-up.bin" --address 0 --length 1048576 > "$OUT/$tag-upload.log" 2>&1; rc=$?
    if [ $rc = 0 ] && cmp -s "$PEER/$tag-up.bin" "$PEER/$tag-util.mem"; then
      result "plain: $sim: dfu upload reads the same $(stat -c %s "$PEER/$tag-up.bin") bytes as dfu-util -U" PASS
    else
      cat "$OUT/$tag-upload.log"; result "plain: $sim: dfu upload == dfu-util -U" FAIL "exit $rc, $(stat -c %s "$PEER/$tag-up.bin" 2>/dev/null || echo no) bytes"
    fi
    stop_bridge; wait_usb gone 10 "${PLAIN_ID[@]}"
  done
}

section ctrlc && peer_ctrlc
section udev && peer_udev
section utilfe && peer_utilfe
section plain && peer_plain
