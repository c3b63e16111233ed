package io.github.dfu4j.libusb.spi;

import java.util.Arrays;

/**
 * One alternate setting of one interface (USB 2.0 §9.6.5), plus the class-specific descriptors
 * that follow it before its first endpoint ({@code extra} in libusb terms: where a DFU functional
 * descriptor usually sits).
 *
 * @param interfaceNumber   bInterfaceNumber
 * @param alternateSetting  bAlternateSetting
 * @param interfaceClass    bInterfaceClass (0xFE = application specific)
 * @param interfaceSubClass bInterfaceSubClass (0x01 = DFU under class 0xFE)
 * @param interfaceProtocol bInterfaceProtocol (DFU: 1 run-time, 2 DFU mode)
 * @param interfaceIndex    iInterface string index (DfuSe: the memory-layout string)
 * @param numEndpoints      bNumEndpoints
 * @param extra             the extra descriptor bytes, never null; defensively copied
 */
public record InterfaceAltDescriptor(int interfaceNumber, int alternateSetting, int interfaceClass,
                                     int interfaceSubClass, int interfaceProtocol, int interfaceIndex,
                                     int numEndpoints, byte[] extra) {

    public static final int DFU_CLASS = 0xFE;
    public static final int DFU_SUBCLASS = 0x01;

    public InterfaceAltDescriptor {
        extra = extra.clone();
    }

    @Override
    public byte[] extra() {
        return extra.clone();
    }

    /** Class 0xFE subclass 0x01: a DFU interface (run-time or DFU mode). */
    public boolean isDfu() {
        return interfaceClass == DFU_CLASS && interfaceSubClass == DFU_SUBCLASS;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InterfaceAltDescriptor d && d.interfaceNumber == interfaceNumber
                && d.alternateSetting == alternateSetting && d.interfaceClass == interfaceClass
                && d.interfaceSubClass == interfaceSubClass && d.interfaceProtocol == interfaceProtocol
                && d.interfaceIndex == interfaceIndex && d.numEndpoints == numEndpoints
                && Arrays.equals(d.extra, extra);
    }

    @Override
    public int hashCode() {
        return 31 * (interfaceNumber * 256 + alternateSetting) + Arrays.hashCode(extra);
    }

    @Override
    public String toString() {
        return String.format("InterfaceAlt[if=%d alt=%d class=%02x/%02x/%02x iInterface=%d extra=%d bytes]",
                interfaceNumber, alternateSetting, interfaceClass, interfaceSubClass, interfaceProtocol,
                interfaceIndex, extra.length);
    }
}
