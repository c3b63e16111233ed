package io.github.dfu4j.dfu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The DFU functional descriptor (DFU 1.1 §4.1.3, type 0x21): 9 bytes in DFU 1.1 and DfuSe, 7 bytes
 * in DFU 1.0 (no bcdDFUVersion). The one type for it: transports report its bytes, discovery (dfu-libusb)
 * finds them among a configuration's extra descriptors with {@link #findIn}, and the protocol parses them.
 *
 * <pre>{@code
 * FunctionalDescriptor fd = FunctionalDescriptor.parse(transport.functionalDescriptor(), "my device");
 * System.out.println(fd.describe()); // DfuSe 1.1a, bmAttributes 0x0b (download, upload, will-detach), ...
 * }</pre>
 *
 * @param attributes       bmAttributes as sent
 * @param detachTimeoutMs  wDetachTimeOut
 * @param transferSize     wTransferSize: the largest DNLOAD/UPLOAD data stage
 * @param bcdDfu           bcdDFUVersion; 0x0100 when the descriptor is the 7-byte DFU 1.0 form
 */
public record FunctionalDescriptor(int attributes, int detachTimeoutMs, int transferSize, int bcdDfu) {
    /** bDescriptorType of the DFU functional descriptor, 0x21. */
    public static final int DESCRIPTOR_TYPE = 0x21;
    /** bcdDFUVersion of DFU 1.0, 0x0100; also what {@link #parse} assumes for the 7-byte form, which has no version field. */
    public static final int BCD_DFU_1_0 = 0x0100;
    /** bcdDFUVersion of DFU 1.1, 0x0110. */
    public static final int BCD_DFU_1_1 = 0x0110;
    /** ST's "DFU 1.1a": DfuSe. */
    public static final int BCD_DFUSE = 0x011A;

    /** bmAttributes bit 0, bitCanDnload: the device accepts DNLOAD. */
    public static final int CAN_DOWNLOAD = 1;
    /** bmAttributes bit 1, bitCanUpload: the device answers UPLOAD. */
    public static final int CAN_UPLOAD = 1 << 1;
    /**
     * bmAttributes bit 2, bitManifestationTolerant: after manifestation the device still answers on the bus
     * (back to dfuIDLE) instead of waiting for a USB reset in dfuMANIFEST-WAIT-RESET.
     */
    public static final int MANIFESTATION_TOLERANT = 1 << 2;
    /** bmAttributes bit 3, bitWillDetach: after DETACH the device leaves the bus itself; the host sends no USB reset. */
    public static final int WILL_DETACH = 1 << 3;

    public FunctionalDescriptor {
        if (attributes < 0 || attributes > 0xFF) {
            throw new IllegalArgumentException("bmAttributes must fit 8 bits: " + attributes);
        }
        for (int v : new int[] {detachTimeoutMs, transferSize, bcdDfu}) {
            if (v < 0 || v > 0xFFFF) {
                throw new IllegalArgumentException("16-bit field out of range: " + v);
            }
        }
    }

    /** A DfuSe descriptor as ST ROMs report it: attributes 0x0B, 255 ms detach timeout. */
    public static FunctionalDescriptor dfuse(int transferSize) {
        return new FunctionalDescriptor(CAN_DOWNLOAD | CAN_UPLOAD | WILL_DETACH, 255, transferSize, BCD_DFUSE);
    }

    /**
     * Parses the descriptor bytes as a transport found them.
     *
     * @param source names where the bytes came from, for the error message
     * @throws DfuException when the bytes are not a functional descriptor
     */
    public static FunctionalDescriptor parse(byte[] bytes, String source) throws DfuException {
        String where = source == null ? "functional descriptor" : source;
        if (bytes == null || bytes.length == 0) {
            throw DfuException.protocol(where + ": the device has no DFU functional descriptor");
        }
        int length = bytes[0] & 0xFF;
        if (bytes.length < 2) {
            throw DfuException.protocol(where + "@0x0001: descriptor truncated after 1 byte");
        }
        int type = bytes[1] & 0xFF;
        if (type != DESCRIPTOR_TYPE) {
            throw DfuException.protocol(String.format("%s@0x0001: descriptor type 0x%02x, expected 0x21", where, type));
        }
        if (length < 7) {
            throw DfuException.protocol(String.format("%s@0x0000: bLength %d, a DFU functional descriptor has 7 or 9 bytes", where, length));
        }
        if (bytes.length < 7) {
            throw DfuException.protocol(String.format("%s@0x%04x: descriptor truncated: bLength %d but only %d bytes",
                    where, bytes.length, length, bytes.length));
        }
        int attributes = bytes[2] & 0xFF;
        int detach = u16(bytes, 3);
        int transfer = u16(bytes, 5);
        int bcd = BCD_DFU_1_0;
        if (length >= 9) {
            if (bytes.length < 9) {
                throw DfuException.protocol(String.format("%s@0x%04x: descriptor truncated: bLength %d but only %d bytes",
                        where, bytes.length, length, bytes.length));
            }
            bcd = u16(bytes, 7);
        }
        return new FunctionalDescriptor(attributes, detach, transfer, bcd);
    }

    /**
     * Finds the first DFU functional descriptor in a run of "extra" descriptor bytes (what USB stacks
     * leave after a configuration or interface header). Stops quietly at a malformed bLength: a broken
     * unrelated descriptor must not hide the device.
     *
     * @return the raw bytes of the descriptor (at most bLength, fewer if the run ends early)
     */
    public static Optional<byte[]> findIn(byte[] extra) {
        int pos = 0;
        while (pos + 2 <= extra.length) {
            int len = extra[pos] & 0xFF;
            if (len < 2) {
                return Optional.empty();
            }
            if ((extra[pos + 1] & 0xFF) == DESCRIPTOR_TYPE) {
                return Optional.of(Arrays.copyOfRange(extra, pos, Math.min(pos + len, extra.length)));
            }
            pos += len;
        }
        return Optional.empty();
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    /** The 9 wire bytes. */
    public byte[] toBytes() {
        return new byte[] {9, DESCRIPTOR_TYPE, (byte) attributes, (byte) detachTimeoutMs, (byte) (detachTimeoutMs >> 8),
                (byte) transferSize, (byte) (transferSize >> 8), (byte) bcdDfu, (byte) (bcdDfu >> 8)};
    }

    /** bitCanDnload: the device accepts DNLOAD (firmware can be written). */
    public boolean canDownload() {
        return (attributes & CAN_DOWNLOAD) != 0;
    }

    /** bitCanUpload: the device answers UPLOAD (memory can be read). */
    public boolean canUpload() {
        return (attributes & CAN_UPLOAD) != 0;
    }

    /** bitManifestationTolerant: the device stays reachable after manifestation; see {@link #MANIFESTATION_TOLERANT}. */
    public boolean manifestationTolerant() {
        return (attributes & MANIFESTATION_TOLERANT) != 0;
    }

    /** bitWillDetach: the device detaches itself after DETACH, no USB reset needed; see {@link #WILL_DETACH}. */
    public boolean willDetach() {
        return (attributes & WILL_DETACH) != 0;
    }

    /** bcdDFUVersion 0x011A: the device speaks ST's DfuSe extension. */
    public boolean isDfuse() {
        return bcdDfu == BCD_DFUSE;
    }

    /** "DfuSe 1.1a, bmAttributes 0x0b (download, upload, will-detach), detach 255 ms, transfer 2048". */
    public String describe() {
        List<String> caps = new ArrayList<>();
        if (canDownload()) {
            caps.add("download");
        }
        if (canUpload()) {
            caps.add("upload");
        }
        if (manifestationTolerant()) {
            caps.add("manifestation-tolerant");
        }
        if (willDetach()) {
            caps.add("will-detach");
        }
        String version = isDfuse() ? "DfuSe 1.1a" : String.format("DFU %x.%x", bcdDfu >> 8, bcdDfu & 0xFF);
        return String.format("%s, bmAttributes 0x%02x (%s), detach %d ms, transfer %d", version, attributes,
                String.join(", ", caps), detachTimeoutMs, transferSize);
    }

    /**
     * Every field for logs, e.g. {@code FunctionalDescriptor[attributes 0x0b download upload will-detach, detach 255 ms,
     * transfer 2048, bcdDFU 1.1a]}; {@link #describe()} is the user-facing form.
     */
    @Override
    public String toString() {
        return String.format("FunctionalDescriptor[attributes 0x%02x%s%s%s%s, detach %d ms, transfer %d, bcdDFU %x.%02x]",
                attributes, canDownload() ? " download" : "", canUpload() ? " upload" : "",
                manifestationTolerant() ? " manifestation-tolerant" : "", willDetach() ? " will-detach" : "",
                detachTimeoutMs, transferSize, bcdDfu >> 8, bcdDfu & 0xFF);
    }
}
