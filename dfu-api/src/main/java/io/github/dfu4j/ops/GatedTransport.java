package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.DfuRequest;
import io.github.dfu4j.dfu.internal.DfuseCommand;
import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DeviceInfo;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.TimeSource;
import io.github.dfu4j.transport.TransportException;
import java.time.Duration;
import java.util.List;

/**
 * The enforcing half of the write gate: the only transport a {@link DfuDevice} and its driver talk
 * to. It follows the DfuSe address pointer and the selected alternate setting, and lets a DNLOAD that
 * programs, erases or unlocks memory through only when the {@link WriteGate.Permit} armed for the
 * running operation covers it. Reads, status requests, SET_ADDRESS and the zero-length DNLOAD of a
 * leave always pass. Nothing armed means nothing may be written, so a caller that reaches the driver
 * directly cannot write around the review: the request fails with {@link IllegalStateException}
 * before it reaches the device.
 */
final class GatedTransport implements DfuTransport {
    private DfuTransport inner;
    private final boolean dfuse;
    private WriteGate.Permit permit = WriteGate.Permit.NONE;
    private int alt;
    private long pointer = -1;

    GatedTransport(DfuTransport inner, boolean dfuse) {
        this.inner = inner;
        this.dfuse = dfuse;
    }

    /** Arms a permit for one operation; {@link #disarm} when it ends, however it ends. */
    void arm(WriteGate.Permit p) {
        permit = p;
    }

    void disarm() {
        permit = WriteGate.Permit.NONE;
    }

    DfuTransport inner() {
        return inner;
    }

    /**
     * Goes on with the transport of the device's new enumeration (it came back in DFU mode after a
     * reset): alt 0 is selected there and the DfuSe address pointer is unknown.
     */
    void retarget(DfuTransport next) {
        inner = next;
        alt = 0;
        pointer = -1;
    }

    @Override
    public void controlOut(int request, int value, byte[] data, Duration timeout) throws TransportException {
        if (request == DfuRequest.DNLOAD.code() && data.length > 0) {
            check(value, data);
        }
        inner.controlOut(request, value, data, timeout);
    }

    private void check(int block, byte[] data) {
        if (!dfuse) {
            if (!permit.plainDownload()) {
                throw refused("a plain DFU download that no operation reviewed");
            }
            return;
        }
        if (block == DfuseCommand.COMMAND_BLOCK) {
            int code = data[0] & 0xFF;
            long address = data.length >= 5 ? (data[1] & 0xFFL) | (data[2] & 0xFFL) << 8 | (data[3] & 0xFFL) << 16
                    | (data[4] & 0xFFL) << 24 : -1;
            switch (code) {
                case DfuseCommand.SET_ADDRESS -> {
                    if (address < 0) {
                        throw refused("a malformed SET_ADDRESS");
                    }
                    pointer = address;
                }
                case DfuseCommand.ERASE -> {
                    if (address < 0 ? !permit.massErases().contains(alt) : !permit.erases(alt, address)) {
                        throw refused(address < 0 ? "a mass erase of alt " + alt + " that no operation reviewed"
                                : String.format("an erase of 0x%08x (alt %d) that no operation reviewed", address, alt));
                    }
                }
                case DfuseCommand.READ_UNPROTECT -> {
                    if (!permit.readUnprotect()) {
                        throw refused("a READ_UNPROTECT that no operation reviewed");
                    }
                }
                default -> throw refused(String.format("DfuSe command 0x%02x, which the gate does not know", code));
            }
            return;
        }
        if (block == 1 || pointer < 0) {
            throw refused("a data block without a DfuSe address");
        }
        long address = pointer + (long) (block - DfuseCommand.FIRST_DATA_BLOCK) * permit.transferSize();
        if (!permit.writes(alt, address, address + data.length)) {
            throw refused(String.format("a write of %d bytes at 0x%08x (alt %d) that no operation reviewed", data.length,
                    address, alt));
        }
    }

    private static IllegalStateException refused(String what) {
        return new IllegalStateException("write gate: refused " + what + "; writes go through DfuDevice's operations,"
                + " which review them first");
    }

    @Override
    public void selectAltSetting(int altSetting) throws TransportException {
        inner.selectAltSetting(altSetting);
        alt = altSetting;
        pointer = -1;
    }

    @Override
    public DeviceInfo device() {
        return inner.device();
    }

    @Override
    public int interfaceNumber() {
        return inner.interfaceNumber();
    }

    @Override
    public List<AltSetting> altSettings() {
        return inner.altSettings();
    }

    @Override
    public byte[] functionalDescriptor() {
        return inner.functionalDescriptor();
    }

    @Override
    public byte[] controlIn(int request, int value, int length, Duration timeout) throws TransportException {
        return inner.controlIn(request, value, length, timeout);
    }

    @Override
    public String stringDescriptor(int index) throws TransportException {
        return inner.stringDescriptor(index);
    }

    @Override
    public void reset() throws TransportException {
        inner.reset();
    }

    @Override
    public TimeSource time() {
        return inner.time();
    }

    @Override
    public io.github.dfu4j.transport.DevicePort port() {
        return inner.port();
    }

    @Override
    public void close() {
        inner.close();
    }
}
