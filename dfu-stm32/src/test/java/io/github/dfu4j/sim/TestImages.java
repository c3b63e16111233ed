package io.github.dfu4j.sim;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/** Firmware-like test data. */
final class TestImages {
    private TestImages() {
    }

    static byte[] random(long seed, int length) {
        byte[] b = new byte[length];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < length; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    /**
     * An application image: a vector table (initial SP, reset vector with the Thumb bit) at the start,
     * then code bytes (never 0xFF at the reset handler).
     */
    static byte[] application(long base, long initialSp, int length) {
        byte[] b = random(base ^ length, length);
        long reset = base + 0x200 + 1;
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(0, (int) initialSp);
        bb.putInt(4, (int) reset);
        b[0x200] = 0x70;
        b[0x201] = 0x47; // bx lr
        return b;
    }

    static long resetHandler(byte[] app) {
        return ByteBuffer.wrap(app).order(ByteOrder.LITTLE_ENDIAN).getInt(4) & 0xFFFF_FFFFL;
    }
}
