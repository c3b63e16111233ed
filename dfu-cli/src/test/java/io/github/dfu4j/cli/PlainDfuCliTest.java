package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plain DFU 1.1 personalities through the CLI (docs/simulator.md "Plain DFU 1.1"): dfu flash of the
 * example firmware, verified by UPLOAD read-back where the device can still be read (exit 0) or reported
 * not verified after the reset of a not manifestation-tolerant device (exit 5); dfu upload of the whole
 * image area; --sim-transfer-size and --transfer-size.
 */
class PlainDfuCliTest {
    static final Path BLINKY = Path.of("..", "examples", "firmware", "blinky-plain-dfu.bin");

    @TempDir
    Path dir;

    private CliRunner dfu(Path state, String... args) {
        String[] all = Arrays.copyOf(args, args.length + 4);
        all[args.length] = "--sim-time";
        all[args.length + 1] = "virtual";
        all[args.length + 2] = "--sim-state";
        all[args.length + 3] = state.toString();
        return CliRunner.run(all);
    }

    @ParameterizedTest(name = "{0} wTransferSize {1}")
    @CsvSource({
        "plain-dfu, 64", "plain-dfu, 1024", "plain-dfu, 4096",
        "plain-dfu-nodetach, 64", "plain-dfu-nodetach, 1024", "plain-dfu-nodetach, 4096",
        "plain-dfu-nomt, 64", "plain-dfu-nomt, 1024", "plain-dfu-nomt, 4096",
        "plain-dfu-nomt-nodetach, 64", "plain-dfu-nomt-nodetach, 1024", "plain-dfu-nomt-nodetach, 4096",
    })
    void flashThenUploadGivesTheImageBack(String id, int size) throws Exception {
        Path state = dir.resolve("board.sim");
        byte[] blinky = Files.readAllBytes(BLINKY);
        CliRunner r = dfu(state, "flash", BLINKY.toString(), "--sim", id, "--sim-transfer-size", Integer.toString(size));
        int blocks = (blinky.length + size - 1) / size;
        assertTrue(r.out().contains("wrote " + blinky.length + " bytes in " + blocks + " block(s)"), r.out());
        if (id.contains("nomt")) {
            assertEquals(ExitCode.RESET_NOT_VERIFIED, r.exitCode(), r.err());
            assertTrue(r.out().contains("The device reset after manifestation (a plain DFU device that is not manifestation"
                    + " tolerant).") && r.out().contains("NOT verified: the device reset before they could be read back"), r.out());
        } else {
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("Flashed and verified " + blinky.length + " bytes"), r.out());
        }
        Path up = dir.resolve("up.bin");
        CliRunner u = dfu(state, "upload", up.toString(), "--sim", id, "--sim-transfer-size", Integer.toString(size));
        assertEquals(0, u.exitCode(), u.err());
        assertTrue(u.out().contains("Read 65536 bytes from 0x00000000"), u.out());
        byte[] all = Files.readAllBytes(up);
        assertEquals(64 * 1024, all.length, "the whole image area, ended by the device's short frame");
        assertArrayEquals(blinky, Arrays.copyOf(all, blinky.length));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"plain-dfu-nomt", "plain-dfu-nomt-nodetach"})
    void notTolerantBoardThatComesBackInDfuModeIsVerified(String id) {
        CliRunner r = dfu(dir.resolve("b.sim"), "flash", BLINKY.toString(), "--sim", id, "--sim-boot0-high");
        assertEquals(0, r.exitCode(), r.err());
        // the reset after manifestation brought it back in DFU mode (BOOT0 held): read back by UPLOAD
        assertTrue(r.out().contains("Flashed and verified 356 bytes"), r.out());
    }

    @ParameterizedTest(name = "--transfer-size {0}")
    @ValueSource(ints = {64, 1000, 1024})
    void transferSizeOverrideSplitsTheStream(int size) throws Exception {
        byte[] blinky = Files.readAllBytes(BLINKY);
        CliRunner r = dfu(dir.resolve("t.sim"), "flash", BLINKY.toString(), "--sim", "plain-dfu", "--transfer-size",
                Integer.toString(size));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("in " + (blinky.length + size - 1) / size + " block(s)"), r.out());
    }

    @ParameterizedTest(name = "--transfer-size {0}")
    @ValueSource(strings = {"0", "65536", "2048"})
    void transferSizeOutsideWhatTheDeviceTakesIsAUsageError(String size) {
        CliRunner r = dfu(dir.resolve("u.sim"), "flash", BLINKY.toString(), "--sim", "plain-dfu", "--transfer-size", size);
        assertEquals(ExitCode.USAGE, r.exitCode(), r.err());
        String line = size.equals("2048") ? "dfu: --transfer-size 2048: this device takes 1..1024 bytes per transfer (wTransferSize 1024)"
                : "dfu: --transfer-size must be 1..65535 bytes, not " + size;
        assertTrue(r.err().contains(line), r.err());
        assertTrue(!r.out().contains("Flashed"), "nothing flashed");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"plain-dfu", "plain-dfu-nomt"})
    void stdinAndStdout(String id) throws Exception {
        byte[] blinky = Files.readAllBytes(BLINKY);
        Path state = dir.resolve("s.sim");
        CliRunner r = CliRunner.runWithInput(new java.io.ByteArrayInputStream(blinky), "util", "-D", "-", "--sim", id,
                "--sim-boot0-high", "--sim-time", "virtual", "--sim-state", state.toString());
        assertEquals(0, r.exitCode(), r.err());
        CliRunner u = dfu(state, "upload", "-", "--sim", id, "--length", Integer.toString(blinky.length));
        assertEquals(0, u.exitCode(), u.err());
        assertTrue(u.err().contains("Read " + blinky.length + " bytes from 0x00000000 to stdout"), u.err());
    }
}
