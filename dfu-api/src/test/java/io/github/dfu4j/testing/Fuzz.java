package io.github.dfu4j.testing;

import org.junit.jupiter.params.provider.Arguments;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Seeded property-test support (no jqwik). The root seed comes from {@code -Ddfu4j.seed=N} or is
 * drawn fresh and printed once per JVM; the total budget per property comes from
 * {@code -Ddfu4j.fuzz.iterations} (parent POM: 100000). A property is split into a few parameterized
 * batches; each case derives its own seed, and a failure names root seed, batch and case so it can
 * be replayed with {@code -Ddfu4j.seed=<root>}.
 */
public final class Fuzz {
    private static final long ROOT_SEED;

    static {
        Long fixed = Long.getLong("dfu4j.seed");
        ROOT_SEED = fixed != null ? fixed : new SplittableRandom().nextLong();
        System.out.println("[dfu4j] property tests use -Ddfu4j.seed=" + ROOT_SEED
                + " (iterations " + Long.getLong("dfu4j.fuzz.iterations", 100_000) + ")");
    }

    private Fuzz() {
    }

    public static long rootSeed() {
        return ROOT_SEED;
    }

    /** The configured iteration budget divided by {@code divisor} (at least 1). */
    public static int iterations(int divisor) {
        long total = Long.getLong("dfu4j.fuzz.iterations", 100_000);
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, total / divisor));
    }

    /** Arguments (batch index, batch seed) for a property named {@code property}. */
    public static Stream<Arguments> batches(String property, int batches) {
        long base = ROOT_SEED ^ property.hashCode() * 0x9E3779B97F4A7C15L;
        return IntStream.range(0, batches).mapToObj(b -> Arguments.of(b, new SplittableRandom(base + b).nextLong()));
    }

    /** A case body that may throw anything. */
    @FunctionalInterface
    public interface Case {
        void run(SplittableRandom random) throws Throwable;
    }

    /** Runs {@code count} cases, each with its own derived seed; failures name the case. */
    public static void run(int batch, long batchSeed, int count, Case body) {
        SplittableRandom seeds = new SplittableRandom(batchSeed);
        for (int i = 0; i < count; i++) {
            long caseSeed = seeds.nextLong();
            try {
                body.run(new SplittableRandom(caseSeed));
            } catch (Throwable t) {
                AssertionError e = new AssertionError("property failed: -Ddfu4j.seed=" + ROOT_SEED + " batch " + batch
                        + " case " + i + " (case seed " + caseSeed + "): " + t, t);
                throw e;
            }
        }
    }
}
