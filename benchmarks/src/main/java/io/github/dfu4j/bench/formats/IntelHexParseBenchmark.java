package io.github.dfu4j.bench.formats;

import io.github.dfu4j.formats.FirmwareFormatException;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.WriteOptions.LineEnding;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.formats.ihex.IntelHex;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Intel HEX parse throughput on the text of a 64 MiB image (random data at 0x08000000, so 1024
 * extended-linear-address windows), in MB/s of text: the {@code textMB} secondary result of each
 * benchmark is megabytes of text processed per second. Target for {@link IntelHex#read}: at least
 * 400 MB/s.
 *
 * <p>Two baselines run in the same JMH run so the figure can be read as a ratio on whatever machine
 * it ran: {@link #naiveSplitParseInt} is the parser most code bases have (String per line,
 * {@code split}, {@code Integer.parseInt} per byte), and {@link #scanBytes} only reads every byte of
 * the text once (a floor: no parser can beat touching the input).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar IntelHexParseBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class IntelHexParseBenchmark {
    /** Image size: 64 MiB. */
    static final int IMAGE_BYTES = 64 << 20;

    @Param({"16", "32"})
    public int recordLength;

    byte[] text;
    FirmwareImage expected;

    /** Megabytes of HEX text processed, reported by JMH as a rate (MB/s). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Throughput {
        public double textMB;

        @Setup(Level.Iteration)
        public void reset() {
            textMB = 0;
        }
    }

    @Setup(Level.Trial)
    public void writeTheImage() throws FirmwareFormatException {
        byte[] data = new byte[IMAGE_BYTES];
        new SplittableRandom(0x5EED).nextBytes(data);
        expected = FirmwareImage.of(Segment.of(0x08000000L, data)).withEntryPoint(0x08000195L);
        text = IntelHex.write(expected, IntelHex.Options.defaults().withRecordLength(recordLength).withLineEnding(LineEnding.CRLF));
        // the benchmarks must measure correct parsers
        if (!IntelHex.read("bench.hex", text).equals(expected)) {
            throw new IllegalStateException("IntelHex.read does not return the image written");
        }
        FirmwareImage naive = naiveParse(new String(text, StandardCharsets.US_ASCII));
        if (!naive.segments().equals(expected.segments())) {
            throw new IllegalStateException("the naive baseline parser is wrong");
        }
    }

    @Benchmark
    public FirmwareImage dfu4jIntelHexRead(Throughput counter) throws FirmwareFormatException {
        counter.textMB += text.length / 1e6;
        return IntelHex.read("bench.hex", text);
    }

    @Benchmark
    public FirmwareImage naiveSplitParseInt(Throughput counter) {
        counter.textMB += text.length / 1e6;
        return naiveParse(new String(text, StandardCharsets.US_ASCII));
    }

    @Benchmark
    public long scanBytes(Throughput counter) {
        counter.textMB += text.length / 1e6;
        long sum = 0;
        for (byte b : text) {
            sum += b;
        }
        return sum;
    }

    /** The usual hand-written parser: a String per line, substring + Integer.parseInt per byte. */
    static FirmwareImage naiveParse(String hex) {
        List<Segment> segments = new ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        long start = -1;
        long next = -1;
        long upper = 0;
        for (String line : hex.split("\r?\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int count = Integer.parseInt(line.substring(1, 3), 16);
            int offset = Integer.parseInt(line.substring(3, 7), 16);
            int type = Integer.parseInt(line.substring(7, 9), 16);
            int sum = count + (offset >> 8) + (offset & 0xFF) + type;
            byte[] data = new byte[count];
            for (int i = 0; i < count; i++) {
                int v = Integer.parseInt(line.substring(9 + 2 * i, 11 + 2 * i), 16);
                data[i] = (byte) v;
                sum += v;
            }
            int checksum = Integer.parseInt(line.substring(9 + 2 * count, 11 + 2 * count), 16);
            if (((sum + checksum) & 0xFF) != 0) {
                throw new IllegalArgumentException("checksum: " + line);
            }
            if (type == 4) {
                upper = ((data[0] & 0xFFL) << 8 | (data[1] & 0xFFL)) << 16;
            } else if (type == 0) {
                long address = upper + offset;
                if (address != next) {
                    if (start >= 0) {
                        segments.add(Segment.of(start, current.toByteArray()));
                    }
                    current.reset();
                    start = address;
                }
                current.write(data, 0, count);
                next = address + count;
            }
        }
        if (start >= 0) {
            segments.add(Segment.of(start, current.toByteArray()));
        }
        return FirmwareImage.of(segments);
    }
}
