package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.formats.FirmwareFiles;
import io.github.dfu4j.formats.FirmwareFormat;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.formats.WriteOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 11's memory bound, pass/fail (no timing): a 64 MiB image in every format goes through
 * {@code dfu info} and {@code dfu convert} in a child JVM limited to {@code -Xmx96m} (the image plus
 * 32 MiB), with the JVM options the ./dfu launcher uses; {@code dfu flash} onto the simulated
 * mboot-f769disc (64 MiB QSPI) is run for Intel HEX and DfuSe here, and for all five formats by
 * benchmarks/memory-64mib.sh. The image is random (nothing compresses or is skipped as blank).
 */
class MemoryBoundTest {
    static final int MIB = 1 << 20;
    static final long QSPI = 0x9000_0000L;
    static final String HEAP = "-Xmx96m";
    static Path dir;
    static Path bin;
    static FirmwareImage image;

    enum Format {
        HEX("hex", FirmwareFormat.INTEL_HEX, true),
        SREC("srec", FirmwareFormat.SREC, false),
        ELF("elf", FirmwareFormat.ELF, false),
        BIN("bin", FirmwareFormat.BINARY, false),
        DFUSE("dfu", FirmwareFormat.DFUSE, true);

        final String extension;
        final FirmwareFormat format;
        final boolean flashHere;

        Format(String extension, FirmwareFormat format, boolean flashHere) {
            this.extension = extension;
            this.format = format;
            this.flashHere = flashHere;
        }
    }

    @BeforeAll
    static void image() throws IOException {
        dir = Files.createTempDirectory("dfu4j-memory");
        byte[] data = new byte[64 * MIB];
        long seed = Long.getLong("dfu4j.seed", new SplittableRandom().nextLong());
        System.out.println("MemoryBoundTest seed " + seed);
        new SplittableRandom(seed).nextBytes(data);
        image = FirmwareImage.of(Segment.of(QSPI, data));
        bin = dir.resolve("image.bin");
        Files.write(bin, data);
    }

    @AfterAll
    static void clean() throws IOException {
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void sixtyFourMibFitsInNinetySixMibOfHeap(Format f) throws Exception {
        Path file = f == Format.BIN ? bin : dir.resolve("image." + f.extension);
        if (f != Format.BIN) {
            FirmwareFiles.write(file, image, f.format, WriteOptions.defaults());
        }
        try {
            String input = f == Format.BIN ? file + "@0x90000000" : file.toString();
            Result info = dfu("info", f == Format.BIN ? file.toString() : input, "--base", "0x90000000");
            assertEquals(0, info.code, info.toString());
            assertTrue(info.out.contains("0x90000000..0x94000000   67108864 bytes"), info.toString());

            Path out = dir.resolve("out." + (f == Format.HEX ? "srec" : "hex"));
            Result convert = dfu("convert", input, "-o", out.toString());
            assertEquals(0, convert.code, convert.toString());
            assertTrue(convert.out.contains("67108864 bytes of data in 1 segment(s)"), convert.toString());
            assertEquals(image, FirmwareFiles.read(out), "converted " + f);
            Files.delete(out);

            if (f.flashHere) {
                Result flash = dfu("flash", input, "--sim", "mboot-f769disc", "--sim-time", "virtual");
                assertEquals(0, flash.code, flash.toString());
                assertTrue(flash.out.contains("Flashed and verified 67108864 bytes"), flash.toString());
            }
        } finally {
            if (f != Format.BIN) {
                Files.deleteIfExists(file);
            }
        }
    }

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    /** Runs the CLI in a child JVM with the launcher's options and a 96 MiB heap. */
    static Result dfu(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(launcherOptions());
        cmd.add(HEAP);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), DfuCli.class.getName()));
        cmd.addAll(Arrays.asList(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("dfu " + String.join(" ", args) + " did not finish");
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    /** The JVM options of the ./dfu launcher's jvm_opts line (the memory bound holds for what users run). */
    static List<String> launcherOptions() throws IOException {
        for (String line : Files.readAllLines(DocsCommandsTest.ROOT.resolve("dfu"), StandardCharsets.UTF_8)) {
            if (line.startsWith("jvm_opts=(")) {
                return List.of(line.substring("jvm_opts=(".length(), line.indexOf(')')).trim().split("\\s+"));
            }
        }
        throw new AssertionError("no jvm_opts=( line in ./dfu");
    }
}
