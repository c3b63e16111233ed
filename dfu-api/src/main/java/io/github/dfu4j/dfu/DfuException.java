package io.github.dfu4j.dfu;

import io.github.dfu4j.ops.Remedy;
import io.github.dfu4j.transport.DeviceException;
import io.github.dfu4j.transport.TransportException;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Every DFU-level failure dfu-api reports (with {@link TransportException}, a USB-level one, under the one root
 * {@link DeviceException}). Checked, because a device that is unplugged mid-flash is
 * an expected outcome. Besides the message it keeps, where known: what kind of failure it is
 * ({@link #kind()}), the phase, the address being worked on, the device's last GETSTATUS reply, the
 * text of the status string descriptor (iString), the underlying {@link TransportException} and a
 * typed {@link Remedy} the caller can act on. Subclasses exist only where they carry more data:
 * {@link DfuCancelledException}, {@code VerifyException}, {@code WriteRefusedException},
 * {@code LayoutFormatException}, {@code RecordingFormatException}; every other kind, e.g. a
 * {@link Kind#PLAN} refusal ({@link #plan(String)}), is a plain {@code DfuException}.
 *
 * <p>{@link #getMessage()} is one line: {@code ERASE @0x08020000: ERASE not executed: errVENDOR, dfuERROR ("read protection")}.
 *
 * <pre>{@code
 * try {
 *     device.download(image, FlashOptions.defaults());
 * } catch (DfuException e) {
 *     if (e.isDisconnect()) { ... } // unplugged
 *     e.remedy().ifPresent(r -> System.err.println("to fix: " + r.describe()));
 * }
 * }</pre>
 */
public class DfuException extends DeviceException {
    private static final long serialVersionUID = 1L;

    /** What kind of failure: lets a caller decide without parsing the message. */
    public enum Kind {
        /** Not classified further. */
        OTHER,
        /** The device broke the DFU protocol (unexpected state, short reply, malformed descriptor). */
        PROTOCOL,
        /** The device reported an error status ({@link #deviceStatus()} holds it). */
        DEVICE_STATUS,
        /** The device stayed busy beyond its budget ({@link #deviceStatus()}: the last reply, if any). */
        TIMEOUT,
        /** A USB transfer failed ({@link #transportError()} holds the classified cause). */
        TRANSFER,
        /** The operation was cancelled ({@link DfuCancelledException}). */
        CANCELLED,
        /** A read or erase range outside the device's memory, or memory that cannot be read. */
        MEMORY_ACCESS,
        /** No leave address could be found; {@link #remedy()} says how to give one. */
        LEAVE_ADDRESS,
        /** A memory-layout string that cannot be parsed ({@code LayoutFormatException}). */
        LAYOUT,
        /**
         * The image cannot be flashed as asked ({@link #plan(String)}): bytes outside the memory layout
         * or in sectors that are not writable, no layout for an alternate setting, conflicting options.
         * Thrown before the device is touched; {@link #address()} names the first byte concerned.
         */
        PLAN,
        /** Read-back differs from what was written ({@code VerifyException}). */
        VERIFY,
        /** The write gate refused the operation before anything was sent ({@code WriteRefusedException}). */
        REFUSED,
        /** A session recording that cannot be parsed ({@code RecordingFormatException}). */
        RECORDING
    }

    private final Kind kind;
    private final String reason;
    private final Phase phase;
    private final Long address;
    private final transient DfuStatusReply status;
    private final String statusText;
    private final transient Remedy remedy;

    /** A failure of kind {@link Kind#OTHER}. */
    public DfuException(String reason) {
        this(Kind.OTHER, reason, null, null, null, null, null, null);
    }

    /** A failure of kind {@link Kind#OTHER} with its cause. */
    public DfuException(String reason, Throwable cause) {
        this(Kind.OTHER, reason, null, null, null, null, null, cause);
    }

    /**
     * The full constructor.
     *
     * @param kind       what kind of failure
     * @param reason     the message without phase, address and status
     * @param phase      the phase, or null
     * @param address    the address worked on, or null
     * @param status     the device's last GETSTATUS reply, or null
     * @param statusText the device's status string, or null
     * @param remedy     what the caller can do about it, or null
     * @param cause      the cause, or null
     */
    protected DfuException(Kind kind, String reason, Phase phase, Long address, DfuStatusReply status, String statusText,
                           Remedy remedy, Throwable cause) {
        super(format(reason, phase, address, status, statusText), cause);
        this.kind = java.util.Objects.requireNonNull(kind, "kind");
        this.reason = reason;
        this.phase = phase;
        this.address = address;
        this.status = status;
        this.statusText = statusText;
        this.remedy = remedy;
    }

    /** The device broke the protocol. */
    public static DfuException protocol(String reason) {
        return new DfuException(Kind.PROTOCOL, reason, null, null, null, null, null, null);
    }

    /** The device broke the protocol, in {@code phase} at {@code address}, with its last reply. */
    public static DfuException protocol(String reason, Phase phase, Long address, DfuStatusReply status, Throwable cause) {
        return new DfuException(Kind.PROTOCOL, reason, phase, address, status, null, null, cause);
    }

    /** The device reported an error status. */
    public static DfuException deviceStatus(String reason, DfuStatusReply status) {
        return deviceStatus(reason, null, null, status, null, null);
    }

    /** The device reported an error status, in {@code phase} at {@code address}. */
    public static DfuException deviceStatus(String reason, Phase phase, Long address, DfuStatusReply status,
                                            String statusText, Throwable cause) {
        return new DfuException(Kind.DEVICE_STATUS, reason, phase, address,
                java.util.Objects.requireNonNull(status, "status"), statusText, null, cause);
    }

    /** The device stayed busy beyond its budget; {@code lastStatus} may be null. */
    public static DfuException timeout(String reason, Phase phase, Long address, DfuStatusReply lastStatus, Throwable cause) {
        return new DfuException(Kind.TIMEOUT, reason, phase, address, lastStatus, null, null, cause);
    }

    /** A USB transfer failed. */
    public static DfuException transfer(String reason, TransportException cause) {
        return transfer(reason, null, null, null, cause);
    }

    /** A USB transfer failed, in {@code phase} at {@code address}. */
    public static DfuException transfer(String reason, Phase phase, Long address, DfuStatusReply status,
                                        TransportException cause) {
        return new DfuException(Kind.TRANSFER, reason, phase, address, status, null, null,
                java.util.Objects.requireNonNull(cause, "cause"));
    }

    /** A range outside the device's memory, or memory that cannot be read. */
    public static DfuException memoryAccess(String reason, Long address) {
        return new DfuException(Kind.MEMORY_ACCESS, reason, null, address, null, null, null, null);
    }

    /**
     * No leave address could be found (blank vector table, no layout, no upload support); the remedy is
     * {@link Remedy.Kind#EXPLICIT_LEAVE_ADDRESS}.
     */
    public static DfuException leaveAddress(String reason, Long address) {
        return new DfuException(Kind.LEAVE_ADDRESS, reason, Phase.LEAVE, address, null, null,
                Remedy.of(Remedy.Kind.EXPLICIT_LEAVE_ADDRESS), null);
    }

    /** The image cannot be flashed as asked ({@link Kind#PLAN}); nothing was sent to the device. */
    public static DfuException plan(String reason) {
        return new DfuException(Kind.PLAN, reason, null, null, null, null, null, null);
    }

    /** A plan refusal ({@link Kind#PLAN}) at an address, also available from {@link #address()}. */
    public static DfuException plan(String reason, long address) {
        return new DfuException(Kind.PLAN, reason, null, address, null, null, null, null);
    }

    /**
     * A plan refusal ({@link Kind#PLAN}) that allowing writes outside the layout
     * ({@code Confirmation.OUTSIDE_LAYOUT}) lifts: it carries the remedy
     * {@link Remedy.Kind#ALLOW_OUTSIDE_LAYOUT}, and its message ends with that advice in API terms.
     */
    public static DfuException planOutsideLayout(String reason, long address) {
        return new DfuException(Kind.PLAN, reason, null, address, null, null, Remedy.of(Remedy.Kind.ALLOW_OUTSIDE_LAYOUT), null);
    }

    /** What kind of failure this is. */
    public Kind kind() {
        return kind;
    }

    /** What the caller can do about it, in API terms; a tool maps {@link Remedy#kind()} to its own words. */
    public Optional<Remedy> remedy() {
        return Optional.ofNullable(remedy);
    }

    /** The device's status, when it reported one ({@link Kind#DEVICE_STATUS}, usually {@link Kind#TIMEOUT}). */
    public Optional<DfuStatus> status() {
        return deviceStatus().map(DfuStatusReply::status);
    }

    /** True when the device is gone: the USB transfer failed because there is no device any more. */
    @Override
    public boolean isDisconnect() {
        return transportError().map(TransportException::isDisconnect).orElse(false);
    }

    /** The message without the remedy, for tools that word the remedy themselves (the CLI names its own flag). */
    public String messageWithoutRemedy() {
        return super.getMessage();
    }

    /** One line; ends with the remedy in API terms when there is one. */
    @Override
    public String getMessage() {
        return remedy == null ? super.getMessage() : super.getMessage() + "; " + remedy.describe();
    }

    /** The same failure with the device's status string (iString) added to the message. */
    public DfuException withStatusText(String text) {
        return new DfuException(kind, reason, phase, address, status, text, remedy, getCause());
    }

    /** The message without phase, address and status decoration. */
    public String reason() {
        return reason;
    }

    /**
     * The phase the operation was in when it failed (shown first in the message); empty when none was known: the
     * plan factories make their refusals without one, and {@link #in(Phase, Long)} fills it in later.
     */
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
        return new DfuException(kind, reason, phase != null ? phase : newPhase, address != null ? address : newAddress,
                status, statusText, remedy, getCause());
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
