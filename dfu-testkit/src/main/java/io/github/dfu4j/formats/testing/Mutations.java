package io.github.dfu4j.formats.testing;

import io.github.dfu4j.formats.FirmwareFormat;
import io.github.dfu4j.formats.internal.HexDigits;
import io.github.dfu4j.formats.suffix.DfuCrc;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Damaged variants of firmware files, for robustness tests: a parser must answer every one with
 * an image or a {@code FirmwareFormatException}, nothing else.
 *
 * <pre>{@code
 * byte[] input = Mutations.mutate(rnd, FirmwareFormat.DFUSE, validFile);   // repairs the CRC, so
 * // the structure checks behind it get exercised too
 * }</pre>
 *
 * Byte-level mutations: bit flips, random and "interesting" bytes (0x00, 0xFF, ':', 'S', '\n', hex
 * digits), 32-bit little-endian size-like values (0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, the
 * length), deletions, insertions, duplicated ranges and truncation. Text-aware mutations replace hex
 * digits with other hex digits and duplicate, drop or swap lines. The format-aware
 * {@link #mutate(RandomGenerator, FirmwareFormat, byte[])} then often repairs record checksums or
 * the DFU suffix CRC, so that mutations reach the checks behind them instead of always failing the
 * first check. Stateless and thread-safe.
 */
public final class Mutations {
    private static final byte[] INTERESTING_BYTES = {0, (byte) 0xFF, 0x7F, (byte) 0x80, ':', 'S', '\n', '\r', '0', '1',
        '3', '4', '5', '7', '9', 'F', 'f', 'G', ' '};
    private static final long[] INTERESTING_WORDS = {0, 1, 2, 8, 16, 0xFF, 0x100, 0xFFFF, 0x10000, 0x7FFFFFFFL,
        0x80000000L, 0xFFFFFFF0L, 0xFFFFFFFFL, 0x08000000L};
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Mutations() {
    }

    /**
     * Uniformly random bytes, 0..maxLength long.
     *
     * @param rnd       the source of randomness, seeded for replay
     * @param maxLength the largest length, 0 or more
     * @return a new array of 0..maxLength random bytes
     */
    public static byte[] randomBytes(RandomGenerator rnd, int maxLength) {
        byte[] b = new byte[rnd.nextInt(maxLength + 1)];
        rnd.nextBytes(b);
        return b;
    }

    /**
     * One to four random byte-level or text-aware mutations of {@code input} (which is not modified).
     *
     * @param rnd   the source of randomness, seeded for replay
     * @param input the bytes to damage, left unchanged
     * @return a new, damaged copy (it may be shorter or longer than {@code input})
     */
    public static byte[] mutate(RandomGenerator rnd, byte[] input) {
        byte[] b = input.clone();
        int rounds = 1 + rnd.nextInt(4);
        for (int r = 0; r < rounds; r++) {
            b = once(rnd, b);
        }
        return b;
    }

    /**
     * {@link #mutate(RandomGenerator, byte[])}, then, half of the time, repairs what the format's
     * integrity check would catch first: Intel HEX and S-record checksums, the DFU suffix CRC
     * (DfuSe and anything with a suffix).
     *
     * @param rnd    the source of randomness, seeded for replay
     * @param format the format {@code input} is in, which decides what can be repaired
     * @param input  the bytes to damage, left unchanged
     * @return a new, damaged copy, its checksums repaired half of the time so that parsers see deeper damage
     */
    public static byte[] mutate(RandomGenerator rnd, FirmwareFormat format, byte[] input) {
        byte[] b = mutate(rnd, input);
        if (rnd.nextBoolean()) {
            switch (format) {
                case INTEL_HEX:
                    return repairIntelHexChecksums(b);
                case SREC:
                    return repairSRecordChecksums(b);
                default:
                    return repairDfuSuffixCrc(b);
            }
        }
        return b;
    }

    private static byte[] once(RandomGenerator rnd, byte[] b) {
        int n = b.length;
        int op = rnd.nextInt(12);
        if (n == 0) {
            op = 4;
        }
        switch (op) {
            case 0: { // flip a bit
                int i = rnd.nextInt(n);
                b[i] ^= (byte) (1 << rnd.nextInt(8));
                return b;
            }
            case 1:
                b[rnd.nextInt(n)] = (byte) rnd.nextInt(256);
                return b;
            case 2:
                b[rnd.nextInt(n)] = INTERESTING_BYTES[rnd.nextInt(INTERESTING_BYTES.length)];
                return b;
            case 3: { // delete a range
                int from = rnd.nextInt(n);
                int len = 1 + rnd.nextInt(Math.min(n - from, 16));
                byte[] out = new byte[n - len];
                System.arraycopy(b, 0, out, 0, from);
                System.arraycopy(b, from + len, out, from, n - from - len);
                return out;
            }
            case 4: { // insert random or interesting bytes
                int at = rnd.nextInt(n + 1);
                int len = 1 + rnd.nextInt(8);
                byte[] out = new byte[n + len];
                System.arraycopy(b, 0, out, 0, at);
                for (int i = 0; i < len; i++) {
                    out[at + i] = rnd.nextBoolean() ? (byte) rnd.nextInt(256) : INTERESTING_BYTES[rnd.nextInt(INTERESTING_BYTES.length)];
                }
                System.arraycopy(b, at, out, at + len, n - at);
                return out;
            }
            case 5: { // duplicate a range in place
                int from = rnd.nextInt(n);
                int len = 1 + rnd.nextInt(Math.min(n - from, 64));
                byte[] out = new byte[n + len];
                System.arraycopy(b, 0, out, 0, from + len);
                System.arraycopy(b, from, out, from + len, n - from);
                return out;
            }
            case 6: // truncate
                return Arrays.copyOf(b, rnd.nextInt(n));
            case 7: { // a size-like 32-bit little-endian word
                if (n < 4) {
                    return b;
                }
                int at = rnd.nextInt(n - 3);
                long v = rnd.nextInt(4) == 0 ? n - at + rnd.nextInt(9) - 4 : INTERESTING_WORDS[rnd.nextInt(INTERESTING_WORDS.length)];
                for (int i = 0; i < 4; i++) {
                    b[at + i] = (byte) (v >>> (8 * i));
                }
                return b;
            }
            case 8: { // a hex digit replaced by another hex digit: syntax stays valid
                for (int tries = 0; tries < 8; tries++) {
                    int i = rnd.nextInt(n);
                    if (HexDigits.VALUE[b[i] & 0xFF] >= 0) {
                        b[i] = HEX[rnd.nextInt(16)];
                        return b;
                    }
                }
                return b;
            }
            case 9: // duplicate a line
            case 10: // drop a line
            case 11: // swap two lines
                return lines(rnd, b, op);
            default:
                return b;
        }
    }

    private static byte[] lines(RandomGenerator rnd, byte[] b, int op) {
        int[] starts = lineStarts(b);
        int count = starts.length - 1;
        if (count < 1) {
            return b;
        }
        int i = rnd.nextInt(count);
        int j = rnd.nextInt(count);
        byte[] lineI = Arrays.copyOfRange(b, starts[i], starts[i + 1]);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(b.length + lineI.length);
        for (int k = 0; k < count; k++) {
            int from = starts[k];
            int to = starts[k + 1];
            if (op == 10 && k == i) {
                continue;
            }
            if (op == 11 && k == i) {
                from = starts[j];
                to = starts[j + 1];
            } else if (op == 11 && k == j) {
                from = starts[i];
                to = starts[i + 1];
            }
            out.write(b, from, to - from);
            if (op == 9 && k == i) {
                out.write(lineI, 0, lineI.length);
            }
        }
        return out.toByteArray();
    }

    /** Offsets where lines start, plus the length at the end. */
    private static int[] lineStarts(byte[] b) {
        int count = 1;
        for (int i = 0; i < b.length - 1; i++) {
            if (b[i] == '\n') {
                count++;
            }
        }
        int[] starts = new int[count + 1];
        int k = 1;
        for (int i = 0; i < b.length - 1; i++) {
            if (b[i] == '\n') {
                starts[k++] = i + 1;
            }
        }
        starts[count] = b.length;
        return starts;
    }

    /**
     * Recomputes the checksum of every line that is a syntactically complete Intel HEX record
     * (':' + hex pairs, as long as its byte count says); other lines are left as they are.
     *
     * @param text the Intel HEX text, left unchanged
     * @return a copy with the checksums fixed
     */
    public static byte[] repairIntelHexChecksums(byte[] text) {
        byte[] b = text.clone();
        int pos = 0;
        while (pos < b.length) {
            int end = pos;
            while (end < b.length && b[end] != '\n' && b[end] != '\r') {
                end++;
            }
            if (b[pos] == ':' && end - pos >= 11) {
                int count = HexDigits.byteAt(b, pos + 1);
                int recordEnd = pos + 11 + 2 * count;
                if (count >= 0 && recordEnd <= end) {
                    int sum = 0;
                    boolean ok = true;
                    for (int p = pos + 1; p < recordEnd - 2; p += 2) {
                        int v = HexDigits.byteAt(b, p);
                        ok &= v >= 0;
                        sum += v;
                    }
                    if (ok) {
                        int cs = -sum & 0xFF;
                        b[recordEnd - 2] = HEX[cs >>> 4];
                        b[recordEnd - 1] = HEX[cs & 0xF];
                    }
                }
            }
            pos = end + 1;
        }
        return b;
    }

    /**
     * Recomputes the checksum of every line that is a syntactically complete S-record.
     *
     * @param text the S-record text, left unchanged
     * @return a copy with the checksums fixed
     */
    public static byte[] repairSRecordChecksums(byte[] text) {
        byte[] b = text.clone();
        int pos = 0;
        while (pos < b.length) {
            int end = pos;
            while (end < b.length && b[end] != '\n' && b[end] != '\r') {
                end++;
            }
            if (b[pos] == 'S' && end - pos >= 6) {
                int count = HexDigits.byteAt(b, pos + 2);
                int recordEnd = pos + 4 + 2 * count;
                if (count >= 1 && recordEnd <= end) {
                    int sum = 0;
                    boolean ok = true;
                    for (int p = pos + 2; p < recordEnd - 2; p += 2) {
                        int v = HexDigits.byteAt(b, p);
                        ok &= v >= 0;
                        sum += v;
                    }
                    if (ok) {
                        int cs = ~sum & 0xFF;
                        b[recordEnd - 2] = HEX[cs >>> 4];
                        b[recordEnd - 1] = HEX[cs & 0xF];
                    }
                }
            }
            pos = end + 1;
        }
        return b;
    }

    /**
     * Recomputes dwCRC when the last 16 bytes carry the "UFD" signature and bLength 16.
     *
     * @param content the file's bytes, left unchanged
     * @return a copy with dwCRC fixed, or {@code content} itself when it has no suffix
     */
    public static byte[] repairDfuSuffixCrc(byte[] content) {
        int n = content.length;
        if (n < 16 || content[n - 8] != 'U' || content[n - 7] != 'F' || content[n - 6] != 'D' || content[n - 5] != 16) {
            return content;
        }
        byte[] b = content.clone();
        long crc = DfuCrc.of(b, 0, n - 4);
        for (int i = 0; i < 4; i++) {
            b[n - 4 + i] = (byte) (crc >>> (8 * i));
        }
        return b;
    }
}
