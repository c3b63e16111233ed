package io.github.dfu4j.dfu;

/**
 * bStatus values (DFU 1.1 §6.1.2). {@link #fromCode(int)} never throws: an undefined value maps to
 * {@link #UNKNOWN} and the raw byte stays available on {@link DfuStatusReply#rawStatus()}.
 */
public enum DfuStatus {
    OK(0x00, "OK", "no error"),
    ERR_TARGET(0x01, "errTARGET", "file is not targeted for this device, or the address is not allowed"),
    ERR_FILE(0x02, "errFILE", "file fails vendor verification"),
    ERR_WRITE(0x03, "errWRITE", "device is unable to write memory"),
    ERR_ERASE(0x04, "errERASE", "memory erase failed"),
    ERR_CHECK_ERASED(0x05, "errCHECK_ERASED", "memory erase check failed"),
    ERR_PROG(0x06, "errPROG", "program memory function failed"),
    ERR_VERIFY(0x07, "errVERIFY", "programmed memory failed verification"),
    ERR_ADDRESS(0x08, "errADDRESS", "address out of range"),
    ERR_NOTDONE(0x09, "errNOTDONE", "zero-length download but the device does not have all data"),
    ERR_FIRMWARE(0x0A, "errFIRMWARE", "firmware is corrupt, cannot return to run-time"),
    ERR_VENDOR(0x0B, "errVENDOR", "vendor-specific error (ST: read protection is active)"),
    ERR_USBR(0x0C, "errUSBR", "unexpected USB reset"),
    ERR_POR(0x0D, "errPOR", "unexpected power-on reset"),
    ERR_UNKNOWN(0x0E, "errUNKNOWN", "something went wrong"),
    ERR_STALLEDPKT(0x0F, "errSTALLEDPKT", "device stalled an unexpected request"),
    /** Any value the specification does not define. */
    UNKNOWN(-1, "unknown", "status code not defined by DFU 1.1");

    private static final DfuStatus[] BY_CODE = new DfuStatus[16];

    static {
        for (DfuStatus s : values()) {
            if (s.code >= 0) {
                BY_CODE[s.code] = s;
            }
        }
    }

    private final int code;
    private final String specName;
    private final String meaning;

    DfuStatus(int code, String specName, String meaning) {
        this.code = code;
        this.specName = specName;
        this.meaning = meaning;
    }

    /** The wire value, -1 for {@link #UNKNOWN}. */
    public int code() {
        return code;
    }

    /** The specification's name, e.g. {@code errWRITE}. */
    public String specName() {
        return specName;
    }

    /** A short explanation for users. */
    public String meaning() {
        return meaning;
    }

    public static DfuStatus fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }
}
