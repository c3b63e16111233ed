package io.github.dfu4j.formats.ihex;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.dfu4j.formats.FirmwareFormatException;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.WriteOptions.LineEnding;
import io.github.dfu4j.formats.Segment;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reading Intel HEX from a stream through a small window gives exactly what reading the whole text
 * gives, the same image or the same error (file and line), for generated files (LF, CRLF and CR-only
 * line ends, blank lines) and for damaged ones (bytes changed, removed, inserted, the end cut off),
 * whatever line the window boundaries fall on. Seeded: {@code -Ddfu4j.seed=N} replays a run.
 */
class StreamedIntelHexReadTest {
    static long seed;

    @BeforeAll
    static void pickSeed() {
        seed = Long.getLong("dfu4j.seed", new SplittableRandom().nextLong());
        System.out.println("StreamedIntelHexReadTest seed " + seed + " (-Ddfu4j.seed=" + seed + " replays)");
    }

    static Stream<Long> cases() {
        return LongStream.range(0, 300).boxed();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void streamedReadMatchesWholeRead(long index) throws IOException {
        SplittableRandom random = new SplittableRandom(seed + index * 0x9E3779B97F4A7C15L);
        byte[] text = Texts.damaged(random, hex(random));
        int window = 8 + random.nextInt(600);
        assertEquals(outcome(() -> IntelHex.read("f.hex", text)),
                outcome(() -> IntelHex.read("f.hex", new ByteArrayInputStream(text), text.length, window)),
                "case " + index + ", window " + window + ", seed " + seed);
    }

    static byte[] hex(SplittableRandom random) {
        List<Segment> segments = new ArrayList<>();
        long address = random.nextBoolean() ? random.nextLong(0x10000) : random.nextLong(0xFFF0_0000L);
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            byte[] data = new byte[1 + random.nextInt(2000)];
            random.nextBytes(data);
            segments.add(Segment.of(address, data));
            address += data.length + 1 + random.nextInt(5000);
        }
        FirmwareImage image = FirmwareImage.of(segments);
        if (random.nextBoolean()) {
            image = image.withEntryPoint(random.nextLong(1L << 32));
        }
        IntelHex.Options options = IntelHex.Options.defaults().withRecordLength(1 + random.nextInt(64))
                .withLineEnding(random.nextBoolean() ? LineEnding.LF : LineEnding.CRLF);
        return Texts.lineEnds(random, IntelHex.write(image, options));
    }

    interface Read {
        FirmwareImage read() throws IOException;
    }

    /** The image, or the error's message (which names the file and line). */
    static Object outcome(Read read) throws IOException {
        try {
            return read.read();
        } catch (FirmwareFormatException e) {
            return e.getMessage();
        }
    }
}
