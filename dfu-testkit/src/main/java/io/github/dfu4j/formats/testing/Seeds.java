package io.github.dfu4j.formats.testing;

import java.util.SplittableRandom;

/**
 * The conventions dfu4j's property tests share: the seed comes from {@code -Ddfu4j.seed=N} or is
 * drawn fresh (tests print it so a failure can be replayed), and the fuzz iteration budget from
 * {@code -Ddfu4j.fuzz.iterations=N}.
 */
public final class Seeds {
    /** System property holding a fixed seed. */
    public static final String SEED_PROPERTY = "dfu4j.seed";
    /** System property holding the number of generated inputs per parser. */
    public static final String ITERATIONS_PROPERTY = "dfu4j.fuzz.iterations";
    /** Budget when the property is absent. */
    public static final int DEFAULT_ITERATIONS = 100_000;

    private Seeds() {
    }

    /**
     * {@code -Ddfu4j.seed} when set (decimal or 0x-hex), else a fresh random seed.
     *
     * @return the seed; print it with the test's output so that a failure can be replayed
     * @throws NumberFormatException when the property is set but is not a number
     */
    public static long seed() {
        String fixed = System.getProperty(SEED_PROPERTY);
        if (fixed != null && !fixed.isBlank()) {
            String s = fixed.trim();
            return s.startsWith("0x") || s.startsWith("0X") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
        }
        return new SplittableRandom().nextLong();
    }

    /**
     * {@code -Ddfu4j.fuzz.iterations} when set, else {@link #DEFAULT_ITERATIONS}.
     *
     * @return the number of inputs each parser is fed
     */
    public static int fuzzIterations() {
        return Integer.getInteger(ITERATIONS_PROPERTY, DEFAULT_ITERATIONS);
    }
}
