package io.github.dfu4j.libusb;

/** Where discovery found the DFU functional descriptor; devices disagree about where it belongs. */
public enum FunctionalDescriptorSource {
    /** Among the descriptors following the configuration header (before the first interface). */
    CONFIGURATION_EXTRA,
    /** Among the descriptors following one of the DFU interface's alternate settings (the usual place). */
    INTERFACE_EXTRA,
    /** Not in the configuration; fetched with GET_DESCRIPTOR(0x21) from the opened device. */
    GET_DESCRIPTOR,
    /** Nowhere: the device is treated as DFU 1.0 with an unknown transfer size. */
    NONE
}
