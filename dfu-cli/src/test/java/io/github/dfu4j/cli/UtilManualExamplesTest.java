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
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every command line of the EXAMPLES section of dfu-util 0.11's manual page (doc/dfu-util.1 in the dfu-util
 * repository; the situations paraphrased below), run through {@code dfu util} against the simulated
 * STM32F405 ROM bootloader with a --sim-state file, and its outcome checked: the exit code, and the
 * memory read back by {@code dfu upload} (not by the front end) equal to the file, or the bytes uploaded
 * equal to what the memory holds, or the documented "not supported yet" line with nothing done.
 */
class UtilManualExamplesTest {
    private static final long FLASH = 0x0800_0000L;

    @TempDir
    Path dir;

    /**
     * The OpenMoko examples by alt name: write the root file system, the kernel, the boot loader, each
     * then a USB reset. The F405 has no alt settings of those names: a usage error naming its alt settings.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "-a rootfs -R -D openmoko-devel-image.jffs2",
        "-a kernel -R -D uImage",
        "-a u-boot -R -D u-boot.bin",
    })
    void openMokoExamplesByAltNameAreRefusedOnAnF405(String line) throws Exception {
        Path state = dir.resolve("state.json");
        String file = line.substring(line.lastIndexOf(' ') + 1);
        Files.write(dir.resolve(file), image(4096, FLASH));
        CliRunner r = util(line, state);
        assertEquals(ExitCode.USAGE, r.exitCode(), r.err());
        assertTrue(r.err().contains("the device has no alternate setting '" + line.split(" ")[1] + "'"), r.err());
    }

    /** The OpenMoko example by alt number: copy a kernel image (alt 0 here: the F405's flash), then a USB reset. */
    @Test
    void openMokoKernelByAltNumberThenReset() throws Exception {
        Path state = dir.resolve("state.json");
        byte[] kernel = image(4096, FLASH);
        Files.write(dir.resolve("uImage"), kernel);
        CliRunner r = util("-a 0 -R -D uImage", state);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Flashed and verified 4096 bytes"), r.out());
        assertTrue(r.out().contains("Reset 0483:df11 (DFU mode) at sim:stm32f405"), r.out());
        assertArrayEquals(kernel, readBack(state, FLASH, kernel.length));
    }

    /** -e detaches a run-time device into DFU mode (dfu detach). */
    @Test
    void detachARuntimeDevice() {
        CliRunner r = CliRunner.run("util", "-e", "--sim", "stm32f405-runtime", "--sim-time", "virtual");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("Detached 0483:5740"), r.out());
        assertTrue(r.err().contains("dfu util: differs: -e waits for the bootloader"), r.err());
    }

    /** -S and -p pick one of several boards; without them dfu4j refuses to guess. */
    @Test
    void serialAndPathSelectABoard() throws Exception {
        Files.write(dir.resolve("app.bin"), image(1024, FLASH));
        String[] base = {"util", "-a", "0", "-s", "0x08000000", "-D", dir.resolve("app.bin").toString(), "--sim",
            "stm32f405,stm32f072", "--sim-time", "virtual"};
        CliRunner both = CliRunner.run(base);
        assertEquals(ExitCode.NO_DEVICE, both.exitCode(), both.err());
        assertTrue(both.err().contains("More than one DFU device matches"), both.err());
        List<String> byPath = new ArrayList<>(List.of(base));
        byPath.addAll(List.of("-p", "1-2"));
        CliRunner p = CliRunner.run(byPath.toArray(String[]::new));
        assertEquals(0, p.exitCode(), p.err());
        assertTrue(p.err().contains("STM32F070xB/F071/F072"), p.err());
    }

    /** The same OpenMoko lines without -R: the alt name is looked up on the device, as dfu-util does. */
    @Test
    void openMokoAltNamesAreLookedUpOnTheDevice() throws Exception {
        Path state = dir.resolve("state.json");
        Files.write(dir.resolve("uImage"), image(4096, FLASH));
        CliRunner byName = util("-a kernel -D uImage", state);
        assertEquals(ExitCode.USAGE, byName.exitCode(), byName.err());
        assertTrue(byName.err().contains("no alternate setting 'kernel'"), byName.err());
        CliRunner byNumber = util("-a 0 -D uImage", state);
        assertEquals(0, byNumber.exitCode(), byNumber.err());
        assertArrayEquals(Files.readAllBytes(dir.resolve("uImage")), readBack(state, FLASH, 4096));
    }

    /** DfuSe: write a .dfu file (no -a, no -s: the file says where). */
    @Test
    void dfuseFileIsFlashedAndVerified() throws Exception {
        Path state = dir.resolve("state.json");
        byte[] app = image(10_000, FLASH + 0x4000);
        Files.write(dir.resolve("app.bin"), app);
        CliRunner convert = CliRunner.run("convert", dir.resolve("app.bin") + "@0x08004000", "-o",
                dir.resolve("dfuse-image.dfu").toString());
        assertEquals(0, convert.exitCode(), convert.err());
        CliRunner r = util("-D dfuse-image.dfu", state);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("dfu util: differs: dfu4j reads the written memory back"), r.err());
        assertTrue(r.out().contains("Flashed and verified 10000 bytes"), r.out());
        assertArrayEquals(app, readBack(state, FLASH + 0x4000, app.length));
    }

    /** DfuSe: read 1 KiB of flash from 0x08000000 into a new file. */
    @Test
    void uploadOneKilobyte() throws Exception {
        Path state = dir.resolve("state.json");
        byte[] app = image(8192, FLASH);
        Files.write(dir.resolve("app.bin"), app);
        assertEquals(0, CliRunner.run("flash", dir.resolve("app.bin").toString(), "--sim", "stm32f405", "--sim-time",
                "virtual", "--sim-state", state.toString()).exitCode());
        CliRunner r = util("-a 0 -s 0x08000000:1024 -U newfile.bin", state);
        assertEquals(0, r.exitCode(), r.err());
        assertArrayEquals(Arrays.copyOf(app, 1024), Files.readAllBytes(dir.resolve("newfile.bin")));
    }

    /** DfuSe: write a raw binary at 0x08004000 and leave DFU mode; the application starts there. */
    @Test
    void rawBinaryAtAnAddressThenLeave() throws Exception {
        Path state = dir.resolve("state.json");
        byte[] app = image(6000, FLASH + 0x4000);
        Files.write(dir.resolve("image.bin"), app);
        CliRunner r = util("-a 0 -s 0x08004000:leave -D image.bin", state);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Flashed and verified 6000 bytes"), r.out());
        assertFalse(r.err().contains("came back in DFU mode"), "the application at 0x08004000 started: " + r.err());
        assertArrayEquals(app, readBack(state, FLASH + 0x4000, app.length));
    }

    /** The -d values the manual's option text gives as examples are accepted (no device here: an empty list). */
    @ParameterizedTest(name = "-d {0}")
    @ValueSource(strings = {"1457:51ab,951:26", "1457:51ab,:2bc", "1457:51ab", ",951:26", "*,-", ","})
    void deviceIdExamplesAreAccepted(String ids) {
        CliRunner r = CliRunner.run("util", "-l", "-d", ids);
        assertTrue(r.exitCode() == 0 || r.exitCode() == ExitCode.NO_DEVICE, r.exitCode() + " " + r.err());
        assertFalse(r.err().contains("dfu util:"), r.err());
    }

    @Test
    void forceIsTheConfirmationForWritesOutsideTheLayoutAndSaysSo() throws Exception {
        Path state = dir.resolve("state.json");
        Files.write(dir.resolve("ob.bin"), new byte[16]);
        CliRunner refused = util("-a 0 -s 0x1FFF0000 -D ob.bin", state);
        assertEquals(ExitCode.DEVICE_FAILURE, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("is outside the memory layout"), refused.err());
        CliRunner forced = util("-a 0 -s 0x1FFF0000:force -D ob.bin", state);
        assertTrue(forced.err().contains("dfu util: differs: :force confirms only writes outside the memory layout"),
                forced.err());
        // the gate let it through; the simulated ROM itself refuses the address (as the real F405 ROM does)
        assertFalse(forced.err().contains("is outside the memory layout"), forced.err());
        assertTrue(forced.err().contains("SET_ADDRESS failed"), forced.err());
        assertEquals(ExitCode.DEVICE_FAILURE, forced.exitCode());
    }

    /**
     * :will-reset (dfu-util: "expect the device to reset", an option-byte write): the write still passes the
     * gate, the device leaving the bus afterwards is its expected end, and the bytes are read back once it
     * is in DFU mode again.
     */
    @Test
    void willResetWritesAndReportsTheReset() throws Exception {
        Path state = dir.resolve("state.json");
        Path ob = dir.resolve("ob.bin");
        CliRunner read = CliRunner.run("upload", ob.toString(), "--alt", "1", "--sim", "stm32f405", "--sim-time", "virtual",
                "--sim-state", state.toString());
        assertEquals(0, read.exitCode(), read.err());
        byte[] options = Files.readAllBytes(ob); // written back unchanged: the ROM resets after any option-byte write
        CliRunner r = util("-a 1 -s 0x1FFFC000:will-reset -D ob.bin", state);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("dfu util: differs: after a :will-reset write"), r.err());
        assertTrue(r.out().contains("made the device reset (as expected with --expect-reset); it came back in DFU mode and"
                + " read back as written"), r.out());
        Path again = dir.resolve("again.bin");
        assertEquals(0, CliRunner.run("upload", again.toString(), "--alt", "1", "--sim", "stm32f405", "--sim-time", "virtual",
                "--sim-state", state.toString()).exitCode());
        assertArrayEquals(options, Files.readAllBytes(again));
    }

    /** The gate reviews a :will-reset write like any other: RDP level 2 is refused, nothing is written. */
    @Test
    void willResetStillPassesTheWriteGate() throws Exception {
        Path state = dir.resolve("state.json");
        Files.copy(Path.of("..", "examples", "firmware", "demo", "f405-option-bytes-rdp2.bin"), dir.resolve("rdp2.bin"));
        CliRunner r = util("-a 1 -s 0x1FFFC000:will-reset -D rdp2.bin", state);
        assertEquals(ExitCode.USAGE, r.exitCode(), r.err());
        assertTrue(r.err().contains("refused, nothing was written") && r.err().contains("--allow-rdp-level-2"), r.err());
        assertEquals(ExitCode.USAGE, util("-a 0 -s 0x08000000:will-reset -U x.bin", state).exitCode(), "only with -D");
    }

    /** -t SIZE: every transfer at most SIZE bytes; more than the device's wTransferSize is a usage error. */
    @Test
    void transferSizeOverridesWTransferSize() throws Exception {
        Path state = dir.resolve("state.json");
        byte[] app = image(3000, FLASH);
        Files.write(dir.resolve("app.bin"), app);
        CliRunner r = util("-t 64 -a 0 -s 0x08000000 -D app.bin", state);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("wrote 3000 bytes in 47 block(s)"), r.out()); // 64-byte blocks, each at its own address
        assertArrayEquals(app, readBack(state, FLASH, app.length));
        CliRunner big = util("-t 4096 -a 0 -s 0x08000000 -D app.bin", state);
        assertEquals(ExitCode.USAGE, big.exitCode(), big.err());
        assertTrue(big.err().contains("dfu: --transfer-size 4096: this device takes 1..2048 bytes per transfer (wTransferSize 2048)"),
                big.err());
        assertEquals(ExitCode.USAGE, util("-t 0 -a 0 -D app.bin", state).exitCode());
        Path up = dir.resolve("up.bin");
        assertEquals(0, util("-t 100 -a 0 -s 0x08000000:3000 -U " + up, state).exitCode());
        assertArrayEquals(app, Files.readAllBytes(up));
    }

    /** -D - reads the image from standard input: a raw binary goes to -s ADDRESS, or flash's default base. */
    @Test
    void downloadFromStandardInput() throws Exception {
        Path state = dir.resolve("state.json");
        byte[] app = image(2500, FLASH);
        CliRunner r = CliRunner.runWithInput(new java.io.ByteArrayInputStream(app), "util", "-a", "0", "-D", "-", "--sim",
                "stm32f405", "--sim-time", "virtual", "--sim-state", state.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertArrayEquals(app, readBack(state, FLASH, app.length));
    }

    @Test
    void massEraseNeedsForceAsInDfuUtil() throws Exception {
        Path state = dir.resolve("state.json");
        byte[] app = image(2048, FLASH);
        Files.write(dir.resolve("app.bin"), app);
        assertEquals(0, util("-a 0 -s 0x08000000 -D app.bin", state).exitCode());
        CliRunner refused = util("-a 0 -s :mass-erase", state);
        assertEquals(ExitCode.USAGE, refused.exitCode(), refused.err());
        CliRunner erased = util("-a 0 -s :mass-erase:force", state);
        assertEquals(0, erased.exitCode(), erased.err());
        byte[] blank = new byte[2048];
        Arrays.fill(blank, (byte) 0xFF);
        assertArrayEquals(blank, readBack(state, FLASH, 2048));
    }

    /** :unprotect needs :force, as in dfu-util, and (also as there) the file given with -D is not written. */
    @Test
    void unprotectNeedsForceAndWritesNoFile() throws Exception {
        Path state = dir.resolve("state.json");
        byte[] app = image(2048, FLASH);
        Files.write(dir.resolve("app.bin"), app);
        assertEquals(0, util("-a 0 -s 0x08000000 -D app.bin", state).exitCode());
        CliRunner refused = util("-s :unprotect -D app.bin", state);
        assertEquals(ExitCode.USAGE, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("dfu util: differs: like dfu-util, :unprotect removes read protection and does"
                + " not write"), refused.err());
        assertArrayEquals(app, readBack(state, FLASH, 2048), "refused: nothing erased");
        CliRunner done = util("-s :unprotect:force", state);
        assertEquals(0, done.exitCode(), done.err());
        assertTrue(done.out().contains("READ_UNPROTECT done"), done.out());
        byte[] blank = new byte[2048];
        Arrays.fill(blank, (byte) 0xFF);
        assertArrayEquals(blank, readBack(state, FLASH, 2048));
    }

    /** -c and -i are ignored with a line each; -E becomes the re-enumeration wait; the job still runs. */
    @Test
    void cfgAndIntfAreIgnoredWithALine() throws Exception {
        Path state = dir.resolve("state.json");
        byte[] app = image(1000, FLASH);
        Files.write(dir.resolve("app.bin"), app);
        assertEquals(0, util("-a 0 -s 0x08000000 -D app.bin", state).exitCode());
        CliRunner r = util("-c 1 -i 0 -E 2 -a 0 -s 0x08000000:1000 -U up.bin", state);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("dfu util: differs: -c 1 is ignored"), r.err());
        assertTrue(r.err().contains("dfu util: differs: -i 0 is ignored"), r.err());
        assertArrayEquals(app, Files.readAllBytes(dir.resolve("up.bin")));
    }

    /** -D - reads standard input and -U - writes standard output, as in dfu-util. */
    @Test
    void standardInputAndOutput() throws Exception {
        Path state = dir.resolve("state.json");
        byte[] app = image(3000, FLASH);
        CliRunner in = CliRunner.runWithInput(new java.io.ByteArrayInputStream(app), "util", "-a", "0", "-s", "0x08000000",
                "-D", "-", "--sim", "stm32f405", "--sim-time", "virtual", "--sim-state", state.toString());
        assertEquals(0, in.exitCode(), in.err());
        assertArrayEquals(app, readBack(state, FLASH, app.length));
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.util.function.Supplier<java.io.OutputStream> previous = UploadCommand.stdout;
        int code;
        try {
            UploadCommand.stdout = () -> captured;
            code = CliRunner.run("util", "-a", "0", "-s", "0x08000000:3000", "-U", "-", "--sim", "stm32f405", "--sim-time",
                    "virtual", "--sim-state", state.toString()).exitCode();
        } finally {
            UploadCommand.stdout = previous;
        }
        assertEquals(0, code);
        assertArrayEquals(app, captured.toByteArray());
    }

    private CliRunner util(String line, Path state) {
        List<String> args = new ArrayList<>(List.of("util"));
        for (String w : line.split(" ")) {
            args.add(w.endsWith(".bin") || w.endsWith(".dfu") || w.equals("uImage") || w.endsWith(".jffs2")
                    ? dir.resolve(w).toString() : w);
        }
        args.addAll(List.of("--sim", "stm32f405", "--sim-time", "virtual", "--sim-state", state.toString()));
        return CliRunner.run(args.toArray(String[]::new));
    }

    /** What the simulated flash holds, read by dfu upload (independent of the front end). */
    private byte[] readBack(Path state, long address, int length) throws Exception {
        Path out = dir.resolve("readback-" + System.nanoTime() + ".bin");
        CliRunner r = CliRunner.run("upload", out.toString(), "--address", "0x" + Long.toHexString(address), "--length",
                Integer.toString(length), "--sim", "stm32f405", "--sim-time", "virtual", "--sim-state", state.toString());
        assertEquals(0, r.exitCode(), r.err());
        return Files.readAllBytes(out);
    }

    /** A vector table (stack pointer in SRAM, reset handler inside the image) then seeded bytes. */
    private static byte[] image(int length, long base) {
        SplittableRandom rnd = new SplittableRandom(0x0DF0L + length);
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) rnd.nextInt(256);
        }
        ByteBuffer v = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        v.putInt(0, 0x2002_0000);
        v.putInt(4, (int) (base + 0x101));
        return b;
    }
}
