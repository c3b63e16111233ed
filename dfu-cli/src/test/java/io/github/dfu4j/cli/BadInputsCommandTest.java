package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.dfu4j.formats.DfuSuffix;
import io.github.dfu4j.formats.suffix.DfuSuffixes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 9 through the CLI: files that are not what they claim are refused with one line and exit 3
 * before anything is written; every input (FILE@ADDR, FIFOs, standard input) is read once under the
 * cap; the bad-input exit codes of --sim-state, --leave and upload.
 */
class BadInputsCommandTest {
    static final Path BLINKY_DFU = Path.of("..", "examples", "firmware", "blinky-f405.dfu");
    static final Path BLINKY_BIN = Path.of("..", "examples", "firmware", "blinky-f405.bin");

    @TempDir
    Path dir;

    private Path state() {
        return dir.resolve("f405.state");
    }

    /** args + the F405 simulator with a state file, which exists afterwards only if the device was used. */
    private String[] f405(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--sim", "stm32f405", "--sim-time", "virtual", "--sim-state", state().toString()));
        return all.toArray(String[]::new);
    }

    private Path file(String name, byte[] content) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, content);
        return f;
    }

    /** The one line on stderr; fails if there is more (a trace, a second line). */
    private static String oneLine(CliRunner r) {
        List<String> lines = r.err().strip().lines().filter(l -> !l.contains("ROM bootloader (ST")).toList();
        assertEquals(1, lines.size(), "one line, no trace: " + r.err());
        return lines.get(0);
    }

    private void assertRefusedBeforeTheDevice(CliRunner r, int exitCode, String line) {
        assertEquals(exitCode, r.exitCode(), r.err());
        assertEquals(line, oneLine(r));
        assertFalse(r.out().contains("Flashed"), r.out());
        assertFalse(Files.exists(state()), "the simulated device was never opened, so nothing was written");
    }

    private static byte[] resigned(String signature) throws IOException {
        byte[] dfu = Files.readAllBytes(BLINKY_DFU);
        byte[] body = Arrays.copyOf(dfu, dfu.length - DfuSuffixes.LENGTH);
        System.arraycopy(signature.getBytes(StandardCharsets.US_ASCII), 0, body, 0, 5);
        return DfuSuffixes.append(body, DfuSuffix.dfuse(0x0483, 0xDF11));
    }

    @ParameterizedTest
    @ValueSource(strings = {"DfuSX", "dfuse"})
    void aDfuseFileWithABrokenSignatureIsNotFlashedAsRawBytes(String signature) throws Exception {
        Path f = file("bad.dfu", resigned(signature));
        String hex = String.format("%02x %02x %02x %02x %02x", (int) signature.charAt(0), (int) signature.charAt(1),
                (int) signature.charAt(2), (int) signature.charAt(3), (int) signature.charAt(4));
        assertRefusedBeforeTheDevice(CliRunner.run(f405("flash", f.toString())), 3, "dfu: " + f + "@0x00000000: the DFU suffix"
                + " says DfuSe (bcdDFU 0x011a at offset 0x353) but the file does not start with the \"DfuSe\" signature (it starts"
                + " with \"" + signature + "\", " + hex + "): a damaged DfuSe file, not read as raw bytes");
    }

    @Test
    void aRawBodyUnderADfuseSuffixIsNotFlashedAsRawBytes() throws Exception {
        byte[] raw = Files.readAllBytes(BLINKY_BIN);
        Path f = file("raw.dfu", DfuSuffixes.append(raw, DfuSuffix.dfuse(0x0483, 0xDF11)));
        CliRunner r = CliRunner.run(f405("flash", f.toString()));
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(oneLine(r).startsWith("dfu: " + f + "@0x00000000: the DFU suffix says DfuSe (bcdDFU 0x011a at offset 0x22e)"),
                r.err());
        assertFalse(Files.exists(state()));
        assertRefusedBeforeTheDevice(CliRunner.run(f405("flash", f + "@0x08000000")), 3, "dfu: " + f
                + "@0x0000022e: the DFU suffix says DfuSe (bcdDFU 0x011a); a DfuSe file cannot be read as raw binary");
    }

    @Test
    void anUndefinedBcdDfuIsRefused() throws Exception {
        byte[] raw = Files.readAllBytes(BLINKY_BIN);
        Path f = file("odd.dfu", DfuSuffixes.append(raw, new DfuSuffix(0xFFFF, 0xDF11, 0x0483, 0x0777)));
        assertRefusedBeforeTheDevice(CliRunner.run(f405("flash", f.toString())), 3, "dfu: " + f + "@0x0000022e: DFU suffix"
                + " bcdDFU 0x0777 is not a DFU file version (DFU files say 0x0100 or 0x0110, DfuSe files 0x011a)");
        assertEquals(3, CliRunner.run("info", f.toString()).exitCode());
    }

    @Test
    void aPlainDfuFileWithABadCrcSaysCrcMismatch() throws Exception {
        byte[] good = DfuSuffixes.append(Files.readAllBytes(BLINKY_BIN), new DfuSuffix(0xFFFF, 0xDF11, 0x0483, 0x0100));
        byte[] bad = good.clone();
        bad[bad.length - 1] ^= (byte) 0xFF;
        Path f = file("crc.dfu", bad);
        CliRunner r = CliRunner.run(f405("flash", f.toString()));
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(oneLine(r).matches("dfu: " + f + "@0x00000234: DFU suffix CRC mismatch: dwCRC says 0x[0-9a-f]{8}, the file's"
                + " bytes give 0x[0-9a-f]{8}"), r.err());
        assertFalse(Files.exists(state()));
        assertEquals(0, CliRunner.run(f405("flash", file("good.dfu", good).toString())).exitCode(), "the intact file flashes");
    }

    @Test
    void aByteOrderMarkBeforeIntelHexIsNamed() throws Exception {
        byte[] hex = Files.readAllBytes(Path.of("..", "examples", "firmware", "blinky-f405.hex"));
        byte[] withBom = new byte[hex.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(hex, 0, withBom, 3, hex.length);
        Path f = file("bom.hex", withBom);
        assertRefusedBeforeTheDevice(CliRunner.run(f405("flash", f.toString())), 3, "dfu: " + f + ":1: starts with a UTF-8 byte"
                + " order mark (bytes ef bb bf at offset 0); Intel HEX is plain ASCII: save the file without the BOM");
    }

    // ---- every input read once, under the cap ------------------------------------------------------------

    @Test
    void standardInputIsAnInputForFlashInfoAndConvert() throws Exception {
        byte[] dfu = Files.readAllBytes(BLINKY_DFU);
        byte[] raw = Files.readAllBytes(BLINKY_BIN);
        CliRunner flashed = CliRunner.runWithInput(new ByteArrayInputStream(dfu), f405("flash", "-"));
        assertEquals(0, flashed.exitCode(), flashed.err());
        assertTrue(flashed.out().contains("Flashed and verified 552 bytes"), flashed.out());

        CliRunner at = CliRunner.runWithInput(new ByteArrayInputStream(raw), f405("flash", "-@0x08004000"));
        assertEquals(0, at.exitCode(), at.err());
        assertTrue(at.out().contains("wrote alt 0 [0x08004000..0x08004228)"), at.out());

        CliRunner info = CliRunner.runWithInput(new ByteArrayInputStream(dfu), "info", "-");
        assertEquals(0, info.exitCode(), info.err());
        assertTrue(info.out().startsWith("File:        <stdin> (861 bytes)"), info.out());

        Path hex = dir.resolve("from-stdin.hex");
        CliRunner converted = CliRunner.runWithInput(new ByteArrayInputStream(raw), "convert", "-@0x08000000", "-o", hex.toString());
        assertEquals(0, converted.exitCode(), converted.err());
        CliRunner back = CliRunner.run("convert", hex.toString(), "-o", dir.resolve("back.bin").toString());
        assertEquals(0, back.exitCode(), back.err());
        assertArrayEquals(raw, Files.readAllBytes(dir.resolve("back.bin")));
    }

    @Test
    void standardInputIsCheckedLikeAFile() {
        CliRunner twice = CliRunner.runWithInput(new ByteArrayInputStream(new byte[4]), f405("flash", "-", "-@0x08004000"));
        assertRefusedBeforeTheDevice(twice, 2, "dfu: standard input ('-') can be given only once: it can be read only once");
        byte[] hex = ":0400000001020304F2\n:00000001FF\n".getBytes(StandardCharsets.US_ASCII);
        CliRunner carried = CliRunner.runWithInput(new ByteArrayInputStream(hex), f405("flash", "-@0x08000000"));
        assertRefusedBeforeTheDevice(carried, 2, "dfu: <stdin>@0x08000000: <stdin> is Intel HEX and carries its own addresses;"
                + " @ADDR is for raw binaries");
        CliRunner typo = CliRunner.run(f405("flash", "--lave", BLINKY_DFU.toString()));
        // one error line, then the usage hints every mistyped option gets ("did you mean", the help command)
        assertEquals(2, typo.exitCode(), typo.err());
        assertEquals(List.of("dfu: unknown option '--lave' (an input named like an option: ./--lave)", "Did you mean '--leave'?",
                "Try 'dfu flash --help'."), typo.err().strip().lines().toList());
        assertFalse(Files.exists(state()), "the simulated device was never opened, so nothing was written");
    }

    @Test
    void aFifoAtAnAddressIsReadOnceToItsEnd() throws Exception {
        Path fifo = dir.resolve("fw.fifo");
        boolean made;
        try {
            made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
        } catch (IOException e) {
            made = false;
        }
        assumeTrue(made, "mkfifo is not available");
        byte[] raw = Files.readAllBytes(BLINKY_BIN);
        Thread writer = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                out.write(raw);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        writer.setDaemon(true);
        writer.start();
        CliRunner r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CliRunner.run(f405("flash", fifo + "@0x08000000")));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Flashed and verified 552 bytes"), r.out());
    }

    @Test
    void anEndlessInputStopsAtTheCap() {
        // the cap is 1 GiB: the reader holds that much before it gives up
        assumeTrue(Runtime.getRuntime().maxMemory() > (3L << 30), "needs a heap of more than 3 GiB");
        assumeTrue(Files.isReadable(Path.of("/dev/zero")), "needs /dev/zero");
        assertRefusedBeforeTheDevice(CliRunner.run(f405("flash", "/dev/zero@0x08000000")), 3,
                "dfu: /dev/zero: more than the 1 GiB (1073741824-byte) limit for a firmware file; stopped reading there");
    }

    @Test
    void anInputTooLargeForTheHeapIsOneLineAndExitOne() {
        InputStream exhausting = new InputStream() {
            @Override
            public int read() {
                throw new OutOfMemoryError("Java heap space");
            }

            @Override
            public int read(byte[] b, int off, int len) {
                throw new OutOfMemoryError("Java heap space");
            }
        };
        CliRunner r = CliRunner.runWithInput(exhausting, f405("flash", "-"));
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(oneLine(r).startsWith("dfu: <stdin>: too large to hold in memory (the Java heap is limited to "), r.err());
        assertFalse(Files.exists(state()));
    }

    // ---- exit codes of the other bad inputs -------------------------------------------------------------

    @Test
    void aCorruptStateFileIsInvalidInput() throws Exception {
        Files.write(state(), "not a state file at all".getBytes(StandardCharsets.US_ASCII));
        CliRunner r = CliRunner.run(f405("flash", BLINKY_DFU.toString()));
        assertEquals(3, r.exitCode(), r.err());
        assertEquals("dfu: " + state() + "@0x00000000: not a dfu4j simulator state file (no DFU4JSIM signature)", oneLine(r));
    }

    @Test
    void stateFilesAndRecordingsAreRegularFilesOrInvalidInput() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/null")), "needs /dev/null");
        CliRunner device = CliRunner.run("flash", BLINKY_DFU.toString(), "--sim", "stm32f405", "--sim-time", "virtual",
                "--sim-state", "/dev/null");
        assertEquals(3, device.exitCode(), device.err());
        assertEquals("dfu: --sim-state /dev/null: not a regular file", oneLine(device));
        Path recording = file("bad.rec", "garbage\n".getBytes(StandardCharsets.US_ASCII));
        CliRunner replay = CliRunner.run("flash", BLINKY_DFU.toString(), "--replay", recording.toString());
        assertEquals(3, replay.exitCode(), replay.err());
        assertEquals("dfu: bad.rec:1: not a dfu4j session recording (expected \"# dfu4j session v1\")", oneLine(replay));
    }

    @Test
    void aMalformedLeaveAddressIsAUsageError() {
        assertRefusedBeforeTheDevice(CliRunner.run(f405("flash", BLINKY_DFU.toString(), "--leave=0xZZ")), 2,
                "dfu: --leave=0xZZ: '0xZZ' is not a number (use e.g. 0x08000000, 65536 or 64K); --leave alone picks the address"
                        + " the bootloader needs");
    }

    @Test
    void aStateFileThatCannotBeWrittenFailsBeforeFlashing() {
        Path missing = dir.resolve("no-such-dir").resolve("x");
        CliRunner r = CliRunner.run("flash", BLINKY_DFU.toString(), "--sim", "stm32f405", "--sim-time", "virtual",
                "--sim-state", missing.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertEquals("dfu: cannot write --sim-state " + missing + ": directory " + missing.getParent() + " does not exist",
                oneLine(r));
        assertFalse(r.out().contains("Flashed"), "refused before flashing: " + r.out());
    }

    @Test
    void aRecordingThatCannotBeWrittenFailsBeforeFlashing() {
        Path missing = dir.resolve("no-such-dir").resolve("x.rec");
        assertRefusedBeforeTheDevice(CliRunner.run(f405("flash", BLINKY_DFU.toString(), "--record", missing.toString())), 2,
                "dfu: cannot write --record " + missing + ": directory " + missing.getParent() + " does not exist");
    }

    @Test
    void uploadToAMissingDirectoryIsAUsageErrorNamingTheOutput() {
        Path out = dir.resolve("no-such-dir").resolve("up.bin");
        CliRunner r = CliRunner.run(f405("upload", out.toString(), "--address", "0x08000000", "--length", "1K"));
        assertRefusedBeforeTheDevice(r, 2, "dfu: cannot write " + out + ": directory " + out.getParent() + " does not exist");
    }

    @Test
    void uploadToAReadOnlyDirectoryIsAUsageErrorNamingTheOutput() throws Exception {
        Path readOnly = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeTrue(!Files.isWritable(readOnly), "running as root: permissions do not stop writes");
            Path out = readOnly.resolve("up.bin");
            CliRunner r = CliRunner.run(f405("upload", out.toString(), "--address", "0x08000000", "--length", "1K"));
            assertRefusedBeforeTheDevice(r, 2, "dfu: cannot write " + out + ": permission denied");
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
