package io.github.dfu4j.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * What goes wrong when a {@link FaultRule} matches a request.
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
     */
    record Disconnect(Duration reattachAfter) implements Fault {
        public Disconnect {
            Objects.requireNonNull(reattachAfter, "reattachAfter");
        }
    }

    /**
     * The device fails with this status: it enters dfuERROR with {@code status}, drops any pending
     * command (no memory effect), answers a GETSTATUS with the error and stalls any other request.
     */
    record Status(DfuStatusCode status) implements Fault {
        public Status {
            Objects.requireNonNull(status, "status");
            if (status == DfuStatusCode.OK) {
                throw new IllegalArgumentException("a status fault needs an error status");
            }
        }
    }

    /** The device answers normally but only after {@code delay} (a timeout if the host's is shorter). */
    record Delay(Duration delay) implements Fault {
        public Delay {
            Objects.requireNonNull(delay, "delay");
        }
    }

    static Fault stall() {
        return new Stall();
    }

    static Fault timeout() {
        return new Timeout();
    }

    /** Disconnect, re-attaching in DFU mode one second later. */
    static Fault disconnect() {
        return new Disconnect(Duration.ofSeconds(1));
    }

    static Fault status(DfuStatusCode status) {
        return new Status(status);
    }

    static Fault delay(Duration delay) {
        return new Delay(delay);
    }
}
