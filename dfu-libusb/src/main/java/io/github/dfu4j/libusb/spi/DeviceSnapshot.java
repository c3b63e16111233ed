package io.github.dfu4j.libusb.spi;

import java.util.List;

/** One {@code libusb_get_device_list} result; closing it frees the list and unreferences the devices. */
public interface DeviceSnapshot extends AutoCloseable {

    List<UsbDeviceRef> devices();

    /** Idempotent. */
    @Override
    void close();
}
