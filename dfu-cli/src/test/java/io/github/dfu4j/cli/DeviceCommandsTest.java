package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.formats.FirmwareFiles;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The device commands end to end against the built-in simulators (virtual time). */
class DeviceCommandsTest {
    static final Path FIRMWARE = Path.of("..", "examples", "firmware");

    @TempDir
    Path dir;

    private CliRunner dfu(String... args) {
        return CliRunner.run(args);
    }

    @Test
    void mainJobFlashesTheShippedFirmwareAndReadsItBack() throws Exception {
        Path state = dir.resolve("f405.state");
        Path firmware = FIRMWARE.resolve("blinky-f405.dfu");
        CliRunner flash = dfu("flash", firmware.toString(), "--sim", "stm32f405", "--sim-time", "virtual",
                "--sim-state", state.toString(), "--json");
        assertEquals(0, flash.exitCode(), flash.err());
        assertTrue(flash.out().contains("\"verified\":true"), flash.out());
        assertTrue(Files.exists(state), "state saved");

        FirmwareImage image = FirmwareFiles.read(firmware);
        Segment segment = image.segments().get(0);
        Path readBack = dir.resolve("back.bin");
        CliRunner upload = dfu("upload", readBack.toString(), "--address", "0x08000000", "--length", String.valueOf(segment.length()),
                "--sim", "stm32f405", "--sim-time", "virtual", "--sim-state", state.toString());
        assertEquals(0, upload.exitCode(), upload.err());
        assertArrayEquals(segment.bytes(), Files.readAllBytes(readBack));
    }

    @Test
    void leaveStartsTheApplicationOnAnF4() {
        CliRunner flash = dfu("flash", FIRMWARE.resolve("blinky-f405.hex").toString(), "--sim", "stm32f405", "--sim-time", "virtual",
                "--leave", "--json");
        assertEquals(0, flash.exitCode(), flash.err());
        assertTrue(flash.out().contains("\"outcome\":\"LEFT\""), flash.out());
        assertTrue(flash.out().contains("\"address\":\"0x08000000\""), flash.out());
    }

    @Test
    void withoutSimThereIsNoSilentFallback() {
        CliRunner flash = dfu("flash", FIRMWARE.resolve("blinky-f405.dfu").toString(), "--device", "0483:df11", "--wait", "0");
        assertEquals(4, flash.exitCode(), flash.err());
    }

    @Test
    void simOnlyOptionsNeedSim() {
        CliRunner flash = dfu("flash", FIRMWARE.resolve("blinky-f405.dfu").toString(), "--sim-state", dir.resolve("s").toString());
        assertEquals(2, flash.exitCode(), flash.err());
    }

    @Test
    void unknownSimulatorIsUsageError() {
        CliRunner flash = dfu("flash", FIRMWARE.resolve("blinky-f405.dfu").toString(), "--sim", "stm32z999");
        assertEquals(2, flash.exitCode());
        assertTrue(flash.err().contains("dfu list --sim"), flash.err());
    }

    @Test
    void outOfLayoutImageFailsBeforeTouchingTheDevice() throws Exception {
        Path hex = dir.resolve("far.hex");
        FirmwareFiles.write(hex, FirmwareImage.of(Segment.of(0x20000000L, new byte[] {1, 2, 3, 4})),
                io.github.dfu4j.formats.FirmwareFormat.INTEL_HEX, io.github.dfu4j.formats.WriteOptions.defaults());
        CliRunner flash = dfu("flash", hex.toString(), "--sim", "stm32f405", "--sim-time", "virtual");
        assertEquals(1, flash.exitCode(), flash.err());
        String last = flash.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("dfu: ") && last.contains("0x20000000") && last.contains("outside the memory layout"), flash.err());
        assertTrue(!flash.err().contains("\tat "), "no stack trace without --verbose: " + flash.err());
    }

    @Test
    void massEraseNeedsForce() {
        CliRunner erase = dfu("erase", "--mass-erase", "--sim", "stm32f405", "--sim-time", "virtual");
        assertEquals(2, erase.exitCode());
        CliRunner forced = dfu("erase", "--mass-erase", "--force", "--sim", "stm32f405", "--sim-time", "virtual");
        assertEquals(0, forced.exitCode(), forced.err());
    }

    @Test
    void listSimShowsPersonalities() {
        CliRunner list = dfu("list", "--sim");
        assertEquals(0, list.exitCode());
        assertTrue(list.out().contains("stm32f405") && list.out().contains("stm32h743") && list.out().contains("mboot-pybd-sf2"), list.out());
    }

    @Test
    void aRecordedSessionReplaysWithoutTheDevice() throws Exception {
        Path recording = dir.resolve("session.txt");
        String firmware = FIRMWARE.resolve("blinky-f405.dfu").toString();
        CliRunner recorded = dfu("flash", firmware, "--sim", "stm32f405", "--sim-time", "virtual", "--record", recording.toString());
        assertEquals(0, recorded.exitCode(), recorded.err());
        assertTrue(Files.size(recording) > 0);
        CliRunner replayed = dfu("flash", firmware, "--replay", recording.toString());
        assertEquals(0, replayed.exitCode(), replayed.err());
        assertTrue(replayed.out().contains("Flashed and verified"), replayed.out());

        Path other = dir.resolve("other.hex");
        FirmwareFiles.write(other, FirmwareImage.of(Segment.of(0x08000000L, new byte[] {1, 2, 3, 4})),
                io.github.dfu4j.formats.FirmwareFormat.INTEL_HEX, io.github.dfu4j.formats.WriteOptions.defaults());
        CliRunner mismatch = dfu("flash", other.toString(), "--replay", recording.toString());
        assertEquals(ExitCode.INVALID_INPUT, mismatch.exitCode(), "a different image does not match the recording: " + mismatch.err());
        assertTrue(mismatch.err().contains("session.txt:17: expected out DNLOAD 2 ") && !mismatch.err().contains("\tat "), mismatch.err());
    }

    @Test
    void h7LeaveUsesTheResetHandlerNotTheFlashBase() {
        // docs/troubleshooting.md 001: an H7 ROM branches to the leave address, so it must be the application's reset handler
        CliRunner flash = dfu("flash", FIRMWARE.resolve("blinky-h743.dfu").toString(), "--sim", "stm32h743", "--sim-time", "virtual",
                "--leave", "--json");
        assertEquals(0, flash.exitCode(), flash.err());
        assertTrue(flash.out().contains("\"addressSource\":\"RESET_VECTOR\""), flash.out());
        assertTrue(!flash.out().contains("\"address\":\"0x08000000\""), flash.out());
        assertTrue(flash.out().contains("\"outcome\":\"LEFT\"") || flash.out().contains("\"outcome\":\"DISCONNECTED\""), flash.out());
    }

    @Test
    void pyboardDTwoRegionDfuFlashesInOneCommand() throws Exception {
        Path state = dir.resolve("sf2.state");
        CliRunner flash = dfu("flash", FIRMWARE.resolve("pybd-sf2-two-region.dfu").toString(), "--sim", "mboot-pybd-sf2",
                "--sim-time", "virtual", "--sim-state", state.toString(), "--json");
        assertEquals(0, flash.exitCode(), flash.err());
        assertTrue(flash.out().contains("\"start\":\"0x08008000\"") && flash.out().contains("\"start\":\"0x90000000\""), flash.out());
        FirmwareImage image = FirmwareFiles.read(FIRMWARE.resolve("pybd-sf2-two-region.dfu"));
        for (Segment segment : image.segments()) {
            Path back = dir.resolve("back-" + Long.toHexString(segment.address()) + ".bin");
            CliRunner upload = dfu("upload", back.toString(), "--address", "0x" + Long.toHexString(segment.address()),
                    "--length", String.valueOf(segment.length()), "--sim", "mboot-pybd-sf2", "--sim-time", "virtual",
                    "--sim-state", state.toString());
            assertEquals(0, upload.exitCode(), upload.err());
            assertArrayEquals(segment.bytes(), Files.readAllBytes(back), "region at 0x" + Long.toHexString(segment.address()));
        }
    }

    @Test
    void boot0HighIsReportedAsFlashedButNotStarted() {
        CliRunner flash = dfu("flash", FIRMWARE.resolve("blinky-f405.dfu").toString(), "--sim", "stm32f405", "--sim-time", "virtual",
                "--sim-boot0-high", "--leave");
        assertEquals(0, flash.exitCode(), "the flash itself worked: " + flash.err());
        assertTrue(flash.out().contains("Flashed and verified"), flash.out());
        assertTrue(flash.err().contains("did not start the application") && flash.err().contains("BOOT0"), flash.err());
    }
}
