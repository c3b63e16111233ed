/**
 * Real USB for dfu4j over libusb-1.0: {@link io.github.dfu4j.libusb.UsbBackends} opens a
 * {@link io.github.dfu4j.libusb.UsbBackend} (the system libusb through JNA, or usb4java), which
 * lists DFU devices as {@link io.github.dfu4j.libusb.DfuDeviceDescription}s, selects one with a
 * {@link io.github.dfu4j.libusb.DeviceFilter} (dfu-util's --device/--serial/--path/--alt), and
 * opens it as a {@link io.github.dfu4j.transport.DfuTransport}, switching run-time devices to DFU
 * mode on request. {@link io.github.dfu4j.libusb.DoctorReport#run()} explains why a device cannot be opened
 * ({@link io.github.dfu4j.libusb.UsbAdvice}).
 */
package io.github.dfu4j.libusb;
