package io.github.dfu4j.formats;

import io.github.dfu4j.formats.ihex.IntelHex;
import io.github.dfu4j.formats.srec.SRecord;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@link FirmwareFiles}' way through a large Intel HEX or S-record file: the text is parsed a block of
 * lines at a time and never held whole, so a 64 MiB image from a 180 MiB HEX file fits a heap of
 * little more than 64 MiB. Only the plain case streams: a regular file over {@link #MIN_BYTES} whose
 * first line shows the format (or whose format was chosen), with no UTF-8 byte order mark and no DFU
 * suffix signature in its last 16 bytes. Everything else (suffix, BOM, damaged first line, small
 * files) takes the whole-file path, which decides those cases; the parsers give the same image and
 * the same errors either way.
 */
final class StreamedRead {
    /** Smaller files are read whole: they cost little and keep one path for every edge case. */
    static final long MIN_BYTES = 1L << 20;
    private static final int HEAD = 1 << 16;

    private StreamedRead() {
    }

    /** The description of {@code file} parsed as a stream, or empty when the whole-file path must read it. */
    static Optional<FirmwareFileInfo> inspect(Path file, ReadOptions options) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        long size = Files.size(file);
        if (size <= MIN_BYTES || size > FirmwareFiles.MAX_FILE_BYTES) {
            return Optional.empty();
        }
        byte[] head = new byte[HEAD];
        byte[] tail = new byte[16];
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            readFully(channel, ByteBuffer.wrap(head));
            channel.position(size - tail.length);
            readFully(channel, ByteBuffer.wrap(tail));
        }
        if (tail[8] == 'U' && tail[9] == 'F' && tail[10] == 'D') {
            return Optional.empty(); // a DFU suffix, valid or not: the whole-file path checks its CRC and bcdDFU
        }
        if (ContentRules.hasBom(head)) {
            return Optional.empty();
        }
        FirmwareFormat format = options.format().orElse(null);
        if (format == null) {
            if (!firstLineComplete(head)) {
                return Optional.empty();
            }
            format = FirmwareFiles.detectByContent(head).orElse(null);
        }
        if (format != FirmwareFormat.INTEL_HEX && format != FirmwareFormat.SREC) {
            return Optional.empty();
        }
        String source = file.toString();
        FirmwareImage image;
        try (InputStream in = new Capped(source, Files.newInputStream(file))) {
            image = format == FirmwareFormat.INTEL_HEX ? IntelHex.read(source, in, size) : SRecord.read(source, in, size);
        }
        return Optional.of(FirmwareFiles.info(source, format, size, image, Optional.empty(), Optional.empty(),
                OptionalLong.empty()));
    }

    private static void readFully(SeekableByteChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
            // the file is larger than the buffer (checked by the caller); a shrinking file leaves zeros
        }
    }

    /** True when a line end follows the first non-blank byte within the head: detection then saw the whole first line. */
    private static boolean firstLineComplete(byte[] head) {
        int i = 0;
        while (i < head.length && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) {
            i++;
        }
        for (; i < head.length; i++) {
            if (head[i] == '\n' || head[i] == '\r') {
                return true;
            }
        }
        return false;
    }

    /** Refuses to read past {@link FirmwareFiles#MAX_FILE_BYTES} (a file that grows while it is read). */
    private static final class Capped extends FilterInputStream {
        private final String source;
        private long read;

        Capped(String source, InputStream in) {
            super(in);
            this.source = source;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                read += n;
                if (read > FirmwareFiles.MAX_FILE_BYTES) {
                    throw BoundedRead.tooLarge(source, "", FirmwareFiles.MAX_FILE_BYTES, "; stopped reading there");
                }
            }
            return n;
        }
    }
}
