package io.github.dfu4j.libusb.jna;

/**
 * The libusb.h structs dfu4j reads, for one pointer size. Field names are the C names.
 *
 * @param config    struct libusb_config_descriptor
 * @param iface     struct libusb_interface
 * @param altDesc   struct libusb_interface_descriptor
 * @param endpoint  struct libusb_endpoint_descriptor
 * @param version   struct libusb_version
 */
record LibusbLayouts(CStructLayout config, CStructLayout iface, CStructLayout altDesc, CStructLayout endpoint,
                     CStructLayout version) {

    /** struct libusb_device_descriptor has only 8/16-bit fields: 18 bytes, wire order, no padding. */
    static final int DEVICE_DESCRIPTOR_SIZE = 18;

    static LibusbLayouts forPointerSize(int pointerSize) {
        CStructLayout config = CStructLayout.struct("libusb_config_descriptor", pointerSize)
                .u8("bLength").u8("bDescriptorType").u16("wTotalLength").u8("bNumInterfaces")
                .u8("bConfigurationValue").u8("iConfiguration").u8("bmAttributes").u8("MaxPower")
                .pointer("interface").pointer("extra").i32("extra_length").build();
        CStructLayout iface = CStructLayout.struct("libusb_interface", pointerSize)
                .pointer("altsetting").i32("num_altsetting").build();
        CStructLayout altDesc = CStructLayout.struct("libusb_interface_descriptor", pointerSize)
                .u8("bLength").u8("bDescriptorType").u8("bInterfaceNumber").u8("bAlternateSetting")
                .u8("bNumEndpoints").u8("bInterfaceClass").u8("bInterfaceSubClass").u8("bInterfaceProtocol")
                .u8("iInterface").pointer("endpoint").pointer("extra").i32("extra_length").build();
        CStructLayout endpoint = CStructLayout.struct("libusb_endpoint_descriptor", pointerSize)
                .u8("bLength").u8("bDescriptorType").u8("bEndpointAddress").u8("bmAttributes")
                .u16("wMaxPacketSize").u8("bInterval").u8("bRefresh").u8("bSynchAddress")
                .pointer("extra").i32("extra_length").build();
        CStructLayout version = CStructLayout.struct("libusb_version", pointerSize)
                .u16("major").u16("minor").u16("micro").u16("nano").pointer("rc").pointer("describe").build();
        return new LibusbLayouts(config, iface, altDesc, endpoint, version);
    }
}
