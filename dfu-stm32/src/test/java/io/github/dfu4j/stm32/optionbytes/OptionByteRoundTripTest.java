package io.github.dfu4j.stm32.optionbytes;

import io.github.dfu4j.stm32.optionbytes.OptionByteReport.FieldReading;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.formats.testing.Seeds;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded properties of every option-byte codec: decode(encode(fields)) gives the fields back, and
 * encoding the decoded fields of a valid block onto a block whose field and complement bits were
 * scrambled restores the block byte for byte. The seed is printed; replay with
 * {@code -Ddfu4j.seed=N}; {@code -Ddfu4j.fuzz.iterations=N} sets the cases per layout.
 */
class OptionByteRoundTripTest {
    static long seed;
    static int iterations;

    @BeforeAll
    static void seed() {
        seed = Seeds.seed();
        iterations = Seeds.fuzzIterations();
        System.out.printf("[dfu4j] OptionByteRoundTripTest seed=%d (replay with -Ddfu4j.seed=%d), %d cases per layout%n",
                seed, seed, iterations);
    }

    static Stream<OptionByteLayout> layouts() {
        return OptionByteLayouts.all().stream();
    }

    private static SplittableRandom random(OptionByteLayout l) {
        return new SplittableRandom(seed ^ l.chipId().hashCode());
    }

    /** Random values for every field, with RDP drawn so that all three levels occur. */
    static Map<String, Long> randomValues(OptionByteLayout l, RandomGenerator rnd) {
        Map<String, Long> v = new LinkedHashMap<>();
        for (OptionByteField f : l.fields()) {
            long value = rnd.nextLong(f.location().maxValue() + 1);
            if (f.kind() == FieldKind.READ_PROTECTION) {
                value = switch (rnd.nextInt(3)) {
                    case 0 -> ReadProtection.LEVEL_0_BYTE;
                    case 1 -> ReadProtection.LEVEL_2_BYTE;
                    default -> value;
                };
            }
            v.put(f.name(), value);
        }
        return v;
    }

    /** Random bytes with matching complements: a valid block as a chip would hold it. */
    static OptionByteImage randomValidImage(OptionByteLayout l, RandomGenerator rnd) {
        List<byte[]> blocks = l.factoryDefaults().blocks();
        for (byte[] b : blocks) {
            rnd.nextBytes(b);
        }
        for (ComplementPair c : l.complements()) {
            blocks.get(c.block())[c.complementOffset()] = (byte) ~blocks.get(c.block())[c.valueOffset()];
        }
        return OptionByteImage.of(blocks);
    }

    /** The same image with every field bit and complement byte replaced by noise; reserved bits kept. */
    static OptionByteImage scrambleAllButReserved(OptionByteLayout l, OptionByteImage image, RandomGenerator rnd) {
        List<byte[]> blocks = image.blocks();
        for (int b = 0; b < blocks.size(); b++) {
            byte[] bytes = blocks.get(b);
            for (int i = 0; i < bytes.length; i++) {
                int keep = l.reservedMask(b, i);
                bytes[i] = (byte) ((bytes[i] & keep) | (rnd.nextInt(256) & ~keep));
            }
        }
        return OptionByteImage.of(blocks);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void decodeOfEncodeGivesTheFieldsBack(OptionByteLayout l) throws Exception {
        SplittableRandom rnd = random(l);
        for (int n = 0; n < iterations; n++) {
            Map<String, Long> values = randomValues(l, rnd);
            OptionByteImage base = rnd.nextBoolean() ? l.factoryDefaults() : randomValidImage(l, rnd);
            OptionByteReport r = l.decode(l.encode(base, values), "generated");
            if (!values.equals(r.values()) || !r.complementsValid()) {
                throw new AssertionError(l.chipId() + " seed " + seed + " case " + n + ": " + values + " came back as "
                        + r.values() + " " + r.complementErrors());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void encodeOfDecodeRestoresValidBlocksByteForByte(OptionByteLayout l) throws Exception {
        SplittableRandom rnd = random(l).split();
        for (int n = 0; n < iterations; n++) {
            OptionByteImage valid = randomValidImage(l, rnd);
            OptionByteReport decoded = l.decode(valid, "generated");
            assertTrue(decoded.complementsValid());
            OptionByteImage scrambled = scrambleAllButReserved(l, valid, rnd);
            OptionByteImage back = l.encode(scrambled, decoded.values());
            if (!back.equals(valid)) {
                throw new AssertionError(l.chipId() + " seed " + seed + " case " + n + ": " + valid + " re-encoded as " + back);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void encodeChangesOnlyTheNamedFieldsAndTheirComplements(OptionByteLayout l) throws Exception {
        SplittableRandom rnd = random(l).split().split();
        for (int n = 0; n < iterations / 10 + 1; n++) {
            OptionByteImage valid = randomValidImage(l, rnd);
            OptionByteField f = l.fields().get(rnd.nextInt(l.fields().size()));
            long value = rnd.nextLong(f.location().maxValue() + 1);
            OptionByteReport before = l.decode(valid, "generated");
            OptionByteReport after = l.decode(l.encode(valid, Map.of(f.name(), value)), "generated");
            for (FieldReading r : after.fields()) {
                long expected = r.field().equals(f) ? value : before.value(r.name());
                assertEquals(expected, r.value(), l.chipId() + " seed " + seed + " case " + n + " set " + f.name() + ": " + r.name());
            }
        }
    }
}
