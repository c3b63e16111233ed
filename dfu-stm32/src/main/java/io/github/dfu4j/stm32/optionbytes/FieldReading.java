package io.github.dfu4j.stm32.optionbytes;

import java.util.Objects;

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
