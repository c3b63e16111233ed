package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/troubleshooting.md 001 through the CLI: {@code dfu leave} without {@code --address} on an H7 ROM, in a session of its
 * own after {@code dfu flash} (no {@code --leave}), must start the application through its reset vector
 * read from flash, not jump to the address pointer and come back in DFU mode.
 */
class LeaveWithoutAddressTest {
    static final Path FIRMWARE = Path.of("..", "examples", "firmware");

    @TempDir
    Path dir;

    @Test
    void leaveAfterAFlashStartsTheH743Application() {
        String state = dir.resolve("h743.state").toString();
        CliRunner flash = CliRunner.run("flash", FIRMWARE.resolve("blinky-h743.dfu").toString(), "--sim", "stm32h743",
                "--sim-time", "virtual", "--sim-state", state, "--json");
        assertEquals(0, flash.exitCode(), flash.err());
        assertTrue(flash.out().contains("\"verified\":true"), flash.out());
        assertTrue(flash.out().contains("\"leave\":null"), "flash alone stays in DFU mode: " + flash.out());

        CliRunner leave = CliRunner.run("leave", "--sim", "stm32h743", "--sim-time", "virtual", "--sim-state", state, "--json");
        assertEquals(0, leave.exitCode(), leave.out() + leave.err());
        assertTrue(leave.out().contains("\"addressSource\":\"RESET_VECTOR\""), leave.out());
        assertFalse(leave.out().contains("\"address\":\"0x08000000\""), "not the table base: " + leave.out());
        assertFalse(leave.out().contains("CAME_BACK_IN_DFU"), leave.out());
        assertTrue(leave.out().contains("\"outcome\":\"LEFT\"") || leave.out().contains("\"outcome\":\"DISCONNECTED\""), leave.out());
    }

    @Test
    void leaveOnBlankFlashRefusesToJumpAndAsksForAnAddress() {
        String state = dir.resolve("blank.state").toString();
        CliRunner leave = CliRunner.run("leave", "--sim", "stm32h743", "--sim-time", "virtual", "--sim-state", state);
        assertTrue(leave.exitCode() != 0, leave.out());
        assertTrue(leave.err().contains("blank") && leave.err().contains("--address"), leave.err());
    }
}
