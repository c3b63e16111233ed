package io.github.dfu4j.libusb.jna;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libusb_control_transfer through JNA direct mapping ({@code Native.register}): a static native method
 * bound once, instead of the {@link LibUsbNative} interface proxy, whose every call goes through
 * {@code java.lang.reflect.Proxy}, JNA's invocation handler, an argument array and per-argument
 * conversion. Every DFU request is one control transfer, so this is the backend's hot path. It takes the
 * handle's reusable native buffer ({@code Pointer}), where {@link DirectLibUsb} (the rest of libusb, also
 * direct) maps the interface's {@code byte[]} form.
 *
 * <p>A class can be bound to one library per class loader. The first libusb a {@link JnaUsbBus} loads
 * is bound; a bus that loads a different file later (another {@code dfu4j.libusb.path}) uses the
 * proxy, as does any JVM where binding fails.
 */
final class DirectControl {
    private static final Logger log = LoggerFactory.getLogger(DirectControl.class);

    private static String boundTo;
    private static boolean failed;

    private DirectControl() {
    }

    // int libusb_control_transfer(libusb_device_handle *dev_handle, uint8_t request_type, uint8_t bRequest,
    //     uint16_t wValue, uint16_t wIndex, unsigned char *data, uint16_t wLength, unsigned int timeout);
    static native int libusb_control_transfer(Pointer handle, byte requestType, byte request, short value, short index,
                                              Pointer data, short length, int timeoutMillis);

    /**
     * Binds {@link #libusb_control_transfer} to {@code library} (loaded under {@code name}) on first use.
     *
     * @return whether the direct call may be used for that library
     */
    static synchronized boolean bind(NativeLibrary library, String name) {
        if (boundTo != null) {
            return boundTo.equals(name);
        }
        if (failed) {
            return false;
        }
        try {
            com.sun.jna.Native.register(DirectControl.class, library);
            boundTo = name;
            return true;
        } catch (LinkageError | RuntimeException e) {
            failed = true;
            log.debug("JNA direct mapping of libusb_control_transfer unavailable, using the interface proxy: {}", e.toString());
            return false;
        }
    }
}
