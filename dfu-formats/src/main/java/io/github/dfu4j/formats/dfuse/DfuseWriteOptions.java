package io.github.dfu4j.formats.dfuse;

import io.github.dfu4j.formats.DfuSuffix;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * How {@link DfuseFile#write} lays out a DfuSe file.
 *
 * @param suffix                  suffix to write; null = the image's own suffix, else
 *                                {@link DfuSuffix#dfuse DfuSuffix.dfuse(0x0483, 0xDF11)}. bcdDFU is
 *                                always written as 0x011A.
 * @param targetName              szTargetName for segments that carry no DfuSe target (they go to
 *                                alt 0); "ST..." like dfuse-pack and MicroPython's dfu.py
 * @param imageSizeIncludesSuffix DFUImageSize counts the 16-byte suffix (UM0391 wording, dfuse-pack
 *                                since 2020) or not (MicroPython dfu.py); readers accept both
 * @param elementAlignment        pad each element's data to a multiple of this many bytes (1 = no
 *                                padding; dfu.py uses 8, "needed at least for L476")
 * @param padByte                 value of padding bytes, 0..255 (dfu.py pads with 0x00)
 */
public record DfuseWriteOptions(DfuSuffix suffix, String targetName, boolean imageSizeIncludesSuffix,
                                int elementAlignment, int padByte) {
    /** Target name dfuse-pack and dfu.py write. */
    public static final String DEFAULT_TARGET_NAME = "ST...";

    /**
     * Checks the ranges.
     *
     * @param suffix                  suffix to write, or {@code null} for the image's own or the ST default
     * @param targetName              szTargetName for segments without a target
     * @param imageSizeIncludesSuffix whether DFUImageSize counts the suffix
     * @param elementAlignment        element data multiple, 1..4096
     * @param padByte                 padding value, 0..255
     * @throws NullPointerException when {@code targetName} is {@code null}
     * @throws IllegalArgumentException when the name is longer than 255 ISO-8859-1 characters or a number
     *         is out of range
     */
    public DfuseWriteOptions {
        Objects.requireNonNull(targetName, "targetName");
        if (targetName.getBytes(StandardCharsets.ISO_8859_1).length > 255
                || !StandardCharsets.ISO_8859_1.newEncoder().canEncode(targetName)) {
            throw new IllegalArgumentException("target name must be at most 255 ISO-8859-1 characters: " + targetName);
        }
        if (elementAlignment < 1 || elementAlignment > 4096) {
            throw new IllegalArgumentException("element alignment out of range 1..4096: " + elementAlignment);
        }
        if (padByte < 0 || padByte > 255) {
            throw new IllegalArgumentException("pad byte out of range 0..255: " + padByte);
        }
    }

    /**
     * Image's suffix or the ST default, "ST...", DFUImageSize with suffix, no padding.
     *
     * @return the default options
     */
    public static DfuseWriteOptions defaults() {
        return new DfuseWriteOptions(null, DEFAULT_TARGET_NAME, true, 1, 0);
    }

    /**
     * A copy with another suffix.
     *
     * @param newSuffix the suffix, or {@code null} for the default
     * @return the new options
     */
    public DfuseWriteOptions withSuffix(DfuSuffix newSuffix) {
        return new DfuseWriteOptions(newSuffix, targetName, imageSizeIncludesSuffix, elementAlignment, padByte);
    }

    /**
     * A copy with another default target name.
     *
     * @param name the name, at most 255 ISO-8859-1 characters
     * @return the new options
     * @throws IllegalArgumentException when the name does not fit
     */
    public DfuseWriteOptions withTargetName(String name) {
        return new DfuseWriteOptions(suffix, name, imageSizeIncludesSuffix, elementAlignment, padByte);
    }

    /**
     * A copy with the other DFUImageSize convention.
     *
     * @param including whether DFUImageSize counts the suffix
     * @return the new options
     */
    public DfuseWriteOptions withImageSizeIncludingSuffix(boolean including) {
        return new DfuseWriteOptions(suffix, targetName, including, elementAlignment, padByte);
    }

    /**
     * A copy with another element padding.
     *
     * @param alignment the element data multiple, 1..4096
     * @param value     the padding value, 0..255
     * @return the new options
     * @throws IllegalArgumentException when a number is out of range
     */
    public DfuseWriteOptions withElementPadding(int alignment, int value) {
        return new DfuseWriteOptions(suffix, targetName, imageSizeIncludesSuffix, alignment, value);
    }
}
