package io.github.dfu4j.integration;

import io.github.dfu4j.stm32.internal.Stm32Internals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.EraseResult;
import io.github.dfu4j.ops.FlashOptions;
import io.github.dfu4j.ops.FlashResult;
import io.github.dfu4j.ops.LeaveRequest;
import io.github.dfu4j.ops.LeaveResult;
import io.github.dfu4j.ops.ProgressListener;
import io.github.dfu4j.sim.RunningApplication;
import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.stm32.internal.FlashMap;
import io.github.dfu4j.stm32.Identification;
import io.github.dfu4j.stm32.internal.MbootBoard;
import io.github.dfu4j.layout.Sector;
import io.github.dfu4j.stm32.internal.SpiFlash;
import io.github.dfu4j.stm32.optionbytes.OptionByteImage;
import io.github.dfu4j.stm32.optionbytes.OptionByteLayout;
import io.github.dfu4j.stm32.optionbytes.OptionByteLayouts;
import io.github.dfu4j.stm32.optionbytes.OptionByteReport;
import io.github.dfu4j.transport.DfuTransport;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * End to end on every simulated personality, through identification and the profile it picks:
 * flash + verify + leave of a multi-sector image (across sector-size boundaries, across banks on
 * dual-bank maps, internal + QSPI on mboot), upload, sector erase and mass erase; the simulator's
 * memory is compared with what the operation promised after every call.
 */
class PersonalityFlashTest {

    static Stream<String> ids() {
        return SimulatedDevices.ids().stream().map(SimulatedDevices.Entry::id).filter(id -> !id.startsWith("plain-dfu")); // DfuSe only: plain DFU in PlainDfuPersonalityTest
    }

    private static DfuDevice open(SimulatedDevice d) throws Exception {
        DfuTransport t = d.connect();
        Identification id = Identification.identify(t);
        return id.open(t);
    }

    @ParameterizedTest
    @MethodSource("ids")
    void flashVerifyLeaveStartsTheApplication(String id) throws Exception {
        SimulatedDevice d = SimulatedDevices.create(id, SimOptions.defaults());
        FirmwareImage image = Firmware.multiSector(d, id.hashCode());
        FlashResult r;
        try (DfuDevice dev = open(d)) {
            r = dev.download(image, FlashOptions.builder().leave(LeaveRequest.auto()).build(), ProgressListener.NONE);
        }
        assertTrue(r.verified(), id + " verified");
        assertEquals(image.totalBytes(), r.verification().verifiedBytes() - paddingOf(r, image), id + " every image byte read back");
        Firmware.assertHolds(d, image);
        assertTrue(r.writes().blankBlocksSkipped() > 0, id + ": blank 2 KiB blocks are not sent");
        assertTrue(r.writes().erased().size() >= 3, id + ": several sectors erased, got " + r.writes().erased());
        LeaveResult leave = r.leave().orElseThrow();
        assertTrue(leave.left(), id + " left DFU mode: " + leave);
        RunningApplication app = d.runningApplication().orElseThrow(() -> new AssertionError(id + ": no application runs"));
        long base = Firmware.appBase(d);
        assertEquals(base, app.vectorTable(), id + " vector table");
        assertEquals(Firmware.resetVector(base, Firmware.HANDLER), app.entryPoint(), id + " reset handler");
        assertFalse(d.inDfuMode(), id + " is off the bus running the application");
    }

    @org.junit.jupiter.api.Test
    void f767InDualBankModeFlashesVerifiesAndLeavesAcrossTheBankBoundary() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f767", SimOptions.defaults().withFlashMode("dual"));
        // the option bytes say what the map is: nDBANK=0 (dual bank)
        OptionByteLayout ob = OptionByteLayouts.forChip(Stm32Internals.chipOf(d).id()).orElseThrow();
        OptionByteLayout.Block block = ob.blocks().get(0);
        OptionByteReport report = ob.decode(OptionByteImage.of(d.readMemory(block.address(), (int) block.size())), "sim");
        assertEquals(0L, report.value("nDBANK"), "dual-bank map, nDBANK=0");
        assertEquals(1L, ob.decode(OptionByteImage.of(SimulatedDevices.create("stm32f767").readMemory(block.address(),
                (int) block.size())), "sim").value("nDBANK"), "factory single-bank map, nDBANK=1");

        Identification ident = Identification.identify(d.connect());
        assertTrue(ident.evidence().stream().anyMatch(e -> e.contains("dual")), ident.evidence().toString());
        FirmwareImage image = Firmware.multiSector(d, 767);
        assertTrue(image.segments().stream().anyMatch(s -> s.address() < 0x0810_0000L && s.end() > 0x0810_0000L),
                "a segment crosses the bank boundary");
        FlashResult r;
        try (DfuDevice dev = open(d)) {
            r = dev.download(image, FlashOptions.builder().leave(LeaveRequest.auto()).build(), ProgressListener.NONE);
        }
        assertTrue(r.verified());
        Firmware.assertHolds(d, image);
        // 16 KiB sectors on both sides of the boundary: sector 11 (128 KiB, bank 1 end) and sector 12 (16 KiB, bank 2 start)
        assertTrue(r.writes().erased().stream().anyMatch(e -> e.start() == 0x080E_0000L && e.end() == 0x0810_0000L), r.writes().erased().toString());
        assertTrue(r.writes().erased().stream().anyMatch(e -> e.start() == 0x0810_0000L && e.end() == 0x0810_4000L), r.writes().erased().toString());
        assertTrue(r.leave().orElseThrow().left());
        assertEquals(0x0800_0000L, d.runningApplication().orElseThrow().vectorTable());
    }

    @org.junit.jupiter.api.Test
    void aFlashBeyondTheFlashOfASmallerPartOfTheDieGetsANoteOnlyThen() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        Identification ident = Identification.identify(d.connect());
        assertTrue(ident.warnings().stream().noneMatch(w -> w.contains("die")), "no warning on every flash: " + ident.warnings());
        assertTrue(ident.evidence().stream().anyMatch(w -> w.contains("whole die (1024 KiB at 0x08000000)")
                && w.contains("STM32F405xE/F407xE (512 KiB)")), ident.evidence().toString());

        FirmwareImage small = FirmwareImage.of(Segment.of(0x0800_0000L, Firmware.random(64 * 1024, 11)));
        FlashResult r;
        io.github.dfu4j.ops.DeviceProfile p;
        try (DfuDevice dev = open(d)) {
            p = dev.profile();
            r = dev.download(small, FlashOptions.defaults(), ProgressListener.NONE);
        }
        assertTrue(notes(p, r).isEmpty(), notes(p, r).toString());

        // 0x08080000 is the first byte a 512 KiB F405xE does not have
        FirmwareImage beyond = FirmwareImage.of(Segment.of(0x0807_F000L, Firmware.random(8192, 12)));
        try (DfuDevice dev = open(d)) {
            p = dev.profile();
            r = dev.download(beyond, FlashOptions.defaults(), ProgressListener.NONE);
        }
        assertTrue(r.warnings().stream().noneMatch(x -> x.contains("die")), "a note, not a warning: " + r.warnings());
        String w = String.join("\n", notes(p, r));
        assertTrue(w.contains("writes flash at 0x08080000, outside the flash of STM32F405xE/F407xE (512 KiB) on this die"), w);
        Firmware.assertHolds(d, beyond); // the simulated part has the whole die: the flash itself works

        // H743 die: 0x08040000 is beyond an H750 (128 KiB), not beyond an H743xG (1 MiB)
        SimulatedDevice h = SimulatedDevices.create("stm32h743");
        try (DfuDevice dev = open(h)) {
            p = dev.profile();
            r = dev.download(FirmwareImage.of(Segment.of(0x0804_0000L, Firmware.random(4096, 13))), FlashOptions.defaults(),
                    ProgressListener.NONE);
        }
        w = String.join("\n", notes(p, r));
        assertTrue(w.contains("outside the flash of STM32H750xB (128 KiB) on this die"), w);
        assertFalse(w.contains("H743xG"), w);

        // bank 2 of a 1 MiB H743xG starts at 0x08100000 like the die's (512 KiB per bank): a write there
        // is fine on an xG, one at 0x08080000 (past its bank 1) is not
        SimulatedDevice h2 = SimulatedDevices.create("stm32h743");
        try (DfuDevice dev = open(h2)) {
            p = dev.profile();
            r = dev.download(FirmwareImage.of(Segment.of(0x0810_0000L, Firmware.random(4096, 14))), FlashOptions.defaults(),
                    ProgressListener.NONE);
        }
        w = String.join("\n", notes(p, r));
        assertTrue(w.contains("STM32H750xB"), w);
        assertFalse(w.contains("H743xG"), w);
        SimulatedDevice h3 = SimulatedDevices.create("stm32h743");
        try (DfuDevice dev = open(h3)) {
            p = dev.profile();
            r = dev.download(FirmwareImage.of(Segment.of(0x0808_0000L, Firmware.random(4096, 15))), FlashOptions.defaults(),
                    ProgressListener.NONE);
        }
        w = String.join("\n", notes(p, r));
        assertTrue(w.contains("writes flash at 0x08080000, outside the flash of STM32H750xB (128 KiB), STM32H742xG/H743xG (1 MiB)"), w);
    }

    /** The die-variant notes of a download (Stm32DeviceProfile.writeNotes over the blocks it sent). */
    private static java.util.List<String> notes(io.github.dfu4j.ops.DeviceProfile p, FlashResult r) {
        assertTrue(p instanceof io.github.dfu4j.stm32.Stm32DeviceProfile, p.name());
        return r.notes();
    }

    /** Bytes verified beyond the image: 0xFF gaps between segments of one run and the padding to the programming unit. */
    private static long paddingOf(FlashResult r, FirmwareImage image) {
        long written = r.writes().written().stream().mapToLong(w -> w.end() - w.start()).sum();
        return written - image.totalBytes();
    }

    @ParameterizedTest
    @MethodSource("ids")
    void uploadReadsWhatIsInMemory(String id) throws Exception {
        SimulatedDevice d = SimulatedDevices.create(id, SimOptions.defaults());
        long base = Firmware.appBase(d);
        byte[] content = Firmware.random(3 * 4096 + 77, 7);
        d.writeMemory(base, content);
        byte[] spiContent = Firmware.random(5000, 8);
        List<SpiFlash> spi = Stm32Internals.mbootBoardOf(d).map(MbootBoard::spiFlash).orElse(List.of());
        spi.forEach(s -> d.writeMemory(s.address() + 100, spiContent));
        try (DfuDevice dev = open(d)) {
            assertArrayEquals(content, dev.upload(0, base, content.length, ProgressListener.NONE), id);
            for (SpiFlash s : spi) {
                assertArrayEquals(spiContent, dev.upload(0, s.address() + 100, spiContent.length, ProgressListener.NONE),
                        id + " " + s.name());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("ids")
    void eraseClearsExactlyTheSectorsOfTheRange(String id) throws Exception {
        SimulatedDevice d = SimulatedDevices.create(id, SimOptions.defaults());
        FlashMap map = Firmware.flashMap(d);
        List<Sector> sectors = map.sectors().stream().filter(s -> s.start() >= Firmware.appBase(d)).limit(4).toList();
        for (Sector s : sectors) {
            d.writeMemory(s.start(), Firmware.random((int) s.size(), s.start()));
        }
        // a range from inside sector 1 to inside sector 2 erases both, and only them
        Sector s1 = sectors.get(1);
        Sector s2 = sectors.get(2);
        EraseResult r;
        try (DfuDevice dev = open(d)) {
            r = dev.erase(0, s1.start() + 100, s2.start() + 1, ProgressListener.NONE);
        }
        assertEquals(2, r.erased().size(), id + " " + r.erased());
        assertTrue(d.isErased(s1.start(), (int) s1.size()), id + " " + s1);
        assertTrue(d.isErased(s2.start(), (int) s2.size()), id + " " + s2);
        assertArrayEquals(Firmware.random((int) sectors.get(0).size(), sectors.get(0).start()),
                d.readMemory(sectors.get(0).start(), (int) sectors.get(0).size()), id + " sector before the range kept");
        assertArrayEquals(Firmware.random((int) sectors.get(3).size(), sectors.get(3).start()),
                d.readMemory(sectors.get(3).start(), (int) sectors.get(3).size()), id + " sector after the range kept");
    }

    @ParameterizedTest
    @MethodSource("ids")
    void massEraseClearsTheFlash(String id) throws Exception {
        SimulatedDevice d = SimulatedDevices.create(id, SimOptions.defaults());
        FlashMap map = Firmware.flashMap(d);
        long base = map.base();
        long appBase = Firmware.appBase(d);
        long end = Stm32Internals.mbootBoardOf(d).map(MbootBoard::internalFlashEnd).orElse(map.end());
        byte[] bootloader = Firmware.random((int) (appBase - base), 3);
        if (bootloader.length > 0) {
            d.writeMemory(base, bootloader); // mboot itself
        }
        d.writeMemory(appBase, Firmware.random(4096, 4));
        d.writeMemory(end - 4096, Firmware.random(4096, 5));
        byte[] spiContent = Firmware.random(4096, 6);
        List<SpiFlash> spi = Stm32Internals.mbootBoardOf(d).map(MbootBoard::spiFlash).orElse(List.of());
        spi.forEach(s -> d.writeMemory(s.address(), spiContent));
        EraseResult r;
        try (DfuDevice dev = open(d)) {
            r = dev.massErase(0, ProgressListener.NONE);
        }
        assertTrue(r.massErase(), id);
        assertTrue(d.isErased(appBase, (int) (end - appBase)), id + " application flash erased");
        if (bootloader.length > 0) {
            assertArrayEquals(bootloader, d.readMemory(base, bootloader.length), id + ": mboot skips its own sectors");
        }
        for (SpiFlash s : spi) {
            assertArrayEquals(spiContent, d.readMemory(s.address(), spiContent.length), id + ": mboot never mass-erases SPI flash");
        }
    }

    /** The committed MicroPython-style firmware: one .dfu, two elements (internal flash + QSPI), one call. */
    @org.junit.jupiter.api.Test
    void pybdTwoRegionDfuFileInOneCall() throws Exception {
        java.nio.file.Path file = Firmware.example("pybd-sf2-two-region.dfu").orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(file != null, "examples/firmware not in this checkout");
        FirmwareImage image = io.github.dfu4j.formats.FirmwareFiles.read(file);
        assertEquals(2, image.segments().size());
        assertEquals(0x9000_0000L, image.segments().get(1).address());
        SimulatedDevice d = SimulatedDevices.create("mboot-pybd-sf2", SimOptions.defaults());
        FlashResult r;
        try (DfuDevice dev = open(d)) {
            r = dev.download(image, FlashOptions.builder().leave(LeaveRequest.auto()).build(), ProgressListener.NONE);
        }
        assertTrue(r.verified());
        Firmware.assertHolds(d, image);
        assertTrue(r.writes().erased().stream().anyMatch(e -> e.start() == 0x9000_0000L), "QSPI page erased: " + r.writes().erased());
        assertEquals(0x0800_8000L, d.runningApplication().orElseThrow().vectorTable());
        for (Segment s : image.segments()) {
            assertTrue(r.writes().written().stream().anyMatch(w -> w.start() <= s.address() && s.end() <= w.end()), s.toString());
        }
    }
}
