package io.github.dfu4j.formats;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The firmware file formats dfu4j reads and writes. {@link FirmwareFiles#detect} picks one by
 * content; the extensions listed here are only used for raw binaries (which have no signature) and
 * as a hint in error messages.
 */
public enum FirmwareFormat {
    /** ST DfuSe file (UM0391): "DfuSe" prefix, targets of elements, DFU suffix with bcdDFU 0x011A. */
    DFUSE("DfuSe", List.of("dfu")),
    /** Intel HEX (I8HEX, I16HEX, I32HEX). */
    INTEL_HEX("Intel HEX", List.of("hex", "ihex", "ihx")),
    /** Motorola S-record (S19/S28/S37). */
    SREC("S-record", List.of("srec", "s19", "s28", "s37", "mot", "s")),
    /** ELF32 little-endian executable; PT_LOAD segments at their physical (load) address. */
    ELF("ELF", List.of("elf", "axf", "out")),
    /** Raw bytes, placed at a base address given by the caller. */
    BINARY("raw binary", List.of("bin"));

    private final String displayName;
    private final List<String> extensions;

    FirmwareFormat(String displayName, List<String> extensions) {
        this.displayName = displayName;
        this.extensions = extensions;
    }

    /**
     * Human-readable name for messages, e.g. "Intel HEX".
     *
     * @return the name, never empty
     */
    public String displayName() {
        return displayName;
    }

    /**
     * Usual file-name extensions, lower case, without the dot; the first is the one writers suggest.
     *
     * @return an unmodifiable, non-empty list such as {@code [hex, ihex, ihx]}
     */
    public List<String> extensions() {
        return extensions;
    }

    /**
     * The format whose usual extension the file name has, if any (case-insensitive).
     *
     * @param fileName a file name or path; only the text after the last dot is looked at
     * @return the format, or empty when the name has no extension or one no format uses
     */
    public static Optional<FirmwareFormat> forFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0 || dot == fileName.length() - 1) {
            return Optional.empty();
        }
        String ext = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        for (FirmwareFormat f : values()) {
            if (f.extensions.contains(ext)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
