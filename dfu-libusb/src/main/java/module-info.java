/**
 * libusb transports for dfu4j: discovery, selection, DFU transports and diagnostics over the
 * system libusb-1.0 (JNA) or usb4java.
 *
 * <p>usb4java 1.3.0 is optional ({@code requires static}) and must be on the class path, not the
 * module path: its native loader cannot find its libraries inside modules. The module then reads
 * the unnamed module by itself (see {@code io.github.dfu4j.libusb.usb4java.ModuleAccess}).
 */
module io.github.dfu4j.libusb {
    requires transitive io.github.dfu4j.api;
    requires org.slf4j;
    requires com.sun.jna;
    requires static usb4java;

    exports io.github.dfu4j.libusb;

    // JNA instantiates SsizeT (an IntegerType) reflectively
    opens io.github.dfu4j.libusb.jna to com.sun.jna;
}
