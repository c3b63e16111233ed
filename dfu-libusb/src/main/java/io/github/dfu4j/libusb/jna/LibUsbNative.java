package io.github.dfu4j.libusb.jna;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The subset of libusb-1.0 (libusb.h, 1.0.16 or later) that dfu4j calls, mapped 1:1. Each method
 * carries its C prototype. {@code uint8_t}/{@code uint16_t} parameters are passed as Java
 * {@code byte}/{@code short} (same bits); callers mask results with 0xFF / 0xFFFF.
 */
interface LibUsbNative extends Library {

    // int libusb_init(libusb_context **ctx);
    int libusb_init(PointerByReference context);

    // void libusb_exit(libusb_context *ctx);
    void libusb_exit(Pointer context);

    // const struct libusb_version *libusb_get_version(void);
    Pointer libusb_get_version();

    // const char *libusb_error_name(int errcode);
    String libusb_error_name(int errorCode);

    // ssize_t libusb_get_device_list(libusb_context *ctx, libusb_device ***list);
    SsizeT libusb_get_device_list(Pointer context, PointerByReference list);

    // void libusb_free_device_list(libusb_device **list, int unref_devices);
    void libusb_free_device_list(Pointer list, int unrefDevices);

    // int libusb_get_device_descriptor(libusb_device *dev, struct libusb_device_descriptor *desc);
    int libusb_get_device_descriptor(Pointer device, Pointer descriptor);

    // int libusb_get_config_descriptor(libusb_device *dev, uint8_t config_index, struct libusb_config_descriptor **config);
    int libusb_get_config_descriptor(Pointer device, byte configIndex, PointerByReference config);

    // void libusb_free_config_descriptor(struct libusb_config_descriptor *config);
    void libusb_free_config_descriptor(Pointer config);

    // uint8_t libusb_get_bus_number(libusb_device *dev);
    byte libusb_get_bus_number(Pointer device);

    // uint8_t libusb_get_device_address(libusb_device *dev);
    byte libusb_get_device_address(Pointer device);

    // int libusb_get_port_numbers(libusb_device *dev, uint8_t *port_numbers, int port_numbers_len);
    int libusb_get_port_numbers(Pointer device, byte[] portNumbers, int length);

    // int libusb_open(libusb_device *dev, libusb_device_handle **dev_handle);
    int libusb_open(Pointer device, PointerByReference handle);

    // void libusb_close(libusb_device_handle *dev_handle);
    void libusb_close(Pointer handle);

    // int libusb_claim_interface(libusb_device_handle *dev_handle, int interface_number);
    int libusb_claim_interface(Pointer handle, int interfaceNumber);

    // int libusb_release_interface(libusb_device_handle *dev_handle, int interface_number);
    int libusb_release_interface(Pointer handle, int interfaceNumber);

    // int libusb_set_interface_alt_setting(libusb_device_handle *dev_handle, int interface_number, int alternate_setting);
    int libusb_set_interface_alt_setting(Pointer handle, int interfaceNumber, int alternateSetting);

    // int libusb_control_transfer(libusb_device_handle *dev_handle, uint8_t request_type, uint8_t bRequest,
    //     uint16_t wValue, uint16_t wIndex, unsigned char *data, uint16_t wLength, unsigned int timeout);
    int libusb_control_transfer(Pointer handle, byte requestType, byte request, short value, short index,
                                byte[] data, short length, int timeoutMillis);

    // int libusb_get_string_descriptor_ascii(libusb_device_handle *dev_handle, uint8_t desc_index, unsigned char *data, int length);
    int libusb_get_string_descriptor_ascii(Pointer handle, byte index, byte[] data, int length);

    // int libusb_reset_device(libusb_device_handle *dev_handle);
    int libusb_reset_device(Pointer handle);

    // int libusb_kernel_driver_active(libusb_device_handle *dev_handle, int interface_number);
    int libusb_kernel_driver_active(Pointer handle, int interfaceNumber);

    // int libusb_detach_kernel_driver(libusb_device_handle *dev_handle, int interface_number);
    int libusb_detach_kernel_driver(Pointer handle, int interfaceNumber);

    // int libusb_set_auto_detach_kernel_driver(libusb_device_handle *dev_handle, int enable);
    int libusb_set_auto_detach_kernel_driver(Pointer handle, int enable);
}
