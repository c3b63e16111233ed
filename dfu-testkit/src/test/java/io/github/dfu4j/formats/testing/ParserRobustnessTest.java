package io.github.dfu4j.formats.testing;

import io.github.dfu4j.formats.FirmwareFiles;
import io.github.dfu4j.formats.FirmwareFormat;
import io.github.dfu4j.formats.FirmwareFormatException;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.ReadOptions;
import io.github.dfu4j.formats.WriteOptions;
import io.github.dfu4j.formats.bin.RawBinary;
import io.github.dfu4j.formats.dfuse.DfuseFile;
import io.github.dfu4j.formats.elf.Elf32;
import io.github.dfu4j.formats.ihex.IntelHex;
import io.github.dfu4j.formats.srec.SRecord;
import io.github.dfu4j.formats.suffix.DfuSuffixes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every parser answers arbitrary and mutated input with an image or a FirmwareFormatException,
 * nothing else: no runtime exception, no OutOfMemoryError, no hang, and memory bounded by the input (an accepted image never holds more bytes than
 * the input had). Accepted inputs must also survive a write -> read round trip.
 *
 * <p>{@code -Ddfu4j.fuzz.iterations=N} inputs per parser (default 100000); one loop per parser
 * rather than N JUnit invocations. Any input that escapes with another exception is saved under
 * {@code target/fuzz-failures/} and should become a file under
 * {@code src/test/resources/regressions/<format>/} (see {@code RegressionFilesTest}).
 *
 * <p>Hang guard: each loop runs in a separate thread with a 10-minute timeout (a timeout in the test's
 * own thread could only fire after a stuck parser returned). On a timeout the input being parsed is
 * saved like any other failure; a stuck parser thread keeps running, so surefire's
 * forkedProcessTimeoutInSeconds (dfu-formats/pom.xml) ends the fork. The timeout is not a speed target.
 */
class ParserRobustnessTest {
    static final long SEED = Seeds.seed();
    static final int ITERATIONS = Seeds.fuzzIterations();

    @FunctionalInterface
    interface Parser {
        FirmwareImage parse(String name, byte[] input) throws FirmwareFormatException;
    }

    /** The input being parsed right now, so that a timed-out (hung) loop can still save it. */
    private static volatile InFlight inFlight;

    private record InFlight(String parser, byte[] input, int iteration) {
    }

    @AfterEach
    void saveTheInputOfAHungParser() {
        InFlight stuck = inFlight;
        inFlight = null;
        if (stuck != null) {
            // the loop did not finish (a timeout): the parser may be stuck on this input
            System.out.println("[dfu4j] " + save(stuck.parser(), stuck.input(), stuck.iteration(),
                    "still parsing when the test ended"));
        }
    }

    @BeforeAll
    static void printSeed() {
        System.out.printf("[dfu4j] ParserRobustnessTest seed=%d (replay with -Ddfu4j.seed=%d), %d inputs per parser%n",
                SEED, SEED, ITERATIONS);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void dfuseReader() {
        fuzz("dfuse", FirmwareFormat.DFUSE, (name, in) -> DfuseFile.read(name, in).toImage(), true);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void intelHexReader() {
        fuzz("ihex", FirmwareFormat.INTEL_HEX, IntelHex::read, true);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void sRecordReader() {
        fuzz("srec", FirmwareFormat.SREC, SRecord::read, true);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void elfReader() {
        fuzz("elf", FirmwareFormat.ELF, Elf32::read, true);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void suffixReader() {
        fuzz("suffix", FirmwareFormat.BINARY, (name, in) -> {
            byte[] stripped = DfuSuffixes.strip(name, in);
            assertEquals(DfuSuffixes.verify(name, in), DfuSuffixes.read(in).orElseThrow());
            return RawBinary.read(name, stripped, 0);
        }, false);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void facadeWithDetection() {
        String[] names = {"fw.bin", "fw.dfu", "fw.hex", "fw", "fw.elf", "fw.s19"};
        SplittableRandom names2 = new SplittableRandom(SEED);
        fuzz("facade", null, (name, in) -> FirmwareFiles.inspect(names[names2.nextInt(names.length)], in,
                ReadOptions.defaults()).image(), false);
    }

    private static void fuzz(String name, FirmwareFormat format, Parser parser, boolean expectAccepted) {
        try {
            fuzzLoop(name, format, parser, expectAccepted);
        } finally {
            // reached when the loop ends or fails; not when a parser hangs, which the @AfterEach then reports
            inFlight = null;
        }
    }

    private static void fuzzLoop(String name, FirmwareFormat format, Parser parser, boolean expectAccepted) {
        SplittableRandom rnd = new SplittableRandom(SEED ^ name.hashCode());
        List<FirmwareFormat> poolFormats = format == null ? List.of(FirmwareFormat.values()) : List.of(format);
        List<byte[]> pool = new ArrayList<>();
        List<FirmwareFormat> poolFormat = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            FirmwareFormat f = poolFormats.get(i % poolFormats.size());
            byte[] valid = FirmwareGenerators.file(rnd, f).bytes();
            if ("suffix".equals(name)) {
                valid = DfuSuffixes.append(valid, new io.github.dfu4j.formats.DfuSuffix(rnd.nextInt(0x10000), 0xDF11, 0x0483, 0x0100));
            }
            pool.add(valid);
            poolFormat.add(f);
        }
        int repairedTextInputs = 0;
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input;
            int pick = rnd.nextInt(20);
            if (pick == 0) {
                input = Mutations.randomBytes(rnd, 600);
            } else if (pick == 1) {
                input = pool.get(rnd.nextInt(pool.size())).clone();
            } else {
                int k = rnd.nextInt(pool.size());
                // the repair that fits the base file (the facade mixes formats): HEX/S-record checksums,
                // else the DFU suffix CRC, so mutated text files get past their checksums here too
                FirmwareFormat repair = poolFormat.get(k);
                input = Mutations.mutate(rnd, repair, pool.get(k));
                if (format == null && (repair == FirmwareFormat.INTEL_HEX || repair == FirmwareFormat.SREC)) {
                    repairedTextInputs++;
                }
            }
            inFlight = new InFlight(name, input, i);
            try {
                FirmwareImage image = parser.parse("in", input);
                accepted++;
                if (image.totalBytes() > input.length) {
                    fail(save(name, input, i, "accepted image holds " + image.totalBytes() + " bytes from a "
                            + input.length + "-byte input"));
                }
                if (format != null && format != FirmwareFormat.BINARY) {
                    byte[] rewritten = FirmwareFiles.write(image, format, WriteOptions.defaults());
                    FirmwareImage again = FirmwareFiles.read("rewritten", rewritten, ReadOptions.builder().format(format).build());
                    if (!again.equals(image)) {
                        fail(save(name, input, i, "accepted image did not survive write -> read: " + image + " vs " + again));
                    }
                }
            } catch (FirmwareFormatException e) {
                rejected++;
                String message = e.getMessage();
                if (message == null || message.indexOf('\n') >= 0 || message.indexOf('\r') >= 0 || e.reason().isBlank()) {
                    fail(save(name, input, i, "message is not one non-empty line: " + message));
                }
            } catch (AssertionError e) {
                throw e;
            } catch (Throwable t) {
                fail(save(name, input, i, t.toString()), t);
            }
        }
        System.out.printf("[dfu4j] %s: %d inputs, %d accepted, %d rejected with FirmwareFormatException%n",
                name, ITERATIONS, accepted, rejected);
        if (format == null && ITERATIONS >= 1000) {
            assertTrue(repairedTextInputs > 0, "the facade fuzz repaired no HEX or S-record checksums");
        }
        assertEquals(ITERATIONS, accepted + rejected);
        if (ITERATIONS >= 1000) {
            assertTrue(rejected > 0, "no input was rejected: the mutations do not reach the parser");
            if (expectAccepted) {
                assertTrue(accepted > 0, "no input was accepted: the generators produce no valid files");
            }
        }
    }

    /** Saves a failing input for a regression test and returns the failure message. */
    private static String save(String parser, byte[] input, int iteration, String problem) {
        String where;
        try {
            String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(input));
            Path dir = Path.of("target", "fuzz-failures", parser);
            Files.createDirectories(dir);
            Path file = dir.resolve("crash-" + sha1);
            Files.write(file, input);
            where = file.toAbsolutePath().toString();
        } catch (Exception e) {
            where = "(could not save: " + e + ")";
        }
        assertFalse(where.isEmpty());
        return String.format("%s parser, seed %d, iteration %d: %s; input saved to %s", parser, SEED, iteration, problem, where);
    }
}
