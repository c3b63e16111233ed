package io.github.dfu4j.libusb;

import io.github.dfu4j.libusb.spi.UsbHandle;
import io.github.dfu4j.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads string descriptors (USB 2.0 §9.6.7) with a raw GET_DESCRIPTOR and decodes UTF-16LE itself,
 * because libusb_get_string_descriptor_ascii rejects what ROM bootloaders send (a bLength larger
 * than the bytes actually sent, as on the STM32F427 ROM; several LANGIDs) and turns non-ASCII into
 * '?'. libusb's reader is the fallback when the raw request fails.
 */
final class UsbStrings {
    private static final Logger log = LoggerFactory.getLogger(UsbStrings.class);

    static final int GET_DESCRIPTOR = 0x06;
    static final int STRING_TYPE = 0x03;
    /** US English, what devices without a LANGID table are asked for. */
    static final int DEFAULT_LANGID = 0x0409;
    private static final int MAX_LENGTH = 255;

    private final UsbHandle handle;
    private final int timeoutMillis;
    private int langId = -1;

    UsbStrings(UsbHandle handle, int timeoutMillis) {
        this.handle = handle;
        this.timeoutMillis = timeoutMillis;
    }

    /** The string at {@code index}; "" for index 0 or a device that cannot produce it. */
    String read(int index) {
        if (index <= 0 || index > 255) {
            return "";
        }
        try {
            byte[] buf = new byte[MAX_LENGTH];
            int n = handle.controlTransfer(0x80, GET_DESCRIPTOR, STRING_TYPE << 8 | index, language(), buf,
                    buf.length, timeoutMillis);
            if (n >= 2 && (buf[1] & 0xFF) == STRING_TYPE) {
                return decode(buf, n);
            }
            log.debug("string {}: {} bytes, type 0x{}; trying libusb's reader", index, n,
                    n >= 2 ? Integer.toHexString(buf[1] & 0xFF) : "?");
        } catch (TransportException e) {
            if (e.isDisconnect()) {
                return "";
            }
            log.debug("string {} via GET_DESCRIPTOR failed ({}); trying libusb's reader", index, e.getMessage());
        }
        try {
            return strip(handle.stringDescriptorAscii(index));
        } catch (TransportException e) {
            log.debug("string {} unreadable: {}", index, e.getMessage());
            return "";
        }
    }

    private int language() {
        if (langId < 0) {
            langId = DEFAULT_LANGID;
            try {
                byte[] buf = new byte[MAX_LENGTH];
                int n = handle.controlTransfer(0x80, GET_DESCRIPTOR, STRING_TYPE << 8, 0, buf, buf.length,
                        timeoutMillis);
                langId = firstLanguage(buf, n);
            } catch (TransportException e) {
                log.debug("LANGID table unreadable ({}), using 0x0409", e.getMessage());
            }
        }
        return langId;
    }

    /** The first LANGID of string descriptor 0, or 0x0409 when the table is missing or malformed. */
    static int firstLanguage(byte[] raw, int received) {
        int n = Math.min(received, raw.length);
        if (n >= 4 && (raw[1] & 0xFF) == STRING_TYPE && (raw[0] & 0xFF) >= 4) {
            int lang = (raw[2] & 0xFF) | (raw[3] & 0xFF) << 8;
            return lang == 0 ? DEFAULT_LANGID : lang;
        }
        return DEFAULT_LANGID;
    }

    /**
     * Decodes a string descriptor tolerantly: reads min(bLength, bytes received) (a bLength below 2
     * is ignored in favour of the bytes received), drops an odd trailing byte and trailing NULs.
     */
    static String decode(byte[] raw, int received) {
        int n = Math.min(received, raw.length);
        if (n < 2) {
            return "";
        }
        int declared = raw[0] & 0xFF;
        int end = declared >= 2 ? Math.min(declared, n) : n;
        int chars = (end - 2) / 2;
        String s = new String(Arrays.copyOfRange(raw, 2, 2 + 2 * chars), StandardCharsets.UTF_16LE);
        return strip(s);
    }

    private static String strip(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '\0') {
            end--;
        }
        return s.substring(0, end);
    }
}
