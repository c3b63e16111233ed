package io.github.dfu4j.libusb;

import io.github.dfu4j.libusb.DeviceFilter.Field;

/**
 * A vendor/product ID pattern.
 *
 * @param vendorId  16-bit ID, {@link #ANY_ID} or {@link #NO_ID}
 * @param productId 16-bit ID, {@link #ANY_ID} or {@link #NO_ID}
 */
record UsbIds(int vendorId, int productId) {
    /** Matches every ID ({@code *} or empty). */
    public static final int ANY_ID = -1;
    /** Matches no ID ({@code -}); dfu-util's way to exclude a mode. */
    public static final int NO_ID = 0x10000;
    public static final UsbIds ANY = new UsbIds(ANY_ID, ANY_ID);
    public static final UsbIds NONE = new UsbIds(NO_ID, NO_ID);

    public UsbIds {
        if (!valid(vendorId) || !valid(productId)) {
            throw new IllegalArgumentException("ids must be 0..0xffff, ANY_ID or NO_ID");
        }
    }

    private static boolean valid(int id) {
        return id == ANY_ID || id == NO_ID || (id >= 0 && id <= 0xFFFF);
    }

    public boolean matches(int vendor, int product) {
        return (vendorId == ANY_ID || vendorId == vendor) && (productId == ANY_ID || productId == product);
    }

    static UsbIds parse(Field option, String whole, int base, String pair) {
        if (pair.equals("-")) {
            return NONE;
        }
        if (pair.equals("*")) {
            return ANY;
        }
        int colon = pair.indexOf(':');
        if (colon < 0) {
            throw new DeviceFilterSyntaxException(option, whole, base + pair.length(),
                    "expected VID:PID (hexadecimal, '*' for any), e.g. 0483:df11");
        }
        return new UsbIds(id(option, whole, base, pair.substring(0, colon), "vendor"),
                id(option, whole, base + colon + 1, pair.substring(colon + 1), "product"));
    }

    private static int id(Field option, String whole, int offset, String text, String what) {
        if (text.isEmpty() || text.equals("*")) {
            return ANY_ID;
        }
        if (text.equals("-")) {
            return NO_ID;
        }
        String digits = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        if (digits.isEmpty() || digits.length() > 4) {
            throw new DeviceFilterSyntaxException(option, whole, offset,
                    what + " id \"" + text + "\" is not a 16-bit hexadecimal number");
        }
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), 16) < 0) {
                throw new DeviceFilterSyntaxException(option, whole, offset + (text.length() - digits.length()) + i,
                        what + " id \"" + text + "\" is not a hexadecimal number");
            }
        }
        return Integer.parseInt(digits, 16);
    }

    @Override
    public String toString() {
        if (this.equals(NONE)) {
            return "-";
        }
        return part(vendorId) + ":" + part(productId);
    }

    private static String part(int id) {
        return id == ANY_ID ? "*" : id == NO_ID ? "-" : String.format("%04x", id);
    }
}
