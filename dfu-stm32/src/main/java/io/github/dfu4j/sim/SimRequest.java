package io.github.dfu4j.sim;

import io.github.dfu4j.dfu.DfuState;

import io.github.dfu4j.dfu.DfuRequest;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One DFU class request as the simulated device received it.
 *
 * @param sequence   0-based count of DFU requests this device has seen
 * @param at         device time when it arrived (since the device was created)
 * @param altSetting the selected alternate setting
 * @param request    which request
 * @param value      wValue (wBlockNum for DNLOAD/UPLOAD)
 * @param length     wLength
 * @param state      the device state when it arrived
 * @param command    for DNLOAD/UPLOAD the decoded DfuSe command; for GETSTATUS the command whose
 *                   execution it starts or reports; empty otherwise
 */
public record SimRequest(long sequence, Duration at, int altSetting, DfuRequest request, int value, int length,
                         DfuState state, Optional<Command> command) {
    public SimRequest {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(command, "command");
    }

    /**
     * One trace line: {@code #}sequence, the request, wValue, wLength, the state and the command in brackets if
     * there is one, e.g. {@code #7 DNLOAD wValue=2 wLength=2048 in DFU_DNLOAD_IDLE [WRITE 0x08000000+2048]}.
     */
    @Override
    public String toString() {
        return String.format("#%d %s wValue=%d wLength=%d in %s%s", sequence, request, value, length, state,
                command.map(c -> " [" + c + "]").orElse(""));
    }
}
