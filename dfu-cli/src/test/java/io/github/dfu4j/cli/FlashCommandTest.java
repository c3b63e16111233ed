package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.formats.FirmwareFiles;
import io.github.dfu4j.formats.FirmwareFormat;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.formats.WriteOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dfu flash}, {@code dfu leave} and {@code dfu erase} options end to end on the simulated
 * ROMs (virtual time): what each flag permits, the leave wording, and the exit codes.
 */
class FlashCommandTest {
    static final Path FIRMWARE = Path.of("..", "examples", "firmware");
    static final String BLINKY = FIRMWARE.resolve("blinky-f405.dfu").toString();

    @TempDir
    Path dir;

    private static CliRunner dfu(String... args) {
        return CliRunner.run(args);
    }

    /** args + the F405 simulator with a state file, so flash, upload and leave see the same memory. */
    private String[] f405(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--sim", "stm32f405", "--sim-time", "virtual", "--sim-state", dir.resolve("f405.state").toString()));
        return all.toArray(String[]::new);
    }

    private byte[] upload(long address, int length, String... extra) throws Exception {
        Path out = dir.resolve("up-" + Long.toHexString(address) + ".bin");
        List<String> args = new ArrayList<>(List.of("upload", out.toString(), "--address", "0x" + Long.toHexString(address),
                "--length", String.valueOf(length)));
        args.addAll(Arrays.asList(extra));
        CliRunner r = dfu(f405(args.toArray(String[]::new)));
        assertEquals(0, r.exitCode(), r.err());
        return Files.readAllBytes(out);
    }

    private Path hex(String name, long address, byte[] data) throws Exception {
        Path file = dir.resolve(name);
        FirmwareFiles.write(file, FirmwareImage.of(Segment.of(address, data)), FirmwareFormat.INTEL_HEX, WriteOptions.defaults());
        return file;
    }

    private static String lastLine(String text) {
        return text.strip().lines().reduce((a, b) -> b).orElse("");
    }

    // ---- --force confirms, --allow-outside-layout relaxes the plan ------------------------------------------

    @Test
    void massEraseForceDoesNotLetAnImageOutsideTheLayoutThrough() throws Exception {
        assertEquals(0, dfu(f405("flash", BLINKY)).exitCode());
        byte[] before = upload(0x08000000L, 64);
        Path far = hex("far.hex", 0x20000000L, new byte[] {1, 2, 3, 4});

        CliRunner forced = dfu(f405("flash", far.toString(), "--mass-erase", "--force"));
        assertEquals(1, forced.exitCode(), forced.err());
        String last = lastLine(forced.err());
        assertTrue(last.contains("0x20000000") && last.contains("outside the memory layout")
                && last.endsWith("add --allow-outside-layout to write anyway"), forced.err());
        assertArrayEquals(before, upload(0x08000000L, 64), "refused before the mass erase: the application is still there");
    }

    @Test
    void allowOutsideLayoutPassesThePlanAndTheDeviceDecides() throws Exception {
        Path far = hex("far.hex", 0x20000000L, new byte[] {1, 2, 3, 4});
        CliRunner allowed = dfu(f405("flash", far.toString(), "--allow-outside-layout"));
        // the plan lets it through; the simulated ROM itself refuses the SRAM address
        assertEquals(1, allowed.exitCode(), allowed.err());
        assertFalse(allowed.err().contains("outside the memory layout"), allowed.err());
        assertTrue(lastLine(allowed.err()).contains("SET_ADDRESS failed [errTARGET"), allowed.err());
    }

    @Test
    void massEraseStillNeedsForce() {
        CliRunner r = dfu(f405("flash", BLINKY, "--mass-erase", "--allow-outside-layout"));
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("add --force to confirm"), r.err());
        CliRunner ok = dfu(f405("flash", BLINKY, "--mass-erase", "--force", "--json"));
        assertEquals(0, ok.exitCode(), ok.err());
        assertTrue(ok.out().contains("\"massErased\":[0]"), ok.out());
    }

    // ---- leave wording and exit codes ---------------------------------------------------------------------

    @Test
    void cameBackInDfuAfterAVerifiedFlashIsAWarningUnlessRequireStart() {
        CliRunner warned = dfu(f405("flash", BLINKY, "--leave", "--sim-boot0-high"));
        assertEquals(0, warned.exitCode(), warned.err());
        assertTrue(warned.out().contains("Flashed and verified"), warned.out());
        assertTrue(warned.err().contains("dfu: flashed, verified, but the device did not start the application: it left DFU mode "
                + "via 0x08000000 (the vector table) and came back in DFU mode. Check BOOT0"), warned.err());

        CliRunner required = dfu(f405("flash", BLINKY, "--leave", "--require-start", "--sim-boot0-high", "--json"));
        assertEquals(1, required.exitCode(), required.err());
        assertTrue(required.out().contains("\"outcome\":\"CAME_BACK_IN_DFU\""), required.out());

        CliRunner started = dfu(f405("flash", BLINKY, "--leave", "--require-start"));
        assertEquals(0, started.exitCode(), started.err());
        assertTrue(started.out().contains("the application is starting"), started.out());
    }

    @Test
    void requireStartWithoutLeaveIsAUsageError() {
        CliRunner r = dfu(f405("flash", BLINKY, "--require-start"));
        assertEquals(2, r.exitCode());
        assertEquals("dfu: --require-start needs --leave", r.err().strip());
    }

    @Test
    void anUnverifiedFlashDoesNotClaimVerification() {
        CliRunner text = dfu(f405("flash", BLINKY, "--no-verify", "--leave", "--sim-boot0-high"));
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains("Flashed 552 bytes in ") && text.out().contains("; NOT verified (verification was turned off)."),
                text.out());
        assertFalse(text.out().contains("verified 552"), text.out());
        assertTrue(text.err().contains("dfu: flashed (not verified), but the device did not start the application"), text.err());
        assertFalse(text.err().contains("flashed, verified"), text.err());

        CliRunner json = dfu(f405("flash", BLINKY, "--no-verify", "--json"));
        assertEquals(0, json.exitCode(), json.err());
        assertTrue(json.out().contains("\"verified\":false,\"verifiedBytes\":0,"), json.out());
    }

    @Test
    void leaveAloneDoesNotClaimAFlashAndExitsOneWhenTheDeviceComesBack() {
        CliRunner r = dfu(f405("leave", "--address", "0x08000000", "--sim-boot0-high"));
        assertEquals(1, r.exitCode(), r.err());
        String last = lastLine(r.err());
        assertTrue(last.startsWith("dfu: the device did not start the application: it left DFU mode via 0x08000000 (as given) "
                + "and came back in DFU mode."), r.err());
        assertTrue(last.endsWith("e.g. --address 0x0800BA65)."), "names dfu leave's own option: " + last);
        assertFalse(r.err().contains("flashed"), r.err());

        assertEquals(0, dfu(f405("flash", BLINKY)).exitCode());
        CliRunner left = dfu(f405("leave", "--address", "0x08000000"));
        assertEquals(0, left.exitCode(), left.err());
        assertTrue(left.out().contains("Left DFU mode via 0x08000000 (as given); the application is starting."), left.out());
    }

    @Test
    void anErrorWhileLeavingMakesTheFlashExitOne() throws Exception {
        // record a good flash + leave, then make the ROM answer the leave's SET_ADDRESS with an error
        Path recording = dir.resolve("good.txt");
        CliRunner good = dfu(f405("flash", BLINKY, "--leave", "--record", recording.toString()));
        assertEquals(0, good.exitCode(), good.err());
        List<String> lines = new ArrayList<>(Files.readAllLines(recording));
        int setAddress = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(" out DNLOAD 0 2100000008 ")) {
                setAddress = i; // the last one is the leave's SET_ADDRESS 0x08000000
            }
        }
        String poll = lines.get(setAddress + 1);
        assertTrue(poll.contains(" in GETSTATUS ") && poll.endsWith("-> 006800000400"), poll);
        lines.set(setAddress + 1, poll.substring(0, poll.lastIndexOf("-> ")) + "-> 0a0000000a00"); // errFIRMWARE, dfuERROR
        Path failing = dir.resolve("leave-fails.txt");
        Files.write(failing, lines);

        CliRunner r = dfu("flash", BLINKY, "--leave", "--replay", failing.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.out().contains("Flashed and verified 552 bytes"), r.out());
        assertTrue(lastLine(r.err()).startsWith("dfu: flashed, verified, but leaving DFU mode failed: LEAVE @0x08000000: SET_ADDRESS "
                + "failed [errFIRMWARE"), r.err());

        CliRunner json = dfu("flash", BLINKY, "--leave", "--json", "--replay", failing.toString());
        assertEquals(1, json.exitCode(), json.err());
        assertTrue(json.out().contains("\"leave\":{\"outcome\":\"FAILED\""), json.out());
    }

    // ---- the other flash options ---------------------------------------------------------------------------

    @Test
    void leaveWithAnExplicitAddressSendsExactlyThatAddress() {
        CliRunner r = dfu("flash", FIRMWARE.resolve("blinky-h743.dfu").toString(), "--sim", "stm32h743", "--sim-time", "virtual",
                "--leave=0x0800029b", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("\"address\":\"0x0800029b\",\"addressSource\":\"EXPLICIT\""), r.out());
        assertTrue(r.out().contains("\"outcome\":\"LEFT\"") || r.out().contains("\"outcome\":\"DISCONNECTED\""), r.out());
    }

    @Test
    void incrementalSecondFlashOfTheSameFileSkipsEverything() {
        CliRunner first = dfu(f405("flash", BLINKY, "--incremental", "--json"));
        assertEquals(0, first.exitCode(), first.err());
        assertTrue(first.out().contains("\"bytesWritten\":552"), first.out());
        CliRunner second = dfu(f405("flash", BLINKY, "--incremental", "--json"));
        assertEquals(0, second.exitCode(), second.err());
        assertTrue(second.out().contains("\"erased\":[],\"massErased\":[],\"written\":[],\"bytesWritten\":0,"), second.out());
        assertTrue(second.out().contains("\"unchangedSectors\":1"), second.out());
        CliRunner text = dfu(f405("flash", BLINKY, "--incremental"));
        assertTrue(text.out().startsWith("Erased 0 sector(s), wrote 0 bytes in 0 block(s) (0 blank block(s) skipped, "
                + "1 unchanged sector(s) kept)."), text.out());
    }

    /**
     * Issue 9 item 3 through the CLI: a bootloader that misplaces block numbers (--sim-block-stride), an
     * incremental flash, and an image whose second 16 KiB sector is blank. The sector judged unchanged
     * through the misplaced reads must not survive the SET_ADDRESS fallback: "verified" means the chip,
     * read back afterwards by a correct simulator, holds every byte of the image.
     */
    @Test
    void incrementalFlashOnABootloaderThatMisplacesBlocksIsVerifiedOnlyWithTheWholeImageOnTheChip() throws Exception {
        byte[] image = new byte[3 * 16 * 1024];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(9);
        for (int i = 0; i < image.length; i++) {
            image[i] = (byte) rnd.nextInt(255);
        }
        Arrays.fill(image, 16 * 1024, 32 * 1024, (byte) 0xFF);
        Path file = dir.resolve("blank-second-sector.bin");
        Files.write(file, image);
        CliRunner r = dfu(f405("flash", file + "@0x08000000", "--incremental", "--sim-block-stride", "4096", "--json"));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("\"verified\":true"), r.out());
        assertTrue(r.out().contains("\"addressingFallback\":true"), r.out());
        assertArrayEquals(image, upload(0x08000000L, image.length), "the chip holds the whole image");

        CliRunner bad = dfu("flash", file + "@0x08000000", "--sim-block-stride", "-1", "--sim", "stm32f405");
        assertEquals(2, bad.exitCode(), bad.err());
        assertTrue(bad.err().contains("--sim-block-stride must be 0 or more bytes"), bad.err());
    }

    /** Issue 9: a leave whose final status went unanswered while the device stayed on the bus is not "left". */
    @Test
    void aLeaveWithNoAnswerIsReportedAsNotLeft() {
        io.github.dfu4j.ops.LeaveResult l = new io.github.dfu4j.ops.LeaveResult(io.github.dfu4j.ops.LeaveResult.Outcome.NO_ANSWER,
                java.util.OptionalLong.of(0x08000000L), io.github.dfu4j.ops.LeaveResult.AddressSource.VECTOR_TABLE_BASE, false,
                java.time.Duration.ZERO, java.util.Optional.empty());
        assertFalse(l.left());
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        FlashReport.printLeave(l, FlashReport.LeaveContext.FLASHED_VERIFIED, new java.io.PrintWriter(out, true),
                new java.io.PrintWriter(err, true));
        assertEquals("", out.toString(), "nothing claims the device left");
        assertTrue(err.toString().startsWith("dfu: flashed, verified, but the device did not answer its final status after"
                + " the leave request via 0x08000000"), err.toString());
        assertTrue(err.toString().contains("is still on the bus"), err.toString());
    }

    @Test
    void altSendsARawBinaryToAnotherMemory() throws Exception {
        Path otp = dir.resolve("otp.bin");
        byte[] data = {1, 2, 3, 4, 5, 6, 7, 8};
        Files.write(otp, data);
        CliRunner wrongMemory = dfu(f405("flash", otp.toString(), "--address", "0x1FFF7800"));
        assertEquals(1, wrongMemory.exitCode());
        assertTrue(wrongMemory.err().contains("0x1fff7800..0x1fff7807 (alt 0) is outside the memory layout"), wrongMemory.err());

        CliRunner refused = dfu(f405("flash", otp.toString(), "--alt", "2", "--address", "0x1FFF7800"));
        assertEquals(2, refused.exitCode(), "OTP is permanent: the write gate wants its own flag");
        assertTrue(refused.err().contains("--allow-otp-write"), refused.err());
        CliRunner r = dfu(f405("flash", otp.toString(), "--alt", "2", "--address", "0x1FFF7800", "--json", "--allow-otp-write"));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("\"written\":[{\"alt\":2,\"start\":\"0x1fff7800\",\"end\":\"0x1fff7808\"}]"), r.out());
        assertArrayEquals(data, upload(0x1FFF7800L, 8, "--alt", "2"));
        // names work as over USB: short DfuSe name ignoring case, unique prefix; ambiguous or unknown is a usage error
        assertArrayEquals(data, upload(0x1FFF7800L, 8, "--alt", "otp memory"));
        assertArrayEquals(data, upload(0x1FFF7800L, 8, "--alt", "OTP"));
        CliRunner unknown = dfu(f405("upload", dir.resolve("x.bin").toString(), "--address", "0x1FFF7800", "--length", "8",
                "--alt", "eeprom"));
        assertEquals(2, unknown.exitCode(), unknown.err());
        assertTrue(unknown.err().contains("no alternate setting 'eeprom'"), unknown.err());
    }

    @Test
    void rawBinaryGoesWhereBaseAddressOrAtAddrSays() throws Exception {
        byte[] data = new byte[300];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        Path bin = dir.resolve("app.bin");
        Files.write(bin, data);
        assertEquals(0, dfu(f405("flash", bin.toString(), "--address", "0x08004000")).exitCode());
        assertArrayEquals(data, upload(0x08004000L, data.length), "--address (alias of --base)");
        assertEquals(0, dfu(f405("flash", bin.toString(), "--base", "0x08010000")).exitCode());
        assertArrayEquals(data, upload(0x08010000L, data.length), "--base");
        assertEquals(0, dfu(f405("flash", bin + "@0x08020000")).exitCode());
        assertArrayEquals(data, upload(0x08020000L, data.length), "FILE@ADDR");
    }

    // ---- erase ---------------------------------------------------------------------------------------------

    @Test
    void eraseForceOnlyConfirmsAMassErase() {
        CliRunner sector = dfu(f405("erase", "--alt", "2", "--address", "0x1FFF7800", "--length", "16", "--force"));
        assertEquals(1, sector.exitCode(), "--force does not make a non-erasable OTP sector erasable: " + sector.err());
        assertTrue(sector.err().contains("erasable"), sector.err());
        CliRunner massNoForce = dfu(f405("erase", "--mass-erase"));
        assertEquals(2, massNoForce.exitCode());
        assertTrue(massNoForce.err().contains("add --force to confirm"), massNoForce.err());
    }
}
