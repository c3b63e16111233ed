/**
 * Internal: the system libusb-1.0 through JNA ({@link io.github.dfu4j.libusb.jna.JnaUsbBus}). Works on
 * the module path and on every platform with a libusb build, including Apple Silicon. Structs are
 * read by explicit C offsets ({@code CStructLayout}), not through JNA's reflective Structure.
 */
package io.github.dfu4j.libusb.jna;
