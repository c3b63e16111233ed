package io.github.dfu4j.libusb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class UsbStringsTest {

    private static byte[] descriptor(String s) {
        byte[] utf16 = s.getBytes(StandardCharsets.UTF_16LE);
        byte[] d = new byte[2 + utf16.length];
        d[0] = (byte) d.length;
        d[1] = 3;
        System.arraycopy(utf16, 0, d, 2, utf16.length);
        return d;
    }

    @Test
    void decodesUtf16() {
        byte[] d = descriptor("STM32  BOOTLOADER");
        assertEquals("STM32  BOOTLOADER", UsbStrings.decode(d, d.length));
    }

    @Test
    void keepsNonAsciiThatLibusbsAsciiReaderWouldMangle() {
        byte[] d = descriptor("Gerät µC 闪存");
        assertEquals("Gerät µC 闪存", UsbStrings.decode(d, d.length));
    }

    @Test
    void toleratesABLengthLargerThanWhatWasSent() {
        // ROM bootloaders (STM32F427) announce the full length and send less
        byte[] d = descriptor("@Internal Flash  /0x08000000/04*016Kg");
        assertEquals("@Internal Flash", UsbStrings.decode(d, 2 + 2 * 15));
    }

    @Test
    void bLengthShorterThanTheTransferWins() {
        byte[] d = Arrays.copyOf(descriptor("ABC"), 20);
        assertEquals("ABC", UsbStrings.decode(d, 20));
    }

    @Test
    void oddLengthsDropTheHalfCharacterAndNulsAreStripped() {
        byte[] d = descriptor("AB\0\0");
        d[0] = (byte) (d.length - 1);
        assertEquals("AB", UsbStrings.decode(d, d.length));
    }

    @Test
    void brokenBLengthFallsBackToTheBytesReceived() {
        byte[] d = descriptor("XY");
        d[0] = 0;
        assertEquals("XY", UsbStrings.decode(d, d.length));
        assertEquals("", UsbStrings.decode(d, 1));
    }

    @Test
    void firstLanguageOrUsEnglish() {
        assertEquals(0x0407, UsbStrings.firstLanguage(new byte[] {6, 3, 0x07, 0x04, 0x09, 0x04}, 6));
        assertEquals(0x0409, UsbStrings.firstLanguage(new byte[] {2, 3}, 2));
        assertEquals(0x0409, UsbStrings.firstLanguage(new byte[] {4, 1, 7, 4}, 4));
        assertEquals(0x0409, UsbStrings.firstLanguage(new byte[] {4, 3, 0, 0}, 4));
    }

    @Test
    void readsTruncatedRomStringsThroughTheRawRequest() throws Exception {
        FakeUsbBus bus = new FakeUsbBus();
        FakeUsbDevice d = bus.plug(Fixtures.f4Rom("3276365C3432"));
        d.truncateStringsTo = 12;
        try (var snapshot = bus.snapshot(); var h = snapshot.devices().get(0).open()) {
            assertEquals("STMic", new UsbStrings(h, 100).read(1));
            assertEquals("", new UsbStrings(h, 100).read(0));
            assertEquals("", new UsbStrings(h, 100).read(99), "missing string: empty, no exception");
        }
    }

    @Test
    void fallsBackToLibusbsAsciiReaderWhenTheRawRequestFails() throws Exception {
        FakeUsbBus bus = new FakeUsbBus();
        FakeUsbDevice d = bus.plug(Fixtures.f4Rom("SN"));
        d.rawStringsFail = true;
        d.string(2, "Bootloader µ");
        try (var snapshot = bus.snapshot(); var h = snapshot.devices().get(0).open()) {
            assertEquals("Bootloader ?", new UsbStrings(h, 100).read(2));
        }
    }
}
