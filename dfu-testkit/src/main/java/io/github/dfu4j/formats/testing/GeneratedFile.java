package io.github.dfu4j.formats.testing;

import io.github.dfu4j.formats.FirmwareFormat;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.ReadOptions;
import io.github.dfu4j.formats.WriteOptions;

import java.util.Objects;

/**
 * A valid firmware file produced by {@link FirmwareGenerators#file}: the image it encodes, the
 * options it was written with, the options to read it back with, and its bytes. Reading
 * {@link #bytes()} with {@link #readOptions()} must give exactly {@link #image()}.
 */
public final class GeneratedFile {
    private final FirmwareFormat format;
    private final FirmwareImage image;
    private final WriteOptions writeOptions;
    private final ReadOptions readOptions;
    private final byte[] bytes;

    GeneratedFile(FirmwareFormat format, FirmwareImage image, WriteOptions writeOptions, ReadOptions readOptions, byte[] bytes) {
        this.format = Objects.requireNonNull(format);
        this.image = Objects.requireNonNull(image);
        this.writeOptions = Objects.requireNonNull(writeOptions);
        this.readOptions = Objects.requireNonNull(readOptions);
        this.bytes = bytes.clone();
    }

    /**
     * The format the file is written in, the one {@link FirmwareGenerators#file} was asked for.
     *
     * @return the format, never {@code null}
     */
    public FirmwareFormat format() {
        return format;
    }

    /**
     * The image the file encodes, exactly as a reader must return it.
     *
     * @return the image, never {@code null}
     */
    public FirmwareImage image() {
        return image;
    }

    /**
     * The options the file was written with (record lengths, addressing, line endings, DfuSe layout),
     * varied by the generator so that readers meet every layout the writers can produce.
     *
     * @return the write options, never {@code null}
     */
    public WriteOptions writeOptions() {
        return writeOptions;
    }

    /**
     * Format forced, and base address for raw binaries.
     *
     * @return the read options, never {@code null}
     */
    public ReadOptions readOptions() {
        return readOptions;
    }

    /**
     * A copy of the file's bytes.
     *
     * @return a new array holding the whole file
     */
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * A file name with the format's usual extension, for messages.
     *
     * @return {@code generated.} followed by the format's first extension, e.g. {@code generated.hex}
     */
    public String fileName() {
        return "generated." + format.extensions().get(0);
    }

    /** A description for test failure messages: file name, size, segment count and the write options. */
    @Override
    public String toString() {
        return fileName() + " (" + bytes.length + " bytes, " + image.segments().size() + " segments, " + writeOptions + ")";
    }
}
