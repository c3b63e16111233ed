package io.github.dfu4j.libusb;

import io.github.dfu4j.libusb.spi.LibusbError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** One device on a {@link FakeUsbBus}: descriptors as bytes, strings as a table, scripted failures. */
final class FakeUsbDevice {
    final String name;
    final byte[] deviceDescriptor;
    final List<byte[]> configurations = new ArrayList<>();
    final Map<Integer, String> strings = new HashMap<>();
    FakeUsbBus bus;
    int busNumber = 1;
    List<Integer> ports = List.of(2);
    int address;
    boolean unplugged;

    /** Fail libusb_open with this error. */
    LibusbError openFailure;
    /** Fail claim_interface with this error. */
    LibusbError claimFailure;
    /** Throw this from claim_interface: a defect in a backend, not a libusb error. */
    RuntimeException claimCrash;
    /** Fail reset with this error (after running onReset). */
    LibusbError resetFailure;
    /** Answer GET_DESCRIPTOR(0x21) with these bytes (else stall). */
    byte[] functionalViaGetDescriptor;
    /** Cut every string descriptor after this many bytes while keeping bLength (ROM truncation). */
    int truncateStringsTo = -1;
    /** Make the raw string GET_DESCRIPTOR fail so that libusb's ASCII reader is used. */
    boolean rawStringsFail;
    /** Runs on a DFU_DETACH class request. */
    Consumer<FakeUsbDevice> onDetach;
    /** Runs on libusb_reset_device; set resetFailure to NOT_FOUND when it re-enumerates. */
    Consumer<FakeUsbDevice> onReset;

    int openHandles;
    int opens;
    final List<String> requests = new ArrayList<>();
    final List<Integer> claimed = new ArrayList<>();
    int autoDetachCalls;
    int resets;
    int currentAlt = -1;

    FakeUsbDevice(String name, byte[] deviceDescriptor, byte[]... configurations) {
        this.name = name;
        this.deviceDescriptor = deviceDescriptor.clone();
        for (byte[] c : configurations) {
            this.configurations.add(c.clone());
        }
    }

    FakeUsbDevice at(int busNumber, Integer... ports) {
        this.busNumber = busNumber;
        this.ports = List.of(ports);
        return this;
    }

    FakeUsbDevice string(int index, String value) {
        strings.put(index, value);
        return this;
    }

    /** The UTF-16LE string descriptor for an index (0 = LANGID table). */
    byte[] stringDescriptor(int index) {
        if (index == 0) {
            return new byte[] {4, 3, 0x09, 0x04};
        }
        String s = strings.get(index);
        if (s == null) {
            return null;
        }
        byte[] utf16 = s.getBytes(StandardCharsets.UTF_16LE);
        byte[] d = new byte[Math.min(2 + utf16.length, 255)];
        d[0] = (byte) d.length;
        d[1] = 3;
        System.arraycopy(utf16, 0, d, 2, d.length - 2);
        return d;
    }
}
