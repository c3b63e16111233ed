package io.github.dfu4j.stm32.optionbytes;

import java.util.Objects;

/**
 * A value of a field with its name as the reference manual / HAL writes it and what it does.
 *
 * @param value   raw field value
 * @param name    symbolic name accepted on the command line, e.g. {@code LEVEL0}
 * @param meaning one line, e.g. "no read protection"
 */
record NamedValue(long value, String name, String meaning) {
    public NamedValue {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(meaning, "meaning");
        if (value < 0) {
            throw new IllegalArgumentException("negative value " + value);
        }
    }
}
