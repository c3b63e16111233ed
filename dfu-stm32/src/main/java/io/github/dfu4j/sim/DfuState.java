package io.github.dfu4j.sim;

/** bState values (DFU 1.1 §6.1.2, docs/reference/dfu.md §1.2), named as in the spec. */
public enum DfuState {
    APP_IDLE(0), APP_DETACH(1), DFU_IDLE(2), DFU_DNLOAD_SYNC(3), DFU_DNBUSY(4), DFU_DNLOAD_IDLE(5),
    DFU_MANIFEST_SYNC(6), DFU_MANIFEST(7), DFU_MANIFEST_WAIT_RESET(8), DFU_UPLOAD_IDLE(9), DFU_ERROR(10);

    private final int code;

    DfuState(int code) {
        this.code = code;
    }

    /** The bState byte. */
    public int code() {
        return code;
    }

    /** The state with this bState byte, or null for a value outside 0..10. */
    public static DfuState fromCode(int code) {
        return code >= 0 && code < values().length ? values()[code] : null;
    }
}
