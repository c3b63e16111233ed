package io.github.dfu4j.libusb;

import java.util.Locale;

/**
 * Which libusb binding to use.
 *
 * <pre>{@code
 * try (UsbBackend usb = UsbBackends.open(BackendChoice.parse("jna"))) { ... }
 * }</pre>
 */
public enum BackendChoice {
    /** The system libusb through JNA when it loads, else usb4java. */
    AUTO,
    /** The system libusb-1.0 through JNA. */
    JNA,
    /** usb4java 1.3.0 with its bundled libusb (class path only; no Apple Silicon). */
    USB4JAVA;

    /**
     * Parses "auto", "jna" or "usb4java" (any case).
     *
     * @param text the name in any case, surrounding blanks ignored; empty means AUTO, and "libusb" or "system" also mean JNA
     * @throws IllegalArgumentException naming the accepted values
     * @return the choice
     */
    public static BackendChoice parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "auto", "" -> AUTO;
            case "jna", "libusb", "system" -> JNA;
            case "usb4java" -> USB4JAVA;
            default -> throw new IllegalArgumentException("USB backend \"" + text
                    + "\" is not one of auto, jna, usb4java");
        };
    }

    /**
     * The choice in system property {@value UsbBackends#BACKEND_PROPERTY}, AUTO when unset.
     *
     * @return the choice the property names
     * @throws IllegalArgumentException when the property names no backend
     */
    public static BackendChoice fromSystemProperty() {
        String value = System.getProperty(UsbBackends.BACKEND_PROPERTY);
        if (value == null) {
            return AUTO;
        }
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-D" + UsbBackends.BACKEND_PROPERTY + "=" + value
                    + ": not one of auto, jna, usb4java", e);
        }
    }
}
