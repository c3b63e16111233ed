package io.github.dfu4j.plan.internal;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.layout.MemoryLayout;
import io.github.dfu4j.layout.MemoryRegion;
import io.github.dfu4j.layout.Sector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a firmware image and the device's memory layouts into a {@link FlashPlan}. Pure: no I/O.
 * (About 420 lines: the three passes below share the per-alt segment and erased-sector maps; the
 * range arithmetic they share is in {@link Span}.)
 *
 * <p>Rules:
 * <ul>
 *   <li>Every byte must lie in a writable region of its alternate setting's layout; otherwise the plan
 *       fails naming the address and the layout, unless writing outside the layout is allowed
 *       ({@link PlanOptions#force()}, from {@code Confirmation.OUTSIDE_LAYOUT}; then bytes outside the
 *       layout are written as they are, without erase or blank skipping).</li>
 *   <li>Every erasable sector the image touches is erased exactly once, unless it is listed as
 *       unchanged (incremental) or a mass erase replaces sector erases.</li>
 *   <li>In erased sectors, gaps between segments read back as 0xFF, and blocks that are all 0xFF are
 *       not sent. Non-erasable memory (option bytes, OTP) gets exactly the image's bytes.</li>
 *   <li>Block-number addressing: one run per cluster of image data inside a group of adjacent erased
 *       sectors (pieces less than four blocks apart share a run), starting on a block boundary counted
 *       from the sector start; block {@code n} lands at {@code start + (n-2) * size}; runs are split
 *       before wBlockNum would pass 0xFFFF. Memory use follows the image, not the gaps. Per-block
 *       addressing: every block is block 2 after its own SET_ADDRESS.</li>
 *   <li>The sector holding the image's lowest address in erasable memory (the vector table) is erased
 *       first and written last, so an interrupted flash leaves no bootable half image. With unchanged
 *       sectors (incremental) this holds too: as soon as any sector is erased, the vector-table sector
 *       is erased and rewritten as well, even when it is listed as unchanged; only when nothing at all
 *       is erased is it left alone. Writes to non-erasable memory (option bytes, OTP) do not count.</li>
 * </ul>
 */
public final class FlashPlanner {
    private static final int MAX_BLOCKS_PER_RUN = 0xFFFF - 1;

    private FlashPlanner() {
    }

    /**
     * Plans a download.
     *
     * @param layouts the layout of each alternate setting, by alt number
     * @throws DfuException when the image does not fit the layouts (and force is off)
     */
    public static FlashPlan plan(FirmwareImage image, Map<Integer, MemoryLayout> layouts, PlanOptions options)
            throws DfuException {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(layouts, "layouts");
        Objects.requireNonNull(options, "options");
        if (image.isEmpty()) {
            throw DfuException.plan("the image holds no data");
        }
        TreeMap<Integer, List<Segment>> byAlt = new TreeMap<>();
        for (Segment s : image.segments()) {
            int alt = options.altOverride().isPresent() ? options.altOverride().getAsInt()
                    : s.target().map(t -> t.altSetting()).orElse(0);
            byAlt.computeIfAbsent(alt, k -> new ArrayList<>()).add(s);
        }
        for (Map.Entry<Integer, List<Segment>> e : byAlt.entrySet()) {
            e.getValue().sort(Comparator.comparingLong(Segment::address));
            checkNoOverlap(e.getKey(), e.getValue());
        }

        List<String> warnings = new ArrayList<>();
        List<TargetSector> targets = new ArrayList<>();
        TreeMap<Integer, TreeMap<Long, Sector>> erasedByAlt = new TreeMap<>();
        List<WriteRun> runs = new ArrayList<>();
        Long bootAddress = null;
        Integer bootAlt = null;

        // Pass 1: check every byte against the layout and collect the erasable sectors touched.
        for (Map.Entry<Integer, List<Segment>> e : byAlt.entrySet()) {
            int alt = e.getKey();
            MemoryLayout layout = layouts.get(alt);
            TreeMap<Long, Sector> touched = new TreeMap<>();
            for (Segment s : e.getValue()) {
                if (layout == null) {
                    if (!options.force()) {
                        throw DfuException.planOutsideLayout(String.format(
                                "alt %d has no memory layout, so 0x%08x..0x%08x cannot be checked or erased",
                                alt, s.address(), s.end() - 1), s.address());
                    }
                    continue;
                }
                checkAgainstLayout(alt, s, layout, options.force(), warnings);
                for (Sector sector : layout.sectorsIn(s.address(), s.end())) {
                    if (sector.access().erasable()) {
                        touched.putIfAbsent(sector.start(), sector);
                    }
                }
            }
            if (layout == null) {
                warnings.add("alt " + alt + " has no memory layout: written without erase (force)");
            }
            for (Sector sector : touched.values()) {
                targets.add(new TargetSector(alt, sector));
            }
            if (bootAddress == null && !touched.isEmpty()) {
                for (Segment s : e.getValue()) {
                    Long low = lowestErasableAddress(s, layout);
                    if (low != null) {
                        bootAddress = low;
                        bootAlt = alt;
                        break;
                    }
                }
            }
            TreeMap<Long, Sector> toErase = new TreeMap<>();
            for (Sector sector : touched.values()) {
                if (!options.unchangedSectors().contains(new SectorKey(alt, sector.start()))) {
                    toErase.put(sector.start(), sector);
                }
            }
            erasedByAlt.put(alt, toErase);
        }

        SectorKey bootKey = null;
        Set<SectorKey> unchanged = options.unchangedSectors();
        if (bootAddress != null) {
            Sector bootSector = layouts.get(bootAlt).sectorAt(bootAddress).orElseThrow();
            bootKey = new SectorKey(bootAlt, bootSector.start());
            boolean anythingErased = erasedByAlt.values().stream().anyMatch(m -> !m.isEmpty());
            if (anythingErased && unchanged.contains(bootKey)) {
                // An unchanged vector table would stay valid while the sectors it points into are
                // rewritten: an interrupted flash would then boot a half-old, half-new image. Once
                // anything is erased, the table's sector is erased first and written last too.
                erasedByAlt.get(bootAlt).put(bootSector.start(), bootSector);
                Set<SectorKey> kept = new HashSet<>(unchanged);
                kept.remove(bootKey);
                unchanged = Set.copyOf(kept);
            }
        }

        // Pass 2: erases.
        List<EraseStep> erases = new ArrayList<>();
        if (options.massErase()) {
            for (Map.Entry<Integer, TreeMap<Long, Sector>> e : erasedByAlt.entrySet()) {
                if (!e.getValue().isEmpty()) {
                    erases.add(new EraseStep.MassErase(e.getKey()));
                }
            }
        } else {
            List<EraseStep> rest = new ArrayList<>();
            for (Map.Entry<Integer, TreeMap<Long, Sector>> e : erasedByAlt.entrySet()) {
                for (Sector sector : e.getValue().values()) {
                    boolean boot = new SectorKey(e.getKey(), sector.start()).equals(bootKey);
                    EraseStep.SectorErase step = new EraseStep.SectorErase(e.getKey(), sector, boot);
                    if (boot) {
                        erases.add(step);
                    } else {
                        rest.add(step);
                    }
                }
            }
            erases.addAll(rest);
        }

        // Pass 3: writes.
        for (Map.Entry<Integer, List<Segment>> e : byAlt.entrySet()) {
            int alt = e.getKey();
            MemoryLayout layout = layouts.get(alt);
            List<Segment> segments = e.getValue();
            TreeMap<Long, Sector> erased = erasedByAlt.get(alt);
            for (Span group : groups(erased)) {
                List<Span> spans = new ArrayList<>();
                boolean bootInGroup = bootKey != null && bootKey.alt() == alt && group.contains(bootKey.start());
                Sector bs = bootInGroup ? erased.get(bootKey.start()) : null;
                if (bs != null) {
                    spans.add(new Span(group.start(), bs.start()));
                    spans.add(new Span(bs.start(), bs.end()));
                    spans.add(new Span(bs.end(), group.end()));
                } else {
                    spans.add(group);
                }
                for (Span span : spans) {
                    if (!span.isEmpty()) {
                        boolean boot = bs != null && span.start() == bs.start();
                        erasedSpanRuns(alt, span.start(), span.end(), boot, segments, layout, erased, options, runs);
                    }
                }
            }
            rawRuns(alt, segments, layout, options, runs);
        }
        List<WriteRun> ordered = new ArrayList<>();
        runs.stream().filter(r -> !r.bootSector())
                .sorted(Comparator.comparingInt(WriteRun::alt).thenComparingLong(WriteRun::start)).forEach(ordered::add);
        runs.stream().filter(WriteRun::bootSector).sorted(Comparator.comparingLong(WriteRun::start)).forEach(ordered::add);
        return new FlashPlan(options, erases, ordered, targets, unchanged, bootAddress, bootAlt, byAlt, warnings);
    }

    private static void checkNoOverlap(int alt, List<Segment> sorted) throws DfuException {
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).address() < sorted.get(i - 1).end()) {
                throw DfuException.plan(String.format("two segments for alt %d overlap at 0x%08x", alt,
                        sorted.get(i).address()), sorted.get(i).address());
            }
        }
    }

    private static void checkAgainstLayout(int alt, Segment s, MemoryLayout layout, boolean force, List<String> warnings)
            throws DfuException {
        long a = s.address();
        while (a < s.end()) {
            Optional<MemoryRegion> region = layout.regionAt(a);
            if (region.isEmpty()) {
                long next = s.end();
                for (MemoryRegion r : layout.regions()) {
                    if (r.start() > a && r.start() < next) {
                        next = r.start();
                    }
                }
                String where = String.format("0x%08x..0x%08x (alt %d)", a, next - 1, alt);
                if (!force) {
                    throw DfuException.planOutsideLayout(where + " is outside the memory layout " + layout.format(), a);
                }
                warnings.add(where + " is outside the memory layout; written without erase (force)");
                a = next;
                continue;
            }
            MemoryRegion r = region.get();
            long end = Math.min(s.end(), r.end());
            if (!r.access().writable()) {
                Sector sector = layout.sectorAt(a).orElseThrow();
                String where = String.format("0x%08x..0x%08x (alt %d, %s)", a, end - 1, alt, sector);
                if (!force) {
                    throw DfuException.planOutsideLayout(where + " is not writable in the memory layout "
                            + layout.format(), a);
                }
                warnings.add(where + " is not marked writable; written anyway (force)");
            }
            a = end;
        }
    }

    private static Long lowestErasableAddress(Segment s, MemoryLayout layout) {
        if (layout == null) {
            return null;
        }
        for (Sector sector : layout.sectorsIn(s.address(), s.end())) {
            if (sector.access().erasable()) {
                return Math.max(s.address(), sector.start());
            }
        }
        return null;
    }

    /** Maximal runs of adjacent erased sectors. */
    private static List<Span> groups(TreeMap<Long, Sector> erased) {
        List<Span> out = new ArrayList<>();
        for (Sector s : erased.values()) {
            Span.append(out, s.start(), s.end(), 1); // adjacent: no gap at all
        }
        return out;
    }

    private static void erasedSpanRuns(int alt, long spanStart, long spanEnd, boolean boot, List<Segment> segments,
                                       MemoryLayout layout, TreeMap<Long, Sector> erased, PlanOptions options,
                                       List<WriteRun> runs) {
        // The image's bytes inside the span, as [from, to) pieces in address order.
        List<Span> pieces = new ArrayList<>();
        for (Segment s : segments) {
            long a = Math.max(spanStart, s.address());
            long b = Math.min(spanEnd, s.end());
            if (a < b) {
                pieces.add(new Span(a, b));
            }
        }
        if (pieces.isEmpty()) {
            return;
        }
        // Pieces closer than a few blocks share a run (the gap is written as 0xFF and mostly skipped);
        // farther apart they get their own SET_ADDRESS, so memory use follows the image, not the gaps.
        long size = options.transferSize();
        long align = options.writeAlignment();
        long joinGap = 4 * Math.max(size, align);
        List<Span> clusters = new ArrayList<>();
        for (Span p : pieces) {
            Span.append(clusters, p.start(), p.end(), joinGap);
        }
        // each cluster widened to whole blocks and the programming unit, not overlapping the one before
        List<Span> bounds = new ArrayList<>(clusters.size());
        for (int i = 0; i < clusters.size(); i++) {
            long first = clusters.get(i).start();
            // Start on a block boundary counted from the sector start, so blocks stay aligned.
            long sectorStart = Math.max(spanStart, erased.floorEntry(first).getValue().start());
            long start = sectorStart + (first - sectorStart) / size * size;
            long end = Math.min(spanEnd, (clusters.get(i).end() + align - 1) / align * align);
            bounds.add(new Span(i > 0 ? Math.max(start, bounds.get(i - 1).end()) : start, end));
        }
        for (int i = 0; i < bounds.size(); i++) {
            long start = bounds.get(i).start();
            long end = i + 1 < bounds.size() ? Math.min(bounds.get(i).end(), bounds.get(i + 1).start()) : bounds.get(i).end();
            boolean verifiable = true;
            for (Sector s : layout.sectorsIn(start, end)) {
                verifiable &= s.access().readable();
            }
            long chunk = runChunk(options);
            for (long runStart = start; runStart < end; runStart += chunk) {
                long runEnd = Math.min(end, runStart + chunk);
                runs.add(toRun(alt, runStart, runEnd, segments, true, boot, verifiable, options));
            }
        }
    }

    private static void rawRuns(int alt, List<Segment> segments, MemoryLayout layout, PlanOptions options,
                                List<WriteRun> runs) {
        // Pieces of segments that are not in erasable memory: non-erasable regions or outside the layout.
        List<Span> pieces = new ArrayList<>();
        for (Segment s : segments) {
            long a = s.address();
            while (a < s.end()) {
                Optional<MemoryRegion> region = layout == null ? Optional.empty() : layout.regionAt(a);
                long end;
                boolean raw;
                if (region.isPresent()) {
                    end = Math.min(s.end(), region.get().end());
                    raw = !region.get().access().erasable();
                } else {
                    end = s.end();
                    if (layout != null) {
                        for (MemoryRegion r : layout.regions()) {
                            if (r.start() > a && r.start() < end) {
                                end = r.start();
                            }
                        }
                    }
                    raw = true;
                }
                if (raw) {
                    Span.append(pieces, a, end, 1); // contiguous pieces join
                }
                a = end;
            }
        }
        long chunk = runChunk(options);
        for (Span p : pieces) {
            boolean verifiable = layout != null && layout.covers(p.start(), p.end());
            if (verifiable) {
                for (MemoryRegion r : layout.regions()) {
                    if (r.start() < p.end() && p.start() < r.end() && !r.access().readable()) {
                        verifiable = false;
                    }
                }
            }
            for (long runStart = p.start(); runStart < p.end(); runStart += chunk) {
                long runEnd = Math.min(p.end(), runStart + chunk);
                runs.add(toRun(alt, runStart, runEnd, segments, false, false, verifiable, options));
            }
        }
    }

    /** Bytes per run: below wBlockNum 0xFFFF and below 1 GiB of buffer, a whole number of blocks. */
    private static long runChunk(PlanOptions options) {
        long size = options.transferSize();
        return Math.min(MAX_BLOCKS_PER_RUN, (1L << 30) / size) * size;
    }

    /**
     * The run [start, end): one block per transfer size, each reading its bytes from the segments it
     * overlaps (0xFF elsewhere) rather than holding a copy, so a plan costs no second copy of the image.
     * In erased sectors, blocks that would only write 0xFF are left out.
     */
    private static WriteRun toRun(int alt, long start, long end, List<Segment> segments, boolean erased, boolean boot,
                                  boolean verifiable, PlanOptions options) {
        int size = options.transferSize();
        List<Segment> inRun = new ArrayList<>();
        for (Segment s : segments) {
            if (s.address() < end && start < s.end()) {
                inRun.add(s);
            }
        }
        List<Block> blocks = new ArrayList<>();
        int skipped = 0;
        byte[] scratch = new byte[size];
        Segment[] all = inRun.toArray(new Segment[0]);
        List<Segment> overlapping = new ArrayList<>();
        int k = 0;
        for (long at = start; at < end; at += size, k++) {
            int len = (int) Math.min(size, end - at);
            overlapping.clear();
            for (Segment s : all) {
                if (s.address() < at + len && at < s.end()) {
                    overlapping.add(s);
                }
            }
            if (erased) {
                Block.fill(all, at, at + len, scratch, 0);
                if (isBlank(scratch, 0, len)) {
                    skipped++;
                    continue;
                }
            }
            int number = options.perBlock() ? 2 : 2 + k;
            blocks.add(Block.view(number, at, len, overlapping));
        }
        return new WriteRun(alt, start, end, blocks, options.perBlock(), boot, erased, verifiable, skipped);
    }

    private static boolean isBlank(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] != (byte) 0xFF) {
                return false;
            }
        }
        return true;
    }
}
