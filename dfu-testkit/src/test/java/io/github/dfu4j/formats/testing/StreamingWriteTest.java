package io.github.dfu4j.formats.testing;

import io.github.dfu4j.formats.FirmwareFiles;
import io.github.dfu4j.formats.FirmwareFormat;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.formats.WriteOptions;
import io.github.dfu4j.formats.ihex.IntelHex;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Writing to a file streams Intel HEX, S-record and binary output; the file must hold exactly the
 * bytes of the in-memory writer, whatever the image and settings, and a write that fails leaves
 * neither a half-written file nor its temporary behind. Seeded like the other properties
 * ({@code -Ddfu4j.seed=N}).
 */
class StreamingWriteTest {
    static final long SEED = Seeds.seed();
    static final int CASES = 100;

    @TempDir
    Path dir;

    @BeforeAll
    static void printSeed() {
        System.out.printf("[dfu4j] StreamingWriteTest seed=%d (replay with -Ddfu4j.seed=%d)%n", SEED, SEED);
    }

    static Stream<Arguments> cases() {
        return Stream.of(FirmwareFormat.INTEL_HEX, FirmwareFormat.SREC, FirmwareFormat.BINARY, FirmwareFormat.DFUSE,
                FirmwareFormat.ELF).flatMap(format -> IntStream.range(0, CASES).mapToObj(i -> Arguments.of(format, i)));
    }

    @ParameterizedTest(name = "{0} #{1}")
    @MethodSource("cases")
    void theFileHoldsTheInMemoryWritersBytes(FirmwareFormat format, int index) throws Exception {
        SplittableRandom rnd = new SplittableRandom(SEED * 31 + format.ordinal() * 1_000_003L + index);
        // medium images cross the 64 KiB streaming buffer many times over
        FirmwareImage image = FirmwareGenerators.image(rnd, format, index % 3 == 0 ? ImageShape.medium() : ImageShape.small());
        WriteOptions options = FirmwareGenerators.writeOptions(rnd, format, image);
        byte[] expected;
        try {
            expected = FirmwareFiles.write(image, format, options);
        } catch (IllegalArgumentException e) {
            return; // e.g. a flat binary over the size limit: covered by the failure test below
        }
        Path out = dir.resolve("out-" + index);
        Files.write(out, new byte[] {1, 2, 3}); // an existing file is replaced, not appended to
        FirmwareFiles.write(out, image, format, options);
        assertArrayEquals(expected, Files.readAllBytes(out), () -> "seed " + SEED + ", " + format + " #" + index);
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(out), left.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void aWriteThatFailsLeavesTheOldFileAndNoTemporary() throws Exception {
        // I16HEX can address the data (below 1 MiB) but not this entry point: the writer only finds
        // out after streaming the data records
        FirmwareImage image = FirmwareImage.of(List.of(Segment.of(0x1000, new byte[200_000]))).withEntryPoint(0x200000);
        WriteOptions options = WriteOptions.builder().hexAddressing(WriteOptions.HexAddressing.I16HEX).build();
        Path out = dir.resolve("app.hex");
        Files.writeString(out, "old");
        assertThrows(IllegalArgumentException.class, () -> FirmwareFiles.write(out, image, FirmwareFormat.INTEL_HEX, options));
        assertEquals("old", Files.readString(out));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(out), left.toList());
        }
    }

    @Test
    void aFlatBinaryOverTheLimitIsRefusedBeforeWriting() throws Exception {
        FirmwareImage image = FirmwareImage.of(List.of(Segment.of(0x08000000L, new byte[16]), Segment.of(0x90000000L, new byte[16])));
        Path out = dir.resolve("far.bin");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FirmwareFiles.write(out, image, FirmwareFormat.BINARY, WriteOptions.defaults()));
        assertEquals(true, e.getMessage().contains("one file per segment"), e.getMessage());
        assertEquals(false, Files.exists(out));
    }
}
