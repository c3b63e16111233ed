package io.github.dfu4j.dfu;

/**
 * bStatus values (DFU 1.1 §6.1.2). {@link #fromCode(int)} never throws: an undefined value maps to
 * {@link #UNKNOWN} and the raw byte stays available on {@link DfuStatusReply#rawStatus()}.
 */
public enum DfuStatus {
    /** 0x00 OK: no error. */
    OK(0x00, "OK", "no error"),
    /** 0x01 errTARGET: the file is not meant for this device; ST ROMs also report it for an address they do not allow. */
    ERR_TARGET(0x01, "errTARGET", "file is not targeted for this device, or the address is not allowed"),
    /** 0x02 errFILE: the file is meant for this device but fails a vendor check. */
    ERR_FILE(0x02, "errFILE", "file fails vendor verification"),
    /** 0x03 errWRITE: the device cannot write the memory. */
    ERR_WRITE(0x03, "errWRITE", "device is unable to write memory"),
    /** 0x04 errERASE: the erase failed. */
    ERR_ERASE(0x04, "errERASE", "memory erase failed"),
    /** 0x05 errCHECK_ERASED: the check after an erase failed. */
    ERR_CHECK_ERASED(0x05, "errCHECK_ERASED", "memory erase check failed"),
    /** 0x06 errPROG: programming failed. */
    ERR_PROG(0x06, "errPROG", "program memory function failed"),
    /** 0x07 errVERIFY: the programmed memory failed the device's own verification. */
    ERR_VERIFY(0x07, "errVERIFY", "programmed memory failed verification"),
    /** 0x08 errADDRESS: the address is out of range (mboot: outside its sector table). */
    ERR_ADDRESS(0x08, "errADDRESS", "address out of range"),
    /** 0x09 errNOTDONE: a zero-length DNLOAD came, but the device expected more data. */
    ERR_NOTDONE(0x09, "errNOTDONE", "zero-length download but the device does not have all data"),
    /**
     * 0x0A errFIRMWARE: the firmware is corrupt and the device cannot return to run-time (some F4 ROMs report it
     * at the first GETSTATUS after enumeration, docs/reference/dfu.md §2.7).
     */
    ERR_FIRMWARE(0x0A, "errFIRMWARE", "firmware is corrupt, cannot return to run-time"),
    /** 0x0B errVENDOR: vendor-specific; ST ROMs report it when read-out protection refuses the request. */
    ERR_VENDOR(0x0B, "errVENDOR", "vendor-specific error (ST: read protection is active)"),
    /** 0x0C errUSBR: an unexpected USB reset. */
    ERR_USBR(0x0C, "errUSBR", "unexpected USB reset"),
    /** 0x0D errPOR: an unexpected power-on reset. */
    ERR_POR(0x0D, "errPOR", "unexpected power-on reset"),
    /** 0x0E errUNKNOWN: an unknown failure (ST's DFU middleware also answers a CLRSTATUS outside dfuERROR with it). */
    ERR_UNKNOWN(0x0E, "errUNKNOWN", "something went wrong"),
    /** 0x0F errSTALLEDPKT: the device stalled a request it did not expect in its state. */
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

    /**
     * The status for a bStatus byte (docs/reference/dfu.md §1.3).
     *
     * @param code the byte as received, 0 to 255 (or any int)
     * @return the status; {@link #UNKNOWN} for a value DFU 1.1 does not define (never null, never throws)
     */
    public static DfuStatus fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }
}
