package io.github.dfu4j.stm32.optionbytes;

import io.github.dfu4j.stm32.optionbytes.OptionByteReport.ComplementMismatch;
import io.github.dfu4j.stm32.optionbytes.OptionByteReport.FieldReading;
import io.github.dfu4j.stm32.Evidence;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The option-byte codec of one chip line, as data: the blocks the ROM's "Option Bytes" alt setting
 * exposes, the named fields in them, the complement bytes, the factory contents and the boot
 * model. Get one from {@link OptionByteLayouts}.
 *
 * <pre>{@code
 * OptionByteLayout f0 = OptionByteLayouts.forChip("stm32f072").orElseThrow();
 * OptionByteReport now = f0.decode(rawFromDevice, "alt 1");
 * OptionByteImage fixed = f0.encode(rawFromDevice, Map.of("BOOT_SEL", 1L));   // complements recomputed
 * }</pre>
 *
 * Every bit of every block is either a field bit, a complement byte bit or reserved; reserved bits
 * and bytes are carried over unchanged by {@link #encode}.
 *
 * @param chipId          the chip id it belongs to ({@link io.github.dfu4j.stm32.Stm32DeviceProfile#chipId()})
 * @param family          short family name shown to users, e.g. "STM32F0"
 * @param blocks          the option-byte blocks (address and size), in alt-setting order
 * @param fields          named fields, in display order
 * @param complements     value/complement byte pairs (F0); empty when the family has none in this view
 * @param factoryDefaults contents of a new chip
 * @param evidence        how well the byte layout is backed; {@link Evidence#UNVERIFIED} layouts are
 *                        decoded but writes need an explicit override
 * @param evidenceNote    what is and is not verified about the layout
 * @param boot            how the chip chooses what to boot
 */
public record OptionByteLayout(String chipId, String family, List<Block> blocks, List<OptionByteField> fields,
                               List<ComplementPair> complements, OptionByteImage factoryDefaults, Evidence evidence,
                               String evidenceNote, BootModel boot) {

    /**
     * One option-byte block as the ROM's "Option Bytes" alt setting exposes it.
     *
     * @param name    what it is, e.g. "option bytes" or "bank 2 option bytes"
     * @param address first byte
     * @param size    bytes
     */
    public record Block(String name, long address, long size) {
        public Block {
            Objects.requireNonNull(name, "name");
            if (address < 0 || size <= 0 || address + size > 1L << 32) {
                throw new IllegalArgumentException(String.format("%s 0x%x+%d outside the 32-bit address space", name, address, size));
            }
        }

        /** What the block is, e.g. "option bytes" or "bank 2 option bytes". */
        @Override
        public String name() {
            return name;
        }

        /** The block's first byte. */
        @Override
        public long address() {
            return address;
        }

        /** The block's size in bytes. */
        @Override
        public long size() {
            return size;
        }

        /** One past the last byte. */
        public long end() {
            return address + size;
        }

        /** True when {@code a} is a byte of this block. */
        public boolean contains(long a) {
            return a >= address && a < end();
        }

        /** Equal name, address and size. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Block b && name.equals(b.name) && address == b.address && size == b.size;
        }

        /** A hash of name, address and size. */
        @Override
        public int hashCode() {
            return Objects.hash(name, address, size);
        }

        /** The name and range, e.g. "option bytes 0x1fffc000+16". */
        @Override
        public String toString() {
            return String.format("%s 0x%08x+%d", name, address, size);
        }
    }

    public OptionByteLayout {
        Objects.requireNonNull(chipId, "chipId");
        Objects.requireNonNull(family, "family");
        blocks = List.copyOf(blocks);
        fields = List.copyOf(fields);
        complements = List.copyOf(complements);
        Objects.requireNonNull(factoryDefaults, "factoryDefaults");
        Objects.requireNonNull(evidence, "evidence");
        Objects.requireNonNull(evidenceNote, "evidenceNote");
        Objects.requireNonNull(boot, "boot");
        validate(chipId, blocks, fields, complements, factoryDefaults, boot);
    }

    /** What the chip boots from with these option bytes and the BOOT0 pin (its boot model). */
    public BootTarget bootTarget(OptionByteReport optionBytes, boolean boot0High) {
        return boot.target(optionBytes, boot0High);
    }

    /** One line saying why the chip boots what {@link #bootTarget} says. */
    public String bootExplanation(OptionByteReport optionBytes, boolean boot0High) {
        return boot.explain(optionBytes, boot0High);
    }

    private static void validate(String chipId, List<Block> blocks, List<OptionByteField> fields,
                                 List<ComplementPair> complements, OptionByteImage factory, BootModel boot) {
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException(chipId + ": no option-byte block");
        }
        if (factory.blockCount() != blocks.size()) {
            throw new IllegalArgumentException(chipId + ": factory defaults have " + factory.blockCount() + " blocks");
        }
        List<int[]> used = new ArrayList<>();
        for (int b = 0; b < blocks.size(); b++) {
            if (factory.size(b) != blocks.get(b).size()) {
                throw new IllegalArgumentException(chipId + ": factory default of block " + b + " has the wrong size");
            }
            used.add(new int[(int) blocks.get(b).size()]);
        }
        Set<String> names = new HashSet<>();
        boolean rdp = false;
        for (OptionByteField f : fields) {
            if (!names.add(f.name().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(chipId + ": field " + f.name() + " defined twice");
            }
            FieldLocation l = f.location();
            if (l.block() >= blocks.size() || l.endByte() > blocks.get(l.block()).size()) {
                throw new IllegalArgumentException(chipId + ": field " + f.name() + " lies outside its block");
            }
            for (int i = l.firstByte(); i < l.endByte(); i++) {
                int mask = l.maskInByte(i);
                if ((used.get(l.block())[i] & mask) != 0) {
                    throw new IllegalArgumentException(chipId + ": field " + f.name() + " overlaps another field at byte " + i);
                }
                used.get(l.block())[i] |= mask;
            }
            rdp |= f.kind() == FieldKind.READ_PROTECTION;
        }
        if (!rdp) {
            throw new IllegalArgumentException(chipId + ": no RDP field");
        }
        for (ComplementPair c : complements) {
            if (c.block() >= blocks.size() || Math.max(c.valueOffset(), c.complementOffset()) >= blocks.get(c.block()).size()) {
                throw new IllegalArgumentException(chipId + ": complement pair outside its block: " + c);
            }
            if (used.get(c.block())[c.complementOffset()] != 0) {
                throw new IllegalArgumentException(chipId + ": complement byte " + c.complementOffset() + " is also a field");
            }
            used.get(c.block())[c.complementOffset()] = 0x1FF; // marks a complement byte
        }
        for (String f : boot.fields()) {
            if (!names.contains(f.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(chipId + ": boot model uses unknown field " + f);
            }
        }
    }

    /** The field called {@code name} (case-insensitive). */
    public Optional<OptionByteField> field(String name) {
        return fields.stream().filter(f -> f.name().equalsIgnoreCase(name)).findFirst();
    }

    /** The read-protection field. */
    public OptionByteField rdpField() {
        return fields.stream().filter(f -> f.kind() == FieldKind.READ_PROTECTION).findFirst().orElseThrow();
    }

    /** Address of the first block. */
    public long address() {
        return blocks.get(0).address();
    }

    /** Whether writes may go ahead without an override: the byte layout is verified or at least secondary. */
    public boolean writesVerified() {
        return evidence != Evidence.UNVERIFIED;
    }

    /**
     * Reserved bits of byte {@code index} of block {@code block}: those that are neither a field bit
     * nor part of a complement byte. Encoding carries them over unchanged.
     */
    public int reservedMask(int block, int index) {
        for (ComplementPair c : complements) {
            if (c.block() == block && c.complementOffset() == index) {
                return 0;
            }
        }
        int used = 0;
        for (OptionByteField f : fields) {
            if (f.location().block() == block) {
                used |= f.location().maskInByte(index);
            }
        }
        return ~used & 0xFF;
    }

    /**
     * Decodes raw option bytes.
     *
     * @param source names the bytes' origin in errors, e.g. "alt 1 of sim:stm32f072"
     * @throws OptionByteFormatException when the block count or a block size does not match the layout
     */
    public OptionByteReport decode(OptionByteImage image, String source) throws OptionByteFormatException {
        Objects.requireNonNull(image, "image");
        checkShape(image, source);
        List<FieldReading> readings = new ArrayList<>();
        for (OptionByteField f : fields) {
            readings.add(new FieldReading(f, f.location().read(image.raw(f.location().block()))));
        }
        List<ComplementMismatch> bad = new ArrayList<>();
        for (ComplementPair c : complements) {
            int v = image.byteAt(c.block(), c.valueOffset());
            int n = image.byteAt(c.block(), c.complementOffset());
            if ((v ^ n) != 0xFF) {
                bad.add(new ComplementMismatch(c.block(), c.valueOffset(), v, n));
            }
        }
        return new OptionByteReport(this, image, readings, bad);
    }

    private void checkShape(OptionByteImage image, String source) throws OptionByteFormatException {
        if (image.blockCount() != blocks.size()) {
            throw new OptionByteFormatException(source, Math.min(image.blockCount(), blocks.size()), 0,
                    chipId + " has " + blocks.size() + " option-byte block(s), got " + image.blockCount());
        }
        for (int b = 0; b < blocks.size(); b++) {
            if (image.size(b) != blocks.get(b).size()) {
                throw new OptionByteFormatException(source, b, Math.min(image.size(b), blocks.get(b).size()),
                        String.format("%s expects %d bytes at 0x%08X, got %d", chipId, blocks.get(b).size(),
                                blocks.get(b).address(), image.size(b)));
            }
        }
    }

    /**
     * Encodes field values onto {@code base}: every named field is set, every other bit keeps its
     * value from {@code base}, and every complement byte is recomputed from its value byte.
     *
     * @param values field name (case-insensitive) to raw value; fields not named keep their value
     * @throws IllegalArgumentException for an unknown field, a value that does not fit, or a base of the wrong shape
     */
    public OptionByteImage encode(OptionByteImage base, Map<String, Long> values) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(values, "values");
        try {
            checkShape(base, "base image");
        } catch (OptionByteFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        List<byte[]> out = base.blocks();
        for (Map.Entry<String, Long> e : values.entrySet()) {
            OptionByteField f = field(e.getKey()).orElseThrow(() -> new IllegalArgumentException(
                    chipId + " has no option-byte field " + e.getKey() + "; fields: " + fieldNames()));
            long v = Objects.requireNonNull(e.getValue(), e.getKey());
            if (v < 0 || v > f.location().maxValue()) {
                throw new IllegalArgumentException(f.name() + " holds 0.." + f.location().maxValue() + ", not " + v);
            }
            f.location().write(out.get(f.location().block()), v);
        }
        for (ComplementPair c : complements) {
            byte[] b = out.get(c.block());
            b[c.complementOffset()] = (byte) ~b[c.valueOffset()];
        }
        return OptionByteImage.of(out);
    }

    /** The field names, in table order. */
    public List<String> fieldNames() {
        return fields.stream().map(OptionByteField::name).toList();
    }

    /**
     * Parses {@code FIELD=VALUE} assignments as users write them: the field name as in the
     * reference manual (case-insensitive), the value as a named value ({@code RDP=LEVEL1},
     * {@code BOR_LEV=OFF}), decimal or 0x-hex. RDP takes levels: {@code RDP=0|1|2} or
     * {@code LEVEL0|1|2}; a raw RDP byte only as {@code RDP=0xNN}.
     *
     * @return field name (layout spelling) to value, in argument order
     * @throws OptionByteFormatException ({@link OptionByteFormatException#assignment}) naming the assignment, its position and the column at fault
     */
    public Map<String, Long> parseAssignments(List<String> assignments) throws OptionByteFormatException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int k = 0; k < assignments.size(); k++) {
            final int i = k;
            String a = assignments.get(i);
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw OptionByteFormatException.assignment(a, i, Math.max(eq, 0), "expected FIELD=VALUE");
            }
            String name = a.substring(0, eq).strip();
            OptionByteField f = field(name).orElseThrow(() -> OptionByteFormatException.assignment(a, i, 0,
                    "no field " + name + " in the " + family + " option bytes; fields: " + String.join(", ", fieldNames())));
            if (out.containsKey(f.name())) {
                throw OptionByteFormatException.assignment(a, i, 0, f.name() + " is assigned twice");
            }
            out.put(f.name(), parseValue(f, a, i, eq + 1));
        }
        return out;
    }

    private static long parseValue(OptionByteField f, String assignment, int index, int at) throws OptionByteFormatException {
        String text = assignment.substring(at).strip().replace("_", "");
        if (f.kind() == FieldKind.READ_PROTECTION) {
            return parseReadProtection(f, assignment, index, at, text);
        }
        Optional<NamedValue> named = f.byName(assignment.substring(at).strip());
        if (named.isPresent()) {
            return named.get().value();
        }
        long v;
        try {
            v = text.toLowerCase(Locale.ROOT).startsWith("0x") ? Long.parseLong(text.substring(2), 16) : Long.parseLong(text);
        } catch (NumberFormatException e) {
            String names = f.values().isEmpty() ? "" : " or one of " + f.values().stream().map(NamedValue::name).toList();
            throw OptionByteFormatException.assignment(assignment, index, at, "'" + assignment.substring(at)
                    + "' is not a number (decimal or 0x-hex)" + names);
        }
        return checkRange(f, assignment, index, at, v);
    }

    /**
     * RDP takes the level, never a byte by accident: {@code 0}, {@code 1}, {@code 2} and {@code LEVEL0..2}
     * mean the levels (HAL's canonical bytes); a raw byte must be written {@code 0xNN}. Plain decimal
     * {@code RDP=0} used to mean the byte 0x00, which is level 1.
     */
    private static long parseReadProtection(OptionByteField f, String assignment, int index, int at, String text) throws OptionByteFormatException {
        String t = text.toUpperCase(Locale.ROOT);
        if (t.matches("[012]")) {
            t = "LEVEL" + t;
        }
        Optional<NamedValue> named = f.byName(t);
        if (named.isPresent()) {
            return named.get().value();
        }
        if (t.startsWith("0X")) {
            try {
                return checkRange(f, assignment, index, at, Long.parseLong(text.substring(2), 16));
            } catch (NumberFormatException e) {
                // falls through to the syntax error below
            }
        }
        throw OptionByteFormatException.assignment(assignment, index, at, f.name() + " takes a level (0, 1, 2 or LEVEL0, LEVEL1,"
                + " LEVEL2) or a raw byte written 0xNN, not '" + assignment.substring(at).strip() + "'");
    }

    private static long checkRange(OptionByteField f, String assignment, int index, int at, long v) throws OptionByteFormatException {
        if (v < 0 || v > f.location().maxValue()) {
            throw OptionByteFormatException.assignment(assignment, index, at, f.name() + " is " + f.location().width()
                    + " bit(s) wide: 0.." + f.location().maxValue() + String.format(" (0x%X)", f.location().maxValue()));
        }
        return v;
    }
}
