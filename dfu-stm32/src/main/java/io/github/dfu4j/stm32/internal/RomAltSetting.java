package io.github.dfu4j.stm32.internal;

import io.github.dfu4j.stm32.Evidence;

import java.util.Objects;

/**
 * One alternate setting of a DfuSe bootloader: what it reaches and its interface string
 * (the memory-layout string, reproduced exactly, padding spaces included).
 *
 * @param kind     the memory behind it
 * @param layout   the iInterface string, e.g. {@code @Option Bytes  /0x1FFFC000/01*016 e}
 * @param evidence how well the string is backed (docs/reference/stm32.md §3.2)
 */
public record RomAltSetting(MemoryKind kind, String layout, Evidence evidence) {
    public RomAltSetting {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(evidence, "evidence");
        if (!layout.startsWith("@")) {
            throw new IllegalArgumentException("a DfuSe layout string starts with '@': " + layout);
        }
    }
}
