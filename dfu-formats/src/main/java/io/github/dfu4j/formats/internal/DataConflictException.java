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

    private final long address;
    private final long firstOrigin;
    private final String firstValue;
    private final long secondOrigin;
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

    /** The lowest address at which two runs disagree. */
    public long address() {
        return address;
    }

    /** Origin tag of the run that covers the address first in address order. */
    public long firstOrigin() {
        return firstOrigin;
    }

    /** What the first run holds there: a byte such as "0x3c", or a target such as "alt 0". */
    public String firstValue() {
        return firstValue;
    }

    /** Origin tag of the run that disagrees with the first. */
    public long secondOrigin() {
        return secondOrigin;
    }

    /** What the second run holds there. */
    public String secondValue() {
        return secondValue;
    }
}
