package io.github.dfu4j.formats.internal;

import io.github.dfu4j.formats.Segment;

/**
 * Segments that are views of a reader's own file buffer, without a copy (a 64 MiB ELF load segment
 * is then read with one 64 MiB buffer instead of two). Not exported: only readers that never change
 * the buffer afterwards may use it. {@link Segment} installs the factory when it is initialised.
 */
public final class SegmentViews {
    /** Makes a segment over {@code data[offset, offset + length)} at {@code address}. */
    public interface Factory {
        /**
         * Makes the view.
         *
         * @param address the address of the first byte
         * @param data    the buffer, handed over
         * @param offset  where the segment's bytes start in {@code data}
         * @param length  the number of bytes
         * @return the segment
         */
        Segment view(long address, byte[] data, int offset, int length);
    }

    private static volatile Factory factory;

    private SegmentViews() {
    }

    /**
     * Called once by {@link Segment}'s static initialiser.
     *
     * @param f the factory, which calls {@link Segment}'s private constructor
     */
    public static void install(Factory f) {
        factory = f;
    }

    /**
     * A segment over {@code data[offset, offset + length)}; the caller hands {@code data} over for good.
     *
     * @param address the address of the first byte, 0..0xFFFFFFFF
     * @param data    the buffer, handed over
     * @param offset  where the segment's bytes start in {@code data}
     * @param length  the number of bytes
     * @return the segment
     */
    public static Segment view(long address, byte[] data, int offset, int length) {
        Factory f = factory;
        if (f == null) {
            try {
                Class.forName(Segment.class.getName(), true, Segment.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            f = factory;
        }
        return f.view(address, data, offset, length);
    }
}
