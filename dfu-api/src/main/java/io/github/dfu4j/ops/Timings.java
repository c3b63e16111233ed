package io.github.dfu4j.ops;

import java.time.Duration;
import java.util.Objects;

/**
 * Time per phase of a download, measured on the transport clock.
 *
 * @param read   incremental comparison reads
 * @param erase  erases
 * @param write  writes
 * @param verify read-back verification
 * @param leave  leaving DFU mode, including the re-enumeration check
 * @param total  the whole operation
 */
public record Timings(Duration read, Duration erase, Duration write, Duration verify, Duration leave, Duration total) {
    public static final Timings ZERO = new Timings(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO,
            Duration.ZERO, Duration.ZERO);

    public Timings {
        Objects.requireNonNull(read, "read");
        Objects.requireNonNull(erase, "erase");
        Objects.requireNonNull(write, "write");
        Objects.requireNonNull(verify, "verify");
        Objects.requireNonNull(leave, "leave");
        Objects.requireNonNull(total, "total");
    }
}
