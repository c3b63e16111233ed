package io.github.dfu4j.libusb;

/**
 * A device filter criterion that cannot be parsed, naming the criterion ({@link DeviceFilter.Field}), its
 * value and the offset of the problem: {@code VID:PID "0483:xyz": offset 5: product id "xyz" is not a
 * hexadecimal number}. A CLI words it with its own option name from {@link #field()} and {@link #reason()}.
 */
public final class DeviceFilterSyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Serialized: the malformed criterion. */
    private final DeviceFilter.Field field;
    /** Serialized: the whole value as given. */
    private final String value;
    /** Serialized: the offset of the problem in the value. */
    private final int offset;
    /** Serialized: what is wrong, without criterion and value. */
    private final String reason;

    /**
     * A malformed criterion; the message is {@code <field label> "<value>": offset <n>: <reason>}.
     *
     * @param field  the criterion whose value is malformed, not {@code null}
     * @param value  the whole value as given
     * @param offset the 0-based character offset of the problem in {@code value}
     * @param reason what is wrong there, without the criterion and value
     * @throws NullPointerException when {@code field} is {@code null}
     */
    public DeviceFilterSyntaxException(DeviceFilter.Field field, String value, int offset, String reason) {
        super(field.label() + " \"" + value + "\": offset " + offset + ": " + reason);
        this.field = field;
        this.value = value;
        this.offset = offset;
        this.reason = reason;
    }

    /**
     * The criterion whose value is malformed.
     *
     * @return the field, never {@code null}
     */
    public DeviceFilter.Field field() {
        return field;
    }

    /**
     * The whole malformed value as the caller gave it, e.g. {@code "0483:xyz"}.
     *
     * @return the value
     */
    public String value() {
        return value;
    }

    /**
     * Character offset of the problem in {@link #value()}.
     *
     * @return the offset, 0 or more
     */
    public int offset() {
        return offset;
    }

    /**
     * What is wrong at {@link #offset()}, without the criterion and value.
     *
     * @return the reason, e.g. {@code product id "xyz" is not a hexadecimal number}
     */
    public String reason() {
        return reason;
    }
}
