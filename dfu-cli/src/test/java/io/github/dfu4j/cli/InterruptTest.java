package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code dfu} process (a child JVM on this test's class path) stopped by SIGINT, SIGTERM and
 * SIGKILL in the middle of a flash on a simulated F405 with {@code --sim-state}, Ctrl-C in an erase,
 * and two processes on one state file. The flash runs in real time sped up 4x (a 256 KiB image:
 * erase ≈ 0.8 s, write ≈ 1 s; SIGKILL: real time), and each signal is sent once the progress bar shows
 * the write under way, so no sleep decides what is tested (the erase test waits 1.5 s into an 8.5 s
 * erase, and checks whatever the line says against the chip).
 */
class InterruptTest {
    private static final long FLASH = 0x0800_0000L;
    private static final int SIZE = 256 * 1024;
    private static final Pattern WRITE_PERCENT = Pattern.compile("write +\\[[#.]+\\] +(\\d+)%");

    /** env --default-signal=INT,TERM: a child of a shell job without job control would inherit SIGINT ignored. */
    private static List<String> launcherPrefix = List.of();

    @TempDir
    Path dir;

    @BeforeAll
    static void signalsReachTheChild() throws Exception {
        try {
            Process p = new ProcessBuilder("env", "--default-signal=INT,TERM", "true").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                launcherPrefix = List.of("env", "--default-signal=INT,TERM");
                return;
            }
        } catch (IOException e) {
            // no env with --default-signal (coreutils < 8.31): fine if this JVM does not ignore SIGINT itself
        }
        Path status = Path.of("/proc/self/status");
        Assumptions.assumeTrue(Files.isReadable(status), "cannot tell whether SIGINT reaches a child process");
        String ign = Files.readAllLines(status).stream().filter(l -> l.startsWith("SigIgn:")).findFirst().orElse("SigIgn: 0");
        long mask = Long.parseLong(ign.substring(7).trim(), 16);
        Assumptions.assumeTrue((mask & 0x2) == 0, "SIGINT is ignored by this JVM and would be by the child");
    }

    /** A running dfu child with its stderr collected as it arrives. */
    private static final class Dfu {
        final Process process;
        final StringBuffer err = new StringBuffer();
        final StringBuffer out = new StringBuffer();
        final List<Thread> pumps = new ArrayList<>();

        Dfu(List<String> args, String... jvmOptions) throws IOException {
            List<String> cmd = new ArrayList<>(launcherPrefix);
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
            cmd.addAll(List.of(jvmOptions));
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), DfuCli.class.getName()));
            cmd.addAll(args);
            process = new ProcessBuilder(cmd).start();
            pumps.add(pump(process.getErrorStream(), err));
            pumps.add(pump(process.getInputStream(), out));
        }

        private static Thread pump(java.io.InputStream in, StringBuffer sink) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[4096];
                try {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        sink.append(new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8));
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            t.setDaemon(true);
            t.start();
            return t;
        }

        /** Waits until the progress bar shows the write at {@code percent}% or more. */
        void awaitWrite(int percent) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && process.isAlive()) {
                Matcher m = WRITE_PERCENT.matcher(err);
                int last = -1;
                while (m.find()) {
                    last = Integer.parseInt(m.group(1));
                }
                if (last >= percent) {
                    return;
                }
                Thread.sleep(20);
            }
            throw new AssertionError("the flash did not reach " + percent + "% of the write:\n" + err);
        }

        void awaitText(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && process.isAlive() && err.indexOf(text) < 0) {
                Thread.sleep(20);
            }
            assertTrue(err.indexOf(text) >= 0, "no '" + text + "' on stderr:\n" + err);
        }

        int exit() throws InterruptedException {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "dfu did not exit:\n" + err);
            for (Thread t : pumps) {
                t.join(TimeUnit.SECONDS.toMillis(10)); // everything the process wrote
            }
            return process.exitValue();
        }

        /** The last line of stderr, after the last carriage return. */
        String lastLine() {
            String[] lines = err.toString().split("\n");
            return lines[lines.length - 1];
        }
    }

    private Path image() throws IOException {
        Path file = dir.resolve("app.bin");
        if (!Files.exists(file)) {
            byte[] data = new byte[SIZE];
            new Random(9).nextBytes(data);
            Files.write(file, data);
        }
        return file;
    }

    private List<String> slowFlash(Path state, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("flash", image().toString(), "--sim", "stm32f405", "--sim-time", "4",
                "--sim-state", state.toString(), "--progress"));
        args.addAll(List.of(more));
        return args;
    }

    private static void kill(String signal, Process p) throws Exception {
        Process k = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
        assertEquals(0, k.waitFor(), "kill -" + signal);
    }

    /** The interruption line, on a line of its own (the bar's line was ended first), for a stop in the write. */
    private static void assertPartialImageLine(Dfu dfu) {
        String err = dfu.err.toString();
        Pattern line = Pattern.compile("\ndfu: interrupted: 6 sectors erased \\(0x08000000-0x0803ffff\\), (\\d+(\\.\\d)?) KiB of 256 KiB"
                + " written; the chip holds a partial image; re-run with --incremental to finish\n$");
        assertTrue(line.matcher(err).find(), "one line saying what the chip holds, after the bar's line:\n" + err);
        String before = err.substring(0, err.lastIndexOf("\ndfu: interrupted"));
        assertTrue(before.endsWith("%") || before.matches("(?s).*0x[0-9a-f]{8}$"), "the bar's line precedes it: " + before);
    }

    /** The recorded session ends with ABORT and a GETSTATUS answering dfuIDLE (state byte 0x02), then close. */
    private static void assertEndsInDfuIdle(Path record) throws IOException {
        List<String> lines = Files.readAllLines(record);
        List<String> tail = lines.subList(Math.max(0, lines.size() - 3), lines.size());
        assertTrue(tail.get(0).contains(" out ABORT "), "ABORT after the last block: " + tail);
        assertTrue(tail.get(1).matches(".* in GETSTATUS 0 6 .*-> 00[0-9a-f]{6}02[0-9a-f]{2}$"), "then dfuIDLE: " + tail);
        assertTrue(tail.get(2).endsWith(" close"), tail.toString());
    }

    private byte[] imageBytes() throws IOException {
        return Files.readAllBytes(image());
    }

    private static SimulatedDevice load(Path state) throws IOException {
        return SimulatedDevices.load(state, SimOptions.defaults());
    }

    /** The state holds part of the image: written from 0x08004000 on, the vector-table sector (written last) still blank. */
    private void assertPartialImage(SimulatedDevice d) throws IOException {
        byte[] expected = imageBytes();
        byte[] flash = d.readMemory(FLASH, SIZE);
        assertFalse(Arrays.equals(expected, flash), "a partial image, not the whole one");
        assertTrue(d.isErased(FLASH, 0x4000), "the vector-table sector is written last, so it is still blank");
        assertArrayEquals(Arrays.copyOfRange(expected, 0x4000, 0x8000), Arrays.copyOfRange(flash, 0x4000, 0x8000),
                "the first written sector holds the image");
    }

    /** --incremental on the same state finishes the job (verified), and a third run finds nothing to do. */
    private void finishIncrementally(Path state) throws Exception {
        Dfu again = new Dfu(List.of("flash", image().toString(), "--sim", "stm32f405", "--sim-time", "virtual",
                "--sim-state", state.toString(), "--incremental"));
        assertEquals(0, again.exit(), again.err.toString());
        assertTrue(again.out.toString().contains("Flashed and verified"), again.out.toString());
        Dfu third = new Dfu(List.of("flash", image().toString(), "--sim", "stm32f405", "--sim-time", "virtual",
                "--sim-state", state.toString(), "--incremental"));
        assertEquals(0, third.exit(), third.err.toString());
        assertTrue(third.out.toString().contains("wrote 0 bytes") && third.out.toString().contains("6 unchanged sector(s) kept"),
                third.out.toString());
        assertArrayEquals(imageBytes(), load(state).readMemory(FLASH, SIZE));
    }

    @Test
    void ctrlCInTheWriteAbortsToDfuIdleSavesTheStateSaysWhatTheChipHoldsAndExits130() throws Exception {
        Path state = dir.resolve("board.sim");
        Path record = dir.resolve("session.txt");
        Dfu dfu = new Dfu(slowFlash(state, "--record", record.toString()));
        dfu.awaitWrite(20);
        kill("INT", dfu.process);
        assertEquals(130, dfu.exit(), dfu.err.toString());
        assertPartialImageLine(dfu);
        assertEndsInDfuIdle(record);
        assertPartialImage(load(state));
        finishIncrementally(state);
    }

    @Test
    void ctrlCWhileWaitingForTheApplicationEndsAtOnceAndTheStateHoldsTheFlash() throws Exception {
        Path state = dir.resolve("wait.sim");
        // BOOT0 high: the application never comes, so --wait-app would wait its whole minute
        Dfu dfu = new Dfu(List.of("flash", image().toString(), "--sim", "stm32f405", "--sim-time", "4", "--sim-state",
                state.toString(), "--sim-boot0-high", "--leave", "--wait-app=60"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && dfu.process.isAlive() && dfu.out.indexOf("Flashed and verified") < 0) {
            Thread.sleep(20);
        }
        assertTrue(dfu.out.indexOf("Flashed and verified") >= 0, "the flash report comes before the wait:\n" + dfu.out + dfu.err);
        Thread.sleep(300); // into the wait at the port
        long killed = System.nanoTime();
        kill("INT", dfu.process);
        assertEquals(130, dfu.exit(), dfu.err.toString());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        assertEquals("dfu: interrupted", dfu.lastLine().strip(), dfu.err.toString());
        assertFalse(dfu.err.toString().contains("did not stop within"), "nothing on the device to wind down: " + millis + " ms");
        byte[] image = Files.readAllBytes(image());
        assertArrayEquals(image, load(state).readMemory(0x0800_0000L, image.length), "the state was saved before the wait");
    }

    @Test
    void sigtermInTheWriteDoesTheSameAndExits143() throws Exception {
        Path state = dir.resolve("board.sim");
        Path record = dir.resolve("session.txt");
        Dfu dfu = new Dfu(slowFlash(state, "--record", record.toString()));
        dfu.awaitWrite(20);
        kill("TERM", dfu.process); // not Process.destroy(): it also closes this end of the child's stderr pipe
        assertEquals(143, dfu.exit(), dfu.err.toString());
        assertPartialImageLine(dfu);
        assertEndsInDfuIdle(record);
        assertPartialImage(load(state));
    }

    @Test
    void afterSigkillMidFlashTheStateFileHoldsTheLastPeriodicSaveAndIncrementalFinishesIt() throws Exception {
        Path state = dir.resolve("board.sim");
        // real time (the write takes about 4 s): a periodic save (every second) must land inside the write
        List<String> args = slowFlash(state);
        args.set(args.indexOf("4"), "real");
        Dfu dfu = new Dfu(args);
        dfu.awaitWrite(30);
        // wait for a periodic save that caught written data (an erased F405 saves to ~120 bytes)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && (!Files.exists(state) || Files.size(state) < 16 * 1024)) {
            Thread.sleep(20);
        }
        assertTrue(dfu.process.isAlive(), "still flashing when killed:\n" + dfu.err);
        dfu.process.destroyForcibly(); // SIGKILL: no handler, no final save
        assertEquals(137, dfu.exit());
        SimulatedDevice saved = load(state); // complete and CRC-valid: saves go through a temp file and a rename
        assertPartialImage(saved);
        finishIncrementally(state);
    }

    @Test
    void ctrlCDuringAnEraseReportsExactlyTheSectorsTheChipHasErased() throws Exception {
        Path state = dir.resolve("board.sim");
        Dfu flash = new Dfu(List.of("flash", image().toString(), "--sim", "stm32f405", "--sim-time", "virtual",
                "--sim-state", state.toString()));
        assertEquals(0, flash.exit(), flash.err.toString());
        // 1 MiB: 12 sectors, about 8.5 s in real time; the line naming the ROM comes just before the first erase
        Dfu erase = new Dfu(List.of("erase", "--address", "0x08000000", "--length", "0x100000", "--sim", "stm32f405",
                "--sim-time", "real", "--sim-state", state.toString()));
        erase.awaitText("dfu: ");
        Thread.sleep(1500);
        kill("INT", erase.process);
        assertEquals(130, erase.exit(), erase.err.toString());
        Matcher m = Pattern.compile("\ndfu: interrupted: (\\d+) sectors? erased \\(0x08000000-0x([0-9a-f]{8})\\); the rest of"
                + " the range was not erased; re-run the erase to finish\n$").matcher("\n" + erase.err);
        assertTrue(m.find(), erase.err.toString());
        int end = (int) (Long.parseLong(m.group(2), 16) + 1 - FLASH);
        assertTrue(end < SIZE, "stopped inside the image's sectors: " + erase.err);
        SimulatedDevice d = load(state);
        assertTrue(d.isErased(FLASH, end), "the sectors the line names are erased");
        assertArrayEquals(Arrays.copyOfRange(imageBytes(), end, SIZE), d.readMemory(FLASH + end, SIZE - end),
                "the sectors after them still hold the image");
    }

    @Test
    void aSecondProcessWaitsForTheStateFileLockThenFailsWithExit4() throws Exception {
        Path state = dir.resolve("board.sim");
        Path lockFile = dir.resolve("board.sim.lock");
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = ch.lock()) { // this JVM is "another dfu process"
            Dfu dfu = new Dfu(List.of("flash", image().toString(), "--sim", "stm32f405", "--sim-time", "virtual",
                    "--sim-state", state.toString()), "-Ddfu4j.simStateLockWaitMillis=1500");
            assertEquals(4, dfu.exit(), dfu.err.toString());
            assertEquals("dfu: --sim-state " + state + " is in use by another dfu process (it holds " + lockFile
                    + "); gave up after 1.5 s", dfu.lastLine());
            assertFalse(Files.exists(state), "nothing was flashed or saved");
        }
    }

    @Test
    void twoProcessesOnOneStateFileTakeTurnsAndNeitherWriteIsLost() throws Exception {
        Path state = dir.resolve("board.sim");
        byte[] low = new byte[16 * 1024];
        byte[] high = new byte[64 * 1024];
        new Random(1).nextBytes(low);
        new Random(2).nextBytes(high);
        Path lowFile = dir.resolve("low.bin");
        Path highFile = dir.resolve("high.bin");
        Files.write(lowFile, low);
        Files.write(highFile, high);
        // real time: the 64 KiB write alone takes about 3.5 s, long enough for the second JVM to start
        Dfu first = new Dfu(List.of("flash", highFile + "@0x08010000", "--sim", "stm32f405", "--sim-time", "real",
                "--sim-state", state.toString(), "--progress"));
        first.awaitWrite(0);
        Dfu second = new Dfu(List.of("flash", lowFile + "@0x08000000", "--sim", "stm32f405", "--sim-time", "virtual",
                "--sim-state", state.toString()));
        second.awaitText("is in use by another dfu process; waiting up to 10.0 s");
        assertEquals(0, first.exit(), first.err.toString());
        assertEquals(0, second.exit(), second.err.toString());
        SimulatedDevice d = load(state);
        assertArrayEquals(high, d.readMemory(0x0801_0000L, high.length), "the first process's write survived the second's save");
        assertArrayEquals(low, d.readMemory(FLASH, low.length));
    }

    @Test
    void aDamagedStateFileIsInvalidInputExit3AndTheLockIsReleased() throws Exception {
        Path state = dir.resolve("board.sim");
        Files.write(state, "DFU4JSIM not really".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        CliRunner r = CliRunner.run("flash", image().toString(), "--sim", "stm32f405", "--sim-time", "virtual",
                "--sim-state", state.toString());
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("dfu: " + state), r.err());
        try (FileChannel ch = FileChannel.open(dir.resolve("board.sim.lock"), StandardOpenOption.WRITE);
             FileLock again = ch.tryLock()) {
            assertTrue(again != null, "the failed command released FILE.lock");
        }
    }

    @Test
    void aStateFileInAMissingDirectoryIsAUsageErrorBeforeAnythingIsFlashed() throws Exception {
        Path state = dir.resolve("no-such-dir").resolve("board.sim");
        CliRunner r = CliRunner.run("flash", image().toString(), "--sim", "stm32f405", "--sim-time", "virtual",
                "--sim-state", state.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertEquals("", r.out(), "no \"Flashed and verified\" before the failure");
        assertEquals("dfu: cannot write --sim-state " + state + ": directory " + state.getParent() + " does not exist\n", r.err());
    }
}
