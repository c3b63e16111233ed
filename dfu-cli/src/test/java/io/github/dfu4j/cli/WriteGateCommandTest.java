package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.stm32.optionbytes.OptionByteImage;
import io.github.dfu4j.stm32.optionbytes.OptionByteLayout;
import io.github.dfu4j.stm32.optionbytes.OptionByteLayouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write gate through the CLI: every route by which {@code dfu flash} used to write option bytes or
 * OTP without an interlock (issue: FILE@ADDR:ALT, --alt NAME, --base with --alt, a DfuSe target for the
 * option-byte alt, a raw write through alt 0) is refused with the flag that lifts it and leaves the chip
 * untouched; with the flag the write happens, the reset is reported and the bytes are read back.
 */
class WriteGateCommandTest {
    @TempDir
    Path dir;

    private String[] sim(String chip, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--sim", chip, "--sim-time", "virtual", "--sim-state", dir.resolve(chip + ".state").toString()));
        return all.toArray(String[]::new);
    }

    /** The chip's factory option bytes with {@code values} set, as one raw file per block (block 0 here). */
    private Path optionBytes(String chip, Map<String, Long> values) throws Exception {
        OptionByteLayout layout = OptionByteLayouts.forChip(chip).orElseThrow();
        OptionByteImage image = layout.encode(layout.factoryDefaults(), values);
        Path p = dir.resolve(chip + "-ob.bin");
        Files.write(p, image.block(0));
        return p;
    }

    private String optionBytesShown(String chip) {
        CliRunner show = CliRunner.run(sim(chip, "option-bytes", "show"));
        assertEquals(0, show.exitCode(), show.err());
        return show.out();
    }

    @Test
    void rdpLevel2ThroughEveryFlashRouteIsRefusedAndNothingIsWritten() throws Exception {
        Path rdp2 = optionBytes("stm32f405", Map.of("RDP", 0xCCL));
        Path dfuse = dir.resolve("ob.dfu");
        CliRunner convert = CliRunner.run("convert", rdp2 + "@0x1FFFC000:1", "-o", dfuse.toString());
        assertEquals(0, convert.exitCode(), convert.err());
        List<String[]> routes = List.of(
                new String[] {"flash", rdp2 + "@0x1FFFC000:1"},
                new String[] {"flash", rdp2.toString(), "--alt", "Option Bytes", "--base", "0x1FFFC000"},
                new String[] {"flash", rdp2.toString(), "--base", "0x1FFFC000", "--alt", "1"},
                new String[] {"flash", dfuse.toString()},
                new String[] {"flash", rdp2 + "@0x1FFFC000", "--allow-outside-layout"});
        for (String[] route : routes) {
            CliRunner r = CliRunner.run(sim("stm32f405", route));
            assertEquals(2, r.exitCode(), String.join(" ", route) + ": " + r.err());
            assertTrue(r.err().contains("refused, nothing was written") && r.err().contains("RDP level 2")
                    && r.err().contains("--allow-rdp-level-2"), r.err());
            assertFalse(r.out().contains("verified"), r.out());
        }
        assertTrue(optionBytesShown("stm32f405").contains("RDP         0xAA    LEVEL0"), "still level 0");
    }

    @Test
    void seed004BootSelThroughFlashNeedsTheBootLockConfirmation() throws Exception {
        Path lock = optionBytes("stm32f072", Map.of("BOOT_SEL", 0L, "nBOOT0", 0L));
        CliRunner r = CliRunner.run(sim("stm32f072", "flash", lock + "@0x1FFFF800:1"));
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("--allow-boot-lock"), r.err());
        assertTrue(optionBytesShown("stm32f072").contains("BOOT0 low → main flash"));
    }

    @Test
    void f746BootAdd0AndH743RdpAreReviewedLikeOptionBytesSet() throws Exception {
        Path f7 = optionBytes("stm32f746", Map.of("BOOT_ADD0", 0x7FC0L)); // 0x1FF00000: the ROM
        CliRunner a = CliRunner.run(sim("stm32f746", "flash", f7 + "@0x1FFF0000:1"));
        assertEquals(2, a.exitCode(), a.err());
        assertTrue(a.err().contains("--allow-boot-lock"), a.err());

        OptionByteLayout h7 = OptionByteLayouts.forChip("stm32h743").orElseThrow();
        Path h = optionBytes("stm32h743", Map.of("RDP", 0xCCL));
        CliRunner b = CliRunner.run(sim("stm32h743", "flash", h + "@0x" + Long.toHexString(h7.address()) + ":1"));
        assertEquals(2, b.exitCode(), b.err());
        assertTrue(b.err().contains("--allow-rdp-level-2"), b.err());
    }

    @Test
    void otpWritesAreRefusedAsPermanentUntilConfirmed() throws Exception {
        Path z = dir.resolve("z.bin");
        Files.write(z, new byte[] {0});
        CliRunner r = CliRunner.run(sim("stm32f405", "flash", z + "@0x1FFF7800:2"));
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("permanent") && r.err().contains("--allow-otp-write"), r.err());
        CliRunner ok = CliRunner.run(sim("stm32f405", "flash", z + "@0x1FFF7800:2", "--allow-otp-write"));
        assertEquals(0, ok.exitCode(), ok.err());
        assertTrue(ok.out().contains("Flashed and verified 1 bytes"), ok.out());
    }

    @Test
    void aConfirmedOptionByteWriteReportsTheResetAndIsReadBack() throws Exception {
        Path bor = optionBytes("stm32f405", Map.of("BOR_LEV", 0L));
        CliRunner r = CliRunner.run(sim("stm32f405", "flash", bor + "@0x1FFFC000:1", "--allow-unverified-layout"));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("made the device reset") && r.out().contains("read back as written"), r.out());
        assertTrue(r.out().contains("Flashed and verified 16 bytes"), r.out());
        assertFalse(r.err().contains("disconnected"), r.err());
        assertTrue(optionBytesShown("stm32f405").contains("BOR_LEV     0"));
    }

    @Test
    void rdpTakesLevelsAndTurningProtectionOnNeedsItsOwnConfirmation() {
        CliRunner zero = CliRunner.run(sim("stm32f405", "option-bytes", "set", "RDP=0"));
        assertEquals(0, zero.exitCode(), zero.err());
        assertTrue(zero.out().contains("Nothing to write"), "RDP=0 is level 0, the factory state: " + zero.out());

        CliRunner one = CliRunner.run(sim("stm32f405", "option-bytes", "set", "RDP=1", "--allow-unverified-layout"));
        assertEquals(2, one.exitCode(), one.err());
        assertTrue(one.err().contains("--allow-read-protection") && one.err().contains("erases the whole flash"), one.err());

        CliRunner two = CliRunner.run(sim("stm32f405", "option-bytes", "set", "RDP=2", "--dry-run"));
        assertEquals(2, two.exitCode(), two.err());
        assertTrue(two.out().contains("0xAA -> 0xCC"), "RDP=2 means level 2, not the byte 0x02: " + two.out());

        CliRunner raw = CliRunner.run(sim("stm32f405", "option-bytes", "set", "RDP=7"));
        assertEquals(2, raw.exitCode(), raw.err());
        assertTrue(raw.err().contains("0xNN"), raw.err());
    }

    @Test
    void aDfuFileForAnotherDeviceIsRefusedNamingBothIds() throws Exception {
        Path other = dir.resolve("other.dfu");
        CliRunner convert = CliRunner.run("convert", Path.of("..", "examples", "firmware", "blinky-f405.hex").toString(), "--vid", "0x1209",
                "--pid", "0x7777", "-o", other.toString());
        assertEquals(0, convert.exitCode(), convert.err());
        CliRunner r = CliRunner.run(sim("stm32f405", "flash", other.toString()));
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("1209:7777") && r.err().contains("0483:df11") && r.err().contains("--allow-other-device"),
                r.err());
        CliRunner ok = CliRunner.run(sim("stm32f405", "flash", other.toString(), "--allow-other-device"));
        assertEquals(0, ok.exitCode(), ok.err());
        // the shipped example's suffix names the ST ROM: no confirmation needed
        CliRunner own = CliRunner.run(sim("stm32f405", "flash", Path.of("..", "examples", "firmware", "blinky-f405.dfu").toString()));
        assertEquals(0, own.exitCode(), own.err());
    }

    @Test
    void jsonCarriesInputsAndDeviceAndAnErrorObjectOnStdout() throws Exception {
        Path z = dir.resolve("z.bin");
        Files.write(z, new byte[] {0});
        CliRunner refused = CliRunner.run(sim("stm32f405", "flash", z + "@0x1FFF7800:2", "--json"));
        assertEquals(2, refused.exitCode(), refused.err());
        assertTrue(refused.out().startsWith("{\"error\":{\"message\":\"refused, nothing was written: "), refused.out());
        assertTrue(refused.out().contains("\"exitCode\":2") && refused.out().contains("\"needs\":[\"--allow-otp-write\"]"),
                refused.out());
        CliRunner ok = CliRunner.run(sim("stm32f405", "flash", z + "@0x1FFF7800:2", "--json", "--allow-otp-write"));
        assertEquals(0, ok.exitCode(), ok.err());
        assertTrue(ok.out().contains("\"inputs\":[\"" + z + "@0x1FFF7800:2\"]"), ok.out());
        assertTrue(ok.out().contains("\"vidPid\":\"0483:df11\"") && ok.out().contains("\"port\":\"sim:stm32f405\"")
                && ok.out().contains("\"simulated\":true"), ok.out());
    }
}
