package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --wait-app}: after a leave, wait for the application and fail when it does not come up. */
class WaitAppTest {
    static final Path FIRMWARE = Path.of("..", "examples", "firmware");
    static final String BLINKY = FIRMWARE.resolve("blinky-f405.dfu").toString();

    @TempDir
    Path dir;

    @Test
    void flashLeaveWaitAppReportsTheStartedApplication() {
        CliRunner r = CliRunner.run("flash", BLINKY, "--sim", "stm32f405", "--sim-time", "virtual", "--leave", "--wait-app");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().matches("(?s).*Application started: simulated application at sim:stm32f405 after \\d+ ms "
                + "\\(vector table 0x08000000, reset handler 0x0800[0-9a-f]{4}\\)\\.\\s*"), r.out());
    }

    @Test
    void boot0HighMeansNoApplicationAndExitCode1() {
        CliRunner r = CliRunner.run("flash", BLINKY, "--sim", "stm32f405", "--sim-time", "virtual", "--sim-boot0-high",
                "--leave", "--wait-app=1.5");
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("Flashed and verified"), "the flash itself is reported: " + r.out());
        assertTrue(r.err().contains("dfu: --wait-app: the application did not start: no application started within 1500 ms"
                + " at sim:stm32f405; the device is in DFU mode again (0483:df11 (DFU mode) at sim:stm32f405). Check that flash"
                + " holds the application, BOOT0 (must be low)"), r.err());
        assertFalse(r.out().contains("Application started"), r.out());
    }

    @Test
    void withoutWaitAppTheSameBoardIsOnlyAWarning() {
        CliRunner r = CliRunner.run("flash", BLINKY, "--sim", "stm32f405", "--sim-time", "virtual", "--sim-boot0-high", "--leave");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("came back in DFU mode"), r.err());
    }

    @Test
    void flashJsonCarriesTheApplication() {
        CliRunner r = CliRunner.run("flash", BLINKY, "--sim", "stm32f405", "--sim-time", "virtual", "--leave", "--wait-app=3", "--json");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("\"application\":{\"started\":true,\"device\":\"simulated application at sim:stm32f405"),
                r.out());
        assertTrue(r.out().contains("\"reenumerationChecked\":false"), "--wait-app replaces the --leave-wait check: " + r.out());
    }

    @Test
    void leaveWaitAppOnAnH743StartsTheApplicationThroughItsResetHandler() {
        String state = dir.resolve("h743.state").toString();
        CliRunner flash = CliRunner.run("flash", FIRMWARE.resolve("blinky-h743.dfu").toString(), "--sim", "stm32h743",
                "--sim-time", "virtual", "--sim-state", state);
        assertEquals(0, flash.exitCode(), flash.err());
        CliRunner leave = CliRunner.run("leave", "--sim", "stm32h743", "--sim-time", "virtual", "--sim-state", state,
                "--wait-app", "--json");
        assertEquals(0, leave.exitCode(), leave.out() + leave.err());
        assertTrue(leave.out().contains("\"application\":{\"started\":true"), leave.out());
    }

    @Test
    void leaveWaitAppOnBlankFlashFails() {
        CliRunner r = CliRunner.run("leave", "--sim", "stm32f405", "--sim-time", "virtual", "--wait-app=2");
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("--wait-app: the application did not start"), r.err());
    }

    @Test
    void usageErrors() {
        CliRunner noLeave = CliRunner.run("flash", BLINKY, "--sim", "stm32f405", "--wait-app");
        assertEquals(2, noLeave.exitCode());
        assertTrue(noLeave.err().contains("--wait-app needs --leave"), noLeave.err());
        CliRunner zero = CliRunner.run("leave", "--sim", "stm32f405", "--wait-app=0");
        assertEquals(2, zero.exitCode());
        assertTrue(zero.err().contains("--wait-app takes a number of seconds above 0"), zero.err());
        CliRunner allNoLeave = CliRunner.run("flash", BLINKY, "--sim", "stm32f405,stm32f405", "--all", "--wait-app");
        assertEquals(2, allNoLeave.exitCode());
        assertTrue(allNoLeave.err().contains("--wait-app needs --leave"), allNoLeave.err());
        CliRunner replay = CliRunner.run("leave", "--replay", dir.resolve("none.txt").toString(), "--wait-app");
        assertEquals(2, replay.exitCode());
        assertTrue(replay.err().contains("a --replay session has neither"), replay.err());
    }

    @Test
    void waitAppWatchesThePortThroughARecordingSessionToo() throws Exception {
        Path rec = dir.resolve("leave.rec");
        CliRunner r = CliRunner.run("flash", BLINKY, "--sim", "stm32f405", "--sim-time", "virtual", "--leave", "--wait-app",
                "--record", rec.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("Application started: simulated application at sim:stm32f405"), r.out());
        String text = java.nio.file.Files.readString(rec);
        assertFalse(text.contains("reopen"), "waiting for the application sends no request and records nothing: " + text);
        assertTrue(text.strip().endsWith("close"), text);
    }

    @Test
    void aDeviceThatComesBackInDfuModeIsFollowedAndClosedByTheSession() throws Exception {
        Path rec = dir.resolve("back.rec");
        CliRunner r = CliRunner.run("flash", BLINKY, "--sim", "stm32f405", "--sim-time", "virtual", "--sim-boot0-high", "--leave",
                "--record", rec.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("came back in DFU mode"), r.err());
        String text = java.nio.file.Files.readString(rec);
        assertTrue(text.contains(" reopen timeout=2000 -> dfu\nsession 2\n"), text);
        // both enumerations' transports are closed: the one the device left and the one it came back as
        assertEquals(2, text.lines().filter(l -> l.endsWith(" close")).count(), text);
    }
}
