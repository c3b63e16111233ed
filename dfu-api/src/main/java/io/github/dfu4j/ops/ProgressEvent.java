package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.Phase;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * Progress of one phase.
 *
 * @param phase      ERASE, WRITE, VERIFY, LEAVE or READ
 * @param type       STARTED (done = 0), ADVANCED, or FINISHED (done = total)
 * @param bytesDone  bytes handled so far in this phase
 * @param bytesTotal bytes this phase will handle
 * @param address    the address being worked on, when there is one
 */
public record ProgressEvent(Phase phase, Type type, long bytesDone, long bytesTotal, OptionalLong address) {

    /** Event kinds. Every STARTED is followed by FINISHED unless the operation throws. */
    public enum Type {
        /** The phase begins: {@code bytesDone} is 0, {@code bytesTotal} what it will handle. */
        STARTED,
        /** Some bytes of the phase are done (a block written, read or erased); {@code bytesDone} grew. */
        ADVANCED,
        /** The phase completed: {@code bytesDone} is at least {@code bytesTotal}; no address. */
        FINISHED
    }

    public ProgressEvent {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(address, "address");
    }

    /** 0..1, or 1 for an empty phase. */
    public double fraction() {
        return bytesTotal <= 0 ? 1.0 : (double) bytesDone / bytesTotal;
    }
}
