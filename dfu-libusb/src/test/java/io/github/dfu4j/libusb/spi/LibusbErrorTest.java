package io.github.dfu4j.libusb.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.transport.TransportException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LibusbErrorTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "-1, IO", "-2, IO", "-3, ACCESS", "-4, NO_DEVICE", "-5, IO", "-6, BUSY", "-7, TIMEOUT",
        "-8, OVERFLOW", "-9, STALL", "-10, IO", "-11, IO", "-12, NOT_SUPPORTED", "-99, IO", "-42, IO"})
    void mapsEveryLibusbCodeToATransportKind(int code, Kind kind) {
        LibusbException e = LibusbError.exception(code, "op");
        assertEquals(kind, e.kind());
        assertEquals(code, e.libusbCode());
    }

    @Test
    void messageNamesTheOperationAndTheLibusbEnumerator() {
        LibusbException e = LibusbError.exception(-3, "libusb_open");
        assertEquals("libusb_open: LIBUSB_ERROR_ACCESS (access denied (insufficient permissions))", e.getMessage());
    }

    @Test
    void unknownCodesKeepTheirNumber() {
        assertEquals("LIBUSB_ERROR(-42)", LibusbError.nameOf(-42));
        assertEquals("LIBUSB_ERROR_OTHER", LibusbError.nameOf(-99));
        assertEquals("LIBUSB_SUCCESS", LibusbError.nameOf(0));
    }

    @Test
    void checkPassesCountsAndThrowsOnNegatives() throws Exception {
        assertEquals(6, LibusbError.check(6, "x"));
        LibusbException e = assertThrows(LibusbException.class, () -> LibusbError.check(-7, "GETSTATUS"));
        assertEquals(Kind.TIMEOUT, e.kind());
        assertTrue(e.getMessage().startsWith("GETSTATUS: LIBUSB_ERROR_TIMEOUT"));
    }
}
