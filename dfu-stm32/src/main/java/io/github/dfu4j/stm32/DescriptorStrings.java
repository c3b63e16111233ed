package io.github.dfu4j.stm32;

import io.github.dfu4j.layout.LayoutFormatException;
import io.github.dfu4j.layout.MemoryLayout;
import io.github.dfu4j.ops.LeaveMode;
import io.github.dfu4j.stm32.internal.ChipProfile;
import java.util.ArrayList;
import java.util.List;

/**
 * The string side of {@link Stm32Identifier}: comparing the layout strings a bootloader reports with the
 * table's (exactly, parsed, or ignoring the type letters older ROMs get wrong), cleaning ROM strings,
 * and naming how two chip lines differ in protocol. Pure functions; the table rows are in
 * {@link RomSignatures} and {@code Stm32Profiles}.
 */
final class DescriptorStrings {
    private DescriptorStrings() {
    }

    static String firstZone(String layout) {
        int second = layout.indexOf("/0x", layout.indexOf("/0x") + 3);
        return second < 0 ? layout : layout.substring(0, second);
    }

    static boolean sameLayout(String a, String b) {
        if (a.equals(b)) {
            return true; // the common case (the ROM's string is the table's): no parsing
        }
        try {
            MemoryLayout x = MemoryLayout.parse(a);
            MemoryLayout y = MemoryLayout.parse(b);
            return x.name().equals(y.name()) && x.regions().equals(y.regions());
        } catch (LayoutFormatException e) {
            return false;
        }
    }

    /** Equal but for the type letters (the older F4 ROM types every alt 'g'). */
    static boolean sameIgnoringType(String a, String b) {
        try {
            MemoryLayout x = MemoryLayout.parse(a);
            MemoryLayout y = MemoryLayout.parse(b);
            if (!x.trimmedName().equals(y.trimmedName()) || x.regions().size() != y.regions().size()) {
                return false;
            }
            for (int i = 0; i < x.regions().size(); i++) {
                var r = x.regions().get(i);
                var s = y.regions().get(i);
                if (r.start() != s.start() || r.count() != s.count() || r.sectorSize() != s.sectorSize()) {
                    return false;
                }
            }
            return true;
        } catch (LayoutFormatException e) {
            return false;
        }
    }

    static String describe(LeaveMode b) {
        return b.name().toLowerCase().replace('_', ' ');
    }

    static List<String> protocolDifferences(ChipProfile a, ChipProfile b) {
        List<String> out = new ArrayList<>();
        if (a.leave() != b.leave()) {
            out.add("leave (" + DescriptorStrings.describe(a.leave()) + " vs " + DescriptorStrings.describe(b.leave()) + ")");
        }
        if (a.rom().transferSize() != b.rom().transferSize()) {
            out.add("wTransferSize");
        }
        if (a.rom().busy() != b.rom().busy()) {
            out.add("busy behaviour");
        }
        if (a.programming().unitBytes() != b.programming().unitBytes()) {
            out.add("programming unit");
        }
        return out;
    }

    /** ROM strings can carry trailing NULs or blanks after the last zone; names keep their inner padding. */
    static String clean(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\0' || s.charAt(end - 1) == ' ')) {
            end--;
        }
        return s.substring(0, end);
    }
}
