/**
 * Internal: the backend-neutral view of libusb that the JNA and usb4java bindings implement
 * ({@link io.github.dfu4j.libusb.spi.UsbBus}, {@link io.github.dfu4j.libusb.spi.UsbDeviceRef},
 * {@link io.github.dfu4j.libusb.spi.UsbHandle}), the libusb error table and the USB descriptor
 * parsers. Not exported from the module; not API.
 */
package io.github.dfu4j.libusb.spi;
