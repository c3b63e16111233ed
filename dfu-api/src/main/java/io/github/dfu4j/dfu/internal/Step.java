package io.github.dfu4j.dfu.internal;

import io.github.dfu4j.dfu.DfuRequest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One thing the sans-IO protocol core asks its driver to do next. The core never performs I/O,
 * never sleeps and never reads a clock: it returns a step, the driver carries it out and reports an
 * {@link Outcome} back.
 */
public sealed interface Step permits Step.ControlOut, Step.ControlIn, Step.Wait, Step.Done, Step.Fail {

    /** A host-to-device DFU class request with {@code data} as its data stage. */
    record ControlOut(DfuRequest request, int value, byte[] data, Duration timeout) implements Step {
        public ControlOut {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(timeout, "timeout");
            data = data.clone();
            if (request.isDeviceToHost()) {
                throw new IllegalArgumentException(request + " is an IN request");
            }
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        /** Length of the data stage without copying it. */
        public int length() {
            return data.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ControlOut c && c.request == request && c.value == value
                    && Arrays.equals(c.data, data) && c.timeout.equals(timeout);
        }

        @Override
        public int hashCode() {
            return Objects.hash(request, value, timeout) * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return request + "(" + value + ", " + (data.length <= 16 ? HexFormat.of().formatHex(data) : data.length + " bytes") + ")";
        }
    }

    /** A device-to-host DFU class request reading up to {@code length} bytes. */
    record ControlIn(DfuRequest request, int value, int length, Duration timeout) implements Step {
        public ControlIn {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(timeout, "timeout");
            if (!request.isDeviceToHost()) {
                throw new IllegalArgumentException(request + " is an OUT request");
            }
        }

        @Override
        public String toString() {
            return request + "(" + value + ", len " + length + ")";
        }
    }

    /** Wait before the next request (bwPollTimeout or a retry back-off), on the transport's clock. */
    record Wait(Duration duration) implements Step {
        public Wait {
            Objects.requireNonNull(duration, "duration");
        }
    }

    /** The exchange finished; its result is available. */
    record Done() implements Step {
    }

    /** The exchange failed. */
    record Fail(Failure failure) implements Step {
        public Fail {
            Objects.requireNonNull(failure, "failure");
        }
    }
}
