package io.github.dfu4j.formats;

import io.github.dfu4j.formats.dfuse.DfuseWriteOptions;
import io.github.dfu4j.formats.ihex.IntelHex;
import io.github.dfu4j.formats.srec.SRecord;

import java.util.Objects;
import java.util.Optional;

/**
 * How {@link FirmwareFiles#write} lays out each format. Immutable; build with {@link #builder()}
 * or change a copy with {@link #toBuilder()}.
 *
 * <pre>{@code
 * WriteOptions o = WriteOptions.builder().hexRecordLength(32).lineEnding(LineEnding.LF).build();
 * }</pre>
 *
 * Defaults follow GNU objcopy for the text formats (16-byte records, CRLF, no S5 count, empty S0
 * header) and dfuse-pack for DfuSe ("ST..." target name, DFUImageSize including the suffix), with
 * 0xFF (erased flash) filling gaps of a flat binary.
 */
// Just over 400 lines because of its javadoc (about 200 lines of code): one documented setter per setting.
public final class WriteOptions {
    /** The DfuSe target name written when neither the image nor the options name one ("ST..."). */
    public static final String DEFAULT_DFUSE_TARGET_NAME = DfuseWriteOptions.DEFAULT_TARGET_NAME;

    private static final WriteOptions DEFAULTS = builder().build();

    private final IntelHex.Options hex;
    private final SRecord.Options srec;
    private final DfuseWriteOptions dfuse;
    private final byte fillByte;
    private final long maxBinaryBytes;
    private final DfuSuffix dfuSuffix;

    private WriteOptions(Builder b) {
        this.hex = new IntelHex.Options(b.hexRecordLength, b.hexAddressing, b.lineEnding);
        this.srec = new SRecord.Options(b.srecRecordLength, b.srecAddressWidth, b.srecHeader, b.srecCountRecord, b.lineEnding);
        this.dfuse = new DfuseWriteOptions(b.dfuSuffix, b.dfuseTargetName, b.dfuseImageSizeIncludesSuffix,
                b.dfuseElementAlignment, b.dfusePadByte);
        if (b.maxBinaryBytes < 0) {
            throw new IllegalArgumentException("maxBinaryBytes must not be negative: " + b.maxBinaryBytes);
        }
        this.fillByte = b.fillByte;
        this.maxBinaryBytes = b.maxBinaryBytes;
        this.dfuSuffix = b.dfuSuffix;
    }

    /**
     * The default layout described in the class comment; what {@link FirmwareFiles#write} uses when given
     * no options.
     *
     * @return the shared default options
     */
    public static WriteOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A builder starting from the defaults; each setter changes one field and {@link Builder#build()}
     * checks the combination.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from these options, to change a copy: {@code opts.toBuilder().fillByte(0).build()}.
     *
     * @return a new builder holding every field of this object
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.hexRecordLength = hex.recordLength();
        b.hexAddressing = hex.addressing();
        b.lineEnding = hex.lineEnding();
        b.srecRecordLength = srec.recordLength();
        b.srecAddressWidth = srec.width();
        b.srecHeader = srec.header();
        b.srecCountRecord = srec.countRecord();
        b.fillByte = fillByte;
        b.maxBinaryBytes = maxBinaryBytes;
        b.dfuSuffix = dfuSuffix;
        b.dfuseTargetName = dfuse.targetName();
        b.dfuseImageSizeIncludesSuffix = dfuse.imageSizeIncludesSuffix();
        b.dfuseElementAlignment = dfuse.elementAlignment();
        b.dfusePadByte = dfuse.padByte();
        return b;
    }

    /** The Intel HEX writer settings. */
    IntelHex.Options intelHex() {
        return hex;
    }

    /** The S-record writer settings. */
    SRecord.Options srec() {
        return srec;
    }

    /** The DfuSe writer settings. */
    DfuseWriteOptions dfuse() {
        return dfuse;
    }

    /**
     * Value of gap bytes in a flat binary.
     *
     * @return the fill byte, 0xFF (erased flash) by default
     */
    public byte fillByte() {
        return fillByte;
    }

    /**
     * Largest flat binary {@link FirmwareFiles#write} produces before asking for per-segment files.
     *
     * @return the limit in bytes
     */
    public long maxBinaryBytes() {
        return maxBinaryBytes;
    }

    /**
     * The DFU suffix to append to a written file of any format (the DfuSe writer uses it as its
     * suffix instead of appending a second one). Empty: DfuSe files get the image's or the ST default
     * suffix, other formats none.
     *
     * @return the suffix to write, or empty for the default described above
     */
    public Optional<DfuSuffix> dfuSuffix() {
        return Optional.ofNullable(dfuSuffix);
    }

    /**
     * Two options are equal when every field (each format's settings, fill byte, binary size limit and
     * suffix) is equal.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof WriteOptions w && w.hex.equals(hex) && w.srec.equals(srec) && w.dfuse.equals(dfuse)
                && w.fillByte == fillByte && w.maxBinaryBytes == maxBinaryBytes && Objects.equals(w.dfuSuffix, dfuSuffix);
    }

    /** A hash consistent with {@link #equals(Object)}. */
    @Override
    public int hashCode() {
        return Objects.hash(hex, srec, dfuse, fillByte, maxBinaryBytes, dfuSuffix);
    }

    /** A description of every field for logs; not a stable format. */
    @Override
    public String toString() {
        return "WriteOptions[" + hex + ", " + srec + ", " + dfuse + String.format(", fill=0x%02x", fillByte & 0xFF)
                + ", maxBinaryBytes=" + maxBinaryBytes + ", dfuSuffix=" + dfuSuffix + "]";
    }

    /** Line terminator the text writers (Intel HEX, S-record) put after each record. */
    public enum LineEnding {
        /** "\n". */
        LF("\n"),
        /** "\r\n", what GNU objcopy writes for Intel HEX and S-record. */
        CRLF("\r\n");

        private final String text;

        LineEnding(String text) {
            this.text = text;
        }

        /**
         * The terminator characters.
         *
         * @return {@code "\n"} or {@code "\r\n"}
         */
        public String text() {
            return text;
        }
    }

    /** Which extended-address records the writer uses. */
    public enum HexAddressing {
        /** I8HEX when all data lies below 64 KiB, else I32HEX. */
        AUTO,
        /** No extended address records; data must lie below 64 KiB. */
        I8HEX,
        /** Extended segment address records (02) and a start segment record (03); data below 1 MiB. */
        I16HEX,
        /** Extended linear address records (04) and a start linear record (05). */
        I32HEX
    }

    /** Address width of the data records, and so of the termination record. */
    public enum SrecAddressWidth {
        /** The narrowest width that holds every data address and the entry point. */
        AUTO(0),
        /** S1 data, S9 termination: 16-bit addresses. */
        S1(2),
        /** S2 data, S8 termination: 24-bit addresses. */
        S2(3),
        /** S3 data, S7 termination: 32-bit addresses. */
        S3(4);

        private final int bytes;

        SrecAddressWidth(int bytes) {
            this.bytes = bytes;
        }

        /** @return the address bytes per record (0 for AUTO) */
        public int bytes() {
            return bytes;
        }

        /** @return the first address this width cannot hold */
        public long limit() {
            return 1L << (8 * bytes);
        }
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private int hexRecordLength = 16;
        private HexAddressing hexAddressing = HexAddressing.AUTO;
        private int srecRecordLength = 16;
        private SrecAddressWidth srecAddressWidth = SrecAddressWidth.AUTO;
        private String srecHeader = "";
        private boolean srecCountRecord;
        private LineEnding lineEnding = LineEnding.CRLF;
        private byte fillByte = (byte) 0xFF;
        private long maxBinaryBytes = 256L << 20;
        private DfuSuffix dfuSuffix;
        private String dfuseTargetName = DfuseWriteOptions.DEFAULT_TARGET_NAME;
        private boolean dfuseImageSizeIncludesSuffix = true;
        private int dfuseElementAlignment = 1;
        private int dfusePadByte;

        private Builder() {
        }

        /**
         * Intel HEX data bytes per record, 1..255 (default 16).
         *
         * @param length the data bytes per record, 1..255
         * @return this builder
         */
        public Builder hexRecordLength(int length) {
            hexRecordLength = length;
            return this;
        }

        /**
         * Intel HEX extended-address style (default AUTO).
         *
         * @param addressing the style, not {@code null}
         * @return this builder
         */
        public Builder hexAddressing(HexAddressing addressing) {
            hexAddressing = Objects.requireNonNull(addressing);
            return this;
        }

        /**
         * S-record data bytes per record, 1..250 (default 16).
         *
         * @param length the data bytes per record, 1..250
         * @return this builder
         */
        public Builder srecRecordLength(int length) {
            srecRecordLength = length;
            return this;
        }

        /**
         * S1/S2/S3 choice (default AUTO: narrowest that fits).
         *
         * @param width the width, not {@code null}
         * @return this builder
         */
        public Builder srecAddressWidth(SrecAddressWidth width) {
            srecAddressWidth = Objects.requireNonNull(width);
            return this;
        }

        /**
         * S0 header text (default empty).
         *
         * @param header the S0 text, at most 64 ASCII characters (checked by {@link #build()})
         * @return this builder
         */
        public Builder srecHeader(String header) {
            srecHeader = Objects.requireNonNull(header);
            return this;
        }

        /**
         * Write an S5/S6 record count (default no).
         *
         * @param count {@code true} to write the count record
         * @return this builder
         */
        public Builder srecCountRecord(boolean count) {
            srecCountRecord = count;
            return this;
        }

        /**
         * Line terminator of both text formats (default CRLF).
         *
         * @param ending the terminator, not {@code null}
         * @return this builder
         */
        public Builder lineEnding(LineEnding ending) {
            lineEnding = Objects.requireNonNull(ending);
            return this;
        }

        /**
         * Gap value of a flat binary, 0..255 (default 0xFF).
         *
         * @param value the byte value, 0..255
         * @return this builder
         * @throws IllegalArgumentException when {@code value} is outside 0..255
         */
        public Builder fillByte(int value) {
            if (value < 0 || value > 255) {
                throw new IllegalArgumentException("fill byte out of range 0..255: " + value);
            }
            fillByte = (byte) value;
            return this;
        }

        /**
         * Ceiling for a flat binary (default 256 MiB).
         *
         * @param max the largest flat binary in bytes, 0 or more
         * @return this builder
         */
        public Builder maxBinaryBytes(long max) {
            maxBinaryBytes = max;
            return this;
        }

        /**
         * Suffix to append (any format) or to use (DfuSe); null for none/default.
         *
         * @param suffix the suffix, or {@code null}
         * @return this builder
         */
        public Builder dfuSuffix(DfuSuffix suffix) {
            dfuSuffix = suffix;
            return this;
        }

        /**
         * DfuSe target name for segments without a target (default "ST...").
         *
         * @param name the name, at most 255 ISO-8859-1 characters (checked by {@link #build()})
         * @return this builder
         */
        public Builder dfuseTargetName(String name) {
            dfuseTargetName = Objects.requireNonNull(name);
            return this;
        }

        /**
         * Whether DFUImageSize counts the suffix (default yes).
         *
         * @param including {@code true} as dfuse-pack writes it, {@code false} as some other tools do
         * @return this builder
         */
        public Builder dfuseImageSizeIncludesSuffix(boolean including) {
            dfuseImageSizeIncludesSuffix = including;
            return this;
        }

        /**
         * Pad each DfuSe element to a multiple of {@code alignment} bytes with {@code padByte} (default 1: none).
         *
         * @param alignment the element size multiple, 1..4096; 1 for no padding
         * @param padByte   the value of the padding bytes, 0..255
         * @return this builder
         */
        public Builder dfuseElementPadding(int alignment, int padByte) {
            dfuseElementAlignment = alignment;
            dfusePadByte = padByte;
            return this;
        }

        /**
         * The options of this builder's settings, checked together.
         *
         * @return the options
         * @throws IllegalArgumentException for out-of-range settings
         */
        public WriteOptions build() {
            return new WriteOptions(this);
        }
    }
}
