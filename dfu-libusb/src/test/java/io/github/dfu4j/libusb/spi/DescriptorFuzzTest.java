package io.github.dfu4j.libusb.spi;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.dfu4j.libusb.spi.DescriptorFormatException;
import io.github.dfu4j.dfu.FunctionalDescriptor;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Robustness: for any bytes, the descriptor parsers return a value or throw
 * DescriptorFormatException, nothing else, and never read beyond wTotalLength. Mutations of a real
 * configuration reach the interesting branches; the seed is printed and -Ddfu4j.seed replays it.
 */
class DescriptorFuzzTest {
    private static final int BATCHES = 20;

    static Stream<Arguments> batches() {
        long seed = Long.getLong("dfu4j.seed", System.nanoTime());
        System.out.println("DescriptorFuzzTest: -Ddfu4j.seed=" + seed);
        return IntStream.range(0, BATCHES).mapToObj(i -> Arguments.of(seed, i));
    }

    @ParameterizedTest(name = "seed={0} batch={1}")
    @MethodSource("batches")
    void parsersReturnOrThrowTheTypedException(long seed, int batch) {
        int perBatch = Math.max(1, Integer.getInteger("dfu4j.fuzz.iterations", 100_000) / BATCHES);
        SplittableRandom rnd = new SplittableRandom(seed).split();
        for (int skip = 0; skip < batch; skip++) {
            rnd = rnd.split();
        }
        for (int i = 0; i < perBatch; i++) {
            byte[] input = mutate(rnd, DescriptorParsingTest.F4_CONFIG);
            try {
                ConfigurationDescriptor c = ConfigurationDescriptor.parse(input, "fuzz");
                int total = (input[2] & 0xFF) | (input[3] & 0xFF) << 8;
                int extras = c.extra().length;
                for (InterfaceAltDescriptor a : c.altSettings()) {
                    extras += a.extra().length + 9;
                }
                assertTrue(extras <= total, "parsed more bytes than wTotalLength");
            } catch (DescriptorFormatException expected) {
                // fine: typed rejection
            } catch (RuntimeException e) {
                fail("seed " + seed + " batch " + batch + " #" + i + " input " + Arrays.toString(input), e);
            }
            byte[] fd = Arrays.copyOf(input, rnd.nextInt(0, 12));
            try {
                FunctionalDescriptor.parse(fd, "fuzz");
            } catch (io.github.dfu4j.dfu.DfuException expected) {
                // fine
            } catch (RuntimeException e) {
                fail("functional descriptor " + Arrays.toString(fd), e);
            }
            FunctionalDescriptor.findIn(input).ifPresent(found -> assertTrue(found.length <= input.length));
        }
    }

    private static byte[] mutate(SplittableRandom rnd, byte[] base) {
        byte[] b = switch (rnd.nextInt(4)) {
            case 0 -> Arrays.copyOf(base, rnd.nextInt(0, base.length + 8));
            case 1 -> {
                byte[] r = new byte[rnd.nextInt(0, 80)];
                rnd.nextBytes(r);
                if (r.length > 1) {
                    r[1] = 2;
                }
                yield r;
            }
            default -> base.clone();
        };
        int flips = rnd.nextInt(1, 4);
        for (int f = 0; f < flips && b.length > 0; f++) {
            b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
        }
        return b;
    }
}
