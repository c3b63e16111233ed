package io.github.dfu4j.plan.internal;

import io.github.dfu4j.layout.MemoryLayout;
import io.github.dfu4j.ops.AddressingMode;
import io.github.dfu4j.ops.MemoryRange;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Everything a download will do, decided before the device is touched: the erases in order (the
 * vector-table sector first), the write runs in order (the vector-table sector last), the sectors
 * the image touches (for incremental flashing) and what each range must read back as. Immutable.
 */
public final class FlashPlan {
    private final PlanOptions options;
    private final List<EraseStep> erases;
    private final List<WriteRun> writes;
    private final Set<SectorKey> unchangedSectors;
    /** What the planner's first pass found; the same for every plan derived from this one. */
    private final Basis basis;
    private final List<TargetSector> targetSectors;
    private final Long bootAddress;
    private final Integer bootAlt;
    private final Map<Integer, List<Segment>> segmentsByAlt;
    private final List<String> warnings;

    /**
     * What {@link FlashPlanner}'s first pass finds, which depends only on the image, the layouts, force
     * and the alt override (not on unchanged sectors or addressing): the layouts of the alts the image
     * touches, the image's segments per alt (sorted, checked not to overlap), the erasable sectors it
     * touches, the vector-table address and the warnings. A plan keeps it so the incremental pass and
     * the addressing fallback are derived from the plan instead of planning the image again.
     */
    record Basis(Map<Integer, MemoryLayout> layouts, Map<Integer, List<Segment>> segmentsByAlt,
                 List<TargetSector> targetSectors, Long bootAddress, Integer bootAlt, List<String> warnings) {
        Basis {
            layouts = Map.copyOf(layouts);
            Map<Integer, List<Segment>> copy = new HashMap<>();
            segmentsByAlt.forEach((alt, segments) -> copy.put(alt, List.copyOf(segments)));
            segmentsByAlt = Map.copyOf(copy);
            targetSectors = List.copyOf(targetSectors);
            warnings = List.copyOf(warnings);
        }
    }

    FlashPlan(PlanOptions options, List<EraseStep> erases, List<WriteRun> writes, Set<SectorKey> unchangedSectors,
              Basis basis) {
        this.options = options;
        this.erases = List.copyOf(erases);
        this.writes = List.copyOf(writes);
        this.unchangedSectors = Set.copyOf(unchangedSectors);
        this.basis = basis;
        this.targetSectors = basis.targetSectors();
        this.bootAddress = basis.bootAddress();
        this.bootAlt = basis.bootAlt();
        this.segmentsByAlt = basis.segmentsByAlt();
        this.warnings = basis.warnings();
    }

    /**
     * The plan for the same image and layouts that leaves {@code unchanged} alone (incremental
     * flashing): exactly what {@link FlashPlanner#plan} gives with
     * {@code options().withUnchangedSectors(unchanged)}, derived from this plan without planning again.
     * The set replaces this plan's requested unchanged sectors.
     *
     * @throws IllegalArgumentException when this plan mass-erases and {@code unchanged} is not empty
     */
    public FlashPlan keeping(Set<SectorKey> unchanged) {
        return FlashPlanner.build(basis, options.withUnchangedSectors(unchanged));
    }

    /**
     * The same plan with another addressing mode: exactly what {@link FlashPlanner#plan} gives with
     * {@code options().withAddressing(mode)}, derived from this plan without planning again.
     */
    public FlashPlan withAddressing(AddressingMode mode) {
        return FlashPlanner.build(basis, options.withAddressing(mode));
    }

    public PlanOptions options() {
        return options;
    }

    /** Erases in the order they are sent: the vector-table sector first, then ascending. */
    public List<EraseStep> erases() {
        return erases;
    }

    /** Write runs in the order they are sent: ascending, the vector-table sector last. */
    public List<WriteRun> writes() {
        return writes;
    }

    /** Erasable sectors the image touches, including unchanged ones, ascending. */
    public List<TargetSector> targetSectors() {
        return targetSectors;
    }

    /**
     * Sectors left alone because they already hold the right bytes (incremental flashing): the
     * requested {@link PlanOptions#unchangedSectors()} minus the vector-table sector when anything
     * else is erased.
     */
    public Set<SectorKey> unchangedSectors() {
        return unchangedSectors;
    }

    /** The image's lowest address in erasable memory: where its vector table is. */
    public OptionalLong bootAddress() {
        return bootAddress == null ? OptionalLong.empty() : OptionalLong.of(bootAddress);
    }

    /** The alternate setting that holds {@link #bootAddress()}. */
    public OptionalInt bootAlt() {
        return bootAlt == null ? OptionalInt.empty() : OptionalInt.of(bootAlt);
    }

    /** Alternate settings the plan touches, ascending. */
    public List<Integer> alts() {
        return segmentsByAlt.keySet().stream().sorted().toList();
    }

    /** Things the user should know (e.g. bytes written outside the layout because of force). */
    public List<String> warnings() {
        return warnings;
    }

    /** The address ranges of the data blocks this plan sends, in order (blank blocks skipped are not sent). */
    public List<MemoryRange> sentBlocks() {
        List<MemoryRange> out = new ArrayList<>();
        for (WriteRun r : writes) {
            for (Block b : r.blocks()) {
                out.add(new MemoryRange(r.alt(), b.address(), b.end()));
            }
        }
        return out;
    }

    /** Bytes sent in DNLOAD data stages. */
    public long writtenBytes() {
        long n = 0;
        for (WriteRun r : writes) {
            n += r.writtenBytes();
        }
        return n;
    }

    /** Data blocks sent. */
    public int blockCount() {
        int n = 0;
        for (WriteRun r : writes) {
            n += r.blocks().size();
        }
        return n;
    }

    /** Blocks left out because they would only write 0xFF into erased flash. */
    public int skippedBlankBlocks() {
        int n = 0;
        for (WriteRun r : writes) {
            n += r.skippedBlankBlocks();
        }
        return n;
    }

    /** Bytes the verification reads back (runs whose memory is readable). */
    public long verifiableBytes() {
        long n = 0;
        for (WriteRun r : writes) {
            if (r.verifiable()) {
                n += r.length();
            }
        }
        return n;
    }

    /** SET_ADDRESS commands the write phase sends. */
    public int setAddressCount() {
        int n = 0;
        for (WriteRun r : writes) {
            n += r.perBlockAddressing() ? r.blocks().size() : (r.blocks().isEmpty() ? 0 : 1);
        }
        return n;
    }

    /**
     * What the sector must hold after a full flash of this image: the image's bytes, 0xFF elsewhere
     * (the rest of the sector is erased). Incremental flashing compares the device's sector with this.
     */
    public byte[] expectedSector(TargetSector target) {
        Objects.requireNonNull(target, "target");
        byte[] out = new byte[Math.toIntExact(target.sector().size())];
        Arrays.fill(out, (byte) 0xFF);
        long from = target.sector().start();
        for (Segment s : imageIn(target)) {
            s.copyTo(s.address(), out, (int) (s.address() - from), s.length());
        }
        return out;
    }

    /** The image's bytes inside a target sector, as slices of its segments in address order. */
    public List<Segment> imageIn(TargetSector target) {
        Objects.requireNonNull(target, "target");
        List<Segment> out = new ArrayList<>();
        long from = target.sector().start();
        long to = target.sector().end();
        for (Segment s : segmentsByAlt.getOrDefault(target.alt(), List.of())) {
            long a = Math.max(from, s.address());
            long b = Math.min(to, s.end());
            if (a < b) {
                out.add(s.slice(a, b));
            }
        }
        out.sort((x, y) -> Long.compare(x.address(), y.address()));
        return out;
    }

    /** Human-readable listing, one line per erase and run. */
    public String describe() {
        List<String> lines = new ArrayList<>();
        for (EraseStep e : erases) {
            lines.add(e instanceof EraseStep.SectorErase s
                    ? "erase alt " + s.alt() + " " + s.sector() + (s.bootSector() ? " (vector table)" : "")
                    : "mass erase alt " + e.alt());
        }
        for (WriteRun r : writes) {
            lines.add("write " + r);
        }
        for (SectorKey k : unchangedSectors) {
            lines.add("unchanged " + k);
        }
        warnings.forEach(w -> lines.add("warning: " + w));
        return String.join("\n", lines);
    }

    static FirmwareImage requireImage(FirmwareImage image) {
        return Objects.requireNonNull(image, "image");
    }
}
