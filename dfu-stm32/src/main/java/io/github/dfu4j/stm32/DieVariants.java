package io.github.dfu4j.stm32;

import java.util.List;
import java.util.Map;

/**
 * Smaller parts built on the die of a line. Their ROM reports the die's full flash (docs/reference/stm32.md §3.2
 * [O]: an H750 with 128 KB reports 16 x 128 KB, the only over-reporting ROM actually observed); that
 * the other lines' smaller parts do the same, and their part/size pairs (ST product pages), are [U].
 * Used as identification evidence and, when a flash plan writes beyond a smaller part's flash, as a
 * note ({@link Stm32DeviceProfile#writeNotes}).
 */
final class DieVariants {
    private DieVariants() {
    }

    /** Flash of a part as an offset from the die's flash base and a length. */
    record Range(long offset, long bytes) {
        boolean holds(long fromOffset, long toOffset) {
            return fromOffset >= offset && toOffset <= offset + bytes;
        }
    }

    /**
     * A smaller part and where its flash is. Usually one block from the base, but a dual-bank part
     * keeps the die's bank-2 address: an STM32H743xG has 512 KB at 0x08000000 and 512 KB at 0x08100000
     * (docs/reference/stm32.md §4.1 [V]), so a write at 0x08100000 is fine there.
     */
    record Part(String name, List<Range> flash) {
        Part(String name, long bytes) {
            this(name, List.of(new Range(0, bytes)));
        }

        long bytes() {
            return flash.stream().mapToLong(Range::bytes).sum();
        }

        /** True when [from, to) (offsets from the flash base) lies in this part's flash. */
        boolean holds(long fromOffset, long toOffset) {
            return flash.stream().anyMatch(r -> r.holds(fromOffset, toOffset));
        }

        String describe() {
            long bytes = bytes();
            return bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0
                    ? name + " (" + bytes / (1024 * 1024) + " MiB)" : name + " (" + bytes / 1024 + " KiB)";
        }
    }

    private static final long KIB = 1024;

    /** Two banks of {@code half} bytes, bank 2 at the die's bank-2 offset. */
    private static Part dualBank(String name, long half, long bank2Offset) {
        return new Part(name, List.of(new Range(0, half), new Range(bank2Offset, half)));
    }

    private static final Map<String, List<Part>> SMALLER = Map.of(
            "stm32f072", List.of(new Part("STM32F071x8/F072x8", 64 * KIB)),
            "stm32f405", List.of(new Part("STM32F405xE/F407xE", 512 * KIB)),
            "stm32f429", List.of(new Part("STM32F427xG/F429xG", 1024 * KIB)),
            "stm32f446", List.of(new Part("STM32F446xC", 256 * KIB)),
            "stm32f722", List.of(new Part("STM32F722xC/F723xC", 256 * KIB)),
            "stm32f746", List.of(new Part("STM32F745xE/F746xE", 512 * KIB), new Part("STM32F750x8", 64 * KIB)),
            "stm32f767", List.of(new Part("STM32F765xG/F767xG", 1024 * KIB)),
            "stm32h743", List.of(new Part("STM32H750xB", 128 * KIB), dualBank("STM32H742xG/H743xG", 512 * KIB, 1024 * KIB)),
            "stm32h7a3", List.of(new Part("STM32H7B0xB", 128 * KIB),
                    dualBank("STM32H7A3xG", 512 * KIB, 1024 * KIB) /* [U] by analogy with the H743xG */),
            "stm32h723", List.of(new Part("STM32H730xB", 128 * KIB), new Part("STM32H723xE/H725xE", 512 * KIB)));

    /**
     * True when {@code text} names {@code part}: any of its "/"-separated names, case ignored, with or
     * without the "STM32" prefix ("h750xb", "STM32H743xG").
     */
    static boolean matches(Part part, String text) {
        String want = strip(text);
        for (String n : part.name().split("/")) {
            if (strip(n).equals(want)) {
                return true;
            }
        }
        return false;
    }

    private static String strip(String s) {
        String t = s.strip().toUpperCase(java.util.Locale.ROOT);
        return t.startsWith("STM32") ? t.substring(5) : t;
    }

    /** The smaller parts on this line's die (empty: none known). */
    static List<Part> of(String chipId) {
        return SMALLER.getOrDefault(chipId, List.of());
    }
}
