package io.github.dfu4j.dfu.internal;

import io.github.dfu4j.transport.TransportException;

import java.util.Objects;

/**
 * What happened when the driver carried out a {@link Step}, with the transport clock's
 * {@link io.github.dfu4j.transport.TimeSource#nanoTime()} right after it.
 */
public sealed interface Outcome permits Outcome.Sent, Outcome.Received, Outcome.Error, Outcome.Waited {

    long nanoTime();

    /** A ControlOut completed. */
    record Sent(long nanoTime) implements Outcome {
    }

    /** A ControlIn completed with these bytes. */
    record Received(byte[] data, long nanoTime) implements Outcome {
        public Received {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }
    }

    /** The transfer failed at the USB level. */
    record Error(TransportException error, long nanoTime) implements Outcome {
        public Error {
            Objects.requireNonNull(error, "error");
        }
    }

    /** A Wait elapsed. */
    record Waited(long nanoTime) implements Outcome {
    }
}
