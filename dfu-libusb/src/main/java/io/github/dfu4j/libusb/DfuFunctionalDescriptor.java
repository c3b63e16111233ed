package io.github.dfu4j.libusb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The DFU functional descriptor (DFU 1.1 §4.1.3, bDescriptorType 0x21): what the device can do and
 * how much data it takes per request. DFU 1.0 devices send 7 bytes without bcdDFUVersion; some
 * send even less, so missing fields read as 0 (transfer size) or 0x0100 (version).
 *
 * @param length              bytes actually present (bLength, or fewer when the device truncated it)
 * @param attributes          bmAttributes: bit0 bitCanDnload, bit1 bitCanUpload,
 *                            bit2 bitManifestationTolerant, bit3 bitWillDetach
 * @param detachTimeoutMillis wDetachTimeOut: how long the device waits for a USB reset after DETACH
 * @param transferSize        wTransferSize: maximum bytes per DNLOAD/UPLOAD request; 0 when absent
 * @param dfuVersion          bcdDFUVersion: 0x0110 for DFU 1.1, 0x011A for ST DfuSe ("1.1a")
 */
public record DfuFunctionalDescriptor(int length, int attributes, int detachTimeoutMillis, int transferSize,
                                      int dfuVersion) {

    /** bDescriptorType of the DFU functional descriptor. */
    public static final int TYPE = 0x21;
    public static final int CAN_DOWNLOAD = 1;
    public static final int CAN_UPLOAD = 1 << 1;
    public static final int MANIFESTATION_TOLERANT = 1 << 2;
    public static final int WILL_DETACH = 1 << 3;
    /** bcdDFUVersion of ST's DfuSe extension. */
    public static final int DFUSE_VERSION = 0x011A;

    public DfuFunctionalDescriptor {
        if (length < 3 || length > 255) {
            throw new IllegalArgumentException("length " + length + " not in 3..255");
        }
        if (attributes < 0 || attributes > 0xFF || detachTimeoutMillis < 0 || detachTimeoutMillis > 0xFFFF
                || transferSize < 0 || transferSize > 0xFFFF || dfuVersion < 0 || dfuVersion > 0xFFFF) {
            throw new IllegalArgumentException("field out of range in " + Arrays.asList(attributes,
                    detachTimeoutMillis, transferSize, dfuVersion));
        }
    }

    /**
     * Parses the descriptor's wire form.
     *
     * @param raw    bytes starting at bLength; bytes beyond bLength are ignored, and a descriptor
     *               shorter than its bLength (truncated by the device) is read as far as it goes
     * @param source names the bytes in error messages
     * @throws DescriptorFormatException when bDescriptorType is not 0x21 or fewer than 3 bytes
     *                                   (up to bmAttributes) are present
     */
    public static DfuFunctionalDescriptor parse(byte[] raw, String source) throws DescriptorFormatException {
        if (raw.length < 2) {
            throw new DescriptorFormatException(source, raw.length, "DFU functional descriptor needs at least 3 bytes,"
                    + " got " + raw.length);
        }
        if ((raw[1] & 0xFF) != TYPE) {
            throw new DescriptorFormatException(source, 1, String.format(
                    "bDescriptorType 0x%02x is not the DFU functional descriptor (0x21)", raw[1] & 0xFF));
        }
        int declared = raw[0] & 0xFF;
        int n = Math.min(declared, raw.length);
        if (n < 3) {
            throw new DescriptorFormatException(source, 0, "DFU functional descriptor has " + n
                    + " bytes, needs at least 3 (bLength " + declared + ")");
        }
        int attributes = raw[2] & 0xFF;
        int detach = n >= 5 ? u16(raw, 3) : 0;
        int transfer = n >= 7 ? u16(raw, 5) : 0;
        int version = n >= 9 ? u16(raw, 7) : 0x0100;
        return new DfuFunctionalDescriptor(n, attributes, detach, transfer, version);
    }

    /**
     * Finds the first DFU functional descriptor in a run of "extra" descriptor bytes (what libusb
     * leaves after a configuration or interface header). Stops quietly at a malformed bLength: a
     * broken unrelated descriptor must not hide the device.
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
            if ((extra[pos + 1] & 0xFF) == TYPE) {
                return Optional.of(Arrays.copyOfRange(extra, pos, Math.min(pos + len, extra.length)));
            }
            pos += len;
        }
        return Optional.empty();
    }

    public boolean canDownload() {
        return (attributes & CAN_DOWNLOAD) != 0;
    }

    public boolean canUpload() {
        return (attributes & CAN_UPLOAD) != 0;
    }

    public boolean manifestationTolerant() {
        return (attributes & MANIFESTATION_TOLERANT) != 0;
    }

    /** The device detaches and re-attaches by itself after DETACH; the host must not reset it. */
    public boolean willDetach() {
        return (attributes & WILL_DETACH) != 0;
    }

    public boolean isDfuSe() {
        return dfuVersion == DFUSE_VERSION;
    }

    /** The wire form, {@link #length()} bytes (7 for DFU 1.0, 9 for DFU 1.1). */
    public byte[] toBytes() {
        byte[] full = {9, TYPE, (byte) attributes, (byte) detachTimeoutMillis, (byte) (detachTimeoutMillis >> 8),
            (byte) transferSize, (byte) (transferSize >> 8), (byte) dfuVersion, (byte) (dfuVersion >> 8)};
        byte[] out = Arrays.copyOf(full, length);
        out[0] = (byte) length;
        return out;
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
        String version = isDfuSe() ? "DfuSe 1.1a" : String.format("DFU %x.%x", dfuVersion >> 8, dfuVersion & 0xFF);
        return String.format("%s, bmAttributes 0x%02x (%s), detach %d ms, transfer %d", version, attributes,
                String.join(", ", caps), detachTimeoutMillis, transferSize);
    }

    /** Insertion-ordered map of plain values for JSON output. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("length", length);
        m.put("attributes", attributes);
        m.put("canDownload", canDownload());
        m.put("canUpload", canUpload());
        m.put("manifestationTolerant", manifestationTolerant());
        m.put("willDetach", willDetach());
        m.put("detachTimeoutMillis", detachTimeoutMillis);
        m.put("transferSize", transferSize);
        m.put("dfuVersion", String.format("0x%04x", dfuVersion));
        return m;
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }
}
