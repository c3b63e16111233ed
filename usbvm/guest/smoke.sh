#!/bin/bash
# Bring-up check of the raw_gadget path alone: the bridge serves the tiny DFU 1.1 test endpoint
# (usbvm test classes), dfu-util lists it, downloads, uploads and compares.
. "$(dirname "$0")/lib.sh"
BRIDGE_CP=$(cat "$REPO/usbvm/target/classpath.txt"):$REPO/usbvm/target/classes:$REPO/usbvm/target/test-classes
BRIDGE_MAIN=io.github.dfu4j.usbvm.TinyBridgeMain
T=$(now); java $JAVA_FAST -version 2>&1 | head -1; echo "java -version: $(since "$T") s"
T=$(now)
start_bridge tiny --sim tiny --state "$OUT/tiny.mem" && result "tiny device enumerates ($(since "$T") s)" PASS || result "tiny device enumerates" FAIL
dfu-util -l > /tmp/l.txt 2>&1; cat /tmp/l.txt
check "dfu-util -l lists the tiny device" grep -q 'Found DFU: \[0483:df11\].*name="@Tiny' /tmp/l.txt
head -c 4096 /dev/urandom > /tmp/fw.bin
T=$(now)
dfu-util -a 0 -D /tmp/fw.bin > /tmp/d.txt 2>&1; rc=$?; tail -5 /tmp/d.txt
echo "download rc $rc in $(since "$T") s"
stop_bridge
check "device memory holds the download" cmp <(head -c 4096 "$OUT/tiny.mem") /tmp/fw.bin
echo "--- trace (head)"; head -30 "$OUT/tiny.trace"
summary
[ $FAIL = 0 ]
