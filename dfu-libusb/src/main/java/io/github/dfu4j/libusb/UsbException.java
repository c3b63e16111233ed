package io.github.dfu4j.libusb;

import io.github.dfu4j.libusb.UsbBackends.BackendStatus;
import io.github.dfu4j.libusb.DfuDeviceDescription.OpenProblem;
import io.github.dfu4j.ops.Remedy;
import io.github.dfu4j.transport.TransportException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one root of dfu-libusb's failures: a {@link TransportException} whose {@link #problem()} says
 * what went wrong in USB terms and which carries what a caller needs to act on it: the
 * {@link #advice()} for the user (udev rule, driver, what to install), a typed {@link #remedy()} a tool
 * words itself ({@link #messageWith}), the devices concerned ({@link #candidates()}), and per problem
 * the {@link #openProblem()} or the backends {@link #attempts() tried}. A malformed filter criterion is
 * an argument error ({@link DeviceFilterSyntaxException}).
 *
 * <pre>{@code
 * try (UsbBackend usb = UsbBackends.open(); DfuTransport t = usb.open(filter)) {
 *     ...
 * } catch (UsbException e) {
 *     switch (e.problem()) {
 *         case NO_DEVICE, ONLY_RUNTIME -> System.err.println(e.getMessage());
 *         default -> e.advice().ifPresent(a -> System.err.println(a.toText()));
 *     }
 * }
 * }</pre>
 */
public final class UsbException extends TransportException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Problem {
        /** No libusb binding could be started ({@link #attempts()} says why each failed). */
        NO_BACKEND,
        /** A matching device is visible but cannot be opened or claimed ({@link #openProblem()}). */
        CANNOT_OPEN,
        /** Nothing matches the filter. */
        NO_DEVICE,
        /** Several devices match; the filter must be narrowed. */
        AMBIGUOUS,
        /** Only run-time-mode devices match and the filter did not name one. */
        ONLY_RUNTIME,
        /** A run-time device was detached but did not re-appear in DFU mode in time. */
        LOST_AFTER_DETACH
    }

    /** Serialized: what went wrong; the remedy, devices and advice are transient. */
    private final Problem problem;
    /** Serialized: the message's first sentence, without the remedy. */
    private final String summary;
    private final transient Remedy remedy;
    private final transient List<String> details;
    private final transient List<DfuDeviceDescription> candidates;
    private final transient Advice advice;
    private final transient OpenProblem openProblem;
    private final transient List<BackendStatus> attempts;

    UsbException(Problem problem, Kind kind, String summary, Remedy remedy, List<String> details,
                 List<DfuDeviceDescription> candidates, Advice advice, OpenProblem openProblem,
                 List<BackendStatus> attempts, Throwable cause) {
        super(kind, compose(summary, remedy == null ? null : remedy.describe(), details), cause);
        this.problem = Objects.requireNonNull(problem, "problem");
        this.summary = summary;
        this.remedy = remedy;
        this.details = List.copyOf(details);
        this.candidates = List.copyOf(candidates);
        this.advice = advice;
        this.openProblem = openProblem;
        this.attempts = List.copyOf(attempts);
    }

    /**
     * A selection failure (NO_DEVICE, AMBIGUOUS, ONLY_RUNTIME, LOST_AFTER_DETACH) without a remedy.
     *
     * @param problem    the selection problem
     * @param message    the whole message
     * @param candidates the devices concerned (see {@link #candidates()}), possibly empty
     * @param advice     what the user can do, or {@code null}
     * @return the exception; its kind is {@code IO} for AMBIGUOUS, {@code NO_DEVICE} otherwise
     */
    public static UsbException selection(Problem problem, String message, List<DfuDeviceDescription> candidates,
                                  Advice advice) {
        return selection(problem, message, null, List.of(), candidates, advice);
    }

    /**
     * A selection failure with a remedy: the message is {@code summary; remedy:} followed by the
     * {@code details}, one per line, with the remedy in API terms ({@link Remedy#describe()}). Public for
     * tools that select among devices themselves and for tests of how a tool words the remedy.
     *
     * @param problem    the selection problem
     * @param summary    the first sentence, without the remedy
     * @param remedy     what the caller can do, as a typed code, or {@code null}
     * @param details    lines listed after the remedy (e.g. one per candidate), possibly empty
     * @param candidates the devices concerned (see {@link #candidates()}), possibly empty
     * @param advice     what the user can do, or {@code null}
     * @return the exception; its kind is {@code IO} for AMBIGUOUS, {@code NO_DEVICE} otherwise
     */
    public static UsbException selection(Problem problem, String summary, Remedy remedy, List<String> details,
                                  List<DfuDeviceDescription> candidates, Advice advice) {
        Kind kind = problem == Problem.AMBIGUOUS ? Kind.IO : Kind.NO_DEVICE;
        return new UsbException(problem, kind, summary, remedy, details, candidates, advice, null, List.of(), null);
    }

    /** A visible device that cannot be opened or claimed ("Cannot open DFU device 0483:df11 ..."). */
    static UsbException cannotOpen(DfuDeviceDescription device, OpenProblem problem, Throwable cause) {
        Objects.requireNonNull(device, "device");
        String message = "Cannot open DFU device " + device.device().vidPid() + " at path " + device.device().path()
                + ": " + problem.message() + ". " + problem.advice().summary();
        return new UsbException(Problem.CANNOT_OPEN, problem.kind(), message, null, List.of(), List.of(device),
                problem.advice(), problem, List.of(), cause);
    }

    /** No backend could be started; the message names every backend tried and why it failed. */
    static UsbException noBackend(List<BackendStatus> attempts, Advice advice) {
        List<String> parts = new ArrayList<>();
        for (BackendStatus s : attempts) {
            parts.add(s.backend() + ": " + s.detail());
        }
        String message = "No USB backend could be loaded (" + String.join(" | ", parts) + "). " + advice.steps().get(0);
        return new UsbException(Problem.NO_BACKEND, Kind.NOT_SUPPORTED, message, null, List.of(), List.of(), advice,
                null, attempts, null);
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

    /**
     * What went wrong.
     *
     * @return the problem, never {@code null}
     */
    public Problem problem() {
        return problem;
    }

    /**
     * What the user can do (OS- and device-specific steps), when the library knows.
     *
     * @return the advice, or empty
     */
    public Optional<Advice> advice() {
        return Optional.ofNullable(advice);
    }

    /**
     * What the caller can do, as a typed code, when the library knows.
     *
     * @return the remedy, or empty
     */
    public Optional<Remedy> remedy() {
        return Optional.ofNullable(remedy);
    }

    /**
     * The message with the remedy in the caller's words (a CLI names its flags), e.g. {@code messageWith(Cli::advice)}.
     *
     * @param words how the caller words a remedy, e.g. naming its own option
     * @return the message; {@link #getMessage()} itself when there is no remedy
     */
    public String messageWith(Function<Remedy, String> words) {
        return remedy == null ? getMessage() : compose(summary, words.apply(remedy), details);
    }

    /**
     * The devices concerned: the ones that matched (AMBIGUOUS), were ignored (ONLY_RUNTIME), are visible
     * but do not match (NO_DEVICE), were lost (LOST_AFTER_DETACH) or cannot be opened (CANNOT_OPEN).
     *
     * @return the devices, possibly empty, never {@code null}
     */
    public List<DfuDeviceDescription> candidates() {
        return candidates == null ? List.of() : candidates;
    }

    /**
     * Why the device could not be opened (CANNOT_OPEN).
     *
     * @return the problem, or empty for any other {@link Problem}
     */
    public Optional<OpenProblem> openProblem() {
        return Optional.ofNullable(openProblem);
    }

    /**
     * One entry per backend tried, in order (NO_BACKEND).
     *
     * @return the attempts, empty for any other {@link Problem}
     */
    public List<BackendStatus> attempts() {
        return attempts == null ? List.of() : attempts;
    }
}
