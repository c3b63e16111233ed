package io.github.dfu4j.libusb.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Function;
import com.sun.jna.Library;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The system libusb is opened RTLD_LOCAL on Unix, so its symbols never replace the libusb inside usb4java's natives. */
class JnaLoadOptionsTest {
    @Test
    void unixOpensTheLibraryLocallyAndWindows32UsesStdcall() {
        assertEquals(Map.of(Library.OPTION_OPEN_FLAGS, 0x1), JnaLibraryLoader.options(false, true, false), "Linux: RTLD_LAZY, RTLD_LOCAL is 0");
        assertEquals(Map.of(Library.OPTION_OPEN_FLAGS, 0x5), JnaLibraryLoader.options(false, true, true), "macOS: RTLD_LAZY | RTLD_LOCAL (0x4)");
        assertEquals(Map.of(), JnaLibraryLoader.options(true, true, false));
        assertEquals(Map.of(Library.OPTION_CALLING_CONVENTION, Function.ALT_CONVENTION), JnaLibraryLoader.options(true, false, false));
    }
}
