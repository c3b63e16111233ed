package io.github.dfu4j.plan.internal;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.ops.AddressingMode;
import io.github.dfu4j.plan.internal.WriteRun;
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
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import io.github.dfu4j.ops.Remedy;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlashPlannerTest {
    private static final MemoryLayout F4 = parse("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg");
    private static final MemoryLayout OB = parse("@Option Bytes  /0x1FFFC000/01*016 e");

    private static MemoryLayout parse(String s) {
        try {
            return MemoryLayout.parse(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 7 + seed);
            if (b[i] == (byte) 0xFF) {
                b[i] = 0x11;
            }
        }
        return b;
    }

    @Test
    void erasesTouchedSectorsOnceVectorSectorFirstAndWritesItLast() throws Exception {
        FirmwareImage image = FirmwareImage.of(Segment.of(0x08000000L, pattern(40 * 1024, 1)));
        FlashPlan plan = FlashPlanner.plan(image, Map.of(0, F4), PlanOptions.of(2048));

        assertEquals(List.of(0x08000000L, 0x08004000L, 0x08008000L),
                plan.erases().stream().map(e -> ((EraseStep.SectorErase) e).sector().start()).toList());
        assertTrue(((EraseStep.SectorErase) plan.erases().get(0)).bootSector());
        assertEquals(2, plan.writes().size());
        WriteRun rest = plan.writes().get(0);
        WriteRun boot = plan.writes().get(1);
        assertEquals(0x08004000L, rest.start());
        assertEquals(0x0800A000L, rest.end());
        assertTrue(boot.bootSector());
        assertEquals(0x08000000L, boot.start());
        assertEquals(0x08004000L, boot.end());
        // block-number addressing: block n at start + (n-2)*2048
        for (WriteRun r : plan.writes()) {
            for (Block b : r.blocks()) {
                assertEquals(r.start() + (b.blockNumber() - 2L) * 2048, b.address());
            }
        }
        assertEquals(List.of(2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13), rest.blocks().stream().map(Block::blockNumber).toList());
        assertEquals(40 * 1024, plan.writtenBytes());
        assertEquals(2, plan.setAddressCount());
        assertEquals(0x08000000L, plan.bootAddress().getAsLong());
        assertEquals(0, plan.bootAlt().getAsInt());
    }

    @Test
    void blankBlocksInErasedSectorsAreSkippedButStillCounted() throws Exception {
        byte[] data = pattern(8 * 1024, 3);
        Arrays.fill(data, 2048, 4096, (byte) 0xFF);
        FlashPlan plan = FlashPlanner.plan(FirmwareImage.of(Segment.of(0x08004000L, data)), Map.of(0, F4), PlanOptions.of(2048));
        WriteRun run = plan.writes().get(0);
        assertEquals(List.of(2, 4, 5), run.blocks().stream().map(Block::blockNumber).toList());
        assertEquals(1, run.skippedBlankBlocks());
        assertEquals(1, plan.skippedBlankBlocks());
        assertArrayEquals(data, Arrays.copyOf(run.expectedContent(), data.length));
    }

    @Test
    void smallGapsInsideErasedSectorsAreFilledAndSkipped() throws Exception {
        FirmwareImage image = FirmwareImage.of(Segment.of(0x08004000L, pattern(100, 1)),
                Segment.of(0x08004000L + 3000, pattern(50, 2)));
        FlashPlan plan = FlashPlanner.plan(image, Map.of(0, F4), PlanOptions.of(1024));
        assertEquals(1, plan.writes().size());
        WriteRun run = plan.writes().get(0);
        assertEquals(0x08004000L, run.start());
        assertEquals(0x08004000L + 3050, run.end());
        assertEquals(List.of(2, 4), run.blocks().stream().map(Block::blockNumber).toList());
        byte[] expected = run.expectedContent();
        assertEquals((byte) 0xFF, expected[1500]);
        assertEquals(pattern(50, 2)[0], expected[3000]);
    }

    @Test
    void distantPiecesGetTheirOwnRunSoMemoryFollowsTheImage() throws Exception {
        // one 1 MiB sector touched at both ends: two small runs, not a 1 MiB buffer
        MemoryLayout qspi = parse("@QSPI/0x90000000/1*1Mg");
        FirmwareImage image = FirmwareImage.of(Segment.of(0x90000010L, pattern(100, 1)), Segment.of(0x900FFF00L, pattern(0x100, 2)));
        FlashPlan plan = FlashPlanner.plan(image, Map.of(0, qspi), PlanOptions.of(2048));
        assertEquals(1, plan.erases().size());
        List<WriteRun> runs = plan.writes().stream().sorted(java.util.Comparator.comparingLong(WriteRun::start)).toList();
        assertEquals(2, runs.size());
        assertEquals(0x90000000L, runs.get(0).start());
        assertEquals(0x900FF800L, runs.get(1).start(), "block boundary counted from the sector start");
        assertEquals(0x90100000L, runs.get(1).end());
        assertTrue(runs.stream().allMatch(r -> r.length() <= 2048));
    }

    @Test
    void runsStartAtTheTouchedSectorSoBlocksStayAligned() throws Exception {
        FlashPlan plan = FlashPlanner.plan(FirmwareImage.of(Segment.of(0x08004101L, pattern(10, 1))), Map.of(0, F4),
                PlanOptions.of(2048).withWriteAlignment(32));
        WriteRun run = plan.writes().get(0);
        assertEquals(0x08004000L, run.start());
        assertEquals(0x08004120L, run.end());
        Block only = run.blocks().get(0);
        assertEquals(0x08004000L, only.address());
        assertEquals(0x120, only.length());
    }

    @Test
    void perBlockAddressingSendsEveryBlockAsBlockTwo() throws Exception {
        FlashPlan plan = FlashPlanner.plan(FirmwareImage.of(Segment.of(0x08004000L, pattern(5000, 1))), Map.of(0, F4),
                PlanOptions.of(2048).withAddressing(AddressingMode.SET_ADDRESS_PER_BLOCK));
        WriteRun run = plan.writes().get(0);
        assertTrue(run.perBlockAddressing());
        assertEquals(List.of(2, 2, 2), run.blocks().stream().map(Block::blockNumber).toList());
        assertEquals(List.of(0x08004000L, 0x08004800L, 0x08005000L), run.blocks().stream().map(Block::address).toList());
        assertEquals(3, plan.setAddressCount());
    }

    @Test
    void bytesOutsideTheLayoutFailNamingAddressAndLayout() {
        FirmwareImage image = FirmwareImage.of(Segment.of(0x080FF000L, pattern(0x2000, 1)));
        DfuException e = assertThrows(DfuException.class,
                () -> FlashPlanner.plan(image, Map.of(0, F4), PlanOptions.of(2048)));
        assertEquals(DfuException.Kind.PLAN, e.kind());
        assertTrue(e.getMessage().contains("0x08100000..0x08100fff (alt 0) is outside the memory layout"
                + " @Internal Flash  /0x08000000/4*16Kg,1*64Kg,7*128Kg"), e.getMessage());
        assertEquals(0x08100000L, e.address().getAsLong());
        // confirming OUTSIDE_LAYOUT lifts it, and a tool can name its own override in the same message
        assertTrue(e.getMessage().endsWith("; confirm OUTSIDE_LAYOUT to write anyway"), e.getMessage());
        assertEquals(Optional.of(Remedy.of(Remedy.Kind.ALLOW_OUTSIDE_LAYOUT)), e.remedy());
        assertEquals(e.messageWithoutRemedy() + "; confirm OUTSIDE_LAYOUT to write anyway", e.getMessage());
        DfuException empty = assertThrows(DfuException.class, () -> FlashPlanner.plan(FirmwareImage.of(List.of()),
                Map.of(0, F4), PlanOptions.of(2048)));
        assertEquals(DfuException.Kind.PLAN, empty.kind());
        assertEquals(Optional.empty(), empty.remedy());
        assertEquals(empty.getMessage(), empty.messageWithoutRemedy());
    }

    @Test
    void forceWritesOutsideTheLayoutWithoutEraseOrBlankSkipping() throws Exception {
        byte[] data = new byte[4096];
        Arrays.fill(data, (byte) 0xFF);
        FirmwareImage image = FirmwareImage.of(Segment.of(0x20000000L, data));
        FlashPlan plan = FlashPlanner.plan(image, Map.of(0, F4), PlanOptions.of(2048).withForce(true));
        assertEquals(List.of(), plan.erases());
        WriteRun run = plan.writes().get(0);
        assertFalse(run.erased());
        assertFalse(run.verifiable());
        assertEquals(2, run.blocks().size());
        assertEquals(1, plan.warnings().size());
        assertTrue(plan.bootAddress().isEmpty());
    }

    @Test
    void readOnlySectorsAreRefusedUnlessForced() throws Exception {
        MemoryLayout l = parse("@Flash/0x08000000/2*16Ka,2*16Kg");
        FirmwareImage image = FirmwareImage.of(Segment.of(0x08003000L, pattern(0x2000, 1)));
        DfuException e = assertThrows(DfuException.class, () -> FlashPlanner.plan(image, Map.of(0, l), PlanOptions.of(1024)));
        assertEquals(DfuException.Kind.PLAN, e.kind());
        assertTrue(e.getMessage().contains("is not writable"), e.getMessage());
        assertTrue(e.getMessage().contains("sector 0"), e.getMessage());
        FlashPlan forced = FlashPlanner.plan(image, Map.of(0, l), PlanOptions.of(1024).withForce(true));
        assertEquals(1, forced.warnings().size());
    }

    @Test
    void optionBytesAreWrittenExactlyWithoutErase() throws Exception {
        byte[] ob = new byte[16];
        Arrays.fill(ob, (byte) 0xFF);
        ob[0] = (byte) 0xAA;
        FirmwareImage image = FirmwareImage.of(Segment.of(0x08000000L, pattern(100, 1), new DfuseTarget(0, "Internal Flash")),
                Segment.of(0x1FFFC000L, ob, new DfuseTarget(1, "Option Bytes")));
        FlashPlan plan = FlashPlanner.plan(image, Map.of(0, F4, 1, OB), PlanOptions.of(2048));
        assertEquals(1, plan.erases().size());
        assertEquals(List.of(0, 1), plan.alts());
        WriteRun obRun = plan.writes().stream().filter(r -> r.alt() == 1).findFirst().orElseThrow();
        assertFalse(obRun.erased());
        assertArrayEquals(ob, obRun.blocks().get(0).data());
        // the vector table run is still the very last write
        assertTrue(plan.writes().get(plan.writes().size() - 1).bootSector());
    }

    @Test
    void unchangedSectorsAreNeitherErasedNorWritten() throws Exception {
        FirmwareImage image = FirmwareImage.of(Segment.of(0x08000000L, pattern(48 * 1024, 1)));
        FlashPlan plan = FlashPlanner.plan(image, Map.of(0, F4), PlanOptions.of(2048)
                .withUnchangedSectors(Set.of(new SectorKey(0, 0x08004000L), new SectorKey(0, 0x08000000L))));
        // the vector-table sector is "unchanged" but 0x08008000 changes: the table is erased first and
        // written last anyway, so an interrupted flash never boots a half-old, half-new image
        assertEquals(List.of(0x08000000L, 0x08008000L),
                plan.erases().stream().map(e -> ((EraseStep.SectorErase) e).sector().start()).toList());
        assertEquals(List.of(0x08008000L, 0x08000000L), plan.writes().stream().map(WriteRun::start).toList());
        assertTrue(plan.writes().get(1).bootSector());
        assertEquals(Set.of(new SectorKey(0, 0x08004000L)), plan.unchangedSectors());
        assertEquals(3, plan.targetSectors().size());
        byte[] expected = plan.expectedSector(plan.targetSectors().get(1));
        assertArrayEquals(Arrays.copyOfRange(pattern(48 * 1024, 1), 0x4000, 0x8000), expected);
    }

    @Test
    void whenNothingChangedNothingIsErasedOrWrittenNotEvenTheVectorTable() throws Exception {
        FirmwareImage image = FirmwareImage.of(Segment.of(0x08000000L, pattern(48 * 1024, 1)));
        Set<SectorKey> all = Set.of(new SectorKey(0, 0x08000000L), new SectorKey(0, 0x08004000L), new SectorKey(0, 0x08008000L));
        FlashPlan plan = FlashPlanner.plan(image, Map.of(0, F4), PlanOptions.of(2048).withUnchangedSectors(all));
        assertEquals(List.of(), plan.erases());
        assertEquals(List.of(), plan.writes());
        assertEquals(all, plan.unchangedSectors());
    }

    @Test
    void anUnchangedSectorOtherThanTheVectorTableStaysUntouched() throws Exception {
        FirmwareImage image = FirmwareImage.of(Segment.of(0x08000000L, pattern(48 * 1024, 1)));
        FlashPlan plan = FlashPlanner.plan(image, Map.of(0, F4), PlanOptions.of(2048)
                .withUnchangedSectors(Set.of(new SectorKey(0, 0x08004000L))));
        assertEquals(List.of(0x08000000L, 0x08008000L),
                plan.erases().stream().map(e -> ((EraseStep.SectorErase) e).sector().start()).toList());
        assertTrue(plan.writes().get(plan.writes().size() - 1).bootSector());
    }

    @Test
    void expectedSectorIsBlankWhereTheImageHasNoBytes() throws Exception {
        FlashPlan plan = FlashPlanner.plan(FirmwareImage.of(Segment.of(0x08010010L, pattern(16, 1))), Map.of(0, F4), PlanOptions.of(2048));
        byte[] sector = plan.expectedSector(plan.targetSectors().get(0));
        assertEquals(65536, sector.length);
        assertEquals((byte) 0xFF, sector[0]);
        assertEquals(pattern(16, 1)[0], sector[16]);
    }

    @Test
    void massEraseReplacesSectorErases() throws Exception {
        FlashPlan plan = FlashPlanner.plan(FirmwareImage.of(Segment.of(0x08000000L, pattern(40_000, 1))), Map.of(0, F4),
                PlanOptions.of(2048).withMassErase(true));
        assertEquals(List.of(new EraseStep.MassErase(0)), plan.erases());
        assertThrows(IllegalArgumentException.class,
                () -> PlanOptions.of(2048).withMassErase(true).withUnchangedSectors(Set.of(new SectorKey(0, 0))));
    }

    @Test
    void altOverrideAndMissingLayouts() throws Exception {
        FirmwareImage image = FirmwareImage.of(Segment.of(0x08000000L, pattern(10, 1), new DfuseTarget(3, "x")));
        DfuException e = assertThrows(DfuException.class, () -> FlashPlanner.plan(image, Map.of(0, F4), PlanOptions.of(64)));
        assertEquals(DfuException.Kind.PLAN, e.kind());
        assertTrue(e.getMessage().contains("alt 3 has no memory layout"), e.getMessage());
        FlashPlan plan = FlashPlanner.plan(image, Map.of(0, F4), PlanOptions.of(64).withAltOverride(OptionalInt.of(0)));
        assertEquals(0, plan.writes().get(0).alt());
        FlashPlan forced = FlashPlanner.plan(image, Map.of(), PlanOptions.of(64).withForce(true));
        assertEquals(3, forced.writes().get(0).alt());
        assertEquals(List.of(), forced.erases());
    }

    @Test
    void longRunsAreSplitBeforeTheBlockNumberOverflows() throws Exception {
        MemoryLayout big = parse("@Big/0x00000000/1*2Mg");
        FlashPlan plan = FlashPlanner.plan(FirmwareImage.of(Segment.of(0, pattern(1 << 20, 5))), Map.of(0, big), PlanOptions.of(8));
        assertEquals(3, plan.writes().size());
        for (WriteRun r : plan.writes()) {
            for (Block b : r.blocks()) {
                assertTrue(b.blockNumber() <= 0xFFFF);
                assertEquals(r.start() + (b.blockNumber() - 2L) * 8, b.address());
            }
        }
        assertEquals(1 << 20, plan.writtenBytes());
    }

    @Test
    void emptyImagesAreRejected() {
        assertEquals(DfuException.Kind.PLAN, assertThrows(DfuException.class,
                () -> FlashPlanner.plan(FirmwareImage.of(), Map.of(0, F4), PlanOptions.of(64))).kind());
        assertEquals(DfuException.Kind.PLAN, assertThrows(DfuException.class,
                () -> FlashPlanner.plan(FirmwareImage.of(Segment.of(0, new byte[1])), Map.of(0, F4), PlanOptions.of(64))).kind());
    }

    @Test
    void describeListsEveryStep() throws Exception {
        FlashPlan plan = FlashPlanner.plan(FirmwareImage.of(Segment.of(0x08000000L, pattern(20_000, 1))), Map.of(0, F4), PlanOptions.of(2048));
        String d = plan.describe();
        assertTrue(d.contains("erase alt 0 sector 0 [0x08000000..0x08004000) rew (vector table)"), d);
        assertTrue(d.contains("vector table]"), d);
    }
}
