package io.github.dfu4j.dfu;

import java.util.Objects;

/** The device reported a failure in GETSTATUS (bStatus not OK, or bState dfuERROR). */
public class DfuStatusException extends DfuException {
    private static final long serialVersionUID = 1L;

    public DfuStatusException(String reason, DfuStatusReply status) {
        this(reason, null, null, status, null, null);
    }

    public DfuStatusException(String reason, Phase phase, Long address, DfuStatusReply status, String statusText,
                              Throwable cause) {
        super(reason, phase, address, Objects.requireNonNull(status, "status"), statusText, cause);
    }

    /** The device's status code. */
    public DfuStatus status() {
        return deviceStatus().orElseThrow().status();
    }

    /** The device's state. */
    public DfuState state() {
        return deviceStatus().orElseThrow().state();
    }

    @Override
    public DfuStatusException in(Phase newPhase, Long newAddress) {
        return new DfuStatusException(reason(), phase().orElse(newPhase),
                address().isPresent() ? address().getAsLong() : newAddress, deviceStatus().orElseThrow(),
                statusText().orElse(null), getCause());
    }

    /** The same failure with the text of the device's status string attached. */
    public DfuStatusException withStatusText(String text) {
        return new DfuStatusException(reason(), phase().orElse(null), address().isPresent() ? address().getAsLong() : null,
                deviceStatus().orElseThrow(), text, getCause());
    }
}
