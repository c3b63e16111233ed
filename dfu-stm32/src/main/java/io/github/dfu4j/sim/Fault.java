package io.github.dfu4j.sim;

import io.github.dfu4j.dfu.DfuStatus;
import java.time.Duration;
import java.util.Objects;

/**
 * What goes wrong when a {@link FaultRule} matches a request.
 *
 * <pre>{@code
 * SimOptions o = SimOptions.defaults().withFaults(
 *         FaultRule.first(RequestMatcher.getStatusFor(Command.Erase.class), Fault.status(DfuStatus.ERR_ERASE)));
 * }</pre>
 */
public sealed interface Fault {

    /**
     * The control pipe stalls at the USB level; the DFU state machine never sees the request and
     * keeps its state (a transient stall such as the STM32L4 GETSTATUS stalls during erase).
     */
    record Stall() implements Fault {
    }

    /** The device never answers: the host waits its full control timeout; the request is dropped. */
    record Timeout() implements Fault {
    }

    /**
     * The device drops off the bus (cable pulled, brown-out). It comes back in DFU mode after
     * {@code reattachAfter} (memory kept, DFU state fresh), which the transport's port ({@code DevicePort.awaitDfu}) finds.
     *
     * @param reattachAfter how long the device stays off the bus, in device time ({@link SimClock}); not null
     */
    record Disconnect(Duration reattachAfter) implements Fault {
        public Disconnect {
            Objects.requireNonNull(reattachAfter, "reattachAfter");
        }
    }

    /**
     * The device fails with this status: it enters dfuERROR with {@code status}, drops any pending
     * command (no memory effect), answers a GETSTATUS with the error and stalls any other request.
     *
     * @param status the bStatus to report; not null and not {@link DfuStatus#OK} (the constructor throws
     *               {@link IllegalArgumentException} for OK)
     */
    record Status(DfuStatus status) implements Fault {
        public Status {
            Objects.requireNonNull(status, "status");
            if (status == DfuStatus.OK) {
                throw new IllegalArgumentException("a status fault needs an error status");
            }
        }
    }

    /**
     * The device answers normally but only after {@code delay} (a timeout if the host's is shorter).
     *
     * @param delay how long the answer is held back, in device time ({@link SimClock}); not null
     */
    record Delay(Duration delay) implements Fault {
        public Delay {
            Objects.requireNonNull(delay, "delay");
        }
    }

    /** A USB-level stall of the control pipe ({@link Stall}). */
    static Fault stall() {
        return new Stall();
    }

    /** No answer at all ({@link Timeout}). */
    static Fault timeout() {
        return new Timeout();
    }

    /** Disconnect, re-attaching in DFU mode one second later. */
    static Fault disconnect() {
        return new Disconnect(Duration.ofSeconds(1));
    }

    /** The request's operation fails with {@code status} (dfuERROR), e.g. {@code DfuStatus.ERR_ERASE}. */
    static Fault status(DfuStatus status) {
        return new Status(status);
    }

    /** A normal answer after {@code delay} ({@link Delay}). */
    static Fault delay(Duration delay) {
        return new Delay(delay);
    }
}
