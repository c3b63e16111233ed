package io.github.dfu4j.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Minimal reader of the DfuSe memory-layout strings this module itself defines (docs/reference/dfu.md §2.9):
 * {@code @name/0xADDR/NN*SSS[ BKM]t[,...][/0xADDR/...]}. The simulator uses it to place the
 * memories behind each alt setting; the host-side, hostile-input parser lives in dfu-api.
 */
record LayoutZones(String name, List<Zone> zones) {

    /** One {@code count * size} run with its type letter bits (1 readable, 2 erasable, 4 writeable). */
    record Run(int count, int size, int type) {
        boolean readable() {
            return (type & 1) != 0;
        }

        boolean erasable() {
            return (type & 2) != 0;
        }

        boolean writeable() {
            return (type & 4) != 0;
        }
    }

    /** A zone: runs laid back to back from {@code address}. */
    record Zone(long address, List<Run> runs) {
        long size() {
            long s = 0;
            for (Run r : runs) {
                s += (long) r.count() * r.size();
            }
            return s;
        }

        long end() {
            return address + size();
        }
    }

    static LayoutZones parse(String layout) {
        if (!layout.startsWith("@")) {
            throw new IllegalArgumentException("layout string does not start with '@': " + layout);
        }
        int slash = layout.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("layout string has no zone: " + layout);
        }
        String name = layout.substring(1, slash);
        List<Zone> zones = new ArrayList<>();
        String[] parts = layout.substring(slash + 1).split("/", -1);
        if (parts.length % 2 != 0) {
            throw new IllegalArgumentException("layout string zones must be /address/runs pairs: " + layout);
        }
        for (int i = 0; i < parts.length; i += 2) {
            String addr = parts[i];
            if (!addr.startsWith("0x")) {
                throw new IllegalArgumentException("zone address without 0x: " + addr);
            }
            long address = Long.parseLong(addr.substring(2), 16);
            List<Run> runs = new ArrayList<>();
            for (String run : parts[i + 1].split(",")) {
                runs.add(parseRun(run));
            }
            zones.add(new Zone(address, List.copyOf(runs)));
        }
        return new LayoutZones(name, List.copyOf(zones));
    }

    private static Run parseRun(String run) {
        int star = run.indexOf('*');
        if (star <= 0 || run.length() < star + 3) {
            throw new IllegalArgumentException("bad run: '" + run + "'");
        }
        int count = Integer.parseInt(run.substring(0, star));
        int p = star + 1;
        int q = p;
        while (q < run.length() && Character.isDigit(run.charAt(q))) {
            q++;
        }
        int size = Integer.parseInt(run.substring(p, q));
        int multiplier = 1;
        if (q < run.length() - 1) {
            char m = run.charAt(q++);
            multiplier = switch (m) {
                case 'K' -> 1024;
                case 'M' -> 1024 * 1024;
                case 'B', ' ' -> 1;
                default -> throw new IllegalArgumentException("bad multiplier '" + m + "' in '" + run + "'");
            };
        }
        if (q != run.length() - 1) {
            throw new IllegalArgumentException("bad run: '" + run + "'");
        }
        char type = run.charAt(q);
        if (type < 'a' || type > 'g') {
            throw new IllegalArgumentException("bad type letter '" + type + "' in '" + run + "'");
        }
        return new Run(count, size * multiplier, type & 7);
    }
}
