package io.github.dfu4j.stm32.optionbytes;

import io.github.dfu4j.stm32.Evidence;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One named field of the option bytes, as data: the name the reference manual uses (e.g.
 * {@code nBOOT0}, {@code BOR_LEV}, {@code BOOT_ADD0}), where it lives, and what its values mean.
 *
 * @param name         reference-manual name, matched case-insensitively on input
 * @param description  one line: what the field controls
 * @param location     bits in the option-byte blocks
 * @param kind         how values are interpreted
 * @param values       named values (for {@link FieldKind#READ_PROTECTION} the canonical level bytes)
 * @param addressShift for {@link FieldKind#BOOT_ADDRESS}: address = value &lt;&lt; addressShift; else 0
 * @param evidence     how well the field's position is backed (fact-sheet tag)
 * @param note         caveat shown with the field (availability per part, unverified facts), may be empty
 */
public record OptionByteField(String name, String description, FieldLocation location, FieldKind kind,
                              List<NamedValue> values, int addressShift, Evidence evidence, String note) {
    public OptionByteField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(kind, "kind");
        values = List.copyOf(values);
        Objects.requireNonNull(evidence, "evidence");
        Objects.requireNonNull(note, "note");
        if (name.isBlank() || name.contains("=") || name.contains(" ")) {
            throw new IllegalArgumentException("field name must be one word without '=': '" + name + "'");
        }
        for (NamedValue v : values) {
            if (v.value() > location.maxValue()) {
                throw new IllegalArgumentException(name + ": named value " + v.name() + " does not fit " + location.width() + " bit(s)");
            }
        }
        if (kind == FieldKind.READ_PROTECTION && location.width() != 8) {
            throw new IllegalArgumentException(name + ": the RDP field is one byte");
        }
        if ((kind == FieldKind.BOOT_ADDRESS) != (addressShift > 0)) {
            throw new IllegalArgumentException(name + ": addressShift is for BOOT_ADDRESS fields only");
        }
    }

    /** The named value with this raw value, if any. */
    public Optional<NamedValue> named(long value) {
        return values.stream().filter(v -> v.value() == value).findFirst();
    }

    /** The named value called {@code text} (case-insensitive), if any. */
    public Optional<NamedValue> byName(String text) {
        return values.stream().filter(v -> v.name().equalsIgnoreCase(text)).findFirst();
    }

    /** What a raw value means, in one line. */
    public String meaning(long value) {
        return switch (kind) {
            case READ_PROTECTION -> {
                int level = ReadProtection.level((int) value);
                yield "LEVEL" + level + ": " + ReadProtection.describeLevel(level);
            }
            case BOOT_ADDRESS -> {
                long address = value << addressShift;
                yield String.format("boot address 0x%08x", address);
            }
            case WRITE_PROTECTION -> {
                long protectedBits = ~value & location.maxValue();
                yield protectedBits == 0 ? "no sector write-protected"
                        : "write-protected (bit = 0): " + bitList(protectedBits);
            }
            case USER_DATA -> "user data";
            default -> named(value).map(v -> v.name() + ": " + v.meaning()).orElse("value without a name in the reference manual");
        };
    }

    private static String bitList(long bits) {
        StringBuilder sb = new StringBuilder(Long.bitCount(bits) == 1 ? "bit " : "bits ");
        String sep = "";
        for (int i = 0; i < 64; i++) {
            if ((bits >>> i & 1) != 0) {
                sb.append(sep).append(i);
                sep = ", ";
            }
        }
        return sb.toString();
    }

    /** The value formatted for a listing: hex for bytes, addresses and masks, decimal for flags and choices. */
    public String format(long value) {
        return switch (kind) {
            case FLAG, CHOICE -> Long.toString(value);
            default -> "0x" + Long.toHexString(value).toUpperCase(Locale.ROOT);
        };
    }
}
