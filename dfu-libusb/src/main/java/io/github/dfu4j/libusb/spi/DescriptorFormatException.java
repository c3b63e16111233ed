package io.github.dfu4j.libusb.spi;

import java.io.IOException;

/**
 * A USB descriptor that does not follow the USB 2.0 chapter 9 rules, with where it came from and
 * the byte offset of the problem, e.g. {@code "config descriptor of 0483:df11: offset 27: bLength 0"}.
 */
public final class DescriptorFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int offset;

    public DescriptorFormatException(String source, int offset, String reason) {
        super(source + ": offset " + offset + ": " + reason);
        this.source = source;
        this.offset = offset;
    }

    public String source() {
        return source;
    }

    public int offset() {
        return offset;
    }
}
