package io.github.dfu4j.dfu;

/**
 * bState values (DFU 1.1 §6.1.2). {@link #fromCode(int)} never throws: an undefined value maps to
 * {@link #UNKNOWN} and the raw byte stays available on {@link DfuStatusReply#rawState()}.
 */
public enum DfuState {
    APP_IDLE(0, "appIDLE"),
    APP_DETACH(1, "appDETACH"),
    DFU_IDLE(2, "dfuIDLE"),
    DFU_DNLOAD_SYNC(3, "dfuDNLOAD-SYNC"),
    DFU_DNBUSY(4, "dfuDNBUSY"),
    DFU_DNLOAD_IDLE(5, "dfuDNLOAD-IDLE"),
    DFU_MANIFEST_SYNC(6, "dfuMANIFEST-SYNC"),
    DFU_MANIFEST(7, "dfuMANIFEST"),
    DFU_MANIFEST_WAIT_RESET(8, "dfuMANIFEST-WAIT-RESET"),
    DFU_UPLOAD_IDLE(9, "dfuUPLOAD-IDLE"),
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
