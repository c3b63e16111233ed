package io.github.dfu4j.testing;

import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;

import java.util.SplittableRandom;

/** Firmware images for tests: a Cortex-M vector table followed by pseudo-random code. */
public final class Images {
    private Images() {
    }

    /** {@code length} bytes at {@code base}: SP = 0x20020000, reset handler = base + 0x195, then data. */
    public static byte[] firmware(long base, int length, long seed) {
        byte[] b = new byte[length];
        new SplittableRandom(seed).nextBytes(b);
        putWord(b, 0, 0x20020000L);
        putWord(b, 4, base + 0x195);
        return b;
    }

    public static FirmwareImage image(long base, int length, long seed) {
        return FirmwareImage.of(Segment.of(base, firmware(base, length, seed)));
    }

    public static void putWord(byte[] b, int offset, long value) {
        for (int i = 0; i < 4; i++) {
            b[offset + i] = (byte) (value >> (8 * i));
        }
    }
}
