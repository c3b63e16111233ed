package io.github.dfu4j.transport;

import java.util.Objects;

/**
 * What identifies an opened USB device.
 *
 * @param vendorId     idVendor
 * @param productId    idProduct
 * @param bcdDevice    device release number
 * @param manufacturer iManufacturer string, empty when none
 * @param product      iProduct string, empty when none
 * @param serial       iSerialNumber string, empty when none
 * @param path         where the device sits, e.g. "1-2.3" (bus-port path) or "sim:stm32f405"
 * @param dfuMode      true when the DFU interface is in DFU mode (protocol 2), false in run-time mode
 */
public record DeviceInfo(int vendorId, int productId, int bcdDevice, String manufacturer, String product,
                         String serial, String path, boolean dfuMode) {
    /**
     * Checks that the strings are present; an unknown string is {@code ""}, never {@code null}.
     *
     * @param vendorId     idVendor
     * @param productId    idProduct
     * @param bcdDevice    device release number
     * @param manufacturer iManufacturer string, empty when none
     * @param product      iProduct string, empty when none
     * @param serial       iSerialNumber string, empty when none
     * @param path         where the device sits, e.g. "1-2.3" (bus-port path) or "sim:stm32f405"
     * @param dfuMode      true when the DFU interface is in DFU mode (protocol 2), false in run-time mode
     * @throws NullPointerException when {@code manufacturer}, {@code product}, {@code serial} or {@code path} is {@code null}
     */
    public DeviceInfo {
        Objects.requireNonNull(manufacturer, "manufacturer");
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(path, "path");
    }

    /**
     * "0483:df11"
     *
     * @return {@code vvvv:pppp} in lower-case hex, e.g. {@code 0483:df11}
     */
    public String vidPid() {
        // concatenated, not String.format: it runs before a device's first request, and the first
        // String.format of a process loads the Formatter and its regexes (start-up, issue 11)
        return hex4(vendorId) + ":" + hex4(productId);
    }

    /** {@code String.format("%04x", v)}. */
    private static String hex4(int v) {
        String h = Integer.toHexString(v);
        return h.length() >= 4 ? h : "0000".substring(h.length()) + h;
    }
}
