package io.github.dfu4j.plan.internal;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.layout.MemoryLayout;
import io.github.dfu4j.ops.AddressingMode;
import io.github.dfu4j.testing.Fuzz;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A flash job plans once (issue 10): the incremental pass and the SET_ADDRESS-per-block fallback are
 * derived from the first plan ({@link FlashPlan#keeping}, {@link FlashPlan#withAddressing}). Seeded
 * property: over random layouts and images (the generators of {@link FlashPlannerPropertyTest}), random
 * plan options (addressing, alignment, mass erase, force with bytes outside the layout, alt override)
 * and random unchanged-sector sets (including the vector-table sector and keys the image does not touch),
 * every derived plan equals, step for step, the plan {@link FlashPlanner#plan} makes for the same options.
 */
class FlashPlanDerivationTest {
    private static final int BATCHES = 10;
    private static final int[] TRANSFER_SIZES = {8, 16, 64, 256, 1024, 2048};
    private static final AddressingMode[] MODES = AddressingMode.values();

    static Stream<Arguments> cases() {
        return Fuzz.batches("plan-derivation", BATCHES);
    }

    @ParameterizedTest(name = "batch {0}")
    @MethodSource("cases")
    void derivedPlansEqualReplanning(int batch, long seed) {
        Fuzz.run(batch, seed, Fuzz.iterations(20 * BATCHES), FlashPlanDerivationTest::oneCase);
    }

    private static void oneCase(SplittableRandom rnd) throws Exception {
        Map<Integer, MemoryLayout> layouts = new HashMap<>();
        int alts = 1 + rnd.nextInt(2);
        for (int alt = 0; alt < alts; alt++) {
            layouts.put(alt, FlashPlannerPropertyTest.randomLayout(rnd, alt));
        }
        boolean outside = rnd.nextInt(5) == 0;
        FirmwareImage image = FlashPlannerPropertyTest.randomImage(rnd, layouts, outside);
        PlanOptions options = PlanOptions.of(TRANSFER_SIZES[rnd.nextInt(TRANSFER_SIZES.length)])
                .withAddressing(MODES[rnd.nextInt(MODES.length)])
                .withWriteAlignment(1 << rnd.nextInt(6))
                .withMassErase(rnd.nextInt(6) == 0)
                .withForce(outside || rnd.nextInt(8) == 0);
        if (rnd.nextInt(8) == 0) {
            options = options.withAltOverride(OptionalInt.of(rnd.nextInt(alts + 1))); // sometimes an alt with no layout
        }
        FlashPlan first;
        try {
            first = FlashPlanner.plan(image, layouts, options);
        } catch (DfuException refused) {
            return; // nothing to derive from; refusals are FlashPlannerPropertyTest's subject
        }
        // the plan a job starts from may itself keep sectors (a first plan with unchanged sectors)
        if (!options.massErase() && rnd.nextInt(4) == 0) {
            options = options.withUnchangedSectors(randomUnchanged(rnd, first));
            first = FlashPlanner.plan(image, layouts, options);
        }
        FlashPlan start = first;
        for (int round = 0; round < 3; round++) {
            Set<SectorKey> unchanged = options.massErase() && rnd.nextBoolean() ? Set.of() : randomUnchanged(rnd, start);
            if (options.massErase() && !unchanged.isEmpty()) {
                // re-planning cannot even state these options; deriving refuses them the same way
                PlanOptions massOptions = options;
                assertThrows(IllegalArgumentException.class, () -> massOptions.withUnchangedSectors(unchanged));
                assertThrows(IllegalArgumentException.class, () -> start.keeping(unchanged));
                continue;
            }
            PlanOptions kept = options.withUnchangedSectors(unchanged);
            FlashPlan derived = start.keeping(unchanged);
            assertSamePlan(FlashPlanner.plan(image, layouts, kept), derived, "keeping " + unchanged);
            for (AddressingMode mode : MODES) {
                assertSamePlan(FlashPlanner.plan(image, layouts, options.withAddressing(mode)),
                        start.withAddressing(mode), "withAddressing " + mode);
                // derived twice, in either order: the fallback after an incremental pass
                assertSamePlan(FlashPlanner.plan(image, layouts, kept.withAddressing(mode)),
                        derived.withAddressing(mode), "keeping then withAddressing " + mode);
                assertSamePlan(FlashPlanner.plan(image, layouts, kept.withAddressing(mode)),
                        start.withAddressing(mode).keeping(unchanged), "withAddressing " + mode + " then keeping");
            }
        }
    }

    /** Some of the plan's target sectors (often the vector-table one), sometimes a sector the image does not touch. */
    private static Set<SectorKey> randomUnchanged(SplittableRandom rnd, FlashPlan plan) {
        Set<SectorKey> out = new HashSet<>();
        int bias = 1 + rnd.nextInt(4);
        for (TargetSector t : plan.targetSectors()) {
            if (rnd.nextInt(bias + 1) > 0) {
                out.add(t.key());
            }
        }
        if (rnd.nextInt(5) == 0) {
            out.add(new SectorKey(rnd.nextInt(3), 0x0800_0000L + rnd.nextInt(64) * 0x100L));
        }
        if (rnd.nextInt(6) == 0) {
            out.clear();
        }
        return out;
    }

    /** Every step and every derived figure, in order. */
    private static void assertSamePlan(FlashPlan expected, FlashPlan actual, String what) {
        assertEquals(expected.options(), actual.options(), what + ": options");
        assertEquals(expected.erases(), actual.erases(), what + ": erases");
        assertEquals(expected.writes().size(), actual.writes().size(), what + ": number of write runs");
        for (int i = 0; i < expected.writes().size(); i++) {
            WriteRun e = expected.writes().get(i);
            WriteRun a = actual.writes().get(i);
            assertEquals(e, a, what + ": write run " + i); // record equality: bounds, flags, blocks (number, address, bytes)
        }
        assertEquals(expected.targetSectors(), actual.targetSectors(), what + ": target sectors");
        assertEquals(expected.unchangedSectors(), actual.unchangedSectors(), what + ": unchanged sectors");
        assertEquals(expected.bootAddress(), actual.bootAddress(), what + ": boot address");
        assertEquals(expected.bootAlt(), actual.bootAlt(), what + ": boot alt");
        assertEquals(expected.alts(), actual.alts(), what + ": alts");
        assertEquals(expected.warnings(), actual.warnings(), what + ": warnings");
        assertEquals(expected.sentBlocks(), actual.sentBlocks(), what + ": sent blocks");
        assertEquals(expected.setAddressCount(), actual.setAddressCount(), what + ": SET_ADDRESS count");
        assertEquals(expected.skippedBlankBlocks(), actual.skippedBlankBlocks(), what + ": skipped blank blocks");
        assertEquals(expected.verifiableBytes(), actual.verifiableBytes(), what + ": verifiable bytes");
        // (the unchanged lines follow a set's iteration order, so compare the lines as a sorted list)
        assertEquals(expected.describe().lines().sorted().toList(), actual.describe().lines().sorted().toList(),
                what + ": description");
        List<byte[]> ex = new ArrayList<>();
        List<byte[]> ac = new ArrayList<>();
        for (TargetSector t : expected.targetSectors()) {
            ex.add(expected.expectedSector(t));
            ac.add(actual.expectedSector(t));
        }
        for (int i = 0; i < ex.size(); i++) {
            assertArrayEquals(ex.get(i), ac.get(i), what + ": expected sector " + i);
        }
    }
}
