package io.github.dfu4j.stm32;

import java.util.List;
import java.util.Map;

/**
 * Smaller parts built on the die of a line. Their ROM reports the die's full flash (fact sheet §3.2
 * [O]: an H750 with 128 KB reports 16 x 128 KB, the only over-reporting ROM actually observed); that
 * the other lines' smaller parts do the same, and their part/size pairs (ST product pages), are [U].
 * Used as identification evidence and, when a flash plan writes beyond a smaller part's flash, as a
 * warning ({@link Stm32DeviceProfile#planWarnings}).
 */
final class DieVariants {
    private DieVariants() {
    }

    /** A smaller part and its flash size in bytes. */
    record Part(String name, long bytes) {
        String describe() {
            return bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0
                    ? name + " (" + bytes / (1024 * 1024) + " MiB)" : name + " (" + bytes / 1024 + " KiB)";
        }
    }

    private static final long KIB = 1024;

    private static final Map<String, List<Part>> SMALLER = Map.of(
            "stm32f072", List.of(new Part("STM32F071x8/F072x8", 64 * KIB)),
            "stm32f405", List.of(new Part("STM32F405xE/F407xE", 512 * KIB)),
            "stm32f429", List.of(new Part("STM32F427xG/F429xG", 1024 * KIB)),
            "stm32f446", List.of(new Part("STM32F446xC", 256 * KIB)),
            "stm32f722", List.of(new Part("STM32F722xC/F723xC", 256 * KIB)),
            "stm32f746", List.of(new Part("STM32F745xE/F746xE", 512 * KIB), new Part("STM32F750x8", 64 * KIB)),
            "stm32f767", List.of(new Part("STM32F765xG/F767xG", 1024 * KIB)),
            "stm32h743", List.of(new Part("STM32H750xB", 128 * KIB), new Part("STM32H742xG/H743xG", 1024 * KIB)),
            "stm32h7a3", List.of(new Part("STM32H7B0xB", 128 * KIB), new Part("STM32H7A3xG", 1024 * KIB)),
            "stm32h723", List.of(new Part("STM32H730xB", 128 * KIB), new Part("STM32H723xE/H725xE", 512 * KIB)));

    /** The smaller parts on this line's die (empty: none known). */
    static List<Part> of(String chipId) {
        return SMALLER.getOrDefault(chipId, List.of());
    }
}
