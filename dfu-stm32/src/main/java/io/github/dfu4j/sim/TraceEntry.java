package io.github.dfu4j.sim;

import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.dfu.DfuState;

import java.util.Objects;
import java.util.Optional;

/**
 * One line of the simulated device's request trace.
 *
 * @param request     what arrived
 * @param result      how the control transfer ended
 * @param dataLength  bytes returned (IN) or accepted (OUT)
 * @param fault       the injected fault that decided the result, if any
 * @param stateAfter  device state afterwards
 * @param statusAfter device status afterwards
 */
public record TraceEntry(SimRequest request, Result result, int dataLength, Optional<Fault> fault, DfuState stateAfter,
                         DfuStatus statusAfter) {

    /** How a control transfer ended, as the host sees it. */
    public enum Result { ACK, DATA, STALL, TIMEOUT, NO_DEVICE }

    public TraceEntry {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(fault, "fault");
        Objects.requireNonNull(stateAfter, "stateAfter");
        Objects.requireNonNull(statusAfter, "statusAfter");
    }

    @Override
    public String toString() {
        return request + " -> " + result + (result == Result.DATA ? "(" + dataLength + ")" : "")
                + fault.map(f -> " injected " + f).orElse("") + " => " + stateAfter + "/" + statusAfter;
    }
}
