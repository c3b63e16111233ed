package io.github.dfu4j.transport;

import java.util.Objects;

/**
 * One alternate setting of a DFU interface.
 *
 * @param altSetting bAlternateSetting
 * @param name       the iInterface string (for DfuSe: the memory-layout string such as
 *                   {@code @Internal Flash  /0x08000000/04*016Kg,...}); empty when none
 */
public record AltSetting(int altSetting, String name) {
    /**
     * Checks that the name is present.
     *
     * @param altSetting bAlternateSetting
     * @param name       the iInterface string (for DfuSe: the memory-layout string such as
     *                   {@code @Internal Flash  /0x08000000/04*016Kg,...}); empty when none
     * @throws NullPointerException when {@code name} is {@code null} (use {@code ""} for a setting without a string)
     */
    public AltSetting {
        Objects.requireNonNull(name, "name");
    }
}
