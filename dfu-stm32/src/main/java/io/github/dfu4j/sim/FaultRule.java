package io.github.dfu4j.sim;

import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.dfu.DfuRequest;

import java.util.Objects;

/**
 * "When the n-th request matching {@code when} arrives, {@code fault} happens." Rules are checked
 * in the order they were added; the first that fires decides. Each rule counts its own matches.
 *
 * <pre>{@code
 * FaultRule.nth(3, RequestMatcher.request(DfuRequest.DNLOAD), Fault.stall());          // the 3rd DNLOAD stalls
 * FaultRule.first(RequestMatcher.getStatusFor(new Command.Erase(0x08100000L)),
 *                 Fault.status(DfuStatus.ERR_ERASE));                              // that erase fails
 * FaultRule.every(RequestMatcher.request(DfuRequest.UPLOAD), Fault.timeout());
 * }</pre>
 *
 * @param when       which requests count
 * @param occurrence the 1-based match that fires
 * @param repeat     true: every match from {@code occurrence} on fires; false: only that one
 * @param fault      what happens
 */
public record FaultRule(RequestMatcher when, int occurrence, boolean repeat, Fault fault) {
    public FaultRule {
        Objects.requireNonNull(when, "when");
        Objects.requireNonNull(fault, "fault");
        if (occurrence < 1) {
            throw new IllegalArgumentException("occurrence is 1-based: " + occurrence);
        }
    }

    /** Only the n-th matching request. */
    public static FaultRule nth(int n, RequestMatcher when, Fault fault) {
        return new FaultRule(when, n, false, fault);
    }

    /** Only the first matching request. */
    public static FaultRule first(RequestMatcher when, Fault fault) {
        return nth(1, when, fault);
    }

    /** Every matching request. */
    public static FaultRule every(RequestMatcher when, Fault fault) {
        return new FaultRule(when, 1, true, fault);
    }

    /** Every matching request from the n-th on. */
    public static FaultRule fromNth(int n, RequestMatcher when, Fault fault) {
        return new FaultRule(when, n, true, fault);
    }

    /** True when the {@code count}-th match (1-based) fires. */
    boolean firesAt(long count) {
        return repeat ? count >= occurrence : count == occurrence;
    }
}
