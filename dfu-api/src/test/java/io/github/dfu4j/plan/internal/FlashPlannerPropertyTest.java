package io.github.dfu4j.plan.internal;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.ops.AddressingMode;
import io.github.dfu4j.plan.internal.WriteRun;
import io.github.dfu4j.plan.internal.TargetSector;
import io.github.dfu4j.plan.internal.SectorKey;
import io.github.dfu4j.plan.internal.EraseStep;
import io.github.dfu4j.plan.internal.Block;
import io.github.dfu4j.plan.internal.PlanOptions;
import io.github.dfu4j.plan.internal.FlashPlanner;
import io.github.dfu4j.plan.internal.FlashPlan;
import io.github.dfu4j.formats.DfuseTarget;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.layout.MemoryLayout;
import io.github.dfu4j.layout.MemoryRegion;
import io.github.dfu4j.layout.Sector;
import io.github.dfu4j.layout.SectorAccess;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded properties of the planner. Each case generates layouts and an image, plans it with random
 * options, then executes the plan on a byte-level NOR flash model that interprets block numbers the
 * way a DfuSe device does. Checked: nothing is written outside writable sectors; no sector is erased
 * twice; no byte is programmed twice or without erase; every byte of the image ends up on the device
 * (except in sectors declared unchanged); every run's expected content matches the model; the
 * vector-table sector is erased first and written last; blank blocks are never sent into erased flash.
 * Planning is costlier than parsing, so the budget is {@code dfu4j.fuzz.iterations / 10}.
 */
class FlashPlannerPropertyTest {
    private static final int BATCHES = 10;
    private static final int[] TRANSFER_SIZES = {8, 16, 64, 256, 1024, 2048};

    static Stream<Arguments> plans() {
        return Fuzz.batches("planner", BATCHES);
    }

    @ParameterizedTest(name = "batch {0}")
    @MethodSource("plans")
    void plansAreSafeCompleteAndOrdered(int batch, long seed) {
        Fuzz.run(batch, seed, Fuzz.iterations(10 * BATCHES), FlashPlannerPropertyTest::oneCase);
    }

    private static void oneCase(SplittableRandom rnd) throws Exception {
        Map<Integer, MemoryLayout> layouts = new HashMap<>();
        int alts = 1 + rnd.nextInt(2);
        for (int alt = 0; alt < alts; alt++) {
            layouts.put(alt, randomLayout(rnd, alt));
        }
        boolean outside = rnd.nextInt(10) == 0;
        FirmwareImage image = randomImage(rnd, layouts, outside);
        int transfer = TRANSFER_SIZES[rnd.nextInt(TRANSFER_SIZES.length)];
        PlanOptions options = PlanOptions.of(transfer)
                .withAddressing(rnd.nextBoolean() ? AddressingMode.BLOCK_NUMBER : AddressingMode.SET_ADDRESS_PER_BLOCK)
                .withWriteAlignment(1 << rnd.nextInt(6));
        boolean mass = rnd.nextInt(6) == 0;
        options = options.withMassErase(mass);

        // A bad image must fail with the typed exception only, before anything is planned.
        if (!fits(image, layouts)) {
            try {
                FlashPlanner.plan(image, layouts, options);
            } catch (DfuException expected) {
                if (expected.kind() != DfuException.Kind.PLAN) {
                    throw new AssertionError("a plan refusal of kind " + expected.kind(), expected);
                }
                return;
            }
            throw new AssertionError("image outside writable memory was planned: " + image);
        }
        FlashPlan full = FlashPlanner.plan(image, layouts, options);
        FlashPlan plan = full;
        if (!mass && rnd.nextInt(3) == 0) {
            Set<SectorKey> unchanged = new HashSet<>();
            for (TargetSector t : full.targetSectors()) {
                if (rnd.nextBoolean()) {
                    unchanged.add(t.key());
                }
            }
            plan = FlashPlanner.plan(image, layouts, options.withUnchangedSectors(unchanged));
        }
        execute(rnd, image, layouts, plan);
    }

    private static boolean fits(FirmwareImage image, Map<Integer, MemoryLayout> layouts) {
        for (Segment s : image.segments()) {
            MemoryLayout l = layouts.get(s.target().orElseThrow().altSetting());
            for (long a = s.address(); a < s.end(); ) {
                var r = l.regionAt(a);
                if (r.isEmpty() || !r.get().access().writable()) {
                    return false;
                }
                a = r.get().end();
            }
        }
        return true;
    }

    /** Byte-level memory of one alternate setting: old random contents, erase state per byte. */
    private static final class Memory {
        final long base;
        final byte[] bytes;
        final boolean[] programmed;

        Memory(MemoryLayout layout, SplittableRandom rnd) {
            base = layout.start();
            long end = 0;
            for (MemoryRegion r : layout.regions()) {
                end = Math.max(end, r.end());
            }
            bytes = new byte[(int) (end - base)];
            // old contents that differ from erased flash and from each other
            int k = rnd.nextInt(251);
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) ((i * 131 + k) % 251);
            }
            programmed = new boolean[bytes.length];
        }

        int index(long address) {
            return (int) (address - base);
        }
    }

    /** Runs the plan on a NOR-flash model and checks every property. */
    private static void execute(SplittableRandom rnd, FirmwareImage image, Map<Integer, MemoryLayout> layouts, FlashPlan plan) {
        Map<Integer, Memory> memory = new HashMap<>();
        layouts.forEach((alt, l) -> memory.put(alt, new Memory(l, rnd)));

        // erases
        Set<SectorKey> erased = new HashSet<>();
        for (EraseStep e : plan.erases()) {
            MemoryLayout l = layouts.get(e.alt());
            Memory m = memory.get(e.alt());
            List<Sector> sectors = e instanceof EraseStep.SectorErase se ? List.of(se.sector())
                    : l.sectorsIn(0, 1L << 32).stream().filter(s -> s.access().erasable()).toList();
            for (Sector s : sectors) {
                assertTrue(s.access().erasable(), () -> "erased a non-erasable " + s);
                assertTrue(erased.add(new SectorKey(e.alt(), s.start())), () -> "erased twice: " + s);
                java.util.Arrays.fill(m.bytes, m.index(s.start()), m.index(s.end()), (byte) 0xFF);
            }
        }
        if (plan.bootAddress().isPresent() && !plan.erases().isEmpty() && plan.erases().get(0) instanceof EraseStep.SectorErase first) {
            Sector boot = layouts.get(plan.bootAlt().getAsInt()).sectorAt(plan.bootAddress().getAsLong()).orElseThrow();
            // once anything is erased the vector-table sector is erased too, and first (even if "unchanged")
            assertFalse(plan.unchangedSectors().contains(new SectorKey(plan.bootAlt().getAsInt(), boot.start())),
                    "vector-table sector kept while other sectors are erased");
            assertEquals(boot, first.sector(), "vector-table sector must be erased first");
        }

        // writes, interpreting block numbers like a DfuSe device
        int transfer = plan.options().transferSize();
        boolean seenBoot = false;
        for (WriteRun run : plan.writes()) {
            if (run.bootSector()) {
                seenBoot = true;
            } else {
                assertFalse(seenBoot, () -> "a run after the vector-table run: " + run);
            }
            MemoryLayout l = layouts.get(run.alt());
            Memory m = memory.get(run.alt());
            long pointer = run.start();
            for (Block b : run.blocks()) {
                assertTrue(b.length() <= transfer);
                assertTrue(b.blockNumber() >= 2 && b.blockNumber() <= 0xFFFF);
                long address;
                if (run.perBlockAddressing()) {
                    assertEquals(2, b.blockNumber());
                    pointer = b.address();
                    address = pointer;
                } else {
                    address = pointer + (b.blockNumber() - 2L) * transfer;
                }
                assertEquals(b.address(), address, "block lands elsewhere than planned");
                byte[] data = b.data();
                boolean blank = true;
                Sector s = null;
                for (int i = 0; i < data.length; i++) {
                    long a = address + i;
                    if (s == null || !s.contains(a)) {
                        Sector found = l.sectorAt(a).orElseThrow(() -> new AssertionError("write outside layout at " + a));
                        assertTrue(found.access().writable(), () -> "write into non-writable " + found);
                        if (found.access().erasable()) {
                            assertTrue(erased.contains(new SectorKey(run.alt(), found.start())), () -> "write into un-erased " + found);
                        }
                        s = found;
                    }
                    int at = m.index(a);
                    if (s.access().erasable()) {
                        if (m.programmed[at]) {
                            throw new AssertionError(String.format("byte 0x%08x programmed twice", a));
                        }
                        if (m.bytes[at] != (byte) 0xFF) {
                            throw new AssertionError(String.format("byte 0x%08x programmed without erase", a));
                        }
                        m.programmed[at] = true;
                    }
                    m.bytes[at] = data[i];
                    blank &= data[i] == (byte) 0xFF;
                }
                if (run.erased()) {
                    assertFalse(blank, () -> "blank block sent into erased flash: " + b);
                }
            }
        }

        // every image byte is on the device, except inside unchanged sectors
        for (Segment s : image.segments()) {
            int alt = s.target().orElseThrow().altSetting();
            MemoryLayout l = layouts.get(alt);
            Memory m = memory.get(alt);
            Sector sector = null;
            boolean unchanged = false;
            byte[] data = s.bytes();
            for (long a = s.address(); a < s.end(); a++) {
                if (sector == null || !sector.contains(a)) {
                    sector = l.sectorAt(a).orElseThrow();
                    unchanged = plan.unchangedSectors().contains(new SectorKey(alt, sector.start()));
                }
                if (!unchanged && data[(int) (a - s.address())] != m.bytes[m.index(a)]) {
                    throw new AssertionError(String.format("byte at 0x%08x not on the device", a));
                }
            }
        }
        // verification expectations agree with the model
        for (WriteRun run : plan.writes()) {
            byte[] expected = run.expectedContent();
            Memory m = memory.get(run.alt());
            byte[] actual = java.util.Arrays.copyOfRange(m.bytes, m.index(run.start()), m.index(run.end()));
            if (!java.util.Arrays.equals(expected, actual)) {
                throw new AssertionError("expected content of " + run + " differs from the model");
            }
        }
    }

    private static MemoryLayout randomLayout(SplittableRandom rnd, int alt) {
        List<MemoryRegion> regions = new ArrayList<>();
        long address = 0x08000000L + alt * 0x1000_0000L + rnd.nextInt(16) * 0x1000L;
        int zones = 1 + rnd.nextInt(3);
        for (int z = 0; z < zones; z++) {
            for (int e = 1 + rnd.nextInt(3); e > 0; e--) {
                long size = rnd.nextInt(4) == 0 ? 16 + rnd.nextInt(600) : 256L << rnd.nextInt(6);
                int count = 1 + rnd.nextInt(6);
                int kind = rnd.nextInt(10);
                SectorAccess access = kind < 7 ? SectorAccess.READ_ERASE_WRITE
                        : kind < 9 ? SectorAccess.READ_WRITE : SectorAccess.READ_ONLY;
                regions.add(new MemoryRegion(address, count, size, access));
                address += size * count;
            }
            address += rnd.nextInt(3) * 4096L;
        }
        return new MemoryLayout("Flash " + alt, regions);
    }

    private static FirmwareImage randomImage(SplittableRandom rnd, Map<Integer, MemoryLayout> layouts, boolean outside) {
        List<Segment> segments = new ArrayList<>();
        for (int n = 1 + rnd.nextInt(4); n > 0; n--) {
            int alt = rnd.nextInt(layouts.size());
            MemoryLayout l = layouts.get(alt);
            MemoryRegion r = l.regions().get(rnd.nextInt(l.regions().size()));
            if (!r.access().writable() && !outside) {
                continue;
            }
            long start = r.start() + rnd.nextLong(r.size());
            long max = outside ? r.size() + 4096 : Math.min(r.end() - start, 8192);
            int length = 1 + (int) rnd.nextLong(Math.max(1, max));
            byte[] data = new byte[length];
            for (int i = 0; i < length; ) {
                int chunk = 1 + rnd.nextInt(300);
                boolean blank = rnd.nextInt(3) == 0;
                for (int j = 0; j < chunk && i < length; j++, i++) {
                    data[i] = blank ? (byte) 0xFF : (byte) rnd.nextInt(256);
                }
            }
            Segment s = Segment.of(start, data, new DfuseTarget(alt, ""));
            if (segments.stream().noneMatch(o -> o.target().orElseThrow().altSetting() == alt && o.overlaps(s))) {
                segments.add(s);
            }
        }
        if (segments.isEmpty()) {
            MemoryLayout l = layouts.get(0);
            MemoryRegion r = l.regions().stream().filter(x -> x.access().writable()).findFirst().orElse(l.regions().get(0));
            segments.add(Segment.of(r.start(), new byte[] {1, 2, 3}, new DfuseTarget(0, "")));
        }
        return FirmwareImage.of(segments);
    }

    @SuppressWarnings("unused")
    private static OptionalInt none() {
        return OptionalInt.empty();
    }
}
