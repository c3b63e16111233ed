package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dfu option-bytes show|set} and {@code dfu unprotect} end to end on the simulated ROMs
 * (virtual time): the F072 BOOT_SEL lock of docs/troubleshooting.md 004, and RDP level 1 on an F405.
 */
class OptionBytesCommandTest {
    @TempDir
    Path dir;

    private static CliRunner dfu(String... args) {
        return CliRunner.run(args);
    }

    private static String[] with(String[] base, String... more) {
        List<String> all = new ArrayList<>(Arrays.asList(base));
        all.addAll(Arrays.asList(more));
        return all.toArray(String[]::new);
    }

    private String[] sim(String chip, String state, String... extra) {
        return with(new String[] {"--sim", chip, "--sim-time", "virtual", "--sim-state", dir.resolve(state).toString()}, extra);
    }

    /** A 256-byte F0 application: SP at the top of 16 KB SRAM, reset handler at 0x08000041 ("b ."). */
    private Path f0Application() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        Arrays.fill(b.array(), (byte) 0xFF);
        b.putInt(0, 0x2000_4000).putInt(4, 0x0800_0041);
        b.put(0x40, (byte) 0xFE).put(0x41, (byte) 0xE7);
        Path app = dir.resolve("app-f072.bin");
        Files.write(app, b.array());
        return app;
    }

    @Test
    void showDecodesTheF072FactoryOptionBytes() {
        CliRunner show = dfu("option-bytes", "show", "--sim", "stm32f072", "--sim-time", "virtual");
        assertEquals(0, show.exitCode(), show.err());
        assertTrue(show.out().startsWith("STM32F0 option bytes (stm32f072, alt 1 of sim:stm32f072)"), show.out());
        assertTrue(show.out().contains("  RDP               0xAA    LEVEL0: no read protection"), show.out());
        assertTrue(show.out().contains("  BOOT_SEL          1       BOOT0_PIN: the BOOT0 pin selects the boot mode"), show.out());
        assertTrue(show.out().contains("Boot: BOOT0 low → main flash (the application); BOOT0 high → system memory"), show.out());
        assertTrue(show.out().contains("Raw: 0x1FFFF800 aa55ff00ff00ff00ff00ff00ff00ff00"), show.out());
        assertFalse(show.out().contains("Warning"), show.out());
    }

    @Test
    void showJsonCarriesFieldsBootAndRawBytes() {
        CliRunner show = dfu("option-bytes", "show", "--sim", "stm32f767", "--sim-time", "virtual", "--json");
        assertEquals(0, show.exitCode(), show.err());
        String j = show.out();
        assertTrue(j.startsWith("{\"chip\":\"stm32f767\",\"family\":\"STM32F7\",\"alt\":1,\"layoutEvidence\":\"[U]\""), j);
        assertTrue(j.contains("{\"name\":\"nDBANK\",\"value\":1,\"text\":\"1\",\"meaning\":\"SINGLE_BANK: single bank: 32/128/256 KB sectors\""), j);
        assertTrue(j.contains("{\"name\":\"BOOT_ADD0\",\"value\":128,\"text\":\"0x80\",\"meaning\":\"boot address 0x00200000\""), j);
        assertTrue(j.contains("\"boot\":{\"boot0Low\":\"MAIN_FLASH\",\"boot0High\":\"SYSTEM_MEMORY\",\"repair\":null}"), j);
        assertTrue(j.contains("\"rdpLevel\":0"), j);
    }

    @Test
    void seed004ClearingBootSelIsRefusedThenLocksTheF072InTheRomUntilBootSelIsSetAgain() throws Exception {
        CliRunner flash = dfu(with(new String[] {"flash", f0Application().toString()}, sim("stm32f072", "f0.state")));
        assertEquals(0, flash.exitCode(), flash.err());

        CliRunner refused = dfu(with(new String[] {"option-bytes", "set", "BOOT_SEL=0", "nBOOT0=0"}, sim("stm32f072", "f0.state")));
        assertEquals(2, refused.exitCode(), refused.err());
        assertTrue(refused.out().contains("  BOOT_SEL 1 -> 0 (NBOOT0_BIT: the nBOOT0 option bit replaces the BOOT0 pin)"), refused.out());
        assertTrue(refused.err().contains("dfu: refused: after the reset the chip boots system memory (the ST ROM bootloader, DFU mode) "
                + "even with BOOT0 low"), refused.err());
        assertTrue(refused.err().contains("every reset and every DFU leave comes back in DFU mode and the application never runs; "
                + "to undo: dfu option-bytes set BOOT_SEL=1; to write anyway add --allow-boot-lock"), refused.err());
        CliRunner unchanged = dfu(with(new String[] {"option-bytes", "show"}, sim("stm32f072", "f0.state")));
        assertTrue(unchanged.out().contains("Raw: 0x1FFFF800 aa55ff00"), "nothing written: " + unchanged.out());

        // --force only confirms an unverified layout; the boot lock has its own flag
        CliRunner forceOnly = dfu(with(new String[] {"option-bytes", "set", "BOOT_SEL=0", "nBOOT0=0", "--force"},
                sim("stm32f072", "f0.state")));
        assertEquals(2, forceOnly.exitCode(), forceOnly.err());
        assertTrue(forceOnly.err().strip().endsWith("; to write anyway add --allow-boot-lock"), forceOnly.err());

        CliRunner forced = dfu(with(new String[] {"option-bytes", "set", "BOOT_SEL=0", "nBOOT0=0", "--allow-boot-lock"},
                sim("stm32f072", "f0.state")));
        assertEquals(0, forced.exitCode(), forced.err());
        assertTrue(forced.out().contains("Wrote option-byte block 0 (0x1FFFF800); the chip reset as expected.\n"
                + "Back in DFU mode; read back: matches."), forced.out());

        CliRunner leave = dfu(with(new String[] {"leave", "--address", "0x08000000", "--json"}, sim("stm32f072", "f0.state")));
        assertEquals(1, leave.exitCode(), leave.err());
        assertTrue(leave.out().contains("\"outcome\":\"CAME_BACK_IN_DFU\""), leave.out());

        CliRunner show = dfu(with(new String[] {"option-bytes", "show"}, sim("stm32f072", "f0.state")));
        assertTrue(show.out().contains("Warning: with BOOT0 low the chip boots system memory (the ST ROM bootloader, DFU mode), not the "
                + "application (BOOT_SEL=0, nBOOT0=0, nBOOT1=1; the BOOT0 pin is ignored); to restore: dfu option-bytes set BOOT_SEL=1"),
                show.out());

        CliRunner fix = dfu(with(new String[] {"option-bytes", "set", "BOOT_SEL=1"}, sim("stm32f072", "f0.state")));
        assertEquals(0, fix.exitCode(), fix.err());
        assertTrue(fix.out().contains("  - fixes the boot selection: with BOOT0 low the chip boots the application again"), fix.out());
        assertTrue(fix.out().contains("The device did not come back in DFU mode within 5 s: it is running the application"
                + " (simulated application at sim:stm32f072); read-back skipped."), "what is at the port: " + fix.out());

        CliRunner leaveAgain = dfu(with(new String[] {"leave", "--address", "0x08000000", "--json"}, sim("stm32f072", "f0.state")));
        assertEquals(0, leaveAgain.exitCode(), leaveAgain.err());
        assertTrue(leaveAgain.out().contains("\"outcome\":\"LEFT\""), leaveAgain.out());
    }

    @Test
    void rdpLevel1OnAnF405BlocksReadsUntilUnprotectMassErases() throws Exception {
        String[] s = sim("stm32f405", "f4.state", "--sim-boot0-high");
        CliRunner flash = dfu(with(new String[] {"flash", Path.of("..", "examples", "firmware", "blinky-f405.hex").toString()}, s));
        assertEquals(0, flash.exitCode(), flash.err());

        CliRunner unverified = dfu(with(new String[] {"option-bytes", "set", "RDP=LEVEL1"}, s));
        assertEquals(2, unverified.exitCode());
        assertTrue(unverified.err().contains("the STM32F4 option-byte layout is unverified [U]"), unverified.err());
        assertTrue(unverified.err().strip().endsWith("; to write anyway add --allow-read-protection --allow-unverified-layout"),
                unverified.err());
        CliRunner otherFlags = dfu(with(new String[] {"option-bytes", "set", "RDP=LEVEL1", "--allow-boot-lock", "--allow-mass-erase"}, s));
        assertEquals(2, otherFlags.exitCode(), "only its own flags confirm level 1: " + otherFlags.err());
        CliRunner layoutOnly = dfu(with(new String[] {"option-bytes", "set", "RDP=LEVEL1", "--force"}, s));
        assertEquals(2, layoutOnly.exitCode(), "turning protection on needs its own flag: " + layoutOnly.err());
        assertTrue(layoutOnly.err().contains("--allow-read-protection") && layoutOnly.err().contains("erases the whole flash"),
                layoutOnly.err());

        CliRunner protect = dfu(with(new String[] {"option-bytes", "set", "RDP=LEVEL1", "--force", "--allow-read-protection"}, s));
        assertEquals(0, protect.exitCode(), protect.err());
        assertTrue(protect.out().contains("  RDP 0xAA -> 0x55 (LEVEL1: read protection"), protect.out());
        assertTrue(protect.out().contains("Back in DFU mode; read back refused: read protection (RDP level 1) is now active (expected)."),
                protect.out());

        CliRunner show = dfu(with(new String[] {"option-bytes", "show"}, s));
        assertEquals(1, show.exitCode());
        assertEquals("dfu: cannot read the option bytes: read protection (RDP level 1) is active; `dfu unprotect --force` removes "
                + "it and mass-erases the flash", show.err().strip());
        Path out = dir.resolve("read.bin");
        assertEquals(1, dfu(with(new String[] {"upload", out.toString(), "--address", "0x08000000", "--length", "64"}, s)).exitCode());

        CliRunner noForce = dfu(with(new String[] {"unprotect"}, s));
        assertEquals(2, noForce.exitCode());
        assertTrue(noForce.err().startsWith("dfu: READ_UNPROTECT makes the ST ROM mass-erase the whole flash"), noForce.err());
        assertTrue(noForce.err().strip().endsWith("; add --force to confirm"), noForce.err());

        CliRunner unprotect = dfu(with(new String[] {"unprotect", "--force"}, s));
        assertEquals(0, unprotect.exitCode(), unprotect.err());
        assertEquals("READ_UNPROTECT done: RDP level 1 -> 0 (0xAA, unprotected); the flash was mass-erased and the device is back "
                + "in DFU mode.", unprotect.out().strip());

        CliRunner read = dfu(with(new String[] {"upload", out.toString(), "--address", "0x08000000", "--length", "64"}, s));
        assertEquals(0, read.exitCode(), read.err());
        byte[] erased = new byte[64];
        Arrays.fill(erased, (byte) 0xFF);
        assertArrayEquals(erased, Files.readAllBytes(out), "mass-erased");
    }

    @Test
    void rdpLevel0OnAProtectedChipIsAnUnprotectAndNeedsAllowMassErase() {
        String[] s = sim("stm32f405", "f4.state", "--sim-boot0-high");
        assertEquals(0, dfu(with(new String[] {"option-bytes", "set", "RDP=LEVEL1", "--force", "--allow-read-protection"}, s)).exitCode());
        CliRunner refused = dfu(with(new String[] {"option-bytes", "set", "RDP=LEVEL0"}, s));
        assertEquals(2, refused.exitCode());
        assertTrue(refused.err().startsWith("dfu: the chip is read-protected (RDP level 1), so RDP=LEVEL0 means READ_UNPROTECT: "
                + "READ_UNPROTECT makes the ST ROM mass-erase the whole flash"), refused.err());
        assertTrue(refused.err().strip().endsWith("; add --allow-mass-erase to confirm (the same as 'dfu unprotect --force')"),
                refused.err());
        CliRunner forceOnly = dfu(with(new String[] {"option-bytes", "set", "RDP=LEVEL0", "--force"}, s));
        assertEquals(2, forceOnly.exitCode(), "--force does not confirm the mass erase: " + forceOnly.err());
        CliRunner json = dfu(with(new String[] {"option-bytes", "set", "RDP=LEVEL0", "--allow-mass-erase", "--json"}, s));
        assertEquals(0, json.exitCode(), json.err());
        assertEquals("{\"rdpLevelBefore\":1,\"backInDfu\":true,\"rdpLevelAfter\":0}", json.out().strip());
    }

    @Test
    void rdpLevel2NeedsItsOwnFlag() {
        String[] s = sim("stm32f072", "f0.state");
        CliRunner forced = dfu(with(new String[] {"option-bytes", "set", "RDP=LEVEL2", "--force"}, s));
        assertEquals(2, forced.exitCode());
        assertTrue(forced.err().contains("RDP level 2 (0xCC) is irreversible") && forced.err().contains("add --allow-rdp-level-2"),
                forced.err());
        CliRunner dry = dfu(with(new String[] {"option-bytes", "set", "RDP=LEVEL2", "--allow-rdp-level-2", "--dry-run"}, s));
        assertEquals(0, dry.exitCode(), dry.err());
        assertTrue(dry.out().contains("  + RDP level 2 (0xCC) is irreversible"), "confirmed: " + dry.out());
        assertTrue(dry.out().strip().endsWith("Dry run: nothing written."), dry.out());
        assertTrue(dfu(with(new String[] {"option-bytes", "show"}, s)).out().contains("LEVEL0"), "dry run wrote nothing");
    }

    @Test
    void setJsonReportsChangesFindingsAndTheReadBack() {
        CliRunner set = dfu(with(new String[] {"option-bytes", "set", "DATA0=0x5A", "--json"}, sim("stm32f072", "f0.state")));
        assertEquals(0, set.exitCode(), set.err());
        String j = set.out().strip();
        assertTrue(j.startsWith("{\"chip\":\"stm32f072\",\"changes\":[{\"field\":\"DATA0\",\"before\":255,\"after\":90,\"meaning\":\"user data\"}]"), j);
        assertTrue(j.contains("{\"kind\":\"DEVICE_RESETS\",\"severity\":\"INFO\",\"blocks\":false,\"needs\":null"), j);
        assertTrue(j.contains("\"written\":true"), j);
        assertTrue(j.contains("\"backInDfu\":true"), j);
        assertTrue(j.endsWith("\"readBack\":\"MATCHES\"}"), j);
    }

    @Test
    void writingTheCurrentValuesWritesNothing() {
        CliRunner set = dfu("option-bytes", "set", "BOOT_SEL=1", "RDP=LEVEL0", "--sim", "stm32f072", "--sim-time", "virtual");
        assertEquals(0, set.exitCode(), set.err());
        assertEquals("Nothing to write: the option bytes already have these values.", set.out().strip());
    }

    @Test
    void badAssignmentsAreUsageErrorsNamingTheArgument() {
        CliRunner bad = dfu("option-bytes", "set", "RDP=LEVEL0", "nDBANK=0", "--sim", "stm32f072", "--sim-time", "virtual");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().startsWith("dfu: option-byte assignment 2 'nDBANK=0' (column 1): no field nDBANK in the STM32F0 option "
                + "bytes; fields: RDP, WDG_SW"), bad.err());
        CliRunner wide = dfu("option-bytes", "set", "BOOT_SEL=3", "--sim", "stm32f072", "--sim-time", "virtual");
        assertEquals(2, wide.exitCode());
        assertTrue(wide.err().contains("BOOT_SEL is 1 bit(s) wide"), wide.err());
    }

    @Test
    void devicesWithoutOptionBytesAndMissingSubcommandsAreRefused() {
        CliRunner mboot = dfu("option-bytes", "show", "--sim", "mboot-pybd-sf2", "--sim-time", "virtual");
        assertEquals(1, mboot.exitCode());
        assertTrue(mboot.err().contains("has no STM32 ROM \"Option Bytes\" alt setting"), mboot.err());
        CliRunner none = dfu("option-bytes");
        assertEquals(2, none.exitCode());
        assertTrue(none.err().contains("give a subcommand"), none.err());
    }

    @Test
    void unprotectOnAnUnprotectedChipSaysItOnlyErases() {
        CliRunner u = dfu("unprotect", "--force", "--sim", "stm32f072", "--sim-time", "virtual");
        assertEquals(0, u.exitCode(), u.err());
        assertTrue(u.err().startsWith("dfu: read protection is not active (RDP level 0); READ_UNPROTECT still mass-erases the flash"),
                u.err());
        assertEquals("READ_UNPROTECT done: RDP level 0 -> 0 (0xAA, unprotected); the flash was mass-erased and the device is back in "
                + "DFU mode.", u.out().strip());
    }
}
