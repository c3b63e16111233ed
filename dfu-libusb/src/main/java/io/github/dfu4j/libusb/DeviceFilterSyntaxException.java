package io.github.dfu4j.libusb;

/**
 * A device filter option that cannot be parsed, naming the option, its value and the offset of the
 * problem: {@code --device "0483:xyz": offset 5: product id "xyz" is not a hexadecimal number}.
 */
public final class DeviceFilterSyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String option;
    private final String value;
    private final int offset;

    public DeviceFilterSyntaxException(String option, String value, int offset, String reason) {
        super(option + " \"" + value + "\": offset " + offset + ": " + reason);
        this.option = option;
        this.value = value;
        this.offset = offset;
    }

    /** The option, e.g. "--device". */
    public String option() {
        return option;
    }

    public String value() {
        return value;
    }

    /** Character offset of the problem in {@link #value()}. */
    public int offset() {
        return offset;
    }
}
