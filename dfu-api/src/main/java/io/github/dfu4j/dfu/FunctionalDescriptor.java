package io.github.dfu4j.dfu;

/**
 * The DFU functional descriptor (DFU 1.1 §4.1.3, type 0x21): 9 bytes in DFU 1.1 and DfuSe, 7 bytes
 * in DFU 1.0 (no bcdDFUVersion).
 *
 * @param attributes       bmAttributes as sent
 * @param detachTimeoutMs  wDetachTimeOut
 * @param transferSize     wTransferSize: the largest DNLOAD/UPLOAD data stage
 * @param bcdDfu           bcdDFUVersion; 0x0100 when the descriptor is the 7-byte DFU 1.0 form
 */
public record FunctionalDescriptor(int attributes, int detachTimeoutMs, int transferSize, int bcdDfu) {
    public static final int DESCRIPTOR_TYPE = 0x21;
    public static final int BCD_DFU_1_0 = 0x0100;
    public static final int BCD_DFU_1_1 = 0x0110;
    /** ST's "DFU 1.1a": DfuSe. */
    public static final int BCD_DFUSE = 0x011A;

    public static final int CAN_DOWNLOAD = 1;
    public static final int CAN_UPLOAD = 1 << 1;
    public static final int MANIFESTATION_TOLERANT = 1 << 2;
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

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    /** The 9 wire bytes. */
    public byte[] toBytes() {
        return new byte[] {9, DESCRIPTOR_TYPE, (byte) attributes, (byte) detachTimeoutMs, (byte) (detachTimeoutMs >> 8),
                (byte) transferSize, (byte) (transferSize >> 8), (byte) bcdDfu, (byte) (bcdDfu >> 8)};
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

    public boolean willDetach() {
        return (attributes & WILL_DETACH) != 0;
    }

    /** bcdDFUVersion 0x011A: the device speaks ST's DfuSe extension. */
    public boolean isDfuse() {
        return bcdDfu == BCD_DFUSE;
    }

    @Override
    public String toString() {
        return String.format("FunctionalDescriptor[attributes 0x%02x%s%s%s%s, detach %d ms, transfer %d, bcdDFU %x.%02x]",
                attributes, canDownload() ? " download" : "", canUpload() ? " upload" : "",
                manifestationTolerant() ? " manifestation-tolerant" : "", willDetach() ? " will-detach" : "",
                detachTimeoutMs, transferSize, bcdDfu >> 8, bcdDfu & 0xFF);
    }
}
