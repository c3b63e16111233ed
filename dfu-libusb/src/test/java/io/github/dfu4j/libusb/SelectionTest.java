package io.github.dfu4j.libusb;

import io.github.dfu4j.libusb.DoctorReport.DriverInfo;
import io.github.dfu4j.libusb.DoctorReport.OsFamily;
import io.github.dfu4j.libusb.DfuDeviceDescription.OpenProblem;
import io.github.dfu4j.libusb.DfuDeviceDescription.DfuMode;
import static io.github.dfu4j.libusb.DeviceFilterTest.device;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import io.github.dfu4j.transport.TransportException;
import io.github.dfu4j.ops.Remedy;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SelectionTest {
    static final DfuDeviceDescription BOARD_A = device(0x0483, 0xdf11, DfuMode.DFU, "FFFFFFFEFFFF", "1-2");
    static final DfuDeviceDescription BOARD_B = device(0x0483, 0xdf11, DfuMode.DFU, "FFFFFFFEFFFF", "1-3");
    static final DfuDeviceDescription BOARD_C = device(0x0483, 0xdf11, DfuMode.DFU, "2061376F5743", "1-4");
    static final DfuDeviceDescription AUDIO = device(0x1235, 0x8211, DfuMode.RUNTIME, "Y8XX", "1-5");
    static final DfuDeviceDescription BLUETOOTH = device(0x05ac, 0x828f, DfuMode.RUNTIME, "BT", "1-6");

    @Test
    void singleDfuModeDeviceIsPickedDespiteRuntimeDfuInterfacesAround() throws Exception {
        assertSame(BOARD_A, Selection.choose(List.of(AUDIO, BOARD_A, BLUETOOTH), DeviceFilter.ANY, OsFamily.LINUX));
    }

    @Test
    void severalMatchesListEveryCandidateAndSayHowToPick() {
        UsbException e = assertThrows(UsbException.class,
                () -> Selection.choose(List.of(BOARD_A, BOARD_C, AUDIO), DeviceFilter.ANY, OsFamily.LINUX));
        assertEquals(UsbException.Problem.AMBIGUOUS, e.problem());
        assertEquals(List.of(BOARD_A, BOARD_C), e.candidates());
        String m = e.getMessage();
        assertTrue(m.startsWith("More than one DFU device matches no filter (2); narrow the filter by serial or port path:"), m);
        assertEquals(Optional.of(Remedy.of(Remedy.Kind.NARROW_SELECTION, "serial", "path")), e.remedy());
        String worded = e.messageWith(r -> "WORDS " + r.values());
        assertTrue(worded.startsWith("More than one DFU device matches no filter (2); WORDS [serial, path]:"), worded);
        assertEquals(m.substring(m.indexOf(':')), worded.substring(worded.indexOf(':')), "the same device list follows");
        assertTrue(m.contains("[0483:df11] DFU mode, path 1-2, serial \"FFFFFFFEFFFF\""), m);
        assertTrue(m.contains("path 1-4, serial \"2061376F5743\""), m);
        assertTrue(!m.contains("1235:8211"), "the run-time audio device is not a candidate: " + m);
    }

    @Test
    void identicalSerialsPointToThePath() {
        UsbException e = assertThrows(UsbException.class,
                () -> Selection.choose(List.of(BOARD_A, BOARD_B), DeviceFilter.builder().vidPid("0483:df11").build(),
                        OsFamily.LINUX));
        assertTrue(e.getMessage().contains("report the same serial"), e.getMessage());
        assertTrue(e.getMessage().contains("only the port path tells them apart"), e.getMessage());
        assertEquals(Optional.of(Remedy.of(Remedy.Kind.NARROW_SELECTION, "path")), e.remedy(),
                "with repeated serials only the path can pick one");
    }

    @Test
    void serialOrPathDisambiguates() throws Exception {
        List<DfuDeviceDescription> all = List.of(BOARD_A, BOARD_B, BOARD_C);
        assertSame(BOARD_C, Selection.choose(all, DeviceFilter.builder().serial("2061376F5743").build(), OsFamily.LINUX));
        assertSame(BOARD_B, Selection.choose(all, DeviceFilter.builder().path("1-3").build(), OsFamily.LINUX));
    }

    @Test
    void runtimeOnlyDevicesAreNotDetachedWithoutBeingNamed() {
        UsbException e = assertThrows(UsbException.class,
                () -> Selection.choose(List.of(AUDIO), DeviceFilter.ANY, OsFamily.LINUX));
        assertEquals(UsbException.Problem.ONLY_RUNTIME, e.problem());
        assertEquals(Optional.of(Remedy.of(Remedy.Kind.NAME_RUNTIME_DEVICE)), e.remedy());
        assertTrue(e.getMessage().contains("name the run-time device by IDs, serial or port path to detach it:"), e.getMessage());
        assertTrue(e.getMessage().contains("[1235:8211] run-time mode, path 1-5"), e.getMessage());
    }

    @Test
    void aNamedRuntimeDeviceIsSelected() throws Exception {
        assertSame(AUDIO, Selection.choose(List.of(AUDIO, BLUETOOTH), DeviceFilter.builder().vidPid("1235:8211").build(),
                OsFamily.LINUX));
        assertSame(AUDIO, Selection.choose(List.of(AUDIO, BLUETOOTH), DeviceFilter.builder().path("1-5").build(),
                OsFamily.LINUX));
    }

    @Test
    void aNamedRuntimeDeviceNextToADfuModeBoardIsAmbiguousOnlyWhenBothMatch() throws Exception {
        DeviceFilter pair = DeviceFilter.builder().vidPid("1235:8211,0483:df11").build();
        UsbException e = assertThrows(UsbException.class,
                () -> Selection.choose(List.of(AUDIO, BOARD_A), pair, OsFamily.LINUX));
        assertEquals(UsbException.Problem.AMBIGUOUS, e.problem());
        assertSame(BOARD_A, Selection.choose(List.of(AUDIO, BOARD_A), DeviceFilter.builder().vidPid(",0483:df11").build(), OsFamily.LINUX));
    }

    @Test
    void noDeviceAtAllGivesDfuModeAdvice() {
        UsbException e = assertThrows(UsbException.class,
                () -> Selection.choose(List.of(), DeviceFilter.ANY, OsFamily.WINDOWS));
        assertEquals(UsbException.Problem.NO_DEVICE, e.problem());
        assertEquals("No DFU capable USB device found", e.getMessage(), "one line; the fix is the advice");
        assertTrue(e.advice().orElseThrow().steps().get(0).startsWith("Put the board into DFU mode"), e.advice().orElseThrow().toString());
        assertTrue(e.advice().orElseThrow().steps().stream().anyMatch(s -> s.contains("Zadig")));
    }

    @Test
    void noMatchListsWhatIsThere() {
        UsbException e = assertThrows(UsbException.class,
                () -> Selection.choose(List.of(BOARD_A), DeviceFilter.builder().serial("NOPE").build(), OsFamily.LINUX));
        assertEquals(UsbException.Problem.NO_DEVICE, e.problem());
        assertTrue(e.getMessage().startsWith("No DFU device matches serial NOPE; DFU devices present:"),
                e.getMessage());
        assertTrue(e.getMessage().contains("path 1-2"), e.getMessage());
    }

    @Test
    void aDeviceThatMightMatchButCannotBeOpenedExplainsTheAccessProblem() {
        OpenProblem p = new OpenProblem(TransportException.Kind.ACCESS, "libusb_open: LIBUSB_ERROR_ACCESS",
                UsbAdvice.forOpenFailure(OsFamily.LINUX, TransportException.Kind.ACCESS, 0x0483, 0xdf11,
                        DriverInfo.UNKNOWN));
        DfuDeviceDescription hidden = BOARD_C.withOpenProblem(p);
        UsbException e = assertThrows(UsbException.class,
                () -> Selection.choose(List.of(hidden), DeviceFilter.builder().serial("2061376F5743").build(),
                        OsFamily.LINUX));
        assertEquals(TransportException.Kind.ACCESS, e.kind());
        assertTrue(e.getMessage().startsWith("Cannot open DFU device 0483:df11 at path 1-4: libusb_open:"
                + " LIBUSB_ERROR_ACCESS. Permission denied"), e.getMessage());
        assertTrue(e.advice().orElseThrow().steps().get(0).contains(UsbAdvice.udevRule(0x0483, 0xdf11)));
    }
}
