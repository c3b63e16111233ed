package io.github.dfu4j.layout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A DfuSe memory layout: the name and the sector map an alternate setting describes in its interface
 * string, e.g. {@code @Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg}. Immutable.
 *
 * <pre>{@code
 * MemoryLayout flash = MemoryLayout.parse("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg");
 * Sector s = flash.sectorAt(0x08010000L).orElseThrow();   // sector 4, 64 KiB, rew
 * }</pre>
 *
 * @param name    the text between '@' and the first '/', padding included ("Internal Flash  ")
 * @param regions the {@code count*size type} entries in the order the string lists them; several
 *                zones ({@code /addr/...}) simply contribute regions at their own addresses
 */
public record MemoryLayout(String name, List<MemoryRegion> regions) {

    /**
     * Checks the name and the regions and copies {@code regions}.
     *
     * @param name    the text between '@' and the first '/', padding included ("Internal Flash  ")
     * @param regions the {@code count*size type} entries in the order the string lists them; several
     *                zones ({@code /addr/...}) simply contribute regions at their own addresses
     * @throws NullPointerException when {@code name} or {@code regions} is {@code null}
     * @throws IllegalArgumentException when the name contains {@code '/'}, there is no region, or two
     *         regions overlap
     */
    public MemoryLayout {
        Objects.requireNonNull(name, "name");
        if (name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("a layout name cannot contain '/': " + name);
        }
        regions = List.copyOf(regions);
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("a layout needs at least one region");
        }
        MemoryRegion[] sorted = regions.toArray(new MemoryRegion[0]);
        Arrays.sort(sorted, Comparator.comparingLong(MemoryRegion::start));
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i].start() < sorted[i - 1].end()) {
                throw new IllegalArgumentException("regions overlap: " + sorted[i - 1] + " and " + sorted[i]);
            }
        }
        long total = 0;
        for (MemoryRegion r : regions) {
            total += r.count();
            if (total > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("more than 2^31 sectors");
            }
        }
    }

    /**
     * Parses a layout string; the source in error messages is "layout".
     *
     * @param text the interface string, e.g. {@code @Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg}
     * @return the layout
     * @throws LayoutFormatException when the string is not a DfuSe layout (message names the character offset)
     */
    public static MemoryLayout parse(String text) throws LayoutFormatException {
        return LayoutParser.parse(text, "layout");
    }

    /**
     * Parses a layout string.
     *
     * @param text   the interface string
     * @param source names the string in error messages, e.g. "alt 0"
     * @return the layout
     * @throws LayoutFormatException when the string is not a DfuSe layout (message names {@code source}
     *        and the character offset)
     */
    public static MemoryLayout parse(String text, String source) throws LayoutFormatException {
        return LayoutParser.parse(text, source);
    }

    /**
     * The name without the padding ROMs add ("Internal Flash").
     *
     * @return the name with surrounding blanks removed
     */
    public String trimmedName() {
        return name.strip();
    }

    /**
     * Lowest address of any region.
     *
     * @return the lowest region start, 0..0xFFFFFFFF
     */
    public long start() {
        long min = Long.MAX_VALUE;
        for (MemoryRegion r : regions) {
            min = Math.min(min, r.start());
        }
        return min;
    }

    /**
     * Sum of all region sizes.
     *
     * @return the bytes all regions span together, gaps between zones not counted
     */
    public long totalSize() {
        long t = 0;
        for (MemoryRegion r : regions) {
            t += r.size();
        }
        return t;
    }

    /**
     * Number of sectors.
     *
     * @return the count of all regions' sectors, at least 1
     */
    public int sectorCount() {
        int n = 0;
        for (MemoryRegion r : regions) {
            n += r.count();
        }
        return n;
    }

    /**
     * The region holding the address.
     *
     * @param address any address
     * @return the region, or empty when no region holds it
     */
    public Optional<MemoryRegion> regionAt(long address) {
        for (MemoryRegion r : regions) {
            if (r.contains(address)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /**
     * The sector holding the address, found from the address itself (not from the region's first sector).
     *
     * @param address any address
     * @return the sector with its layout-wide index, or empty when no region holds the address
     */
    public Optional<Sector> sectorAt(long address) {
        int before = 0;
        for (MemoryRegion r : regions) {
            if (r.contains(address)) {
                int local = (int) ((address - r.start()) / r.sectorSize());
                return Optional.of(new Sector(before + local, r.start() + local * r.sectorSize(), r.sectorSize(), r.access()));
            }
            before += r.count();
        }
        return Optional.empty();
    }

    /**
     * True when some region holds the address.
     *
     * @param address any address
     * @return {@code true} when the address is in the layout
     */
    public boolean contains(long address) {
        return regionAt(address).isPresent();
    }

    /**
     * True when every byte of [from, to) lies in some region.
     *
     * @param from the first address, inclusive
     * @param to   the end address, exclusive
     * @return {@code true} when the whole range is in the layout (also for an empty range)
     */
    public boolean covers(long from, long to) {
        long a = from;
        while (a < to) {
            Optional<MemoryRegion> r = regionAt(a);
            if (r.isEmpty()) {
                return false;
            }
            a = r.get().end();
        }
        return true;
    }

    /**
     * The sectors that overlap [from, to), in address order.
     *
     * @param from the first address, inclusive
     * @param to   the end address, exclusive
     * @return the sectors, empty when the range touches no region
     */
    public List<Sector> sectorsIn(long from, long to) {
        List<Sector> out = new ArrayList<>();
        int before = 0;
        List<long[]> order = new ArrayList<>();
        for (int i = 0; i < regions.size(); i++) {
            order.add(new long[] {regions.get(i).start(), i, before});
            before += regions.get(i).count();
        }
        order.sort(Comparator.comparingLong(o -> o[0]));
        for (long[] o : order) {
            MemoryRegion r = regions.get((int) o[1]);
            if (r.end() <= from || r.start() >= to) {
                continue;
            }
            long first = Math.max(0, (from - r.start()) / r.sectorSize());
            long last = Math.min(r.count() - 1L, (to - 1 - r.start()) / r.sectorSize());
            for (long k = first; k <= last; k++) {
                out.add(new Sector((int) (o[2] + k), r.start() + k * r.sectorSize(), r.sectorSize(), r.access()));
            }
        }
        return out;
    }

    /**
     * The canonical layout string: {@code @name/0xADDR/count*size[B|K|M]type,...}, a new
     * {@code /0xADDR/} zone wherever a region does not start where the previous one ended.
     * {@code parse(format())} equals this layout.
     *
     * @return the layout string
     */
    public String format() {
        StringBuilder sb = new StringBuilder("@").append(name);
        long expected = -1;
        for (MemoryRegion r : regions) {
            if (r.start() != expected) {
                sb.append(String.format("/0x%08X/", r.start()));
            } else {
                sb.append(',');
            }
            long size = r.sectorSize();
            String amount;
            if (size % (1 << 20) == 0) {
                amount = (size >> 20) + "M";
            } else if (size % 1024 == 0) {
                amount = (size >> 10) + "K";
            } else {
                amount = size + "B";
            }
            sb.append(r.count()).append('*').append(amount).append(r.access().typeLetter());
            expected = r.end();
        }
        return sb.toString();
    }

    /**
     * The canonical layout string, the same as {@link #format()}, so that a layout prints the way a device
     * describes it.
     */
    @Override
    public String toString() {
        return format();
    }
}
