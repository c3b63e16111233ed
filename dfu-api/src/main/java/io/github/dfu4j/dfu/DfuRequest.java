package io.github.dfu4j.dfu;

/**
 * The seven DFU class requests (DFU 1.1 §3, table 3.2). OUT requests use bmRequestType 0x21, IN
 * requests 0xA1; the transport fills in the request type and wIndex.
 */
public enum DfuRequest {
    /** wValue = wTimeout in ms; no data. */
    DETACH(0, false),
    /** wValue = wBlockNum; OUT data stage. For DfuSe block 0 carries commands, blocks &ge; 2 data. */
    DNLOAD(1, false),
    /** wValue = wBlockNum; IN data stage. */
    UPLOAD(2, true),
    /** 6-byte status reply (§6.1.2). */
    GETSTATUS(3, true),
    /** Leaves dfuERROR; only legal in dfuERROR. */
    CLRSTATUS(4, false),
    /** 1-byte bState reply. */
    GETSTATE(5, true),
    /** Back to dfuIDLE from dfuDNLOAD-IDLE / dfuUPLOAD-IDLE. */
    ABORT(6, false);

    private final int code;
    private final boolean deviceToHost;

    DfuRequest(int code, boolean deviceToHost) {
        this.code = code;
        this.deviceToHost = deviceToHost;
    }

    /** bRequest. */
    public int code() {
        return code;
    }

    /** True for IN requests (bmRequestType 0xA1). */
    public boolean isDeviceToHost() {
        return deviceToHost;
    }

    /** The request with this bRequest, or null when it is not a DFU request. */
    public static DfuRequest fromCode(int code) {
        for (DfuRequest r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return null;
    }
}
