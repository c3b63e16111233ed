package io.github.dfu4j.libusb.jna;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole of {@link LibUsbNative} through JNA direct mapping ({@code Native.register}): static native
 * methods bound once to the loaded libusb, behind an implementation of the interface. {@code Native.load}'s
 * interface proxy costs every process a generated {@code java.lang.reflect.Proxy} class and, per call,
 * JNA's invocation handler, an argument array, per-argument conversion and reflective method calls; under the
 * real-USB tier's emulated CPU that was a measurable part of every command's start-up (issue 11). Same
 * functions, same C prototypes (see {@link LibUsbNative}), plus control transfers into a native buffer
 * for the hot path.
 *
 * <p>A class binds to one library per class loader: the first libusb a {@link JnaUsbBus} loads is bound;
 * another file loaded later (another {@code dfu4j.libusb.path}), or a JVM where binding fails, gets the
 * interface proxy as before.
 */
final class DirectLibUsb implements LibUsbNative {
    private static final Logger log = LoggerFactory.getLogger(DirectLibUsb.class);
    private static final DirectLibUsb INSTANCE = new DirectLibUsb();
    private static String boundTo;
    private static boolean failed;

    private DirectLibUsb() {
    }

    /** The direct binding for {@code library} (loaded under {@code name}), or null when only the proxy will do. */
    static synchronized LibUsbNative bind(NativeLibrary library, String name) {
        if (boundTo != null) {
            return boundTo.equals(name) ? INSTANCE : null;
        }
        if (failed) {
            return null;
        }
        try {
            com.sun.jna.Native.register(Natives.class, library);
            boundTo = name;
            return INSTANCE;
        } catch (LinkageError | RuntimeException e) {
            failed = true;
            log.debug("JNA direct mapping of libusb unavailable, using the interface proxy: {}", e.toString());
            return null;
        }
    }

    /** The bound functions; the names are libusb's symbols. */
    static final class Natives {
        private Natives() {
        }

        static native int libusb_init(PointerByReference context);

        static native void libusb_exit(Pointer context);

        static native Pointer libusb_get_version();

        static native String libusb_error_name(int errorCode);

        static native SsizeT libusb_get_device_list(Pointer context, PointerByReference list);

        static native void libusb_free_device_list(Pointer list, int unrefDevices);

        static native int libusb_get_device_descriptor(Pointer device, Pointer descriptor);

        static native int libusb_get_config_descriptor(Pointer device, byte configIndex, PointerByReference config);

        static native void libusb_free_config_descriptor(Pointer config);

        static native byte libusb_get_bus_number(Pointer device);

        static native byte libusb_get_device_address(Pointer device);

        static native int libusb_get_port_numbers(Pointer device, byte[] portNumbers, int length);

        static native int libusb_open(Pointer device, PointerByReference handle);

        static native void libusb_close(Pointer handle);

        static native int libusb_claim_interface(Pointer handle, int interfaceNumber);

        static native int libusb_release_interface(Pointer handle, int interfaceNumber);

        static native int libusb_set_interface_alt_setting(Pointer handle, int interfaceNumber, int alternateSetting);

        static native int libusb_control_transfer(Pointer handle, byte requestType, byte request, short value, short index,
                                                  byte[] data, short length, int timeoutMillis);

        /**
         * The same function with a native buffer: every DFU request is one control transfer, so this is the
         * backend's hot path, and a handle's reusable {@code Memory} spares JNA copying a Java array in and
         * out of a native buffer it allocates per call ({@code JnaUsbBus.JnaHandle}).
         */
        static native int libusb_control_transfer(Pointer handle, byte requestType, byte request, short value, short index,
                                                  Pointer data, short length, int timeoutMillis);

        static native int libusb_get_string_descriptor_ascii(Pointer handle, byte index, byte[] data, int length);

        static native int libusb_reset_device(Pointer handle);

        static native int libusb_kernel_driver_active(Pointer handle, int interfaceNumber);

        static native int libusb_detach_kernel_driver(Pointer handle, int interfaceNumber);

        static native int libusb_set_auto_detach_kernel_driver(Pointer handle, int enable);
    }

    @Override
    public int libusb_init(PointerByReference context) {
        return Natives.libusb_init(context);
    }

    @Override
    public void libusb_exit(Pointer context) {
        Natives.libusb_exit(context);
    }

    @Override
    public Pointer libusb_get_version() {
        return Natives.libusb_get_version();
    }

    @Override
    public String libusb_error_name(int errorCode) {
        return Natives.libusb_error_name(errorCode);
    }

    @Override
    public SsizeT libusb_get_device_list(Pointer context, PointerByReference list) {
        return Natives.libusb_get_device_list(context, list);
    }

    @Override
    public void libusb_free_device_list(Pointer list, int unrefDevices) {
        Natives.libusb_free_device_list(list, unrefDevices);
    }

    @Override
    public int libusb_get_device_descriptor(Pointer device, Pointer descriptor) {
        return Natives.libusb_get_device_descriptor(device, descriptor);
    }

    @Override
    public int libusb_get_config_descriptor(Pointer device, byte configIndex, PointerByReference config) {
        return Natives.libusb_get_config_descriptor(device, configIndex, config);
    }

    @Override
    public void libusb_free_config_descriptor(Pointer config) {
        Natives.libusb_free_config_descriptor(config);
    }

    @Override
    public byte libusb_get_bus_number(Pointer device) {
        return Natives.libusb_get_bus_number(device);
    }

    @Override
    public byte libusb_get_device_address(Pointer device) {
        return Natives.libusb_get_device_address(device);
    }

    @Override
    public int libusb_get_port_numbers(Pointer device, byte[] portNumbers, int length) {
        return Natives.libusb_get_port_numbers(device, portNumbers, length);
    }

    @Override
    public int libusb_open(Pointer device, PointerByReference handle) {
        return Natives.libusb_open(device, handle);
    }

    @Override
    public void libusb_close(Pointer handle) {
        Natives.libusb_close(handle);
    }

    @Override
    public int libusb_claim_interface(Pointer handle, int interfaceNumber) {
        return Natives.libusb_claim_interface(handle, interfaceNumber);
    }

    @Override
    public int libusb_release_interface(Pointer handle, int interfaceNumber) {
        return Natives.libusb_release_interface(handle, interfaceNumber);
    }

    @Override
    public int libusb_set_interface_alt_setting(Pointer handle, int interfaceNumber, int alternateSetting) {
        return Natives.libusb_set_interface_alt_setting(handle, interfaceNumber, alternateSetting);
    }

    @Override
    public int libusb_control_transfer(Pointer handle, byte requestType, byte request, short value, short index,
                                       byte[] data, short length, int timeoutMillis) {
        return Natives.libusb_control_transfer(handle, requestType, request, value, index, data, length, timeoutMillis);
    }

    @Override
    public int libusb_get_string_descriptor_ascii(Pointer handle, byte index, byte[] data, int length) {
        return Natives.libusb_get_string_descriptor_ascii(handle, index, data, length);
    }

    @Override
    public int libusb_reset_device(Pointer handle) {
        return Natives.libusb_reset_device(handle);
    }

    @Override
    public int libusb_kernel_driver_active(Pointer handle, int interfaceNumber) {
        return Natives.libusb_kernel_driver_active(handle, interfaceNumber);
    }

    @Override
    public int libusb_detach_kernel_driver(Pointer handle, int interfaceNumber) {
        return Natives.libusb_detach_kernel_driver(handle, interfaceNumber);
    }

    @Override
    public int libusb_set_auto_detach_kernel_driver(Pointer handle, int enable) {
        return Natives.libusb_set_auto_detach_kernel_driver(handle, enable);
    }
}
