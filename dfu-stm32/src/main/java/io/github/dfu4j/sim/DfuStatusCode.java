package io.github.dfu4j.sim;

/** bStatus values (DFU 1.1 §6.1.2, docs/reference/dfu.md §1.3), named as in the spec. */
public enum DfuStatusCode {
    OK(0x00), ERR_TARGET(0x01), ERR_FILE(0x02), ERR_WRITE(0x03), ERR_ERASE(0x04), ERR_CHECK_ERASED(0x05),
    ERR_PROG(0x06), ERR_VERIFY(0x07), ERR_ADDRESS(0x08), ERR_NOTDONE(0x09), ERR_FIRMWARE(0x0A), ERR_VENDOR(0x0B),
    ERR_USBR(0x0C), ERR_POR(0x0D), ERR_UNKNOWN(0x0E), ERR_STALLEDPKT(0x0F);

    private final int code;

    DfuStatusCode(int code) {
        this.code = code;
    }

    /** The bStatus byte. */
    public int code() {
        return code;
    }

    /** The status with this bStatus byte, or null for a value outside 0..15. */
    public static DfuStatusCode fromCode(int code) {
        return code >= 0 && code < values().length ? values()[code] : null;
    }
}
