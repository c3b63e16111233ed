package io.github.dfu4j.libusb;

/** Which side of DFU a device's DFU interface is on (DFU 1.1 §4.1 / §4.2). */
public enum DfuMode {
    /** bInterfaceProtocol 1: the application is running and offers DETACH to enter DFU mode. */
    RUNTIME,
    /** bInterfaceProtocol 2 (or 0 on ST DfuSe devices): the bootloader is running. */
    DFU
}
