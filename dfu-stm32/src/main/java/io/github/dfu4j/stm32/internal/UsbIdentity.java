package io.github.dfu4j.stm32.internal;

import io.github.dfu4j.stm32.Evidence;

import java.util.Objects;

/**
 * What a bootloader reports in its USB device descriptor and strings.
 *
 * @param vendorId       idVendor (0x0483 on every ST ROM and on mboot by default)
 * @param productId      idProduct (0xDF11)
 * @param bcdUsb         bcdUSB: 0x0100 on F4-class ROMs, 0x0200 on H7 ROMs and mboot
 * @param bcdDevice      bcdDevice: 0x2200 F0/F4/F7 ROMs, 0x0200 H7 ROMs, 0x0300 mboot
 * @param manufacturer   iManufacturer string
 * @param product        iProduct string, padding spaces included ("STM32  BOOTLOADER")
 * @param iConfiguration string index of the configuration (the H7 ROM reports 2), 0 for none
 * @param evidence       how well the identity is backed
 */
public record UsbIdentity(int vendorId, int productId, int bcdUsb, int bcdDevice, String manufacturer, String product,
                          int iConfiguration, Evidence evidence) {
    public UsbIdentity {
        Objects.requireNonNull(manufacturer, "manufacturer");
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(evidence, "evidence");
        for (int v : new int[] {vendorId, productId, bcdUsb, bcdDevice}) {
            if (v < 0 || v > 0xFFFF) {
                throw new IllegalArgumentException("16-bit field out of range: " + v);
            }
        }
    }
}
