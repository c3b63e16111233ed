package io.github.dfu4j.formats.dfuse;

import io.github.dfu4j.formats.DfuSuffix;
import io.github.dfu4j.formats.DfuseTarget;
import io.github.dfu4j.formats.FirmwareFormatException;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.formats.internal.SegmentViews;
import io.github.dfu4j.formats.suffix.DfuSuffixes;
import io.github.dfu4j.formats.suffix.SuffixCheck;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An ST DfuSe file (UM0391; docs/reference/dfu.md §2.8) as read: prefix, targets, elements, suffix.
 *
 * <pre>{@code
 * FirmwareImage image = DfuseFile.read("fw.dfu", bytes).toImage();
 * byte[] again = DfuseFile.write(image, DfuseWriteOptions.defaults());
 * }</pre>
 *
 * <p>Layout, little-endian: prefix {@code "DfuSe"}, bVersion 1, DFUImageSize u32, bTargets u8
 * (11 bytes); per target {@code "Target"}, bAlternateSetting u8, bTargetNamed u32,
 * szTargetName[255], dwTargetSize u32, dwNbElements u32 (274 bytes); per element dwElementAddress
 * u32, dwElementSize u32, data; then the DFU suffix with bcdDFU 0x011A.
 *
 * <p>The reader is strict: every signature, count and size is checked against the bytes actually
 * present before anything is allocated; DFUImageSize must be the file length with or without the
 * suffix (both are written in the wild); dwTargetSize must equal the bytes of its elements; nothing
 * may follow the last target; the suffix CRC must match. Each element becomes one {@link Segment}
 * bound to {@code DfuseTarget(alt, name)}; elements may not overlap (the image model is one address
 * space). Immutable.
 */
// Over 400 lines because of its javadoc (about 310 lines of code): the DfuSe reader, its checks and the
// writer share the file's layout constants and the Target record.
public final class DfuseFile {
    /** "DfuSe". */
    public static final byte[] SIGNATURE = {'D', 'f', 'u', 'S', 'e'};
    static final int PREFIX_LENGTH = 11;
    static final int TARGET_PREFIX_LENGTH = 274;
    static final int ELEMENT_HEADER_LENGTH = 8;
    static final int NAME_LENGTH = 255;
    private static final byte[] TARGET_SIGNATURE = {'T', 'a', 'r', 'g', 'e', 't'};

    /**
     * One target as stored.
     *
     * @param altSetting bAlternateSetting
     * @param named      bTargetNamed was non-zero
     * @param name       szTargetName up to its NUL (ISO-8859-1); empty when not named
     * @param offset     file offset of the target prefix
     * @param elements   the elements in file order, each a segment bound to this target (including
     *                   zero-size elements, which {@link #toImage()} leaves out)
     */
    public record Target(int altSetting, boolean named, String name, long offset, List<Segment> elements) {
        /**
         * Copies {@code elements}.
         *
         * @param altSetting bAlternateSetting
         * @param named      bTargetNamed was non-zero
         * @param name       szTargetName up to its NUL; empty when not named
         * @param offset     file offset of the target prefix
         * @param elements   the elements in file order
         * @throws NullPointerException when {@code elements} or an element is {@code null}
         */
        public Target {
            elements = List.copyOf(elements);
        }

        /**
         * dwTargetSize: element headers plus data.
         *
         * @return the size in bytes the target prefix must state
         */
        public long size() {
            long total = 0;
            for (Segment e : elements) {
                total += ELEMENT_HEADER_LENGTH + e.length();
            }
            return total;
        }
    }

    private final long imageSize;
    private final boolean imageSizeIncludesSuffix;
    private final List<Target> targets;
    private final DfuSuffix suffix;
    private final long crc;

    private DfuseFile(long imageSize, boolean imageSizeIncludesSuffix, List<Target> targets, DfuSuffix suffix, long crc) {
        this.imageSize = imageSize;
        this.imageSizeIncludesSuffix = imageSizeIncludesSuffix;
        this.targets = List.copyOf(targets);
        this.suffix = suffix;
        this.crc = crc;
    }

    /**
     * True when {@code content} starts with the "DfuSe" signature.
     *
     * @param content the file's bytes
     * @return {@code true} when the first five bytes are "DfuSe"
     */
    public static boolean hasSignature(byte[] content) {
        if (content.length < SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (content[i] != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code read(source, content).toImage()}.
     *
     * @param source  the name messages give the file
     * @param content the whole file
     * @return the image, one segment per non-empty element
     * @throws FirmwareFormatException naming {@code source} and the byte offset of the first problem
     */
    public static FirmwareImage readImage(String source, byte[] content) throws FirmwareFormatException {
        return read(source, content).toImage();
    }

    /**
     * Parses and checks a whole DfuSe file.
     *
     * @param source  the name messages give the file
     * @param content the whole file; not changed, and the result does not share it
     * @throws FirmwareFormatException naming {@code source} and the byte offset of the first problem
     * @return the file's prefix, targets, elements and suffix
     */
    public static DfuseFile read(String source, byte[] content) throws FirmwareFormatException {
        return read(source, content, false);
    }

    /**
     * Like {@link #read(String, byte[])}, but the elements are views of {@code content} instead of
     * copies (for a 64 MiB element: one buffer instead of two). The caller hands {@code content}
     * over: it must never change it afterwards.
     *
     * @param source  the name messages give the file
     * @param content the whole file, handed over to the result
     * @return the file's prefix, targets, elements and suffix
     * @throws FirmwareFormatException naming {@code source} and the byte offset of the first problem
     */
    public static DfuseFile readOwned(String source, byte[] content) throws FirmwareFormatException {
        return read(source, content, true);
    }

    private static DfuseFile read(String source, byte[] content, boolean owned) throws FirmwareFormatException {
        int n = content.length;
        if (n < PREFIX_LENGTH + DfuSuffixes.LENGTH) {
            throw FirmwareFormatException.atOffset(source, 0, String.format(
                    "file of %d bytes is too short for a DfuSe file (prefix and suffix need %d)",
                    n, PREFIX_LENGTH + DfuSuffixes.LENGTH));
        }
        if (!hasSignature(content)) {
            throw FirmwareFormatException.atOffset(source, 0, "no \"DfuSe\" signature");
        }
        int version = content[5] & 0xFF;
        if (version != 1) {
            throw FirmwareFormatException.atOffset(source, 5, String.format(
                    "DfuSe bVersion %d is not supported (only 1, DfuSe 1.1a)", version));
        }
        SuffixCheck check = DfuSuffixes.check(content);
        DfuSuffix suffix = DfuSuffixes.verify(source, content);
        if (suffix.bcdDfu() != DfuSuffix.BCD_DFU_DFUSE) {
            throw FirmwareFormatException.atOffset(source, n - 10L, String.format(
                    "DfuSe file has suffix bcdDFU 0x%04x, expected 0x011a", suffix.bcdDfu()));
        }
        int body = n - DfuSuffixes.LENGTH;
        long imageSize = u32(content, 6);
        boolean withSuffix;
        if (imageSize == n) {
            withSuffix = true;
        } else if (imageSize == body) {
            withSuffix = false;
        } else {
            throw FirmwareFormatException.atOffset(source, 6, String.format(
                    "DFUImageSize %d matches neither the file length %d nor %d without the suffix",
                    imageSize, n, body));
        }
        int targetCount = content[10] & 0xFF;
        List<Target> targets = new ArrayList<>(targetCount);
        int pos = PREFIX_LENGTH;
        for (int t = 0; t < targetCount; t++) {
            int start = pos;
            if (body - pos < TARGET_PREFIX_LENGTH) {
                throw FirmwareFormatException.atOffset(source, pos, String.format(
                        "target %d of %d: prefix needs %d bytes, only %d left before the suffix",
                        t, targetCount, TARGET_PREFIX_LENGTH, body - pos));
            }
            for (int i = 0; i < TARGET_SIGNATURE.length; i++) {
                if (content[pos + i] != TARGET_SIGNATURE[i]) {
                    throw FirmwareFormatException.atOffset(source, pos, String.format(
                            "target %d: no \"Target\" signature", t));
                }
            }
            int alt = content[pos + 6] & 0xFF;
            boolean named = u32(content, pos + 7) != 0;
            String name = named ? cString(content, pos + 11) : "";
            long targetSize = u32(content, pos + 266);
            long elementCount = u32(content, pos + 270);
            pos += TARGET_PREFIX_LENGTH;
            if (targetSize > body - pos) {
                throw FirmwareFormatException.atOffset(source, start + 266L, String.format(
                        "target %d: dwTargetSize %d exceeds the %d bytes left before the suffix",
                        t, targetSize, body - pos));
            }
            if (elementCount > targetSize / ELEMENT_HEADER_LENGTH) {
                throw FirmwareFormatException.atOffset(source, start + 270L, String.format(
                        "target %d: %d elements cannot fit in dwTargetSize %d", t, elementCount, targetSize));
            }
            int targetEnd = pos + (int) targetSize;
            DfuseTarget where = new DfuseTarget(alt, name);
            List<Segment> elements = new ArrayList<>((int) Math.min(elementCount, 16)); // grows with real elements only
            for (long e = 0; e < elementCount; e++) {
                if (targetEnd - pos < ELEMENT_HEADER_LENGTH) {
                    throw FirmwareFormatException.atOffset(source, pos, String.format(
                            "target %d element %d: header needs 8 bytes, only %d left in the target",
                            t, e, targetEnd - pos));
                }
                long address = u32(content, pos);
                long size = u32(content, pos + 4);
                if (size > targetEnd - pos - ELEMENT_HEADER_LENGTH) {
                    throw FirmwareFormatException.atOffset(source, pos + 4L, String.format(
                            "target %d element %d: dwElementSize %d exceeds the %d bytes left in the target",
                            t, e, size, targetEnd - pos - ELEMENT_HEADER_LENGTH));
                }
                if (address + size > Segment.ADDRESS_SPACE_END) {
                    throw FirmwareFormatException.atOffset(source, pos, String.format(
                            "target %d element %d: 0x%08x + %d runs past the 32-bit address space",
                            t, e, address, size));
                }
                pos += ELEMENT_HEADER_LENGTH;
                elements.add(owned ? SegmentViews.view(address, content, pos, (int) size).withTarget(where)
                        : Segment.of(address, java.util.Arrays.copyOfRange(content, pos, pos + (int) size), where));
                pos += (int) size;
            }
            if (pos != targetEnd) {
                throw FirmwareFormatException.atOffset(source, start + 266L, String.format(
                        "target %d: dwTargetSize %d, but its %d elements take %d bytes",
                        t, targetSize, elementCount, targetSize - (targetEnd - pos)));
            }
            targets.add(new Target(alt, named, name, start, elements));
        }
        if (pos != body) {
            throw FirmwareFormatException.atOffset(source, pos, String.format(
                    "%d unexpected bytes after the last of %d targets", body - pos, targetCount));
        }
        checkOverlaps(source, targets);
        return new DfuseFile(imageSize, withSuffix, targets, suffix, check.storedCrc());
    }

    private static void checkOverlaps(String source, List<Target> targets) throws FirmwareFormatException {
        record Placed(Segment element, int target, int index, long offset) {
        }
        List<Placed> all = new ArrayList<>();
        for (int t = 0; t < targets.size(); t++) {
            long offset = targets.get(t).offset() + TARGET_PREFIX_LENGTH;
            List<Segment> elements = targets.get(t).elements();
            for (int e = 0; e < elements.size(); e++) {
                if (elements.get(e).length() > 0) {
                    all.add(new Placed(elements.get(e), t, e, offset));
                }
                offset += ELEMENT_HEADER_LENGTH + elements.get(e).length();
            }
        }
        all.sort(Comparator.comparingLong(p -> p.element().address()));
        for (int i = 1; i < all.size(); i++) {
            Placed a = all.get(i - 1);
            Placed b = all.get(i);
            if (b.element().address() < a.element().end()) {
                Placed later = a.offset() > b.offset() ? a : b;
                Placed earlier = later == a ? b : a;
                throw FirmwareFormatException.atOffset(source, later.offset(), String.format(
                        "target %d element %d (0x%08x..0x%08x) overlaps target %d element %d (0x%08x..0x%08x)",
                        later.target(), later.index(), later.element().address(), later.element().end(),
                        earlier.target(), earlier.index(), earlier.element().address(), earlier.element().end()));
            }
        }
    }

    /**
     * DFUImageSize as stored.
     *
     * @return the stored value, 0..0xFFFFFFFF
     */
    public long imageSize() {
        return imageSize;
    }

    /**
     * Whether DFUImageSize counted the 16-byte suffix.
     *
     * @return {@code true} when DFUImageSize equals the file size, {@code false} when it is 16 less
     */
    public boolean imageSizeIncludesSuffix() {
        return imageSizeIncludesSuffix;
    }

    /**
     * The targets in file order.
     *
     * @return an unmodifiable list, as many entries as bNbTargets said
     */
    public List<Target> targets() {
        return targets;
    }

    /**
     * The suffix (verified; bcdDFU 0x011A).
     *
     * @return the suffix fields
     */
    public DfuSuffix suffix() {
        return suffix;
    }

    /**
     * dwCRC of the suffix.
     *
     * @return the stored CRC, 0..0xFFFFFFFF (equal to the computed one, or the file would not have been read)
     */
    public long crc() {
        return crc;
    }

    /**
     * One segment per non-empty element, bound to its target, plus the suffix. No entry point.
     *
     * @return the image
     */
    public FirmwareImage toImage() {
        List<Segment> segments = new ArrayList<>();
        for (Target t : targets) {
            for (Segment e : t.elements()) {
                if (e.length() > 0) {
                    segments.add(e);
                }
            }
        }
        return FirmwareImage.of(segments).withSuffix(suffix);
    }

    /**
     * Writes {@code image} as a DfuSe file: one target per distinct {@link DfuseTarget} (segments
     * without one go to alt 0 named {@link DfuseWriteOptions#targetName()}), targets in the order
     * their lowest segment appears, one element per segment. bTargetNamed is 1 when the name is not
     * empty. The entry point is not stored (DfuSe has no field for it). The result passes
     * {@code dfu-suffix -c}.
     *
     * @param image   the image
     * @param options the target name, suffix, DFUImageSize convention and element padding
     * @throws IllegalArgumentException when there are more than 255 targets or the file would exceed 2 GiB
     * @return the DfuSe file
     */
    public static byte[] write(FirmwareImage image, DfuseWriteOptions options) {
        Objects.requireNonNull(options, "options");
        DfuseTarget fallback = new DfuseTarget(0, options.targetName());
        Map<DfuseTarget, List<Segment>> grouped = new LinkedHashMap<>();
        for (Segment s : image.segments()) {
            grouped.computeIfAbsent(s.target().orElse(fallback), k -> new ArrayList<>()).add(s);
        }
        if (grouped.size() > 255) {
            throw new IllegalArgumentException("a DfuSe file holds at most 255 targets, the image has " + grouped.size());
        }
        int align = options.elementAlignment();
        long total = PREFIX_LENGTH + DfuSuffixes.LENGTH;
        for (Map.Entry<DfuseTarget, List<Segment>> g : grouped.entrySet()) {
            if (g.getKey().name().getBytes(StandardCharsets.ISO_8859_1).length > NAME_LENGTH) {
                throw new IllegalArgumentException("target name longer than 255 bytes: " + g.getKey().name());
            }
            total += TARGET_PREFIX_LENGTH;
            for (Segment s : g.getValue()) {
                total += ELEMENT_HEADER_LENGTH + padded(s.length(), align);
            }
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("DfuSe file would be " + total + " bytes, more than 2 GiB");
        }
        byte[] out = new byte[(int) total - DfuSuffixes.LENGTH];
        System.arraycopy(SIGNATURE, 0, out, 0, SIGNATURE.length);
        out[5] = 1;
        put32(out, 6, options.imageSizeIncludesSuffix() ? total : total - DfuSuffixes.LENGTH);
        out[10] = (byte) grouped.size();
        int pos = PREFIX_LENGTH;
        for (Map.Entry<DfuseTarget, List<Segment>> g : grouped.entrySet()) {
            DfuseTarget target = g.getKey();
            System.arraycopy(TARGET_SIGNATURE, 0, out, pos, TARGET_SIGNATURE.length);
            out[pos + 6] = (byte) target.altSetting();
            byte[] name = target.name().getBytes(StandardCharsets.ISO_8859_1);
            put32(out, pos + 7, name.length > 0 ? 1 : 0);
            System.arraycopy(name, 0, out, pos + 11, name.length);
            long targetSize = 0;
            for (Segment s : g.getValue()) {
                targetSize += ELEMENT_HEADER_LENGTH + padded(s.length(), align);
            }
            put32(out, pos + 266, targetSize);
            put32(out, pos + 270, g.getValue().size());
            pos += TARGET_PREFIX_LENGTH;
            for (Segment s : g.getValue()) {
                int size = (int) padded(s.length(), align);
                put32(out, pos, s.address());
                put32(out, pos + 4, size);
                pos += ELEMENT_HEADER_LENGTH;
                s.copyTo(s.address(), out, pos, s.length());
                if (size > s.length() && options.padByte() != 0) {
                    java.util.Arrays.fill(out, pos + s.length(), pos + size, (byte) options.padByte());
                }
                pos += size;
            }
        }
        DfuSuffix chosen = options.suffix() != null ? options.suffix()
                : image.suffix().orElse(DfuSuffix.dfuse(0x0483, 0xDF11));
        if (chosen.bcdDfu() != DfuSuffix.BCD_DFU_DFUSE) {
            chosen = new DfuSuffix(chosen.bcdDevice(), chosen.idProduct(), chosen.idVendor(), DfuSuffix.BCD_DFU_DFUSE);
        }
        return DfuSuffixes.append(out, chosen);
    }

    private static long padded(int length, int align) {
        return (length + (long) align - 1) / align * align;
    }

    private static String cString(byte[] b, int from) {
        int end = from;
        while (end < from + NAME_LENGTH && b[end] != 0) {
            end++;
        }
        return new String(b, from, end - from, StandardCharsets.ISO_8859_1);
    }

    private static long u32(byte[] b, int i) {
        return (b[i] & 0xFFL) | (b[i + 1] & 0xFFL) << 8 | (b[i + 2] & 0xFFL) << 16 | (b[i + 3] & 0xFFL) << 24;
    }

    private static void put32(byte[] b, int i, long v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
        b[i + 2] = (byte) (v >>> 16);
        b[i + 3] = (byte) (v >>> 24);
    }

    @Override
    public String toString() {
        return "DfuseFile[" + targets.size() + " targets, " + suffix + "]";
    }
}
