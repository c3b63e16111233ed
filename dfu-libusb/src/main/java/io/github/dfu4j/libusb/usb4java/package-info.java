/**
 * Internal: libusb through usb4java 1.3.0 ({@link io.github.dfu4j.libusb.usb4java.Usb4javaUsbBus}), the
 * fallback when the system libusb cannot be loaded. Class path only; no Apple Silicon natives.
 */
package io.github.dfu4j.libusb.usb4java;
