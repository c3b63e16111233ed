package io.github.dfu4j.formats;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How {@link FirmwareFiles} reads a file: the format (detected from the content when not set) and
 * the base address of a raw binary (which carries none). Immutable.
 *
 * <pre>{@code
 * ReadOptions o = ReadOptions.defaults().withFormat(FirmwareFormat.BINARY).withBaseAddress(0x08008000L);
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

    /** Detect the format; raw binaries at {@link #DEFAULT_BINARY_BASE}. */
    public static ReadOptions defaults() {
        return DEFAULTS;
    }

    /** Read as {@code newFormat} instead of detecting it (null: detect). */
    public ReadOptions withFormat(FirmwareFormat newFormat) {
        return new ReadOptions(newFormat, baseAddress);
    }

    /**
     * Place a raw binary at {@code address}.
     *
     * @throws IllegalArgumentException outside the 32-bit address space
     */
    public ReadOptions withBaseAddress(long address) {
        if (address < 0 || address >= Segment.ADDRESS_SPACE_END) {
            throw new IllegalArgumentException(String.format("base address 0x%x outside the 32-bit address space", address));
        }
        return new ReadOptions(format, address);
    }

    /** The forced format, if any. */
    public Optional<FirmwareFormat> format() {
        return Optional.ofNullable(format);
    }

    /** The base address given, if any. */
    public OptionalLong baseAddress() {
        return baseAddress == null ? OptionalLong.empty() : OptionalLong.of(baseAddress);
    }

    /** The base address a raw binary gets: the one given, else {@link #DEFAULT_BINARY_BASE}. */
    public long effectiveBaseAddress() {
        return baseAddress == null ? DEFAULT_BINARY_BASE : baseAddress;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReadOptions r && r.format == format && Objects.equals(r.baseAddress, baseAddress);
    }

    @Override
    public int hashCode() {
        return Objects.hash(format, baseAddress);
    }

    @Override
    public String toString() {
        return "ReadOptions[format=" + (format == null ? "detect" : format)
                + (baseAddress == null ? "" : String.format(", base=0x%08x", baseAddress)) + "]";
    }
}
