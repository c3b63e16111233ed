package io.github.dfu4j.layout;

import java.util.ArrayList;
import java.util.List;

/**
 * Parser for DfuSe memory-layout strings (UM0424 §4.3.2, as real ROMs write them):
 * <pre>
 *   layout  := ws* '@' name zone+ ws*
 *   name    := any characters except '/', padding kept
 *   zone    := '/' ws* '0x' hex{1,8} ws* '/' entry (ws* ',' entry)*
 *   entry   := ws* digits ws* '*' ws* digits ws* [B|K|M]? ws* type
 *   type    := 'a'..'g'
 * </pre>
 * Tolerated variations seen in the field: zero padding ({@code 04*016Kg}) or none ({@code 01*64Kg}),
 * a space as byte multiplier ({@code 01*016 e}) or no multiplier at all ({@code 01*528e}), counts in
 * the thousands ({@code 2048*4Kg}), several zones, trailing blanks or NULs. Sizes are overflow-checked
 * against the 32-bit address space. Every problem is a {@link LayoutFormatException} with the offset.
 */
final class LayoutParser {
    private static final long LIMIT = MemoryRegion.ADDRESS_SPACE_END;

    private final String text;
    private final String source;
    private int pos;

    private LayoutParser(String text, String source) {
        this.text = text;
        this.source = source;
    }

    static MemoryLayout parse(String text, String source) throws LayoutFormatException {
        if (text == null) {
            throw new LayoutFormatException(source, "", 0, "no layout string");
        }
        return new LayoutParser(text, source).layout();
    }

    private MemoryLayout layout() throws LayoutFormatException {
        skipBlanks();
        if (pos >= text.length() || text.charAt(pos) != '@') {
            throw error("a memory layout starts with '@'" + found());
        }
        pos++;
        int slash = text.indexOf('/', pos);
        if (slash < 0) {
            throw new LayoutFormatException(source, text, text.length(), "no '/0x<address>/' zone after the name");
        }
        String name = text.substring(pos, slash);
        pos = slash;
        List<MemoryRegion> regions = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        while (pos < text.length() && text.charAt(pos) == '/') {
            zone(regions, offsets);
            skipBlanks();
        }
        skipTrailing();
        if (pos < text.length()) {
            throw error("expected ',' or '/0x<address>/'" + found());
        }
        checkOverlaps(regions, offsets);
        return new MemoryLayout(name, regions);
    }

    private void zone(List<MemoryRegion> regions, List<Integer> offsets) throws LayoutFormatException {
        pos++; // '/'
        skipBlanks();
        int addressAt = pos;
        if (!(peek() == '0' && (peekAt(pos + 1) == 'x' || peekAt(pos + 1) == 'X'))) {
            throw error("expected a zone address '0x...'" + found());
        }
        pos += 2;
        int digitsAt = pos;
        long address = 0;
        while (pos < text.length() && hexValue(text.charAt(pos)) >= 0) {
            if (pos - digitsAt >= 8) {
                throw new LayoutFormatException(source, text, addressAt, "zone address has more than 8 hex digits");
            }
            address = address << 4 | hexValue(text.charAt(pos));
            pos++;
        }
        if (pos == digitsAt) {
            throw error("expected hex digits after '0x'" + found());
        }
        skipBlanks();
        if (peek() != '/') {
            throw error("expected '/' after the zone address" + found());
        }
        pos++;
        long next = address;
        while (true) {
            skipBlanks();
            int entryAt = pos;
            long count = decimal("sector count");
            if (count == 0) {
                throw new LayoutFormatException(source, text, entryAt, "sector count is 0");
            }
            skipBlanks();
            if (peek() != '*') {
                throw error("expected '*' after the sector count" + found());
            }
            pos++;
            skipBlanks();
            int sizeAt = pos;
            long size = decimal("sector size");
            if (size == 0) {
                throw new LayoutFormatException(source, text, sizeAt, "sector size is 0");
            }
            skipBlanks();
            long multiplier = 1;
            char m = peek();
            if (m == 'B') {
                pos++;
            } else if (m == 'K') {
                multiplier = 1024;
                pos++;
            } else if (m == 'M') {
                multiplier = 1024 * 1024;
                pos++;
            }
            skipBlanks();
            char type = peek();
            if (!SectorAccess.isTypeLetter(type)) {
                throw error("expected a multiplier B/K/M or a type letter a..g" + found());
            }
            pos++;
            if (size > LIMIT / multiplier) {
                throw new LayoutFormatException(source, text, sizeAt, "sector size exceeds 4 GiB");
            }
            long sectorSize = size * multiplier;
            if (count > Integer.MAX_VALUE || count > (LIMIT - next) / sectorSize) {
                throw new LayoutFormatException(source, text, entryAt, String.format(
                        "%d sectors of %d bytes from 0x%08x end beyond the 32-bit address space", count, sectorSize, next));
            }
            regions.add(new MemoryRegion(next, (int) count, sectorSize, SectorAccess.fromTypeLetter(type)));
            offsets.add(entryAt);
            next += sectorSize * count;
            int save = pos;
            skipBlanks();
            if (peek() == ',') {
                pos++;
                continue;
            }
            pos = save;
            return;
        }
    }

    private long decimal(String what) throws LayoutFormatException {
        int start = pos;
        long value = 0;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            value = value * 10 + (text.charAt(pos) - '0');
            if (value > LIMIT) {
                throw new LayoutFormatException(source, text, start, what + " is too large");
            }
            pos++;
        }
        if (pos == start) {
            throw error("expected a decimal " + what + found());
        }
        return value;
    }

    private void checkOverlaps(List<MemoryRegion> regions, List<Integer> offsets) throws LayoutFormatException {
        for (int i = 0; i < regions.size(); i++) {
            for (int j = 0; j < i; j++) {
                MemoryRegion a = regions.get(j);
                MemoryRegion b = regions.get(i);
                if (a.start() < b.end() && b.start() < a.end()) {
                    throw new LayoutFormatException(source, text, offsets.get(i), String.format(
                            "region [0x%08x..0x%08x) overlaps [0x%08x..0x%08x)", b.start(), b.end(), a.start(), a.end()));
                }
            }
        }
        long sectors = 0;
        for (MemoryRegion r : regions) {
            sectors += r.count();
        }
        if (sectors > Integer.MAX_VALUE) {
            throw new LayoutFormatException(source, text, 0, "more than 2^31 sectors");
        }
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private void skipBlanks() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            pos++;
        }
    }

    private void skipTrailing() {
        while (pos < text.length() && (Character.isWhitespace(text.charAt(pos)) || text.charAt(pos) == 0)) {
            pos++;
        }
    }

    private char peek() {
        return peekAt(pos);
    }

    private char peekAt(int i) {
        return i < text.length() ? text.charAt(i) : '\uFFFF';
    }

    private String found() {
        return pos < text.length() ? String.format(", found '%s'", printable(text.charAt(pos))) : ", found the end";
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7F ? String.format("\\x%02x", (int) c) : String.valueOf(c);
    }

    private LayoutFormatException error(String reason) {
        return new LayoutFormatException(source, text, pos, reason);
    }
}
