package io.github.dfu4j.formats.srec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.dfu4j.formats.FirmwareFormatException;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.WriteOptions.LineEnding;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.formats.ihex.Texts;
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
 * Reading S-records from a stream through a small window gives exactly what reading the whole text
 * gives (same image or same error) for generated and damaged files; see StreamedIntelHexReadTest.
 * Seeded: {@code -Ddfu4j.seed=N} replays a run.
 */
class StreamedSRecordReadTest {
    static long seed;

    @BeforeAll
    static void pickSeed() {
        seed = Long.getLong("dfu4j.seed", new SplittableRandom().nextLong());
        System.out.println("StreamedSRecordReadTest seed " + seed + " (-Ddfu4j.seed=" + seed + " replays)");
    }

    static Stream<Long> cases() {
        return LongStream.range(0, 300).boxed();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void streamedReadMatchesWholeRead(long index) throws IOException {
        SplittableRandom random = new SplittableRandom(seed + index * 0x9E3779B97F4A7C15L);
        List<Segment> segments = new ArrayList<>();
        long address = random.nextLong(0xFFF0_0000L);
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            byte[] data = new byte[1 + random.nextInt(2000)];
            random.nextBytes(data);
            segments.add(Segment.of(address, data));
            address += data.length + 1 + random.nextInt(5000);
        }
        FirmwareImage image = FirmwareImage.of(segments).withEntryPoint(random.nextLong(1L << 32));
        SRecord.Options options = SRecord.Options.defaults().withRecordLength(1 + random.nextInt(64))
                .withCountRecord(random.nextBoolean())
                .withLineEnding(random.nextBoolean() ? LineEnding.LF : LineEnding.CRLF);
        byte[] text = Texts.damaged(random, Texts.lineEnds(random, SRecord.write(image, options)));
        int window = 8 + random.nextInt(600);
        assertEquals(outcome(() -> SRecord.read("f.srec", text)),
                outcome(() -> SRecord.read("f.srec", new ByteArrayInputStream(text), text.length, window)),
                "case " + index + ", window " + window + ", seed " + seed);
    }

    interface Read {
        FirmwareImage read() throws IOException;
    }

    static Object outcome(Read read) throws IOException {
        try {
            return read.read();
        } catch (FirmwareFormatException e) {
            return e.getMessage();
        }
    }
}
