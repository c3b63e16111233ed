package io.github.dfu4j.usbvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IoctlTest {

    /**
     * Expected values printed by a C program compiled against Linux 6.1's uapi
     * {@code linux/usb/raw_gadget.h} and {@code linux/usbdevice_fs.h} on x86-64 (gcc 12).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "USB_RAW_IOCTL_INIT,        41015500",
        "USB_RAW_IOCTL_RUN,         00005501",
        "USB_RAW_IOCTL_EVENT_FETCH, 80085502",
        "USB_RAW_IOCTL_EP0_WRITE,   40085503",
        "USB_RAW_IOCTL_EP0_READ,    c0085504",
        "USB_RAW_IOCTL_CONFIGURE,   00005509",
        "USB_RAW_IOCTL_VBUS_DRAW,   4004550a",
        "USB_RAW_IOCTL_EP0_STALL,   0000550c",
    })
    void rawGadgetRequestNumbersMatchTheKernelHeader(String name, String hex) {
        long expected = Long.parseLong(hex, 16);
        long actual = switch (name) {
            case "USB_RAW_IOCTL_INIT" -> RawGadgetAbi.IOCTL_INIT;
            case "USB_RAW_IOCTL_RUN" -> RawGadgetAbi.IOCTL_RUN;
            case "USB_RAW_IOCTL_EVENT_FETCH" -> RawGadgetAbi.IOCTL_EVENT_FETCH;
            case "USB_RAW_IOCTL_EP0_WRITE" -> RawGadgetAbi.IOCTL_EP0_WRITE;
            case "USB_RAW_IOCTL_EP0_READ" -> RawGadgetAbi.IOCTL_EP0_READ;
            case "USB_RAW_IOCTL_CONFIGURE" -> RawGadgetAbi.IOCTL_CONFIGURE;
            case "USB_RAW_IOCTL_VBUS_DRAW" -> RawGadgetAbi.IOCTL_VBUS_DRAW;
            case "USB_RAW_IOCTL_EP0_STALL" -> RawGadgetAbi.IOCTL_EP0_STALL;
            default -> throw new AssertionError(name);
        };
        assertEquals(expected, actual, () -> name + " = 0x" + Long.toHexString(actual));
    }

    @Test
    void encodesOtherWellKnownRequests() {
        // USBDEVFS_CONTROL = _IOWR('U', 0, struct usbdevfs_ctrltransfer), 24 bytes on LP64
        assertEquals(0xc0185500L, Ioctl.readWrite('U', 0, 24));
        // FS_IOC_GETFLAGS = _IOR('f', 1, long)
        assertEquals(0x80086601L, Ioctl.read('f', 1, 8));
    }

    @Test
    void readRequestsHaveTheHighBitSetButStayPositiveAsLong() {
        assertTrue(RawGadgetAbi.IOCTL_EVENT_FETCH > 0, "must not sign-extend into a negative request number");
    }

    @ParameterizedTest
    @CsvSource({"4, 85, 0, 0", "0, 85, 256, 0", "0, 85, 0, 16384", "0, 256, 0, 0", "-1, 85, 0, 0", "0, 85, -1, 0"})
    void rejectsFieldsThatDoNotFit(int direction, int type, int number, int size) {
        assertThrows(IllegalArgumentException.class, () -> Ioctl.encode(direction, (char) type, number, size));
    }

    @Test
    void largestSizeStillFits() {
        assertEquals(0x3fff5500L, Ioctl.encode(Ioctl.DIR_NONE, 'U', 0, 0x3fff));
    }
}
