package io.github.dfu4j.plan;

import io.github.dfu4j.dfu.DfuException;

/**
 * The image cannot be flashed as asked: bytes outside the memory layout or in sectors that are not
 * writable (and {@code force} was not given), no layout for an alternate setting, conflicting options.
 * Thrown before the device is touched.
 */
public final class FlashPlanException extends DfuException {
    private static final long serialVersionUID = 1L;

    public FlashPlanException(String reason) {
        super(reason);
    }

    /** A problem at an address; the address is also available from {@link #address()}. */
    public FlashPlanException(String reason, long address) {
        super(reason, null, address, null, null, null);
    }
}
