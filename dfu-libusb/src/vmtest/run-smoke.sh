#!/bin/sh
# Manual check of both dfu-libusb backends against a real kernel USB stack: the shared usbvm
# (qemu + dummy_hcd + raw_gadget emulating an STM32 ROM bootloader, 0483:df11).
# Not part of `mvn test` (the VM tier is separate). From the repository root, after
# `mvn -pl dfu-libusb install -DskipTests`:
#
#   USBVM_WORK=/tmp/usbvm-libusb sh dfu-libusb/src/vmtest/run-smoke.sh
#
# Expect "SMOKE OK jna", "SMOKE OK usb4java", "LEAVE reopen present=false" and exit code 0.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
usbvm=${USBVM_DIR:-$here/../../../../shared/usbvm}
work=${USBVM_WORK:-/tmp/usbvm-libusb}
R=$HOME/.m2/repository
mkdir -p "$work/smoke"
rm -rf "$work/smoke/classes" && cp -r "$here/../../target/classes" "$work/smoke/classes"
CP=$work/smoke/classes
for j in io/github/dfu4j/dfu-api/0.1.0-SNAPSHOT/dfu-api-0.1.0-SNAPSHOT.jar \
         io/github/dfu4j/dfu-formats/0.1.0-SNAPSHOT/dfu-formats-0.1.0-SNAPSHOT.jar \
         org/slf4j/slf4j-api/2.0.16/slf4j-api-2.0.16.jar org/slf4j/slf4j-simple/2.0.16/slf4j-simple-2.0.16.jar \
         net/java/dev/jna/jna/5.15.0/jna-5.15.0.jar org/usb4java/usb4java/1.3.0/usb4java-1.3.0.jar \
         org/usb4java/libusb4java/1.3.0/libusb4java-1.3.0-linux-x86-64.jar \
         org/apache/commons/commons-lang3/3.8.1/commons-lang3-3.8.1.jar; do
  cp "$R/$j" "$work/smoke/"; CP=$CP:$work/smoke/$(basename "$j")
done
javac -cp "$CP" -d "$work/smoke" "$here/Smoke.java" "$here/Leave.java"
cat > "$work/smoke/guest.sh" <<GUEST
#!/bin/sh
D="sh \$USBVM_WORK/guest/dfu-device.sh"
for main in Smoke Leave; do
  \$D start || exit 1
  java -cp $work/smoke:$CP \$main 2>&1 || exit 1
  \$D stop
done
GUEST
chmod +x "$work/smoke/guest.sh"
USBVM_WORK=$work "$usbvm/run-vm.sh" "$work/smoke/guest.sh" --timeout 400
