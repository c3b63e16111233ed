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

    /**
     * A read-back mismatch, of kind {@code VERIFY} in phase VERIFY. The message is one line, e.g.
     * {@code alt 0: read back 0xff at 0x08004000, expected 0x12}.
     *
     * @param alt      the alternate setting that was read
     * @param address  the first address whose byte differs
     * @param expected the image's byte there (only the low 8 bits are kept)
     * @param actual   the byte the device returned (only the low 8 bits are kept)
     * @param detail   an explanation appended in parentheses, or null for none
     */
    public VerifyException(int alt, long address, int expected, int actual, String detail) {
        super(Kind.VERIFY, String.format("alt %d: read back 0x%02x at 0x%08x, expected 0x%02x%s", alt, actual & 0xFF, address,
                expected & 0xFF, detail == null ? "" : " (" + detail + ")"), Phase.VERIFY, address, null, null, null, null);
        this.alt = alt;
        this.mismatchAddress = address;
        this.expected = expected & 0xFF;
        this.actual = actual & 0xFF;
    }

    /** The alternate setting that was read back. */
    public int alt() {
        return alt;
    }

    /** The first differing address. */
    public long mismatchAddress() {
        return mismatchAddress;
    }

    /** The image's byte at {@link #mismatchAddress()}, 0 to 255. */
    public int expected() {
        return expected;
    }

    /** The byte the device returned at {@link #mismatchAddress()}, 0 to 255. */
    public int actual() {
        return actual;
    }

    /** This exception itself: its phase (VERIFY) and address (the mismatch) are always known. */
    @Override
    public VerifyException in(Phase phase, Long address) {
        return this;
    }
}
