package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several simulated boards at once ({@code --sim a,b,c}): their serials and port paths, selection by
 * -S and -p as on USB, "more than one device matches", and --all with --wait-app, each board with its
 * own state file (docs/simulator.md "Several boards").
 */
class SimBoardsTest {
    private static final String BLINKY = "../examples/firmware/blinky-f405.dfu";
    private static final String THREE = "stm32f405,stm32f405,stm32h743";
    private static final long BASE = 0x0800_0000L;

    @TempDir
    Path dir;

    private static byte[] blinkyHead(Path state) throws Exception {
        SimulatedDevice d = SimulatedDevices.load(state, SimOptions.defaults());
        return d.readMemory(BASE, 8);
    }

    @Test
    void listShowsEveryBoardWithItsOwnSerialAndPortPath() {
        CliRunner r = CliRunner.run("list", "--sim", THREE);
        assertEquals(0, r.exitCode(), r.err());
        List<String> found = r.out().lines().filter(l -> l.startsWith("Found DFU:") && l.contains("alt=0")).toList();
        assertEquals(3, found.size(), r.out());
        assertTrue(found.get(0).contains("path=\"1-1\"") && found.get(0).endsWith("serial=\"8CC4DFE25301\""), found.get(0));
        assertTrue(found.get(1).contains("path=\"1-2\"") && found.get(1).endsWith("serial=\"8CC4DFE25302\""), found.get(1));
        assertTrue(found.get(2).startsWith("Found DFU: [0483:df11] ver=0200") && found.get(2).contains("path=\"1-3\""), found.get(2));
        CliRunner filtered = CliRunner.run("list", "--sim", THREE, "-S", "8CC4DFE25302");
        assertEquals(0, filtered.exitCode(), filtered.err());
        assertTrue(filtered.out().lines().filter(l -> l.startsWith("Found DFU:")).allMatch(l -> l.contains("path=\"1-2\"")),
                filtered.out());
    }

    @Test
    void oneBoardKeepsItsIdentity() {
        CliRunner r = CliRunner.run("list", "--sim", "stm32f405");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("path=\"sim:stm32f405\""), r.out());
    }

    @Test
    void severalMatchingBoardsAreRefusedWithHowToPick() {
        CliRunner r = CliRunner.run("flash", BLINKY, "--sim", THREE, "--sim-time", "virtual");
        assertEquals(ExitCode.NO_DEVICE, r.exitCode(), r.err());
        assertTrue(r.err().contains("More than one DFU device matches"), r.err());
        assertTrue(r.err().contains("--serial SERIAL or --path PATH, or flash them all at once with --all"), r.err());
        CliRunner sameChip = CliRunner.run("flash", BLINKY, "--sim", THREE, "--sim-time", "virtual", "-d", "0483:df11");
        assertEquals(ExitCode.NO_DEVICE, sameChip.exitCode(), "all three are 0483:df11: " + sameChip.err());
    }

    @Test
    void pathAndSerialPickOneBoardAndOnlyItsStateIsWritten() throws Exception {
        Path state = dir.resolve("boards.sim");
        CliRunner byPath = CliRunner.run("flash", BLINKY, "--sim", THREE, "--sim-time", "virtual", "--sim-state", state.toString(),
                "-p", "1-2");
        assertEquals(0, byPath.exitCode(), byPath.err());
        assertTrue(byPath.err().contains("at 1-2"), byPath.err());
        assertTrue(Files.exists(dir.resolve("boards.2.sim")));
        assertFalse(Files.exists(dir.resolve("boards.1.sim")), "board 1 was not opened");
        assertFalse(Files.exists(dir.resolve("boards.3.sim")), "board 3 was not opened");
        byte[] head = blinkyHead(dir.resolve("boards.2.sim"));
        assertFalse(java.util.Arrays.equals(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1}, head), "board 2 holds the image");

        CliRunner bySerial = CliRunner.run("flash", BLINKY, "--sim", THREE, "--sim-time", "virtual", "--sim-state", state.toString(),
                "-S", "8CC4DFE25301");
        assertEquals(0, bySerial.exitCode(), bySerial.err());
        assertTrue(bySerial.err().contains("at 1-1"), bySerial.err());
        assertTrue(Files.exists(dir.resolve("boards.1.sim")));
    }

    @Test
    void aFilterMatchingNoBoardIsNoDeviceAndListsTheBoards() {
        CliRunner r = CliRunner.run("flash", BLINKY, "--sim", THREE, "--sim-time", "virtual", "-p", "1-9");
        assertEquals(ExitCode.NO_DEVICE, r.exitCode(), r.err());
        assertTrue(r.err().contains("No simulated DFU device matches port path 1-9"), r.err());
        assertTrue(r.err().contains("path 1-3"), r.err());
        CliRunner unknown = CliRunner.run("flash", BLINKY, "--sim", "stm32f405,stm32f999");
        assertEquals(ExitCode.USAGE, unknown.exitCode(), unknown.err());
        assertTrue(unknown.err().contains("unknown simulated device 'stm32f999'"), unknown.err());
    }

    @Test
    void allFlashesEveryMatchingBoardAndWaitsForEachApplication() throws Exception {
        Path state = dir.resolve("b.sim");
        CliRunner r = CliRunner.run("flash", BLINKY, "--sim", "stm32f405,stm32f405,stm32f405", "--sim-time", "virtual",
                "--sim-state", state.toString(), "--all", "--leave", "--wait-app", "2");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        for (int n = 1; n <= 3; n++) {
            String line = lines.get(n - 1);
            assertTrue(line.startsWith("1-" + n + ": flashed and verified; application started: simulated application at 1-" + n),
                    line);
            assertTrue(Files.exists(dir.resolve("b." + n + ".sim")), "board " + n + " saved");
        }
        CliRunner onlyTwo = CliRunner.run("flash", BLINKY, "--sim", THREE, "--sim-time", "virtual", "--all", "-p", "1-3",
                "--json");
        assertEquals(0, onlyTwo.exitCode(), onlyTwo.out() + onlyTwo.err());
        assertTrue(onlyTwo.out().contains("\"path\":\"1-3\"") && !onlyTwo.out().contains("\"path\":\"1-1\""), onlyTwo.out());
    }

    @Test
    void allReportsTheBoardWhoseApplicationDidNotStart() {
        CliRunner r = CliRunner.run("flash", BLINKY, "--sim", "stm32f405,stm32f405", "--sim-time", "virtual",
                "--sim-boot0-high", "--all", "--leave", "--wait-app", "1");
        assertEquals(ExitCode.DEVICE_FAILURE, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().lines().allMatch(l -> l.contains("FAILED")), r.out());
    }
}
