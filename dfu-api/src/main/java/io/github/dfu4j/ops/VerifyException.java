package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.Phase;

/** Read-back verification found a byte that differs from the image. */
public final class VerifyException extends DfuException {
    private static final long serialVersionUID = 1L;

    private final int alt;
    private final long mismatchAddress;
    private final int expected;
    private final int actual;

    public VerifyException(int alt, long address, int expected, int actual, String detail) {
        super(Kind.VERIFY, String.format("alt %d: read back 0x%02x at 0x%08x, expected 0x%02x%s", alt, actual & 0xFF, address,
                expected & 0xFF, detail == null ? "" : " (" + detail + ")"), Phase.VERIFY, address, null, null, null, null);
        this.alt = alt;
        this.mismatchAddress = address;
        this.expected = expected & 0xFF;
        this.actual = actual & 0xFF;
    }

    public int alt() {
        return alt;
    }

    /** The first differing address. */
    public long mismatchAddress() {
        return mismatchAddress;
    }

    public int expected() {
        return expected;
    }

    public int actual() {
        return actual;
    }

    @Override
    public VerifyException in(Phase phase, Long address) {
        return this;
    }
}
