package io.github.dfu4j.stm32.optionbytes;

import java.util.Objects;

/**
 * One field that a write changes.
 *
 * @param field  the field
 * @param before current value
 * @param after  value after the write
 */
public record FieldChange(OptionByteField field, long before, long after) {
    public FieldChange {
        Objects.requireNonNull(field, "field");
    }

    /** {@code BOOT_SEL 0 -> 1 (BOOT0_PIN: the BOOT0 pin selects the boot mode)} */
    @Override
    public String toString() {
        return field.name() + " " + field.format(before) + " -> " + field.format(after) + " (" + field.meaning(after) + ")";
    }
}
