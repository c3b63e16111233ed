package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The run-time personalities ({@code --sim CHIP-runtime}: bitWillDetach 1, {@code CHIP-runtime-reset}:
 * bitWillDetach 0) and the {@code detach} and {@code reset} commands on the simulator.
 */
class RuntimeSimTest {
    private static final String BLINKY = "../examples/firmware/blinky-f405.dfu";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"stm32f405-runtime", "stm32f405-runtime-reset"})
    void flashDetachesFindsTheBootloaderAtThePortFlashesAndTheApplicationComesBack(String id) throws Exception {
        Path state = dir.resolve(id + ".sim");
        CliRunner r = CliRunner.run("flash", BLINKY, "--sim", id, "--sim-time", "virtual", "--sim-state", state.toString(),
                "--leave", "--wait-app", "2");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        boolean reset = id.endsWith("-reset");
        assertTrue(r.err().contains("dfu: 0483:5740 at sim:" + id + " was in run-time mode: sent "
                + (reset ? "DETACH, then a USB reset (bitWillDetach 0)" : "DETACH (bitWillDetach 1: the device leaves the bus by itself)")
                + "; in DFU mode after 200 ms"), r.err());
        assertTrue(r.out().contains("Flashed and verified 552 bytes"), r.out());
        assertTrue(r.out().contains("Application started: 0483:5740 (run-time DFU interface) at sim:" + id), r.out());
        SimulatedDevice after = SimulatedDevices.load(state, SimOptions.defaults());
        assertFalse(after.isErased(0x0800_0000L, 552), "the image is in flash");
    }

    @Test
    void detachSwitchesToDfuModeAndSaysHow() {
        CliRunner will = CliRunner.run("detach", "--sim", "stm32f405-runtime", "--sim-time", "virtual");
        assertEquals(0, will.exitCode(), will.err());
        assertEquals("Detached 0483:5740 at sim:stm32f405-runtime: sent DETACH (bitWillDetach 1: the device leaves the bus by itself);"
                + " 0483:df11 (DFU mode) at sim:stm32f405-runtime after 200 ms.", will.out().strip());
        CliRunner reset = CliRunner.run("detach", "--sim", "stm32f405-runtime-reset", "--sim-time", "virtual");
        assertEquals(0, reset.exitCode(), reset.err());
        assertTrue(reset.out().contains("sent DETACH, then a USB reset (bitWillDetach 0); 0483:df11 (DFU mode)"), reset.out());
        CliRunner already = CliRunner.run("detach", "--sim", "stm32f405", "--sim-time", "virtual");
        assertEquals(0, already.exitCode(), already.err());
        assertEquals("0483:df11 at sim:stm32f405 is already in DFU mode; nothing sent.", already.out().strip());
    }

    @Test
    void resetSaysWhatIsAtThePortAfterwards() {
        CliRunner dfu = CliRunner.run("reset", "--sim", "stm32f405", "--sim-time", "virtual");
        assertEquals(0, dfu.exitCode(), dfu.err());
        assertEquals("Reset 0483:df11 (DFU mode) at sim:stm32f405; now at sim:stm32f405: 0483:df11 (DFU mode) at sim:stm32f405.",
                dfu.out().strip());
        // a run-time device that was not detached ignores a reset (DFU 1.1 §5.1: only appDETACH leads to DFU mode)
        CliRunner app = CliRunner.run("reset", "--sim", "stm32f405-runtime-reset", "--sim-time", "virtual");
        assertEquals(0, app.exitCode(), app.err());
        assertTrue(app.out().contains("now at sim:stm32f405-runtime-reset: 0483:5740 (run-time DFU interface)"), app.out());
        CliRunner bad = CliRunner.run("reset", "--sim", "stm32f405", "--settle", "-1");
        assertEquals(ExitCode.USAGE, bad.exitCode(), bad.err());
    }

    @Test
    void listSimNamesTheRuntimeSuffixesAndSeveralBoards() {
        CliRunner r = CliRunner.run("list", "--sim");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Any id + -runtime (bitWillDetach 1) or -runtime-reset (bitWillDetach 0)"), r.out());
        assertTrue(r.out().contains("Several boards: --sim ID,ID,..."), r.out());
    }

    @Test
    void runtimeBoardsMixWithDfuModeBoardsAndAreSelectedByPath() {
        CliRunner list = CliRunner.run("list", "--sim", "stm32f405-runtime,stm32f405");
        assertEquals(0, list.exitCode(), list.err());
        assertTrue(list.out().contains("Found Runtime: [0483:5740] ver=0100, devnum=1, cfg=1, intf=1, path=\"1-1\""), list.out());
        assertTrue(list.out().contains("Found DFU: [0483:df11] ver=2200, devnum=2, cfg=1, intf=0, path=\"1-2\""), list.out());
        CliRunner r = CliRunner.run("flash", BLINKY, "--sim", "stm32f405-runtime,stm32f405", "--sim-time", "virtual", "-p", "1-1");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("dfu: 0483:5740 at 1-1 was in run-time mode"), r.err());
    }
}
