package io.github.dfu4j.formats.testing;

import io.github.dfu4j.formats.FirmwareFiles;
import io.github.dfu4j.formats.FirmwareFormat;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.FirmwareImages;
import io.github.dfu4j.formats.NamedImage;
import io.github.dfu4j.formats.ReadOptions;
import io.github.dfu4j.formats.Segment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * write -> read is the identity and write -> read -> write is byte-identical, for every format, on
 * generated images and writer settings. The master seed is printed; replay a run with
 * {@code -Ddfu4j.seed=N}. {@code -Ddfu4j.roundtrip.cases=N} sets the cases per format (default 300).
 */
class RoundTripPropertiesTest {
    static final long SEED = Seeds.seed();
    static final int CASES = Integer.getInteger("dfu4j.roundtrip.cases", 300);

    @BeforeAll
    static void printSeed() {
        System.out.printf("[dfu4j] RoundTripPropertiesTest seed=%d (replay with -Ddfu4j.seed=%d), %d cases per format%n",
                SEED, SEED, CASES);
    }

    /** (format, case seed, index): each case has its own generator, derived from the master seed. */
    static Stream<Arguments> cases() {
        return Arrays.stream(FirmwareFormat.values()).flatMap(format -> IntStream.range(0, CASES)
                .mapToObj(i -> Arguments.of(format, caseSeed(format.ordinal(), i), i)));
    }

    static long caseSeed(int stream, int i) {
        return new SplittableRandom(SEED + 0x9E3779B97F4A7C15L * (stream * 1_000_003L + i)).nextLong();
    }

    private static GeneratedFile generate(FirmwareFormat format, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        return FirmwareGenerators.file(rnd, format, rnd.nextInt(4) == 0 ? ImageShape.medium() : ImageShape.small());
    }

    @ParameterizedTest(name = "{0} #{2} (case seed {1})")
    @MethodSource("cases")
    void readingWhatWasWrittenGivesTheImageBack(FirmwareFormat format, long seed, int index) throws Exception {
        GeneratedFile f = generate(format, seed);
        FirmwareImage read = FirmwareFiles.read(f.fileName(), f.bytes(), f.readOptions());
        assertEquals(f.image(), read, () -> "master seed " + SEED + ", " + f);
    }

    @ParameterizedTest(name = "{0} #{2} (case seed {1})")
    @MethodSource("cases")
    void writeReadWriteIsByteIdentical(FirmwareFormat format, long seed, int index) throws Exception {
        GeneratedFile f = generate(format, seed);
        FirmwareImage read = FirmwareFiles.read(f.fileName(), f.bytes(), f.readOptions());
        assertArrayEquals(f.bytes(), FirmwareFiles.write(read, format, f.writeOptions()), () -> "master seed " + SEED + ", " + f);
    }

    @ParameterizedTest(name = "{0} #{2} (case seed {1})")
    @MethodSource("cases")
    void contentDetectionFindsTheFormat(FirmwareFormat format, long seed, int index) throws Exception {
        GeneratedFile f = generate(format, seed);
        assertEquals(format, FirmwareFiles.detect(f.fileName(), f.bytes()), () -> "master seed " + SEED + ", " + f);
    }

    static Stream<Arguments> conversions() {
        return IntStream.range(0, CASES).mapToObj(i -> Arguments.of(caseSeed(100, i), i));
    }

    /** An image read from one text/ELF format and written to another reads back unchanged. */
    @ParameterizedTest(name = "#{1} (case seed {0})")
    @MethodSource("conversions")
    void convertingBetweenHexSrecAndElfKeepsTheImage(long seed, int index) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        FirmwareImage image = FirmwareGenerators.image(rnd, FirmwareFormat.ELF);
        FirmwareImage current = image;
        List<FirmwareFormat> chain = new ArrayList<>(List.of(FirmwareFormat.INTEL_HEX, FirmwareFormat.SREC, FirmwareFormat.ELF));
        for (int step = 0; step < 4; step++) {
            FirmwareFormat to = chain.get(rnd.nextInt(chain.size()));
            byte[] bytes = FirmwareFiles.write(current, to, FirmwareGenerators.writeOptions(rnd, to, current));
            current = FirmwareFiles.read("step" + step, bytes, ReadOptions.defaults());
        }
        assertEquals(image, current, () -> "master seed " + SEED);
    }

    /** Cutting an image into overlapping pieces and merging them gives the image back. */
    @ParameterizedTest(name = "#{1} (case seed {0})")
    @MethodSource("conversions")
    void mergingOverlappingPiecesRestoresTheImage(long seed, int index) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        FirmwareImage image = FirmwareGenerators.image(rnd, FirmwareFormat.INTEL_HEX, ImageShape.small());
        List<NamedImage> pieces = new ArrayList<>();
        for (Segment s : image.segments()) {
            long from = s.address();
            while (from < s.end()) {
                long to = Math.min(s.end(), from + 1 + rnd.nextInt(s.length()));
                long overlapStart = Math.max(s.address(), from - rnd.nextInt(4));
                pieces.add(new NamedImage("piece" + pieces.size(), FirmwareImage.of(s.slice(overlapStart, to))));
                from = to;
            }
        }
        java.util.Collections.shuffle(pieces, new java.util.Random(seed));
        FirmwareImage merged = FirmwareImages.merge(pieces);
        assertEquals(image.withoutEntryPoint(), merged, () -> "master seed " + SEED);
        assertEquals(image.segments(), FirmwareImages.merge(new NamedImage("whole", image), new NamedImage("again", image)).segments());
    }
}
