package io.github.dfu4j.sim;

import java.util.Optional;

/** The DFU class requests (DFU 1.1 §3, docs/reference/dfu.md §1.1) as the simulated device sees them. */
public enum DfuRequest {
    DETACH(0), DNLOAD(1), UPLOAD(2), GETSTATUS(3), CLRSTATUS(4), GETSTATE(5), ABORT(6);

    private final int code;

    DfuRequest(int code) {
        this.code = code;
    }

    /** bRequest. */
    public int code() {
        return code;
    }

    /** True for the device-to-host requests (bmRequestType 0xA1). */
    public boolean isIn() {
        return this == UPLOAD || this == GETSTATUS || this == GETSTATE;
    }

    public static Optional<DfuRequest> fromCode(int code) {
        for (DfuRequest r : values()) {
            if (r.code == code) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
