package io.github.dfu4j.stm32;

import io.github.dfu4j.stm32.internal.Stm32Internals;
import io.github.dfu4j.stm32.internal.Stm32Profiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.dfu.FunctionalDescriptor;
import io.github.dfu4j.ops.DeviceProfile;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.LeaveMode;
import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DeviceInfo;
import io.github.dfu4j.transport.DfuTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Stm32IdentifierTest {

    static Stream<String> ids() {
        return SimulatedDevices.ids().stream().map(SimulatedDevices.Entry::id).filter(id -> !id.startsWith("plain-dfu")); // plain DFU: PlainDfuPersonalityTest
    }

    private static final byte[] DFUSE_2048 = FunctionalDescriptor.dfuse(2048).toBytes();

    private static List<AltSetting> alts(String... strings) {
        List<AltSetting> out = new ArrayList<>();
        for (int i = 0; i < strings.length; i++) {
            out.add(new AltSetting(i, strings[i]));
        }
        return out;
    }

    private static DeviceInfo st(int bcd, String product) {
        return new DeviceInfo(0x0483, 0xDF11, bcd, "STMicroelectronics", product, "123456789ABC", "1-2", true);
    }

    @ParameterizedTest
    @MethodSource("ids")
    void everyPersonalityIsIdentifiedWithoutSendingARequest(String id) {
        SimulatedDevice d = SimulatedDevices.create(id, SimOptions.defaults());
        DfuTransport t = d.connect();
        long before = d.stats().requests();
        Identification ident = Identification.identify(t);
        assertEquals(before, d.stats().requests(), "identification is pure");
        assertTrue(d.trace().isEmpty());
        Stm32DeviceProfile p = ident.stm32Profile().orElseThrow();
        if (id.startsWith("mboot")) {
            assertEquals(Identification.Kind.MBOOT, ident.kind());
            // PYBD-SF2 and SF3 report identical strings and behave identically: SF2's profile for both
            String expectedBoard = id.equals("mboot-pybd-sf3") ? "mboot-pybd-sf2" : id;
            assertEquals(expectedBoard, ident.board().orElseThrow().id());
            assertEquals(LeaveMode.IGNORED_RESETS, p.leaveMode());
        } else {
            assertEquals(Identification.Kind.ST_ROM, ident.kind());
            assertEquals(id, ident.chip().orElseThrow().id());
            assertEquals(Stm32Internals.chipOf(d).line(), ident.line());
            assertEquals(Stm32DeviceProfiles.forChip(Stm32Internals.chipOf(d)), p);
        }
        assertFalse(ident.evidence().isEmpty());
        assertEquals(ident.describe(), ident.toString());
    }

    @Test
    void oneLineDescriptions() {
        assertEquals("STM32F405/F407/F415/F417 ROM bootloader (ST, bcdDevice 0x2200)",
                Identification.identify(SimulatedDevices.create("stm32f405").connect()).describe());
        assertEquals("STM32H742/H743/H753/H750 (2 MB die) ROM bootloader (ST, bcdDevice 0x0200)",
                Identification.identify(SimulatedDevices.create("stm32h743").connect()).describe());
        assertEquals("MicroPython mboot on PYBD-SF6 (STM32F767IIK) (bcdDevice 0x0300)",
                Identification.identify(SimulatedDevices.create("mboot-pybd-sf6").connect()).describe());
        assertEquals("MicroPython mboot on PYBD-SF2 (STM32F722IEK) or PYBD-SF3 (STM32F733IEK) (bcdDevice 0x0300)",
                Identification.identify(SimulatedDevices.create("mboot-pybd-sf3").connect()).describe());
    }

    @Test
    void h7RomStringsDescribeTheWholeDieAndSaySo() {
        Identification id = Identification.identify(SimulatedDevices.create("stm32h743").connect());
        String e = String.join("\n", id.evidence());
        assertTrue(e.contains("whole die (2048 KiB at 0x08000000)"), e);
        assertTrue(e.contains("STM32H750xB (128 KiB), STM32H742xG/H743xG (1 MiB)"), e);
        assertTrue(id.warnings().stream().noneMatch(w -> w.contains("die")), "evidence, not a warning: " + id.warnings());
        assertTrue(id.quirks().contains(RomQuirk.BANK2_ERASE_WEDGE));
    }

    @Test
    void mbootOverClaimIsCorrectedAndStatedAsEvidenceNotAWarning() {
        Identification id = Identification.identify(SimulatedDevices.create("mboot-pybd-sf2").connect());
        assertTrue(id.warnings().isEmpty(), "facts of the board the profile corrects itself: " + id.warnings());
        String w = String.join("\n", id.evidence());
        assertTrue(w.contains("advertises 1024 KiB of internal flash (0x08000000-0x080fffff) but has 512 KiB"), w);
        assertTrue(w.contains("0x08000000-0x08007fff is mboot on PYBD-SF2 (STM32F722IEK) itself"), w);
        assertTrue(String.join("\n", id.evidence()).contains("report identical strings"), id.evidence().toString());
    }

    @Test
    void dualBankF767IsTheF767InDualBankModeNotAnF429() {
        Identification id = Identification.identify(
                SimulatedDevices.create("stm32f767", SimOptions.defaults().withFlashMode("dual")).connect());
        assertEquals("stm32f767", id.chip().orElseThrow().id());
        assertTrue(String.join("\n", id.evidence()).contains("in dual mode"), id.evidence().toString());
    }

    @Test
    void identicalStringsOfTwoLinesPickTheProtocolEquivalentProfileAndSaySo() {
        // only alt 0 visible: the F42x 2 MB string is also the F76x dual-bank string
        String dual = Stm32Profiles.STM32F429.defaultFlashMap().romLayout();
        Identification id = Identification.identify(st(0x2200, "STM32  BOOTLOADER"), alts(dual), DFUSE_2048,
                OptionalInt.empty());
        assertEquals("stm32f429", id.chip().orElseThrow().id());
        String w = String.join("\n", id.warnings());
        assertTrue(w.contains("also those of STM32F765/F767/F769/F777/F779 (2 MB); its DfuSe behaviour is identical"), w);
    }

    @Test
    void olderF4BootloaderWithGTypedAltSettings() {
        Identification id = Identification.identify(st(0x2100, "STM32  BOOTLOADER"),
                alts("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg", "@Option Bytes  /0x1FFFC000/01*016 g",
                        "@OTP Memory /0x1FFF7800/01*512 g,01*016 g", "@Device Feature/0xFFFF0000/01*004 g"),
                DFUSE_2048, OptionalInt.empty());
        assertEquals("stm32f405", id.chip().orElseThrow().id());
        assertTrue(String.join("\n", id.evidence()).contains("bcdDevice 0x2100"), id.evidence().toString());
    }

    @Test
    void unlistedStRomGetsTheTolerantProfileAndADeviceIdSelectsItsQuirks() {
        DeviceInfo g4 = st(0x2200, "DFU in FS Mode");
        List<AltSetting> strings = alts("@Internal Flash   /0x08000000/64*02Kg", "@Option Bytes   /0x1FFF7800/01*048 e/0x1FFFF800/01*048 e");
        byte[] fd1024 = FunctionalDescriptor.dfuse(1024).toBytes();
        Identification unknown = Identification.identify(g4, strings, fd1024, OptionalInt.empty());
        assertEquals(Identification.Kind.ST_ROM, unknown.kind());
        assertTrue(unknown.chip().isEmpty());
        assertEquals("ST ROM bootloader of an unlisted STM32 line (bcdDevice 0x2200)", unknown.describe());
        Stm32DeviceProfile p = unknown.stm32Profile().orElseThrow();
        assertTrue(p.quirks().statusStallsWhileBusy());
        assertTrue(p.quirks().setAddressBeforeLeave());
        assertTrue(p.quirks().deviceMaySkipBusy());
        assertTrue(p.quirks().clearStatusOnlyInError());
        assertFalse(p.quirks().wedgedErase().recover());
        assertTrue(p.quirks().maxTransferSize().isEmpty(), "no blind cap: it would break block addressing at 2048");
        assertTrue(unknown.warnings().get(0).contains("no STM32 profile matches alt 0"), unknown.warnings().toString());

        Identification known = Identification.identify(g4, strings, fd1024, OptionalInt.of(0x468));
        assertEquals("STM32G431/G441", known.line());
        assertTrue(known.quirks().contains(RomQuirk.LARGE_BLOCKS_STALL));
        assertEquals(1024, known.profile().quirks().maxTransferSize().getAsInt());
        assertEquals("STM32G431/G441 ROM bootloader (ST, bcdDevice 0x2200)", known.describe());

        Identification c071 = Identification.identify(st(0x2200, "STM32  BOOTLOADER"), strings, DFUSE_2048, OptionalInt.of(0x493));
        assertTrue(c071.profile().quirks().setAddressBeforeLeave());
        assertTrue(c071.quirks().contains(RomQuirk.LEAVE_NEEDS_SET_ADDRESS));
    }

    @Test
    void aTransferSizeOtherThanTheTablesIsReportedAndHonoured() {
        SimulatedDevice g4like = SimulatedDevices.create("stm32f072", SimOptions.defaults().withTransferSize(1024));
        Identification id = Identification.identify(g4like.connect());
        assertEquals("stm32f072", id.chip().orElseThrow().id());
        assertTrue(String.join("\n", id.warnings()).contains("wTransferSize 1024 differs from the stm32f072 ROM's 2048"),
                id.warnings().toString());
        assertEquals(1024, id.profile().quirks().effectiveTransferSize(1024));
    }

    @Test
    void aDeviceIdOverridesStringsThatSayOtherwise() {
        SimulatedDevice f405 = SimulatedDevices.create("stm32f405");
        Identification id = Identification.identify(f405.connect(), OptionalInt.of(0x449));
        assertEquals("stm32f746", id.chip().orElseThrow().id());
        assertTrue(String.join("\n", id.warnings()).contains("trusting the device ID"), id.warnings().toString());
    }

    @Test
    void aDeviceIdThatCannotHelpIsSaidToChangeNothingOrOnlyAddQuirks() {
        SimulatedDevice f405 = SimulatedDevices.create("stm32f405");
        Identification same = Identification.identify(f405.connect(), OptionalInt.of(0x413));
        assertTrue(same.warnings().stream().noneMatch(w -> w.contains("0x413")), same.warnings().toString());

        Identification unknown = Identification.identify(SimulatedDevices.create("stm32f405").connect(), OptionalInt.of(0x123));
        assertTrue(unknown.warnings().contains("device ID 0x123 is in neither dfu4j's chip profiles nor its quirks table,"
                + " so it changes nothing; check the number (e.g. 0x413 is STM32F405/F407)"), unknown.warnings().toString());

        Identification g4 = Identification.identify(SimulatedDevices.create("stm32f405").connect(), OptionalInt.of(0x468));
        String w = String.join("\n", g4.warnings());
        assertTrue(w.contains("device ID 0x468 is ") && w.contains("which has no chip profile; its rows of the quirks table"
                + " are added to the " + g4.line() + " profile the ROM strings match"), w);
    }

    @Test
    void otherDevicesGetTheGenericProfile() {
        DeviceInfo gd32 = new DeviceInfo(0x28e9, 0x0189, 0x0100, "GigaDevice", "GD32 DFU", "", "1-3", true);
        Identification other = Identification.identify(gd32, alts("@Internal Flash  /0x08000000/128*001Kg"), DFUSE_2048,
                OptionalInt.empty());
        assertEquals(Identification.Kind.OTHER_DFUSE, other.kind());
        assertSame(DeviceProfile.generic(), other.profile());
        assertTrue(other.describe().startsWith("DfuSe device 28e9:0189 \"GigaDevice GD32 DFU\""), other.describe());

        byte[] plain = new FunctionalDescriptor(0x0B, 255, 1024, FunctionalDescriptor.BCD_DFU_1_1).toBytes();
        Identification dfu11 = Identification.identify(new DeviceInfo(0x1209, 0x2002, 0x0100, "", "board", "", "1-4", true),
                alts("flash"), plain, OptionalInt.empty());
        assertEquals(Identification.Kind.PLAIN_DFU, dfu11.kind());

        Identification runtime = Identification.identify(new DeviceInfo(0x0483, 0x5740, 0x0200, "STMicroelectronics", "app",
                "", "1-5", false), alts(), plain, OptionalInt.empty());
        assertEquals(Identification.Kind.UNKNOWN, runtime.kind());
        assertTrue(runtime.warnings().get(0).contains("run-time"));

        Identification broken = Identification.identify(st(0x2200, "STM32  BOOTLOADER"), alts("@x"), new byte[] {9, 0x21, 0},
                OptionalInt.empty());
        assertEquals(Identification.Kind.UNKNOWN, broken.kind());
        assertTrue(broken.warnings().get(0).startsWith("no usable DFU functional descriptor"), broken.warnings().toString());
    }

    @Test
    void mbootWithOtherSpiFlashesIsTheBoardOfItsInternalZone() {
        DeviceInfo info = new DeviceInfo(0x0483, 0xDF11, 0x0300, "MicroPython", "Pyboard DFU", "", "1-7", true);
        String eightMb = "@Internal Flash  /0x08000000/04*032Kg,01*128Kg,07*256Kg/0x80000000/2048*4Kg/0x90000000/2048*4Kg";
        Identification id = Identification.identify(info, alts(eightMb), DFUSE_2048, OptionalInt.empty());
        assertEquals("mboot-pybd-sf6", id.board().orElseThrow().id());
        assertTrue(String.join("\n", id.warnings()).contains("external zones differ"), id.warnings().toString());
    }

    @Test
    void mbootOnAnUnlistedBoardIsStillMboot() {
        DeviceInfo info = new DeviceInfo(0x0483, 0xDF11, 0x0300, "MicroPython", "Pyboard DFU", "", "1-6", true);
        Identification id = Identification.identify(info, alts("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,03*128Kg"),
                DFUSE_2048, OptionalInt.empty());
        assertEquals(Identification.Kind.MBOOT, id.kind());
        assertEquals(LeaveMode.IGNORED_RESETS, id.profile().leaveMode());
        assertEquals("MicroPython mboot on an unlisted board (bcdDevice 0x0300)", id.describe());
    }

    @Test
    void probeAddsGetCommands() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        DfuTransport t = d.connect();
        try (DfuDevice dev = Identification.identify(t).open(t)) {
            Identification id = Identification.probe(dev, OptionalInt.empty());
            assertTrue(id.evidence().contains("GET_COMMANDS 00 21 41 92: the ST system bootloader's command set"), id.evidence().toString());
            assertEquals(io.github.dfu4j.dfu.DfuState.DFU_IDLE, dev.status().state(), "usable afterwards");
        }
    }

    @Test
    void probeKeepsTheRemediesOfTheIdentification() {
        Identification id = Identification.identify(SimulatedDevices.create("stm32f405").connect());
        Identification ambiguous = new Identification(id.kind(), id.line(), id.profile(), id.chipId(), id.boardId(),
                id.quirks(), id.device(), id.evidence(), List.of("two lines share these strings"),
                List.of(io.github.dfu4j.ops.Remedy.of(io.github.dfu4j.ops.Remedy.Kind.DEVICE_ID)));
        Identification more = ambiguous.plus(List.of("GET_COMMANDS 00 21 41 92"), List.of("another warning"));
        assertTrue(more.asksForDeviceId(), "the device-ID hint survives probe's added evidence");
        assertEquals(ambiguous.remedies(), more.remedies());
        assertEquals(List.of("two lines share these strings", "another warning"), more.warnings());
        assertTrue(more.evidence().contains("GET_COMMANDS 00 21 41 92"));
    }
}
