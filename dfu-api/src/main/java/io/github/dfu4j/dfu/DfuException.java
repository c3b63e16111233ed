package io.github.dfu4j.dfu;

import io.github.dfu4j.transport.TransportException;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Base of every failure the protocol layer reports. Checked, because a device that is unplugged
 * mid-flash is an expected outcome. Besides the message it keeps, where known: the phase, the
 * address being worked on, the device's last GETSTATUS reply, the text of the status string
 * descriptor (iString) and the underlying {@link TransportException}.
 *
 * <p>{@link #getMessage()} is one line: {@code ERASE @0x08020000: ERASE not executed: errVENDOR, dfuERROR ("read protection")}.
 */
public class DfuException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String reason;
    private final Phase phase;
    private final Long address;
    private final transient DfuStatusReply status;
    private final String statusText;

    public DfuException(String reason) {
        this(reason, null, null, null, null, null);
    }

    public DfuException(String reason, Throwable cause) {
        this(reason, null, null, null, null, cause);
    }

    protected DfuException(String reason, Phase phase, Long address, DfuStatusReply status, String statusText,
                           Throwable cause) {
        super(format(reason, phase, address, status, statusText), cause);
        this.reason = reason;
        this.phase = phase;
        this.address = address;
        this.status = status;
        this.statusText = statusText;
    }

    /** The message without phase, address and status decoration. */
    public String reason() {
        return reason;
    }

    public Optional<Phase> phase() {
        return Optional.ofNullable(phase);
    }

    /** The memory address being worked on when the failure happened. */
    public OptionalLong address() {
        return address == null ? OptionalLong.empty() : OptionalLong.of(address);
    }

    /** The device's GETSTATUS reply that reported the failure. */
    public Optional<DfuStatusReply> deviceStatus() {
        return Optional.ofNullable(status);
    }

    /** The text of the device's status string descriptor (iString), when it had one. */
    public Optional<String> statusText() {
        return Optional.ofNullable(statusText);
    }

    /** The USB-level failure underneath, if any. */
    public Optional<TransportException> transportError() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof TransportException te) {
                return Optional.of(te);
            }
        }
        return Optional.empty();
    }

    /**
     * The same failure with the phase and address filled in where they were not known yet. Subclasses
     * override to keep their type.
     */
    public DfuException in(Phase newPhase, Long newAddress) {
        return new DfuException(reason, phase != null ? phase : newPhase, address != null ? address : newAddress,
                status, statusText, getCause());
    }

    static String format(String reason, Phase phase, Long address, DfuStatusReply status, String statusText) {
        StringBuilder sb = new StringBuilder();
        if (phase != null) {
            sb.append(phase);
        }
        if (address != null) {
            sb.append(sb.length() == 0 ? "" : " ").append(String.format("@0x%08x", address));
        }
        if (sb.length() > 0) {
            sb.append(": ");
        }
        sb.append(reason);
        if (status != null) {
            sb.append(" [").append(DfuStatusReply.describe(status.status(), status.rawStatus())).append(", ")
                    .append(DfuStatusReply.describeState(status.state(), status.rawState()));
            if (status.status() != DfuStatus.OK && status.status() != DfuStatus.UNKNOWN) {
                sb.append(": ").append(status.status().meaning());
            }
            sb.append(']');
        }
        if (statusText != null && !statusText.isEmpty()) {
            sb.append(" (device says \"").append(statusText).append("\")");
        }
        return sb.toString();
    }
}
