package io.github.dfu4j.libusb;

import io.github.dfu4j.libusb.DoctorReport.OsFamily;
import io.github.dfu4j.libusb.UsbBackends.BackendStatus;
import io.github.dfu4j.libusb.UsbBackend.OpenedDevice;
import io.github.dfu4j.libusb.DfuDeviceDescription.DfuMode;
import io.github.dfu4j.libusb.DfuDeviceDescription.FunctionalDescriptorSource;
import io.github.dfu4j.dfu.FunctionalDescriptor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;


import io.github.dfu4j.libusb.spi.LibusbError;
import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DevicePort;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.PortState;
import io.github.dfu4j.transport.TransportException;
import io.github.dfu4j.transport.TransportException.Kind;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UsbBackendTest {
    private final FakeUsbBus bus = new FakeUsbBus();
    private final FakeClock clock = new FakeClock();

    private UsbBackend backend(OsFamily os) {
        Environment env = new Environment(os, clock, Duration.ofMillis(100), HostInspector.NONE);
        return new UsbBackend(BackendChoice.JNA, bus, new BackendStatus(BackendChoice.JNA, true, "1.0.99", "fake"),
                env);
    }

    private UsbBackend backend() {
        return backend(OsFamily.LINUX);
    }

    @Test
    void describesTheF4RomFromItsDescriptorsAndStrings() throws Exception {
        bus.plug(Fixtures.f4Rom("3276365C3432").at(1, 2, 3));
        bus.plug(Fixtures.keyboard());
        try (UsbBackend usb = backend()) {
            List<DfuDeviceDescription> all = usb.listDfuDevices();
            assertEquals(1, all.size(), "the keyboard's HID descriptor (also type 0x21) is not DFU");
            DfuDeviceDescription d = all.get(0);
            assertEquals("0483:df11", d.device().vidPid());
            assertEquals(0x2100, d.device().bcdDevice());
            assertEquals("STMicroelectronics", d.device().manufacturer());
            assertEquals("STM32  BOOTLOADER", d.device().product());
            assertEquals("3276365C3432", d.device().serial());
            assertEquals("1-2.3", d.device().path());
            assertEquals(DfuMode.DFU, d.mode());
            assertEquals(0, d.interfaceNumber());
            assertEquals(1, d.configurationValue());
            assertEquals(List.of(new AltSetting(0, Fixtures.F4_LAYOUTS.get(0)), new AltSetting(1, Fixtures.F4_LAYOUTS.get(1)),
                    new AltSetting(2, Fixtures.F4_LAYOUTS.get(2)), new AltSetting(3, Fixtures.F4_LAYOUTS.get(3))),
                    d.altSettings());
            assertEquals(FunctionalDescriptorSource.INTERFACE_EXTRA, d.functionalDescriptorSource());
            assertEquals(2048, d.functionalDescriptor().transferSize());
            assertTrue(d.accessible());
            assertEquals("Found DFU: [0483:df11] ver=2100, devnum=10, cfg=1, intf=0, path=\"1-2.3\", alt=0,"
                    + " name=\"@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg\", serial=\"3276365C3432\"",
                    d.listing().get(0));
        }
        assertEquals(0, bus.openHandles(), "discovery closes what it opens");
        assertEquals(0, bus.openSnapshots);
    }

    @Test
    void findsTheFunctionalDescriptorInConfigurationExtraOrByGetDescriptor() throws Exception {
        bus.plug(Fixtures.audioWithRuntimeDfu(0x0B).at(1, 5));
        FakeUsbDevice bare = bus.plug(new FakeUsbDevice("bare", Fixtures.deviceDescriptor(0x0200, 0x1209, 0x2003, 1, 1),
                Fixtures.config(1, Fixtures.iface(0, 0, 0xFE, 1, 2, 0, 0))).at(1, 6));
        bare.functionalViaGetDescriptor = Fixtures.functional(0x05, 0, 64, 0x0110);
        FakeUsbDevice none = bus.plug(new FakeUsbDevice("none", Fixtures.deviceDescriptor(0x0200, 0x1209, 0x2004, 1, 1),
                Fixtures.config(1, Fixtures.iface(0, 0, 0xFE, 1, 2, 0, 0))).at(1, 7));
        try (UsbBackend usb = backend()) {
            List<DfuDeviceDescription> all = usb.listDfuDevices();
            assertEquals(3, all.size());
            DfuDeviceDescription audio = all.get(0);
            assertEquals(FunctionalDescriptorSource.CONFIGURATION_EXTRA, audio.functionalDescriptorSource());
            assertEquals(DfuMode.RUNTIME, audio.mode());
            assertEquals(2, audio.interfaceNumber());
            assertEquals(List.of(new AltSetting(0, "DFU runtime")), audio.altSettings());
            assertEquals(FunctionalDescriptorSource.GET_DESCRIPTOR, all.get(1).functionalDescriptorSource());
            assertEquals(64, all.get(1).functionalDescriptor().transferSize());
            assertEquals(FunctionalDescriptorSource.NONE, all.get(2).functionalDescriptorSource());
            assertNull(all.get(2).functionalDescriptor());
        }
        assertTrue(none.opens > 0);
    }

    @Test
    void dfuSeRomWithProtocolZeroCountsAsDfuMode() {
        FunctionalDescriptor dfuse = new FunctionalDescriptor(0x0B, 255, 2048, 0x011A);
        assertEquals(DfuMode.DFU, DfuDiscovery.modeOf(0, dfuse));
        assertEquals(DfuMode.RUNTIME, DfuDiscovery.modeOf(0, new FunctionalDescriptor(0x0B, 255, 2048, 0x0110)));
        assertEquals(DfuMode.RUNTIME, DfuDiscovery.modeOf(1, dfuse));
        assertEquals(DfuMode.DFU, DfuDiscovery.modeOf(2, null));
    }

    @Test
    void openClaimsTheInterfaceSelectsTheAltAndSendsClassRequestsToIt() throws Exception {
        FakeUsbDevice rom = bus.plug(Fixtures.f4Rom("SN1"));
        try (UsbBackend usb = backend(); DfuTransport t = usb.open(DeviceFilter.builder().vidPid("0483:df11").alt("1").build())) {
            assertEquals(List.of(0), rom.claimed);
            assertEquals(1, rom.currentAlt);
            assertEquals(1, rom.autoDetachCalls, "kernel-driver auto-detach requested");
            assertEquals("0483:df11", t.device().vidPid());
            assertTrue(t.device().dfuMode());
            assertEquals("1-2", t.device().path());
            assertArrayEquals(HexFormat.of().parseHex("09210bff0000081a01"), t.functionalDescriptor());

            byte[] status = t.controlIn(3, 0, 6, Duration.ofSeconds(1));
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, status);
            t.controlOut(1, 2, new byte[] {0x21, 0, 0, 0, 8}, Duration.ZERO);
            assertEquals(List.of("a1 3 0 0", "21 1 2 0 2100000008"), rom.requests, "bmRequestType, bRequest,"
                    + " wValue, wIndex = interface, data");
            t.selectAltSetting(3);
            assertEquals(3, rom.currentAlt);
            assertEquals("@Option Bytes  /0x1FFFC000/01*016 g", t.stringDescriptor(5));
        }
        assertEquals(List.of(), rom.claimed, "released on close");
        assertEquals(0, rom.openHandles);
    }

    @Test
    void transportCloseIsIdempotentAndBackendCloseClosesOpenTransports() throws Exception {
        FakeUsbDevice rom = bus.plug(Fixtures.f4Rom("SN1"));
        UsbBackend usb = backend();
        DfuTransport t = usb.open(DeviceFilter.ANY);
        int before = bus.log.size();
        t.close();
        t.close();
        assertEquals(List.of("f4rom release 0", "f4rom close"), bus.log.subList(before, bus.log.size()));
        DfuTransport second = usb.open(DeviceFilter.ANY);
        usb.close();
        assertEquals(0, rom.openHandles, "backend close closed the transport");
        assertEquals(1, bus.closeCalls);
        assertThrows(IllegalStateException.class, () -> second.controlIn(3, 0, 6, Duration.ofSeconds(1)));
        usb.close();
        assertEquals(1, bus.closeCalls);
    }

    @Test
    void linuxAccessErrorBecomesDeviceAccessExceptionWithTheUdevRule() throws Exception {
        FakeUsbDevice rom = bus.plug(Fixtures.f4Rom("SN1"));
        rom.openFailure = LibusbError.ACCESS;
        try (UsbBackend usb = backend()) {
            DfuDeviceDescription d = usb.listDfuDevices().get(0);
            assertFalse(d.accessible());
            assertEquals("", d.device().serial());
            assertEquals(Kind.ACCESS, d.openProblem().kind());
            UsbException e = assertThrows(UsbException.class, () -> usb.open(DeviceFilter.ANY));
            assertEquals(Kind.ACCESS, e.kind());
            assertTrue(e.getMessage().startsWith("Cannot open DFU device 0483:df11 at path 1-2: libusb_open:"
                    + " LIBUSB_ERROR_ACCESS"), e.getMessage());
            assertTrue(e.advice().orElseThrow().steps().get(0).contains(UsbAdvice.udevRule(0x0483, 0xdf11)));
        }
    }

    @Test
    void windowsWithoutWinUsbSaysCannotOpenAndHowToInstallTheDriver() throws Exception {
        FakeUsbDevice rom = bus.plug(Fixtures.f4Rom("SN1"));
        rom.openFailure = LibusbError.NOT_SUPPORTED;
        try (UsbBackend usb = backend(OsFamily.WINDOWS)) {
            UsbException e = assertThrows(UsbException.class,
                    () -> usb.open(DeviceFilter.builder().alt("0").build()));
            assertEquals(Kind.NOT_SUPPORTED, e.kind());
            assertTrue(e.getMessage().contains("Windows has no WinUSB (or libusbK) driver"), e.getMessage());
            assertTrue(e.advice().orElseThrow().steps().get(0).contains("Zadig"));
        }
    }

    @Test
    void claimBusyIsReportedWithAdviceAndTheHandleIsClosed() throws Exception {
        FakeUsbDevice rom = bus.plug(Fixtures.f4Rom("SN1"));
        rom.claimFailure = LibusbError.BUSY;
        try (UsbBackend usb = backend()) {
            UsbException e = assertThrows(UsbException.class, () -> usb.open(DeviceFilter.ANY));
            assertEquals(Kind.BUSY, e.kind());
            assertTrue(e.advice().orElseThrow().summary().startsWith("Another program has claimed"));
            assertEquals(0, rom.openHandles);
            assertEquals(Kind.BUSY, usb.checkAccess(usb.listDfuDevices().get(0)).kind());
        }
    }

    @Test
    void unrelatedRuntimeDfuDevicesDoNotGetInTheWay() throws Exception {
        bus.plug(Fixtures.audioWithRuntimeDfu(0x0B).at(1, 5));
        bus.plug(Fixtures.f4Rom("SN1").at(1, 2));
        try (UsbBackend usb = backend(); DfuTransport t = usb.open(DeviceFilter.ANY)) {
            assertEquals("0483:df11", t.device().vidPid());
        }
    }

    @Test
    void twoIdenticalBoardsAreAmbiguousButOpenAllOpensBoth() throws Exception {
        FakeUsbDevice a = bus.plug(Fixtures.f4Rom("FFFFFFFEFFFF").at(1, 2));
        FakeUsbDevice b = bus.plug(Fixtures.f4Rom("FFFFFFFEFFFF").at(1, 3));
        try (UsbBackend usb = backend()) {
            UsbException e = assertThrows(UsbException.class, () -> usb.open(DeviceFilter.ANY));
            assertEquals(UsbException.Problem.AMBIGUOUS, e.problem());
            assertEquals(java.util.Optional.of(io.github.dfu4j.ops.Remedy.of(io.github.dfu4j.ops.Remedy.Kind.NARROW_SELECTION, "path")),
                    e.remedy(), "identical serials: only the port path picks one");
            List<OpenedDevice> all = usb.openAll(DeviceFilter.builder().alt("0").build(), Duration.ofSeconds(1));
            assertEquals(2, all.size());
            assertTrue(all.stream().allMatch(OpenedDevice::isOpen));
            assertEquals(List.of("1-2", "1-3"), all.stream().map(o -> o.transport().device().path()).toList());
            assertEquals(List.of(0), a.claimed);
            assertEquals(List.of(0), b.claimed);
            for (OpenedDevice o : all) {
                o.transport().close();
            }
        }
    }

    @Test
    void openAllReportsADeviceThatCannotBeOpenedWithoutStoppingTheOthers() throws Exception {
        bus.plug(Fixtures.f4Rom("A").at(1, 2)).openFailure = LibusbError.ACCESS;
        bus.plug(Fixtures.f4Rom("B").at(1, 3));
        try (UsbBackend usb = backend()) {
            List<OpenedDevice> all = usb.openAll(DeviceFilter.ANY, Duration.ofSeconds(1));
            assertEquals(2, all.size());
            assertFalse(all.get(0).isOpen());
            assertTrue(all.get(0).failure() instanceof UsbException);
            assertTrue(all.get(1).isOpen());
        }
        assertEquals(0, bus.openHandles());
    }

    @Test
    void openAllKeepsGoingWhenOneDeviceFailsUnexpectedly() throws Exception {
        bus.plug(Fixtures.f4Rom("A").at(1, 2)).claimCrash = new IllegalStateException("backend defect");
        FakeUsbDevice b = bus.plug(Fixtures.f4Rom("B").at(1, 3));
        try (UsbBackend usb = backend()) {
            List<OpenedDevice> all = usb.openAll(DeviceFilter.ANY, Duration.ofSeconds(1));
            assertEquals(2, all.size());
            assertFalse(all.get(0).isOpen());
            assertTrue(all.get(0).failure() instanceof TransportException, String.valueOf(all.get(0).failure()));
            assertTrue(all.get(0).failure().getMessage().contains("backend defect"), all.get(0).failure().getMessage());
            assertTrue(all.get(1).isOpen());
            assertEquals(List.of(0), b.claimed);
        }
        assertEquals(0, bus.openHandles());
    }

    /** A DFU-mode personality with two alt settings, "firmware" (0) and "settings" (1). */
    private static FakeUsbDevice twoAltBootloader() {
        FakeUsbDevice d = new FakeUsbDevice("audio-dfu2", Fixtures.deviceDescriptor(0x0200, 0x1235, 0x8212, 0x0101, 1),
                Fixtures.config(1, Fixtures.iface(0, 0, 0xFE, 0x01, 0x02, 4, 0), Fixtures.iface(0, 1, 0xFE, 0x01, 0x02, 5, 0),
                        Fixtures.functional(0x07, 1000, 1024, 0x0110)));
        return d.string(1, "Focusrite").string(2, "Scarlett DFU").string(3, "Y8XXXXXZ").string(4, "firmware")
                .string(5, "settings");
    }

    @Test
    void openAllWithAnAltDetachesRuntimeDevicesAndReportsTheOneWithoutThatAlt() throws Exception {
        FakeUsbDevice oneAlt = bus.plug(Fixtures.audioWithRuntimeDfu(0x0B).at(1, 4));
        FakeUsbDevice twoAlts = bus.plug(Fixtures.audioWithRuntimeDfu(0x0B).at(1, 5));
        FakeUsbDevice second = twoAltBootloader();
        oneAlt.onDetach = d -> bus.reenumerate(oneAlt, Fixtures.audioBootloader());
        twoAlts.onDetach = d -> bus.reenumerate(twoAlts, second);
        try (UsbBackend usb = backend()) {
            // --alt names a DFU-mode memory: it must not keep the run-time devices from being selected
            List<OpenedDevice> all = usb.openAll(DeviceFilter.builder().vidPid("1235:8211").alt("Settings").build(),
                    Duration.ofSeconds(2));
            assertEquals(2, all.size());
            assertFalse(all.get(0).isOpen());
            assertTrue(all.get(0).failure() instanceof UsbException, String.valueOf(all.get(0).failure()));
            assertTrue(all.get(0).failure().getMessage().startsWith("No alternate setting \"Settings\""),
                    all.get(0).failure().getMessage());
            assertTrue(all.get(0).failure().getMessage().contains("0 \"firmware\""), all.get(0).failure().getMessage());
            assertTrue(all.get(1).isOpen());
            assertEquals("1235:8212", all.get(1).transport().device().vidPid());
            assertEquals(1, second.currentAlt, "alt \"settings\" selected after the detach");
            all.get(1).transport().close();
        }
        assertEquals(0, bus.openHandles());
    }

    @Test
    void checkAccessClaimsDfuModeDevicesButOnlyInspectsRuntimeOnes() throws Exception {
        FakeUsbDevice app = bus.plug(Fixtures.audioWithRuntimeDfu(0x0B).at(1, 5));
        bus.plug(Fixtures.f4Rom("SN1").at(1, 2));
        try (UsbBackend usb = backend()) {
            for (DfuDeviceDescription d : usb.listDfuDevices()) {
                assertNull(usb.checkAccess(d), d.summary());
            }
        }
        assertTrue(bus.log.contains("f4rom claim 0"), bus.log.toString());
        assertTrue(bus.log.stream().noneMatch(l -> l.startsWith("audio claim") || l.startsWith("audio alt")),
                "the running application's interface was left alone: " + bus.log);
        assertEquals(0, app.resets);
        assertTrue(app.requests.isEmpty(), "no class request to the application: " + app.requests);
        assertEquals(0, bus.openHandles());
    }

    @Test
    void notFoundFromClaimIsAnErrorOfTheDeviceNotItsDisappearance() throws Exception {
        bus.plug(Fixtures.f4Rom("SN1").at(1, 2)).claimFailure = LibusbError.NOT_FOUND;
        try (UsbBackend usb = backend()) {
            TransportException e = assertThrows(TransportException.class, () -> usb.open(DeviceFilter.ANY));
            assertFalse(e.isDisconnect(), e.getMessage());
            assertTrue(e.getMessage().contains("LIBUSB_ERROR_NOT_FOUND"), e.getMessage());
        }
    }

    @Test
    void runtimeDeviceIsDetachedResetAndFoundAgainByPortInDfuMode() throws Exception {
        FakeUsbDevice app = bus.plug(Fixtures.audioWithRuntimeDfu(0x03).at(1, 4, 1)); // no bitWillDetach
        FakeUsbDevice bootloader = Fixtures.audioBootloader();
        app.resetFailure = LibusbError.NOT_FOUND;
        app.onReset = d -> clock.onSleep = () -> {
            if (clock.sleeps == 3) {
                bus.reenumerate(app, bootloader);
            }
        };
        try (UsbBackend usb = backend();
             DfuTransport t = usb.openInDfuMode(DeviceFilter.builder().vidPid("1235:8211").build(),
                     Duration.ofSeconds(5))) {
            assertEquals(List.of("21 0 1000 2"), app.requests, "DETACH, wValue 1000 ms, to interface 2");
            assertEquals(1, app.resets);
            assertEquals(0, app.openHandles, "run-time handle closed so the OS can re-enumerate");
            assertEquals("1235:8212", t.device().vidPid(), "any DFU-mode IDs accepted with a single --device pair");
            assertTrue(t.device().dfuMode());
            assertEquals("1-4.1", t.device().path());
            assertEquals(List.of(0), bootloader.claimed);
            assertEquals(3, clock.sleeps);
        }
        int release = bus.log.indexOf("audio release 2");
        int reset = bus.log.indexOf("audio reset");
        assertTrue(release >= 0 && release < reset, "interface released before the reset: " + bus.log);
    }

    @Test
    void willDetachDevicesAreNotReset() throws Exception {
        FakeUsbDevice app = bus.plug(Fixtures.audioWithRuntimeDfu(0x0B).at(1, 4));
        app.onDetach = d -> bus.reenumerate(app, Fixtures.audioBootloader());
        try (UsbBackend usb = backend();
             DfuTransport t = usb.openInDfuMode(DeviceFilter.builder().vidPid("1235:8211,1235:8212").build(),
                     Duration.ofSeconds(5))) {
            assertEquals(0, app.resets);
            assertEquals("1235:8212", t.device().vidPid());
        }
    }

    @Test
    void detachThatNeverComesBackFailsAfterTheTimeoutWithAdvice() throws Exception {
        FakeUsbDevice app = bus.plug(Fixtures.audioWithRuntimeDfu(0x03).at(1, 4));
        app.resetFailure = LibusbError.NOT_SUPPORTED; // WinUSB cannot reset the port
        try (UsbBackend usb = backend(OsFamily.WINDOWS)) {
            UsbException e = assertThrows(UsbException.class,
                    () -> usb.openInDfuMode(DeviceFilter.builder().vidPid("1235:8211").build(), Duration.ofSeconds(2)));
            assertEquals(UsbException.Problem.LOST_AFTER_DETACH, e.problem());
            assertTrue(e.getMessage().startsWith("Lost 1235:8211 at path 1-4 after DETACH"), e.getMessage());
            assertTrue(e.advice().orElseThrow().summary().startsWith("WinUSB cannot reset the USB port"));
            assertEquals(20, clock.sleeps, "polled every 100 ms for 2 s of virtual time");
        }
        assertEquals(0, bus.openHandles());
    }

    @Test
    void detachWaitsForTheDfuModeIdsWhenGiven() throws Exception {
        FakeUsbDevice app = bus.plug(Fixtures.audioWithRuntimeDfu(0x0B).at(1, 4));
        app.onDetach = d -> bus.reenumerate(app, Fixtures.audioBootloader());
        try (UsbBackend usb = backend()) {
            UsbException e = assertThrows(UsbException.class,
                    () -> usb.openInDfuMode(DeviceFilter.builder().vidPid("1235:8211,0483:df11").build(),
                            Duration.ofMillis(500)));
            assertEquals(UsbException.Problem.LOST_AFTER_DETACH, e.problem());
            assertTrue(e.getMessage().contains("no DFU-mode device 0483:df11 appeared there"), e.getMessage());
        }
    }

    @Test
    void thePortFindsTheDeviceAgainInDfuModeAfterItReEnumerates() throws Exception {
        FakeUsbDevice rom = bus.plug(Fixtures.f4Rom("SN1").at(2, 1));
        try (UsbBackend usb = backend()) {
            LibusbDfuTransport t = (LibusbDfuTransport) usb.open(DeviceFilter.builder().alt("1").build());
            // option-byte write: the device resets itself and comes back with a new address and serial
            clock.onSleep = () -> {
                if (clock.sleeps == 1) {
                    bus.unplug(rom);
                } else if (clock.sleeps == 4) {
                    bus.plug(Fixtures.f4Rom("OTHER").at(2, 1));
                }
            };
            Optional<DfuTransport> again = t.port().awaitDfu(Duration.ofSeconds(3));
            assertTrue(again.isPresent());
            assertEquals("OTHER", again.get().device().serial());
            assertEquals("2-1", again.get().device().path());
            assertTrue(t.isClosed(), "the old transport is closed");
            assertEquals(0, rom.openHandles);
            again.get().close();
        }
    }

    @Test
    void afterAResetLibusbCompletedInPlaceThePortHasTheDeviceAtOnce() throws Exception {
        FakeUsbDevice rom = bus.plug(Fixtures.f4Rom("SN1").at(2, 1));
        try (UsbBackend usb = backend()) {
            LibusbDfuTransport t = (LibusbDfuTransport) usb.open(DeviceFilter.builder().alt("0").build());
            // a plain DFU device that is not manifestation-tolerant: the host resets it after manifestation and
            // the kernel re-configures it where it is (same address): it never leaves the bus
            t.reset();
            int sleeps = clock.sleeps;
            Optional<DfuTransport> again = t.port().awaitDfu(Duration.ofSeconds(3));
            assertTrue(again.isPresent(), "the device is back in DFU mode at the port");
            assertSame(t, again.get(), "the same handle still reaches it");
            assertFalse(t.isClosed());
            assertEquals(sleeps, clock.sleeps, "nothing to wait for");
            // a request after the reset may make the device leave: then the port waits for a new enumeration again
            t.controlIn(3, 0, 6, Duration.ofSeconds(1));
            assertTrue(t.port().awaitDfu(Duration.ofMillis(300)).isEmpty(), "never left: not a re-enumeration");
            assertEquals(1, rom.resets);
        }
    }

    @Test
    void reopenDoesNotMistakeTheDeviceThatHasNotLeftYetForTheNewOne() throws Exception {
        bus.plug(Fixtures.f4Rom("SN1"));
        try (UsbBackend usb = backend()) {
            DfuTransport t = usb.open(DeviceFilter.ANY);
            // the device never leaves (same address, never seen gone): not a re-enumeration
            Optional<DfuTransport> again = t.port().awaitDfu(Duration.ofMillis(300));
            assertTrue(again.isEmpty());
        }
    }

    @Test
    void reopenReturnsEmptyWhenTheApplicationStartsInstead() throws Exception {
        FakeUsbDevice rom = bus.plug(Fixtures.f4Rom("SN1").at(1, 9));
        try (UsbBackend usb = backend()) {
            LibusbDfuTransport t = (LibusbDfuTransport) usb.open(DeviceFilter.ANY);
            clock.onSleep = () -> {
                if (clock.sleeps == 2) {
                    bus.reenumerate(rom, Fixtures.audioWithRuntimeDfu(0x0B));
                }
            };
            DevicePort port = t.port();
            assertEquals(PortState.Mode.DFU, port.state().mode());
            assertTrue(port.awaitDfu(Duration.ofSeconds(1)).isEmpty());
            // what is there instead: the application, with a run-time DFU interface
            PortState now = port.state();
            assertEquals(PortState.Mode.RUNTIME, now.mode(), now.summary());
            assertEquals("1-9", now.device().orElseThrow().path());
            assertFalse(now.device().orElseThrow().dfuMode());
            assertEquals(now, port.awaitApplication(Duration.ZERO).orElseThrow());
        }
        assertEquals(0, bus.openHandles());
    }

    @Test
    void thePortWaitsForTheApplicationAndSaysWhenThePortIsEmpty() throws Exception {
        FakeUsbDevice rom = bus.plug(Fixtures.f4Rom("SN1").at(1, 9));
        try (UsbBackend usb = backend()) {
            LibusbDfuTransport t = (LibusbDfuTransport) usb.open(DeviceFilter.ANY);
            DevicePort port = t.port();
            bus.unplug(rom);
            assertEquals(PortState.Mode.EMPTY, port.state().mode());
            assertTrue(port.state().device().isEmpty());
            clock.onSleep = () -> {
                if (clock.sleeps == 3) {
                    bus.plug(Fixtures.audioWithRuntimeDfu(0x0B).at(1, 9));
                }
            };
            PortState app = port.awaitApplication(Duration.ofSeconds(2)).orElseThrow();
            assertTrue(app.mode().isApplication(), app.summary());
            assertTrue(t.isClosed(), "waiting released the transport the port was taken from");
            assertTrue(port.awaitApplication(Duration.ZERO).isPresent());
        }
    }

    @Test
    void resetThatReEnumeratesLeavesTheTransportGone() throws Exception {
        FakeUsbDevice rom = bus.plug(Fixtures.f4Rom("SN1"));
        rom.resetFailure = LibusbError.NOT_FOUND;
        try (UsbBackend usb = backend(); DfuTransport t = usb.open(DeviceFilter.ANY)) {
            t.reset();
            TransportException e = assertThrows(TransportException.class,
                    () -> t.controlIn(3, 0, 6, Duration.ofSeconds(1)));
            assertEquals(Kind.NO_DEVICE, e.kind());
        }
    }

    @Test
    void resetThatKeepsTheDeviceReclaimsAndReselects() throws Exception {
        FakeUsbDevice rom = bus.plug(Fixtures.f4Rom("SN1"));
        try (UsbBackend usb = backend(); DfuTransport t = usb.open(DeviceFilter.builder().alt("2").build())) {
            rom.currentAlt = 0;
            t.reset();
            assertEquals(List.of(0), rom.claimed);
            assertEquals(2, rom.currentAlt);
            assertEquals(6, t.controlIn(3, 0, 6, Duration.ofSeconds(1)).length);
        }
    }

    @Test
    void unpluggedDeviceTurnsTransfersIntoNoDevice() throws Exception {
        FakeUsbDevice rom = bus.plug(Fixtures.f4Rom("SN1"));
        try (UsbBackend usb = backend(); DfuTransport t = usb.open(DeviceFilter.ANY)) {
            bus.unplug(rom);
            TransportException e = assertThrows(TransportException.class,
                    () -> t.controlOut(1, 0, new byte[0], Duration.ofSeconds(1)));
            assertTrue(e.isDisconnect());
        }
    }

    @Test
    void timeoutsAreNeverZeroWhichLibusbWouldTreatAsForever() {
        assertEquals(1, LibusbDfuTransport.millis(Duration.ZERO));
        assertEquals(1, LibusbDfuTransport.millis(Duration.ofMillis(-5)));
        assertEquals(5000, LibusbDfuTransport.millis(Duration.ofSeconds(5)));
        assertEquals(Integer.MAX_VALUE, LibusbDfuTransport.millis(Duration.ofDays(365)));
    }

    @Test
    void listWithAFilterKeepsInaccessibleDevicesThatMightMatch() throws Exception {
        bus.plug(Fixtures.f4Rom("A").at(1, 2)).openFailure = LibusbError.ACCESS;
        bus.plug(Fixtures.f4Rom("B").at(1, 3));
        bus.plug(Fixtures.mboot().at(1, 4));
        try (UsbBackend usb = backend()) {
            List<DfuDeviceDescription> l = usb.list(DeviceFilter.builder().serial("B").build());
            assertEquals(List.of("1-2", "1-3"), l.stream().map(d -> d.device().path()).toList());
            assertEquals(3, usb.countUsbDevices());
        }
    }

    @Test
    void descriptionMapIsJsonFriendly() throws Exception {
        bus.plug(Fixtures.mboot());
        try (UsbBackend usb = backend()) {
            var m = usb.listDfuDevices().get(0).toMap();
            assertEquals("0483:df11", m.get("vidPid"));
            assertEquals("0x0300", m.get("bcdDevice"));
            assertEquals(DfuMode.DFU, m.get("mode"));
            assertEquals(1, ((List<?>) m.get("altSettings")).size());
            assertNull(m.get("openProblem"));
        }
    }
}
