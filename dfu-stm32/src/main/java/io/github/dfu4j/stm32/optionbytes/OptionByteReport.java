package io.github.dfu4j.stm32.optionbytes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decoded option bytes: every field of the layout with its value, and the complement checks.
 * Produced by {@link OptionByteLayout#decode}.
 *
 * <pre>{@code
 * OptionByteLayout layout = OptionByteLayouts.forChip("stm32f405").orElseThrow();
 * OptionByteReport r = layout.decode(OptionByteProgrammer.read(device, layout), "my board");
 * r.fields().forEach(f -> System.out.println(f.name() + " = " + f.formatted()));
 * }</pre>
 *
 * @param layout           the layout used
 * @param image            the raw bytes
 * @param fields           one reading per layout field, in table order
 * @param complementErrors value/complement pairs that do not match (empty for a valid block)
 */
public record OptionByteReport(OptionByteLayout layout, OptionByteImage image, List<FieldReading> fields,
                               List<ComplementMismatch> complementErrors) {
    public OptionByteReport {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(image, "image");
        fields = List.copyOf(fields);
        complementErrors = List.copyOf(complementErrors);
    }

    /** The reading of a field (case-insensitive name). */
    public Optional<FieldReading> reading(String name) {
        return fields.stream().filter(f -> f.name().equalsIgnoreCase(name)).findFirst();
    }

    /** The value of a field that the layout must have. */
    public long value(String name) {
        return reading(name).orElseThrow(() -> new IllegalArgumentException(layout.chipId() + " has no option-byte field " + name))
                .value();
    }

    /** Field name to value, in table order: what {@link OptionByteLayout#encode} takes. */
    public Map<String, Long> values() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (FieldReading f : fields) {
            out.put(f.name(), f.value());
        }
        return out;
    }

    /** The RDP byte. */
    public int rdpByte() {
        return (int) value(layout.rdpField().name());
    }

    /** Read-protection level 0, 1 or 2. */
    public int rdpLevel() {
        return ReadProtection.level(rdpByte());
    }

    /** True when every complement matches. */
    public boolean complementsValid() {
        return complementErrors.isEmpty();
    }

    /** What the chip boots after a reset with the BOOT0 pin as given. */
    public BootTarget bootTarget(boolean boot0High) {
        return layout.boot().target(this, boot0High);
    }

    /**
     * A field's value in decoded option bytes.
     *
     * @param field the field
     * @param value its raw value
     */
    public record FieldReading(OptionByteField field, long value) {
        public FieldReading {
            Objects.requireNonNull(field, "field");
            if (value < 0 || value > field.location().maxValue()) {
                throw new IllegalArgumentException(field.name() + ": value " + value + " out of range");
            }
        }

        /** The field's name as the layout spells it, e.g. {@code "RDP"} (same as {@code field().name()}). */
        public String name() {
            return field.name();
        }

        /** What the value means, one line. */
        public String meaning() {
            return field.meaning(value);
        }

        /** The value as a listing shows it. */
        public String formatted() {
            return field.format(value);
        }
    }

    /**
     * A value byte whose complement byte does not match: the chip reports an option-byte error and
     * uses defaults for it.
     *
     * @param block       block index
     * @param valueOffset offset of the value byte
     * @param value       the value byte
     * @param complement  the byte found where its complement belongs
     */
    public record ComplementMismatch(int block, int valueOffset, int value, int complement) {
        /** One line, e.g. {@code block 0 offset 0: 0xAA with complement 0x00 (expected 0x55)}. */
        @Override
        public String toString() {
            return String.format("block %d offset %d: 0x%02X with complement 0x%02X (expected 0x%02X)", block, valueOffset,
                    value, complement, ~value & 0xFF);
        }
    }
}
