package io.github.dfu4j.libusb.spi;

import io.github.dfu4j.transport.TransportException;
import java.util.List;

/**
 * A device seen on the bus, not opened. Reading descriptors does not need access rights (libusb
 * serves them from the OS cache); {@link #open()} does.
 */
public interface UsbDeviceRef {

    /** libusb_get_bus_number. */
    int busNumber();

    /** libusb_get_device_address (changes on every re-enumeration). */
    int deviceAddress();

    /** libusb_get_port_numbers: hub ports from the root hub down; stays the same across re-enumeration. */
    List<Integer> portNumbers();

    /** The cached device descriptor. */
    DeviceDescriptor deviceDescriptor() throws TransportException;

    /** Configuration {@code index} (0 .. bNumConfigurations-1), as libusb_get_config_descriptor parses it. */
    ConfigurationDescriptor configuration(int index) throws TransportException;

    /** libusb_open. */
    UsbHandle open() throws TransportException;

    /** "bus-port.port.port", the form dfu-util and libusb print, e.g. "1-2.3"; "bus-0" for a root hub. */
    static String path(int busNumber, List<Integer> ports) {
        StringBuilder b = new StringBuilder().append(busNumber).append('-');
        if (ports.isEmpty()) {
            return b.append('0').toString();
        }
        for (int i = 0; i < ports.size(); i++) {
            if (i > 0) {
                b.append('.');
            }
            b.append(ports.get(i));
        }
        return b.toString();
    }
}
