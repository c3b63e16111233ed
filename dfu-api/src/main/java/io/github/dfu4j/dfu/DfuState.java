package io.github.dfu4j.dfu;

/**
 * bState values (DFU 1.1 §6.1.2). {@link #fromCode(int)} never throws: an undefined value maps to
 * {@link #UNKNOWN} and the raw byte stays available on {@link DfuStatusReply#rawState()}.
 */
public enum DfuState {
    /** 0, appIDLE: the application runs; DFU is not active. */
    APP_IDLE(0, "appIDLE"),
    /** 1, appDETACH: the application accepted DETACH and waits for a USB reset within wDetachTimeOut. */
    APP_DETACH(1, "appDETACH"),
    /** 2, dfuIDLE: DFU mode, waiting for a request. */
    DFU_IDLE(2, "dfuIDLE"),
    /** 3, dfuDNLOAD-SYNC: the device holds a DNLOAD block and waits for GETSTATUS to start or report it. */
    DFU_DNLOAD_SYNC(3, "dfuDNLOAD-SYNC"),
    /** 4, dfuDNBUSY: erasing or programming (DfuSe: also executing a command); poll no sooner than bwPollTimeout. */
    DFU_DNBUSY(4, "dfuDNBUSY"),
    /** 5, dfuDNLOAD-IDLE: between download blocks, expecting another DNLOAD (or a zero-length one to finish). */
    DFU_DNLOAD_IDLE(5, "dfuDNLOAD-IDLE"),
    /** 6, dfuMANIFEST-SYNC: the final zero-length DNLOAD arrived (or manifestation finished); waits for GETSTATUS. */
    DFU_MANIFEST_SYNC(6, "dfuMANIFEST-SYNC"),
    /** 7, dfuMANIFEST: manifesting (DfuSe: leaving to the application); the device may not answer. */
    DFU_MANIFEST(7, "dfuMANIFEST"),
    /** 8, dfuMANIFEST-WAIT-RESET: manifestation done on a device that is not manifestation tolerant; it needs a USB reset. */
    DFU_MANIFEST_WAIT_RESET(8, "dfuMANIFEST-WAIT-RESET"),
    /** 9, dfuUPLOAD-IDLE: mid-upload, expecting another UPLOAD; a short reply ends it (back to dfuIDLE). */
    DFU_UPLOAD_IDLE(9, "dfuUPLOAD-IDLE"),
    /** 10, dfuERROR: an error occurred; only CLRSTATUS leaves it (bStatus says which error). */
    DFU_ERROR(10, "dfuERROR"),
    /** Any value the specification does not define. */
    UNKNOWN(-1, "unknown");

    private static final DfuState[] BY_CODE = new DfuState[11];

    static {
        for (DfuState s : values()) {
            if (s.code >= 0) {
                BY_CODE[s.code] = s;
            }
        }
    }

    private final int code;
    private final String specName;

    DfuState(int code, String specName) {
        this.code = code;
        this.specName = specName;
    }

    /** The wire value, -1 for {@link #UNKNOWN}. */
    public int code() {
        return code;
    }

    /** The name the specification uses, e.g. {@code dfuDNLOAD-IDLE}. */
    public String specName() {
        return specName;
    }

    /**
     * The state for a bState byte (docs/reference/dfu.md §1.2).
     *
     * @param code the byte as received, 0 to 255 (or any int)
     * @return the state; {@link #UNKNOWN} for a value DFU 1.1 does not define (never null, never throws)
     */
    public static DfuState fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }

    /** The device is doing work and asks to be polled no sooner than bwPollTimeout. */
    public boolean isBusy() {
        return this == DFU_DNBUSY || this == DFU_MANIFEST;
    }

    /** Run-time (application) mode rather than DFU mode. */
    public boolean isRunTime() {
        return this == APP_IDLE || this == APP_DETACH;
    }
}
