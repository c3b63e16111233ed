package io.github.dfu4j.formats.internal;

import io.github.dfu4j.formats.FirmwareFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Feeds a line-based text file (Intel HEX, S-record) to its parser in blocks of whole lines, read
 * through one reused window, so that a 180 MiB HEX file is never held in memory next to the 64 MiB
 * image it describes. A block always ends just after a line end ('\n', or a '\r' whose next byte is
 * known not to be '\n') or at the end of the input, so a parser that counts lines and checks record
 * lengths sees exactly what it would see in the whole text. A window with no line end grows (a line
 * is never cut); the parser rejects such a line long before that matters for any valid file.
 */
public final class TextBlocks {
    /** Window size: large enough that the per-block overhead vanishes, small next to any image worth streaming. */
    public static final int WINDOW = 1 << 20;

    /** The parser of one format, called with consecutive blocks. */
    public interface Parser {
        /**
         * Parses {@code text[from, to)}; {@code fileOffset} is the offset of {@code text[from]} in the file.
         * The bytes beyond {@code to} are not the file's.
         *
         * @param text       the window; only {@code [from, to)} is the file's
         * @param from       the first byte of the block
         * @param to         the end of the block, exclusive
         * @param fileOffset the file offset of {@code text[from]}
         * @throws FirmwareFormatException when the block holds a bad record
         */
        void block(byte[] text, int from, int to, long fileOffset) throws FirmwareFormatException;
    }

    private TextBlocks() {
    }

    /**
     * Reads {@code in} to its end and hands it to {@code parser} block by block.
     *
     * @param in     the text, read to its end and left open
     * @param parser the format's parser
     * @return the number of bytes read
     * @throws FirmwareFormatException when the parser rejects a block
     * @throws IOException when reading fails
     */
    public static long feed(InputStream in, Parser parser) throws IOException {
        return feed(in, parser, WINDOW);
    }

    /**
     * {@link #feed(InputStream, Parser)} with another window size (tests use tiny ones).
     *
     * @param in     the text, read to its end and left open
     * @param parser the format's parser
     * @param window the initial window size in bytes, 1 or more
     * @return the number of bytes read
     * @throws FirmwareFormatException when the parser rejects a block
     * @throws IOException when reading fails
     */
    public static long feed(InputStream in, Parser parser, int window) throws IOException {
        byte[] buf = new byte[window];
        int have = 0; // bytes in buf not handed out yet, from index 0
        long offset = 0; // file offset of buf[0]
        while (true) {
            int n = in.readNBytes(buf, have, buf.length - have);
            have += n;
            boolean last = have < buf.length; // readNBytes returns less than asked only at the end
            int cut = last ? have : cutPoint(buf, have);
            if (cut < 0) {
                buf = Arrays.copyOf(buf, buf.length * 2); // one line longer than the window
                continue;
            }
            if (cut > 0) {
                parser.block(buf, 0, cut, offset);
            }
            if (last) {
                return offset + have;
            }
            System.arraycopy(buf, cut, buf, 0, have - cut);
            offset += cut;
            have -= cut;
        }
    }

    /** Just after the last line end in buf[0, have) that cannot be the first half of a CRLF; -1 if none. */
    private static int cutPoint(byte[] buf, int have) {
        for (int i = have - 1; i >= 0; i--) {
            if (buf[i] == '\n') {
                return i + 1;
            }
        }
        for (int i = have - 2; i >= 0; i--) { // no '\n' at all: a '\r' before the last byte ends a CR-only line
            if (buf[i] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }
}
