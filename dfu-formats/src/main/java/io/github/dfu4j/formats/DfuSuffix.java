package io.github.dfu4j.formats;

/**
 * The 16-byte DFU file suffix metadata (DFU 1.1 appendix B): which device a file is for.
 * 0xFFFF in any id field is a wildcard.
 *
 * @param bcdDevice firmware release the file targets, 0xFFFF = any
 * @param idProduct USB product id, 0xFFFF = any
 * @param idVendor  USB vendor id, 0xFFFF = any
 * @param bcdDfu    0x0100 (DFU 1.0) or 0x0110 (DFU 1.1) for a plain DFU file, 0x011A for a DfuSe file;
 *                  the readers refuse any other value in a file
 */
public record DfuSuffix(int bcdDevice, int idProduct, int idVendor, int bcdDfu) {
    /**
     * The id value 0xFFFF that matches any device or release in {@code bcdDevice}, {@code idProduct} and {@code idVendor}.
     */
    public static final int WILDCARD = 0xFFFF;
    /** bcdDFU 0x0100 of a plain DFU file, the value DFU 1.1 appendix B gives. */
    public static final int BCD_DFU_PLAIN = 0x0100;
    /** bcdDFU of a DFU 1.1 file; readers accept it like {@link #BCD_DFU_PLAIN}. */
    public static final int BCD_DFU_1_1 = 0x0110;
    /** bcdDFU 0x011A of an ST DfuSe file (UM0391); its suffix follows a DfuSe prefix and targets. */
    public static final int BCD_DFU_DFUSE = 0x011A;

    /**
     * Checks that every field fits its 16 bits; any 16-bit {@code bcdDfu} is accepted here (the readers
     * are the ones that refuse unknown values in a file).
     *
     * @param bcdDevice firmware release the file targets, 0xFFFF = any
     * @param idProduct USB product id, 0xFFFF = any
     * @param idVendor  USB vendor id, 0xFFFF = any
     * @param bcdDfu    0x0100 (DFU 1.0) or 0x0110 (DFU 1.1) for a plain DFU file, 0x011A for a DfuSe file;
     *                  the readers refuse any other value in a file
     * @throws IllegalArgumentException when a field is negative or above 0xFFFF
     */
    public DfuSuffix {
        check("bcdDevice", bcdDevice);
        check("idProduct", idProduct);
        check("idVendor", idVendor);
        check("bcdDFU", bcdDfu);
    }

    private static void check(String field, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(field + " must fit 16 bits: " + value);
        }
    }

    /**
     * The suffix ST tools write for a DfuSe file for the STM32 ROM bootloader (0483:df11).
     *
     * @param idVendor  the device's USB vendor id, e.g. 0x0483
     * @param idProduct the device's USB product id in DFU mode, e.g. 0xDF11
     * @return a suffix with bcdDevice 0xFFFF (any) and bcdDFU {@link #BCD_DFU_DFUSE}
     * @throws IllegalArgumentException when an id does not fit 16 bits
     */
    public static DfuSuffix dfuse(int idVendor, int idProduct) {
        return new DfuSuffix(WILDCARD, idProduct, idVendor, BCD_DFU_DFUSE);
    }

    /**
     * True when this file may be written to a device with the given identity.
     *
     * @param vendor  the device's idVendor
     * @param product the device's idProduct
     * @return {@code true} when each id of this suffix is the wildcard or equal to the device's
     */
    public boolean matches(int vendor, int product) {
        return (idVendor == WILDCARD || idVendor == vendor) && (idProduct == WILDCARD || idProduct == product);
    }
}
