package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.stm32.Identification;
import io.github.dfu4j.stm32.RomQuirk;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.transport.DfuTransport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * --device-id and --quirk on the device commands: what the user knows and the USB descriptors do not
 * say (the STM32 line behind ambiguous ROM strings, the quirk rows only a device ID selects), against
 * the simulators and their quirk variants (--sim-quirk).
 */
class DeviceIdAndQuirkOptionsTest {
    @TempDir
    Path dir;

    private CliRunner upload(String... extra) {
        List<String> args = new ArrayList<>(List.of("upload", dir.resolve("out.bin").toString(), "--address", "0x08000000",
                "--length", "16", "--sim-time", "virtual"));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(new String[0]));
    }

    /** 80 KiB at 0x08000000: F405 sectors 0-4, including the 64 KiB sector whose erase outlasts three stalled GETSTATUS. */
    private Path fiveSectorImage() throws Exception {
        byte[] data = new byte[80 * 1024];
        new Random(7).nextBytes(data);
        Path bin = dir.resolve("five-sectors.bin");
        Files.write(bin, data);
        return bin;
    }

    @Test
    void deviceIdOfAnotherProfiledLineChangesTheIdentifiedLine() {
        CliRunner plain = upload("--sim", "stm32f405");
        assertEquals(0, plain.exitCode(), plain.err());
        assertTrue(plain.err().contains("dfu: STM32F405/F407/F415/F417 ROM bootloader (ST, bcdDevice 0x2200) at sim:stm32f405"),
                plain.err());
        assertFalse(plain.err().contains("ROM quirks handled"), "only shown when the user gave --device-id/--quirk: " + plain.err());

        CliRunner h7 = upload("--sim", "stm32f405", "--device-id", "0x450");
        assertEquals(0, h7.exitCode(), h7.err());
        assertTrue(h7.err().contains("dfu: STM32H742/H743/H753/H750 (2 MB die) ROM bootloader"), h7.err());
        assertTrue(h7.err().contains("trusting the device ID"), h7.err());
        assertTrue(h7.err().contains("ROM quirks handled: BANK2_ERASE_WEDGE"), h7.err());

        CliRunner own = upload("--sim", "stm32f405", "--device-id", "0x413");
        assertEquals(0, own.exitCode(), own.err());
        assertTrue(own.err().contains("dfu: STM32F405/F407/F415/F417 ROM bootloader"), own.err());
        assertFalse(own.err().contains("device ID 0x413"), "the part's own ID needs no warning: " + own.err());
    }

    @Test
    void deviceIdOfALineWithoutProfileAddsItsQuirkRowsAndSaysSo() {
        CliRunner g4 = upload("--sim", "stm32f405", "--device-id", "0x468");
        assertEquals(0, g4.exitCode(), g4.err());
        assertTrue(g4.err().contains("device ID 0x468 is STM32G431/G441, which has no chip profile"), g4.err());
        assertTrue(g4.err().contains("ROM quirks handled: ") && g4.err().contains("LARGE_BLOCKS_STALL"), g4.err());
    }

    @Test
    void deviceIdNobodyKnowsIsAWarningNotASilentNoOp() {
        CliRunner r = upload("--sim", "stm32f405", "--device-id", "0x999");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("device ID 0x999 is in neither dfu4j's chip profiles nor its quirks table"), r.err());
    }

    @Test
    void deviceIdOnMbootIsIgnoredWithAWarning() {
        CliRunner r = upload("--sim", "mboot-pybd-sf6", "--device-id", "0x451");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("--device-id 0x451 is ignored") && r.err().contains("mboot"), r.err());
    }

    static Stream<Arguments> badDeviceIds() {
        // every device command shares DeviceOptions; the value is refused before a device is opened
        List<List<String>> commands = List.of(
                List.of("upload", "x.bin", "--address", "0x08000000", "--length", "16"),
                List.of("erase", "--address", "0x08000000", "--length", "16"),
                List.of("leave"),
                List.of("flash", "../examples/firmware/blinky-f405.dfu"),
                List.of("option-bytes", "show"),
                List.of("unprotect", "--force"));
        List<Arguments> out = new ArrayList<>();
        String[] bad = {"413", "0xZZZ", "0x1000", "0x0", "0x-1", ""};
        for (int i = 0; i < bad.length; i++) {
            out.add(Arguments.of(commands.get(i % commands.size()), bad[i]));
        }
        for (List<String> c : commands) {
            out.add(Arguments.of(c, "0x4131"));
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("badDeviceIds")
    void badDeviceIdsAreUsageErrorsOnEveryDeviceCommand(List<String> command, String value) {
        List<String> args = new ArrayList<>(command);
        args.addAll(List.of("--sim", "stm32f405", "--sim-time", "virtual", "--device-id", value));
        CliRunner r = CliRunner.run(args.toArray(new String[0]));
        assertEquals(2, r.exitCode(), command + " " + value + ": " + r.err());
        assertTrue(r.err().contains("--device-id takes the chip's 12-bit DEV_ID in hex"), r.err());
        assertFalse(r.err().contains("ROM bootloader"), "refused before the device was identified: " + r.err());
    }

    @Test
    void unknownQuirkIsAUsageErrorListingTheTable() {
        CliRunner r = upload("--sim", "stm32f405", "--quirk", "STALLS_WHILE_ERASING");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("unknown quirk 'STALLS_WHILE_ERASING'"), r.err());
        for (RomQuirk q : RomQuirk.values()) {
            assertTrue(r.err().contains(q.name()), "lists " + q + ": " + r.err());
        }
        CliRunner sim = upload("--sim", "stm32f405", "--sim-quirk", "nope");
        assertEquals(2, sim.exitCode(), sim.err());
        assertTrue(sim.err().contains("unknown quirk 'nope' for --sim-quirk"), sim.err());
    }

    @Test
    void simQuirkNeedsSim() {
        CliRunner r = CliRunner.run("leave", "--sim-quirk", "SKIPS_DNBUSY", "--wait", "0");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("need --sim CHIP"), r.err());
    }

    @Test
    void anL4StyleRomFlashesOnlyWithTheQuirkOrItsDeviceId() throws Exception {
        Path image = fiveSectorImage();
        String[] l4Sim = {"--sim", "stm32f405", "--sim-time", "virtual", "--sim-quirk", "stalls-getstatus-while-erasing"};

        CliRunner without = flash(image, l4Sim);
        assertEquals(1, without.exitCode(), without.err());
        assertTrue(without.err().contains("GETSTATUS failed 4 times in a row"), without.err());

        CliRunner forced = flash(image, l4Sim, "--quirk", "STALLS_GETSTATUS_WHILE_ERASING");
        assertEquals(0, forced.exitCode(), forced.err());
        assertTrue(forced.out().contains("Flashed and verified 81920 bytes"), forced.out());
        assertTrue(forced.err().contains("ROM quirks handled: ") && forced.err().contains("STALLS_GETSTATUS_WHILE_ERASING"),
                forced.err());

        CliRunner byId = flash(image, l4Sim, "--device-id", "0x415");
        assertEquals(0, byId.exitCode(), byId.err());
        assertTrue(byId.err().contains("device ID 0x415 is STM32L47x/L48x"), byId.err());
    }

    private static CliRunner flash(Path image, String[] sim, String... extra) {
        List<String> args = new ArrayList<>(List.of("flash", image.toString()));
        args.addAll(List.of(sim));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(new String[0]));
    }

    @Test
    void forcedQuirksReachTheProfileAlsoOfAGenericDevice() {
        DfuTransport t = SimulatedDevices.create("stm32f405").connect();
        Identification id = Identification.identify(t);
        assertFalse(id.profile().quirks().setAddressBeforeLeave());
        Identification forced = Profiles.withUserKnowledge(id, OptionalInt.empty(), Set.of(RomQuirk.LEAVE_NEEDS_SET_ADDRESS));
        assertTrue(forced.quirks().contains(RomQuirk.LEAVE_NEEDS_SET_ADDRESS));
        assertTrue(forced.quirks().containsAll(id.quirks()), "the identified quirks stay");
        assertTrue(forced.profile().quirks().setAddressBeforeLeave(), "the table row's effect is applied");
        assertTrue(forced.profile() instanceof io.github.dfu4j.stm32.Stm32DeviceProfile, "still the F405 profile");

        // a device that is no ST ROM has the generic profile: the table's effect still applies
        Identification generic = new Identification(Identification.Kind.OTHER_DFUSE, "",
                io.github.dfu4j.ops.DeviceProfile.generic(), java.util.Optional.empty(), java.util.Optional.empty(), Set.of(),
                id.device(), List.of(), List.of());
        Identification g = Profiles.withUserKnowledge(generic, OptionalInt.empty(), Set.of(RomQuirk.LARGE_BLOCKS_STALL));
        assertEquals(1024, g.profile().quirks().maxTransferSize().orElseThrow());
        assertEquals(Set.of(RomQuirk.LARGE_BLOCKS_STALL), g.quirks());
    }

    @Test
    void aWarningThatAsksForTheDeviceIdIsFollowedByTheFlagThatGivesIt() {
        DfuTransport t = SimulatedDevices.create("stm32f405").connect();
        Identification id = Identification.identify(t);
        Identification ambiguous = new Identification(id.kind(), id.line(), id.profile(), id.chipId(), id.boardId(), id.quirks(),
                id.device(), id.evidence(), List.of("the ROM strings are also those of X; using Y — pass the device ID if the part is a X"),
                List.of(io.github.dfu4j.ops.Remedy.of(io.github.dfu4j.ops.Remedy.Kind.DEVICE_ID)));
        assertTrue(ambiguous.asksForDeviceId());
        StringWriter w = new StringWriter();
        Profiles.printWarnings(ambiguous, false, "dfu: ", new PrintWriter(w, true));
        assertTrue(w.toString().contains("dfu: hint: give the device ID with --device-id 0xNNN"), w.toString());
        StringWriter given = new StringWriter();
        Profiles.printWarnings(ambiguous, true, "dfu: ", new PrintWriter(given, true));
        assertFalse(given.toString().contains("hint"), given.toString());
        // the CLI decides on the typed remedy, never on the warning's words
        Identification sameWordsNoRemedy = new Identification(id.kind(), id.line(), id.profile(), id.chipId(), id.boardId(),
                id.quirks(), id.device(), id.evidence(), ambiguous.warnings());
        StringWriter words = new StringWriter();
        Profiles.printWarnings(sameWordsNoRemedy, false, "dfu: ", new PrintWriter(words, true));
        assertFalse(words.toString().contains("hint"), words.toString());
    }
}
