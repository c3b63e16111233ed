package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code --wait-device SECONDS}: a device that is there is used at once; one that never appears is exit 4 after the wait. */
class WaitDeviceTest {
    private static final String BLINKY = "../examples/firmware/blinky-f405.dfu";

    @Test
    void aPresentBoardIsUsedAtOnce() {
        CliRunner r = CliRunner.run("flash", BLINKY, "--sim", "stm32f405,stm32f405", "--sim-time", "virtual", "-p", "1-2",
                "--wait-device", "30");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Flashed and verified 552 bytes"), r.out());
    }

    @Test
    void aBoardThatNeverAppearsIsNoDeviceAfterTheWait() {
        long start = System.nanoTime();
        CliRunner r = CliRunner.run("flash", BLINKY, "--sim", "stm32f405,stm32f405", "--sim-time", "virtual", "-p", "1-5",
                "--wait-device", "0.3");
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(ExitCode.NO_DEVICE, r.exitCode(), r.err());
        assertTrue(r.err().contains("No simulated DFU device matches port path 1-5"), r.err());
        assertTrue(r.err().contains("(waited 0.3 s for it with --wait-device)"), r.err());
        assertTrue(waitedMs >= 300, "it waited: " + waitedMs + " ms");
    }

    @Test
    void aNegativeOrHugeWaitIsAUsageError() {
        for (String bad : new String[] {"-1", "3601", "NaN"}) {
            CliRunner r = CliRunner.run("flash", BLINKY, "--sim", "stm32f405", "--wait-device", bad);
            assertEquals(ExitCode.USAGE, r.exitCode(), bad + ": " + r.err());
        }
    }
}
