package io.github.dfu4j.sim;

import io.github.dfu4j.dfu.DfuState;

import io.github.dfu4j.dfu.DfuRequest;

import java.util.Objects;

/**
 * Selects requests for a {@link FaultRule}. Combine with {@link #and}.
 *
 * <pre>{@code
 * RequestMatcher.request(DfuRequest.DNLOAD)                              // any DNLOAD
 * RequestMatcher.getStatusFor(new Command.Erase(0x08100000L))            // GETSTATUS of that erase
 * RequestMatcher.command(Command.Write.class).and(RequestMatcher.altSetting(0))
 * }</pre>
 */
@FunctionalInterface
public interface RequestMatcher {

    /**
     * Whether {@code request} is one this matcher selects. Called once per request the simulated device
     * receives, before the request is executed.
     *
     * @param request the request as the device decoded it; never null
     * @return true to count the request for the rule
     */
    boolean matches(SimRequest request);

    /**
     * Requests both this matcher and {@code other} select; {@code other} is asked only if this one matches.
     *
     * @throws NullPointerException if {@code other} is null
     */
    default RequestMatcher and(RequestMatcher other) {
        Objects.requireNonNull(other, "other");
        return r -> matches(r) && other.matches(r);
    }

    /**
     * Requests this matcher or {@code other} selects; {@code other} is asked only if this one does not match.
     *
     * @throws NullPointerException if {@code other} is null
     */
    default RequestMatcher or(RequestMatcher other) {
        Objects.requireNonNull(other, "other");
        return r -> matches(r) || other.matches(r);
    }

    /** Every request, of any kind and in any state (with {@link FaultRule#nth}: the n-th request of the session). */
    static RequestMatcher any() {
        return r -> true;
    }

    /** Matches every request of this kind (any block number, any command). */
    static RequestMatcher request(DfuRequest request) {
        Objects.requireNonNull(request, "request");
        return r -> r.request() == request;
    }

    /** A DNLOAD or UPLOAD carrying a command of this type (e.g. {@code Command.Write.class}). */
    static RequestMatcher command(Class<? extends Command> type) {
        Objects.requireNonNull(type, "type");
        return r -> r.request() != DfuRequest.GETSTATUS && r.command().filter(type::isInstance).isPresent();
    }

    /** A DNLOAD or UPLOAD carrying exactly this command. */
    static RequestMatcher command(Command command) {
        Objects.requireNonNull(command, "command");
        return r -> r.request() != DfuRequest.GETSTATUS && r.command().filter(command::equals).isPresent();
    }

    /** A GETSTATUS that starts or reports the execution of a command of this type. */
    static RequestMatcher getStatusFor(Class<? extends Command> type) {
        Objects.requireNonNull(type, "type");
        return r -> r.request() == DfuRequest.GETSTATUS && r.command().filter(type::isInstance).isPresent();
    }

    /** A GETSTATUS that starts or reports the execution of exactly this command. */
    static RequestMatcher getStatusFor(Command command) {
        Objects.requireNonNull(command, "command");
        return r -> r.request() == DfuRequest.GETSTATUS && r.command().filter(command::equals).isPresent();
    }

    /** Matches requests that arrive while the device is in {@code state}. */
    static RequestMatcher inState(DfuState state) {
        Objects.requireNonNull(state, "state");
        return r -> r.state() == state;
    }

    /**
     * Requests that arrive while interface alternate setting {@code alt} is selected (SET_INTERFACE; 0 after
     * every start of the bootloader). On the ST ROMs alt 0 is the internal flash.
     */
    static RequestMatcher altSetting(int alt) {
        return r -> r.altSetting() == alt;
    }
}
