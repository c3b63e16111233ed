package io.github.dfu4j.stm32.internal;

import io.github.dfu4j.stm32.Evidence;

import java.time.Duration;
import java.util.Objects;

/**
 * A typical and a maximum duration of one flash operation.
 *
 * @param typical  what the simulator uses as the real duration
 * @param max      worst case (datasheet maximum where known)
 * @param evidence how well the numbers are backed; where only a maximum was found the typical value
 *                 is derived and the range is {@link Evidence#UNVERIFIED}
 * @param source   where the numbers come from (fact-sheet section / source key), for reviewers
 */
public record TimeRange(Duration typical, Duration max, Evidence evidence, String source) {
    public TimeRange {
        Objects.requireNonNull(typical, "typical");
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(evidence, "evidence");
        Objects.requireNonNull(source, "source");
        if (typical.isNegative() || max.compareTo(typical) < 0) {
            throw new IllegalArgumentException("need 0 <= typical <= max: " + typical + ", " + max);
        }
    }

    public static TimeRange ms(double typicalMs, double maxMs, Evidence evidence, String source) {
        return new TimeRange(Duration.ofNanos(Math.round(typicalMs * 1e6)), Duration.ofNanos(Math.round(maxMs * 1e6)), evidence, source);
    }

    public static TimeRange us(double typicalUs, double maxUs, Evidence evidence, String source) {
        return new TimeRange(Duration.ofNanos(Math.round(typicalUs * 1e3)), Duration.ofNanos(Math.round(maxUs * 1e3)), evidence, source);
    }
}
