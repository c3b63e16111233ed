package io.github.dfu4j.formats.internal;

import io.github.dfu4j.formats.FirmwareFormatException;
import io.github.dfu4j.formats.ImageBuilder;

/**
 * Two pieces of data given to an {@link ImageBuilder} claim the same address with different bytes,
 * or for different DfuSe targets. Readers turn it into a {@link FirmwareFormatException} that names
 * the lines, offsets or files behind the two origin tags. Not exported: to a caller of
 * {@link ImageBuilder#build()} it is a {@link FirmwareFormatException} (this module's one exception
 * root) whose message names the address and both origin tags; its {@link #source()} is null, since
 * the builder knows origin tags, not files.
 */
public final class DataConflictException extends FirmwareFormatException {
    private static final long serialVersionUID = 1L;

    /** Serialized: the lowest address where the runs disagree. */
    private final long address;
    /** Serialized: the origin tag of the first run. */
    private final long firstOrigin;
    /** Serialized: what the first run holds there. */
    private final String firstValue;
    /** Serialized: the origin tag of the second run. */
    private final long secondOrigin;
    /** Serialized: what the second run holds there. */
    private final String secondValue;

    public DataConflictException(long address, long firstOrigin, String firstValue, long secondOrigin, String secondValue) {
        super(String.format("0x%08x: %s from origin %d vs %s from origin %d",
                address, firstValue, firstOrigin, secondValue, secondOrigin));
        this.address = address;
        this.firstOrigin = firstOrigin;
        this.firstValue = firstValue;
        this.secondOrigin = secondOrigin;
        this.secondValue = secondValue;
    }

    /**
     * The lowest address at which two runs disagree.
     *
     * @return the address, 0..0xFFFFFFFF
     */
    public long address() {
        return address;
    }

    /**
     * Origin tag of the run that covers the address first in address order.
     *
     * @return the caller's tag of that run (an input index, a program header offset)
     */
    public long firstOrigin() {
        return firstOrigin;
    }

    /**
     * What the first run holds there: a byte such as "0x3c", or a target such as "alt 0".
     *
     * @return the first run's byte or target, formatted for the message
     */
    public String firstValue() {
        return firstValue;
    }

    /**
     * Origin tag of the run that disagrees with the first.
     *
     * @return the caller's tag of the other run
     */
    public long secondOrigin() {
        return secondOrigin;
    }

    /**
     * What the second run holds there.
     *
     * @return the second run's byte or target, formatted like {@link #firstValue()}
     */
    public String secondValue() {
        return secondValue;
    }
}
