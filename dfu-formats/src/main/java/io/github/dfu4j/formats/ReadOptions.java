package io.github.dfu4j.formats;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How {@link FirmwareFiles} reads a file: the format (detected from the content when not set) and
 * the base address of a raw binary (which carries none). Immutable; built like every options type of
 * dfu4j, with {@link #builder()} or {@link #toBuilder()}.
 *
 * <pre>{@code
 * ReadOptions o = ReadOptions.builder().format(FirmwareFormat.BINARY).baseAddress(0x08008000L).build();
 * }</pre>
 */
public final class ReadOptions {
    /** Base address of a raw binary when none is given: STM32 internal flash. */
    public static final long DEFAULT_BINARY_BASE = 0x08000000L;

    private static final ReadOptions DEFAULTS = new ReadOptions(null, null);

    private final FirmwareFormat format;
    private final Long baseAddress;

    private ReadOptions(FirmwareFormat format, Long baseAddress) {
        this.format = format;
        this.baseAddress = baseAddress;
    }

    /**
     * Detect the format; raw binaries at {@link #DEFAULT_BINARY_BASE}.
     *
     * @return the shared default options
     */
    public static ReadOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A builder starting from {@link #defaults()}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder(null, null);
    }

    /**
     * A builder starting from these options.
     *
     * @return a new builder holding this object's format and base address
     */
    public Builder toBuilder() {
        return new Builder(format, baseAddress);
    }

    /**
     * The forced format, if any.
     *
     * @return the format to read as, or empty to detect it from the content
     */
    public Optional<FirmwareFormat> format() {
        return Optional.ofNullable(format);
    }

    /**
     * The base address given, if any.
     *
     * @return the base address, or empty when the default applies
     */
    public OptionalLong baseAddress() {
        return baseAddress == null ? OptionalLong.empty() : OptionalLong.of(baseAddress);
    }

    /**
     * The base address a raw binary gets: the one given, else {@link #DEFAULT_BINARY_BASE}.
     *
     * @return the address of a raw binary's first byte, 0..0xFFFFFFFF
     */
    public long effectiveBaseAddress() {
        return baseAddress == null ? DEFAULT_BINARY_BASE : baseAddress;
    }

    /**
     * Two options are equal when they force the same format (or both detect) and give the same base
     * address (or both give none).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof ReadOptions r && r.format == format && Objects.equals(r.baseAddress, baseAddress);
    }

    /** A hash consistent with {@link #equals(Object)}. */
    @Override
    public int hashCode() {
        return Objects.hash(format, baseAddress);
    }

    /**
     * A short description for logs, such as {@code ReadOptions[format=detect, base=0x08008000]}; not a
     * stable format.
     */
    @Override
    public String toString() {
        return "ReadOptions[format=" + (format == null ? "detect" : format)
                + (baseAddress == null ? "" : String.format(", base=0x%08x", baseAddress)) + "]";
    }

    /** Builder of {@link ReadOptions}. */
    public static final class Builder {
        private FirmwareFormat format;
        private Long baseAddress;

        private Builder(FirmwareFormat format, Long baseAddress) {
            this.format = format;
            this.baseAddress = baseAddress;
        }

        /**
         * Read as {@code newFormat} instead of detecting it (null: detect).
         *
         * @param newFormat the format, or {@code null} to detect it
         * @return this builder
         */
        public Builder format(FirmwareFormat newFormat) {
            format = newFormat;
            return this;
        }

        /**
         * Place a raw binary at {@code address}.
         *
         * @param address the address of the binary's first byte, 0..0xFFFFFFFF
         * @throws IllegalArgumentException outside the 32-bit address space
         * @return this builder
         */
        public Builder baseAddress(long address) {
            if (address < 0 || address >= Segment.ADDRESS_SPACE_END) {
                throw new IllegalArgumentException(String.format("base address 0x%x outside the 32-bit address space", address));
            }
            baseAddress = address;
            return this;
        }

        /**
         * The options.
         *
         * @return the options; {@link ReadOptions#defaults()} itself when nothing was set
         */
        public ReadOptions build() {
            return format == null && baseAddress == null ? DEFAULTS : new ReadOptions(format, baseAddress);
        }
    }
}
