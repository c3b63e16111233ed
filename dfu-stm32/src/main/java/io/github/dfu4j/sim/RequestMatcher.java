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

    boolean matches(SimRequest request);

    default RequestMatcher and(RequestMatcher other) {
        Objects.requireNonNull(other, "other");
        return r -> matches(r) && other.matches(r);
    }

    default RequestMatcher or(RequestMatcher other) {
        Objects.requireNonNull(other, "other");
        return r -> matches(r) || other.matches(r);
    }

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

    static RequestMatcher altSetting(int alt) {
        return r -> r.altSetting() == alt;
    }
}
