package io.github.dfu4j.libusb;

import io.github.dfu4j.ops.Remedy;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The filter did not pick exactly one device: none matched, several matched, only run-time devices
 * (which are never detached without being named) matched, or the device did not come back in DFU
 * mode after DETACH. The message says what was seen and how to pick; {@link #candidates()} has the
 * devices concerned, {@link #remedy()} how to pick as a typed code ({@link Remedy.Kind#NARROW_SELECTION}
 * with the criteria that tell the devices apart, {@link Remedy.Kind#NAME_RUNTIME_DEVICE}), which a tool
 * words itself with {@link #messageWith}.
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

    private final String summary;
    private final Remedy remedy;
    private final List<String> details;

    public DeviceSelectionException(Reason reason, String message, List<DfuDeviceDescription> candidates,
                                    Advice advice) {
        this(reason, message, null, List.of(), candidates, advice);
    }

    /**
     * A failure with a remedy: the message is {@code summary; remedy:} followed by the {@code details}, one
     * per line, with the remedy in API terms ({@link Remedy#describe()}).
     */
    public DeviceSelectionException(Reason reason, String summary, Remedy remedy, List<String> details,
                                    List<DfuDeviceDescription> candidates, Advice advice) {
        super(compose(summary, remedy == null ? null : remedy.describe(), details));
        this.reason = reason;
        this.summary = summary;
        this.remedy = remedy;
        this.details = List.copyOf(details);
        this.candidates = List.copyOf(candidates);
        this.advice = advice;
    }

    private static String compose(String summary, String remedyWords, List<String> details) {
        StringBuilder m = new StringBuilder(summary);
        if (remedyWords != null) {
            m.append("; ").append(remedyWords).append(details.isEmpty() ? "" : ":");
        }
        for (String d : details) {
            m.append(System.lineSeparator()).append(d);
        }
        return m.toString();
    }

    /** What the caller can do, when the library knows. */
    public Optional<Remedy> remedy() {
        return Optional.ofNullable(remedy);
    }

    /** The message with the remedy in the caller's words (a CLI names its flags), e.g. {@code messageWith(Cli::advice)}. */
    public String messageWith(Function<Remedy, String> words) {
        return remedy == null ? getMessage() : compose(summary, words.apply(remedy), details);
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
