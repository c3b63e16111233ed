package io.github.dfu4j.libusb;

import io.github.dfu4j.libusb.DoctorReport.OsFamily;
import io.github.dfu4j.libusb.UsbBackends.BackendStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Waiting for whatever comes back at a port: the application after leave, the bootloader after a reset. */
class UsbBackendAwaitDeviceTest {
    private final FakeUsbBus bus = new FakeUsbBus();
    private final FakeClock clock = new FakeClock();

    private UsbBackend backend() {
        Environment env = new Environment(OsFamily.LINUX, clock, Duration.ofMillis(100), HostInspector.NONE);
        return new UsbBackend(BackendChoice.JNA, bus, new BackendStatus(BackendChoice.JNA, true, "1.0.99", "fake"), env);
    }

    /** The bootloader leaves at the first poll; {@code app} enumerates on its port at poll {@code n}. */
    private void leaveThenAppear(FakeUsbDevice bootloader, FakeUsbDevice app, int n) {
        clock.onSleep = () -> {
            if (clock.sleeps == 1) {
                bus.unplug(bootloader);
            } else if (clock.sleeps == n) {
                app.busNumber = bootloader.busNumber;
                app.ports = bootloader.ports;
                bus.plug(app);
            }
        };
    }

    @Test
    void applicationWithARuntimeDfuInterfaceIsFoundAtThePortNotElsewhere() throws Exception {
        FakeUsbDevice rom = bus.plug(Fixtures.f4Rom("ROMSERIAL").at(1, 4));
        bus.plug(Fixtures.audioWithRuntimeDfu(0x0B).at(1, 5)); // another application, on another port
        bus.plug(Fixtures.keyboard().at(2, 4));                 // same port number, other bus
        FakeUsbDevice app = Fixtures.audioWithRuntimeDfu(0x03);
        leaveThenAppear(rom, app, 4);
        try (UsbBackend usb = backend()) {
            PortDevice d = usb.awaitDevice("1-4", PortDevice.APPLICATION, Duration.ofSeconds(2));
            assertEquals(PortDevice.Kind.RUNTIME_DFU, d.kind());
            assertEquals("1235:8211 (run-time DFU interface) at 1-4", d.summary());
            assertEquals(app.address, d.deviceAddress());
            assertEquals("Y8XXXXXX", d.dfuInterfaces().get(0).device().serial(), "the serial changed with the personality");
            assertEquals(4, clock.sleeps, "returned at the first poll that saw it");
        }
        assertEquals(0, bus.openHandles());
    }

    @Test
    void applicationWithoutDfuInterfaceCounts() throws Exception {
        FakeUsbDevice rom = bus.plug(Fixtures.f4Rom("SN1").at(3, 1, 2));
        leaveThenAppear(rom, Fixtures.keyboard(), 2);
        try (UsbBackend usb = backend()) {
            PortDevice d = usb.awaitDevice("3-1.2", PortDevice.APPLICATION, Duration.ofSeconds(1));
            assertEquals(PortDevice.Kind.NO_DFU_INTERFACE, d.kind());
            assertEquals("046d:c31c", d.vidPid());
            assertTrue(d.dfuInterfaces().isEmpty());
        }
    }

    @Test
    void deviceThatComesBackInDfuModeIsNotTheApplication() throws Exception {
        FakeUsbDevice rom = bus.plug(Fixtures.f4Rom("SN1").at(1, 4));
        leaveThenAppear(rom, Fixtures.f4Rom("SN1"), 3); // BOOT0 high: the ROM again
        try (UsbBackend usb = backend()) {
            DeviceWaitTimeoutException e = assertThrows(DeviceWaitTimeoutException.class,
                    () -> usb.awaitDevice("1-4", PortDevice.APPLICATION, Duration.ofSeconds(1)));
            assertEquals("no device outside DFU mode (the application) appeared at path 1-4 within 1000 ms; there now:"
                    + " 0483:df11 (DFU mode)", e.getMessage());
            assertEquals(PortDevice.Kind.DFU_MODE, e.lastSeen().orElseThrow().kind());
            assertEquals(10, clock.sleeps, "polled every 100 ms for 1 s of virtual time");
        }
        assertEquals(0, bus.openHandles());
    }

    @Test
    void emptyPortTimesOutSayingSo() throws Exception {
        FakeUsbDevice rom = bus.plug(Fixtures.f4Rom("SN1").at(1, 4));
        clock.onSleep = () -> bus.unplug(rom);
        try (UsbBackend usb = backend()) {
            DeviceWaitTimeoutException e = assertThrows(DeviceWaitTimeoutException.class,
                    () -> usb.awaitDevice("1-4", PortDevice.APPLICATION, Duration.ofMillis(300)));
            assertTrue(e.getMessage().endsWith("within 300 ms; the port is empty"), e.getMessage());
            assertTrue(e.lastSeen().isEmpty());
            assertEquals("1-4", e.path());
        }
    }

    @Test
    void bootloaderAfterAnOptionByteResetMustBeANewEnumeration() throws Exception {
        FakeUsbDevice rom = bus.plug(Fixtures.f4Rom("SN1").at(2, 1));
        try (UsbBackend usb = backend()) {
            DfuDeviceDescription before = usb.select(DeviceFilter.ANY);
            FakeUsbDevice again = Fixtures.f4Rom("NEWSERIAL");
            clock.onSleep = () -> {
                if (clock.sleeps == 2) {
                    bus.reenumerate(rom, again); // straight back with a new address, never seen empty
                }
            };
            PortDevice d = usb.awaitReenumeration(before, PortDevice.BOOTLOADER, Duration.ofSeconds(1));
            assertEquals(PortDevice.Kind.DFU_MODE, d.kind());
            assertNotEquals(before.deviceAddress(), d.deviceAddress());
            assertEquals("NEWSERIAL", d.dfuInterfaces().get(0).device().serial());
            assertEquals(2, clock.sleeps, "the old enumeration did not count at the first polls");
        }
    }

    @Test
    void bootloaderThatNeverLeftIsNotAReEnumeration() throws Exception {
        bus.plug(Fixtures.f4Rom("SN1").at(2, 1));
        try (UsbBackend usb = backend()) {
            DfuDeviceDescription before = usb.select(DeviceFilter.ANY);
            DeviceWaitTimeoutException e = assertThrows(DeviceWaitTimeoutException.class,
                    () -> usb.awaitReenumeration(before, PortDevice.BOOTLOADER, Duration.ofMillis(500)));
            assertTrue(e.getMessage().startsWith("no device in DFU mode appeared at path 2-1"), e.getMessage());
            assertEquals(before.deviceAddress(), e.lastSeen().orElseThrow().deviceAddress());
        }
    }

    @Test
    void bootloaderWhoseDescriptorsAreNotReadableYetIsNotMistakenForAnApplication() throws Exception {
        FakeUsbDevice rom = bus.plug(Fixtures.f4Rom("SN1").at(1, 7));
        FakeUsbDevice back = Fixtures.f4Rom("SN1");
        byte[] config = back.configurations.get(0);
        back.configurations.set(0, new byte[] {9, 2}); // the configuration cannot be parsed yet
        leaveThenAppear(rom, back, 2);
        try (UsbBackend usb = backend()) {
            assertThrows(DeviceWaitTimeoutException.class,
                    () -> usb.awaitDevice("1-7", PortDevice.APPLICATION, Duration.ofMillis(500)));
            back.configurations.set(0, config);
            clock.onSleep = null;
            assertEquals(PortDevice.Kind.DFU_MODE,
                    usb.awaitDevice("1-7", Set.of(PortDevice.Kind.DFU_MODE), Duration.ZERO).kind());
        }
    }

    @Test
    void anExistingApplicationMatchesAtOnceWithoutWaiting() throws Exception {
        bus.plug(Fixtures.keyboard().at(1, 1));
        try (UsbBackend usb = backend()) {
            assertEquals(PortDevice.Kind.NO_DFU_INTERFACE,
                    usb.awaitDevice("1-1", PortDevice.APPLICATION, Duration.ofSeconds(1)).kind());
            assertEquals(0, clock.sleeps);
            assertThrows(IllegalArgumentException.class, () -> usb.awaitDevice("1-1", Set.of(), Duration.ZERO));
            assertFalse(PortDevice.APPLICATION.contains(PortDevice.Kind.DFU_MODE));
        }
    }
}
