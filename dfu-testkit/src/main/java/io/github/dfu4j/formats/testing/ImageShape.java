package io.github.dfu4j.formats.testing;

/**
 * Size limits for generated images: keep them small for fuzzing (cheap parses), larger for
 * round-trip properties.
 *
 * @param maxSegments     1.. segments per image
 * @param maxSegmentBytes 1.. bytes per segment
 */
public record ImageShape(int maxSegments, int maxSegmentBytes) {
    /**
     * Checks that both limits are positive.
     *
     * @param maxSegments     1.. segments per image
     * @param maxSegmentBytes 1.. bytes per segment
     * @throws IllegalArgumentException when {@code maxSegments} or {@code maxSegmentBytes} is below 1
     */
    public ImageShape {
        if (maxSegments < 1 || maxSegmentBytes < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxSegments + ", " + maxSegmentBytes);
        }
    }

    /**
     * Up to 4 segments of up to 300 bytes: files of a few KiB, parsed in microseconds.
     *
     * @return at most 4 segments of at most 300 bytes
     */
    public static ImageShape small() {
        return new ImageShape(4, 300);
    }

    /**
     * Up to 8 segments of up to 4 KiB.
     *
     * @return at most 8 segments of at most 4096 bytes
     */
    public static ImageShape medium() {
        return new ImageShape(8, 4096);
    }
}
