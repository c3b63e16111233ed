package io.github.dfu4j.formats;

import java.util.Objects;

/**
 * Where a segment goes on a DfuSe device: the interface alternate setting that selects the memory
 * (alt 0 is usually internal flash) and the target name stored in the DfuSe file.
 *
 * @param altSetting bAlternateSetting, 0..255
 * @param name       szTargetName; empty when the file marks the name as not valid
 */
public record DfuseTarget(int altSetting, String name) {
    /**
     * Checks the alt setting's range and the name's presence.
     *
     * @param altSetting bAlternateSetting, 0..255
     * @param name       szTargetName; empty when the file marks the name as not valid
     * @throws IllegalArgumentException when {@code altSetting} is outside 0..255
     * @throws NullPointerException when {@code name} is {@code null} (use {@code ""} for no name)
     */
    public DfuseTarget {
        if (altSetting < 0 || altSetting > 255) {
            throw new IllegalArgumentException("alt setting out of range 0..255: " + altSetting);
        }
        Objects.requireNonNull(name, "name");
    }

    /**
     * Alt setting 0 with no name: what a plain image without target information means.
     *
     * @return alt setting 0, name {@code ""}
     */
    public static DfuseTarget defaultTarget() {
        return new DfuseTarget(0, "");
    }
}
