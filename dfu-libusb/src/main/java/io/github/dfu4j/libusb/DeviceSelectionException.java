package io.github.dfu4j.libusb;

import java.io.IOException;
import java.util.List;

/**
 * The filter did not pick exactly one device: none matched, several matched, only run-time devices
 * (which are never detached without being named) matched, or the device did not come back in DFU
 * mode after DETACH. The message says what was seen and how to pick; {@link #candidates()} has the
 * devices concerned.
 */
public final class DeviceSelectionException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why selection failed. */
    public enum Reason {
        /** Nothing matches the filter. */
        NO_DEVICE,
        /** Several devices match; the user must narrow the filter. */
        AMBIGUOUS,
        /** Only run-time-mode devices match and the filter did not name one. */
        ONLY_RUNTIME,
        /** A run-time device was detached but did not re-appear in DFU mode in time. */
        LOST_AFTER_DETACH
    }

    private final Reason reason;
    private final transient List<DfuDeviceDescription> candidates;
    private final transient Advice advice;

    public DeviceSelectionException(Reason reason, String message, List<DfuDeviceDescription> candidates,
                                    Advice advice) {
        super(message);
        this.reason = reason;
        this.candidates = List.copyOf(candidates);
        this.advice = advice;
    }

    public Reason reason() {
        return reason;
    }

    /** The devices that matched (AMBIGUOUS), were ignored (ONLY_RUNTIME), or are visible but do not match. */
    public List<DfuDeviceDescription> candidates() {
        return candidates == null ? List.of() : candidates;
    }

    /** What to do, or null when the message already says it. */
    public Advice advice() {
        return advice;
    }
}
