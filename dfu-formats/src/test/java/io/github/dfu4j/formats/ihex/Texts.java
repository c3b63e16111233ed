package io.github.dfu4j.formats.ihex;

import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;

/** Seeded changes to generated record text, shared by the streamed-read tests of both text formats. */
public final class Texts {
    private static final byte[] NOISE = ":Ss0123456789ABCDEFabcdefgZ\r\n \t\u001a".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    private Texts() {
    }

    /** LF text turned CR-only, or blank lines put in, or left as it is. */
    public static byte[] lineEnds(SplittableRandom random, byte[] text) {
        int choice = random.nextInt(4);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : text) {
            if (choice == 0 && b == '\n') {
                out.write(text.length > 1 && contains(text, (byte) '\r') ? '\n' : '\r'); // CRLF stays, LF becomes CR
            } else {
                out.write(b);
            }
            if (choice == 1 && b == '\n' && random.nextInt(10) == 0) {
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    private static boolean contains(byte[] text, byte b) {
        for (byte c : text) {
            if (c == b) {
                return true;
            }
        }
        return false;
    }

    /** Half the time the text as it is, else 1-3 bytes changed, removed or put in, or the end cut off. */
    public static byte[] damaged(SplittableRandom random, byte[] text) {
        if (random.nextBoolean() || text.length == 0) {
            return text;
        }
        byte[] t = text;
        for (int k = 0, n = 1 + random.nextInt(3); k < n && t.length > 0; k++) {
            int at = random.nextInt(t.length);
            byte noise = NOISE[random.nextInt(NOISE.length)];
            switch (random.nextInt(4)) {
                case 0 -> t[at] = noise;
                case 1 -> t = concat(t, 0, at, new byte[0], t, at + 1);
                case 2 -> t = concat(t, 0, at, new byte[] {noise}, t, at);
                default -> t = java.util.Arrays.copyOf(t, at);
            }
        }
        return t;
    }

    private static byte[] concat(byte[] a, int from, int to, byte[] middle, byte[] b, int bFrom) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(a, from, to - from);
        out.write(middle, 0, middle.length);
        out.write(b, bFrom, b.length - bFrom);
        return out.toByteArray();
    }
}
