package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.DfuException;

/**
 * A read or erase asked for memory the layout does not describe, or that it marks as not readable /
 * not erasable; or the device cannot do the operation at all (bitCanUpload = 0). Thrown before any
 * request is sent.
 */
public final class MemoryAccessException extends DfuException {
    private static final long serialVersionUID = 1L;

    public MemoryAccessException(String reason, Long address) {
        super(reason, null, address, null, null, null);
    }
}
