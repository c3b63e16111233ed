package io.github.dfu4j.formats;

import io.github.dfu4j.formats.internal.DataConflictException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Operations on whole images: merging several inputs, normalising segment boundaries, and laying an
 * image out as one flat byte array.
 *
 * <pre>{@code
 * FirmwareImage both = FirmwareImages.merge(
 *         new NamedImage("boot.hex", FirmwareFiles.read(Path.of("boot.hex"))),
 *         new NamedImage("app.hex", FirmwareFiles.read(Path.of("app.hex"))));
 * }</pre>
 */
public final class FirmwareImages {
    private FirmwareImages() {
    }

    /**
     * {@link #merge(List)} of the given inputs.
     *
     * @param inputs the images with the names conflicts are reported under, in priority order for the entry point
     * @return the merged image
     * @throws FirmwareFormatException when two inputs put different bytes at one address, or carry suffixes
     *        for different devices
     * @throws IllegalArgumentException when there is no input
     */
    public static FirmwareImage merge(NamedImage... inputs) throws FirmwareFormatException {
        return merge(List.of(inputs));
    }

    /**
     * One image holding the data of all inputs.
     *
     * <ul>
     *   <li>Bytes that several inputs put at the same address must be identical (e.g. a shared
     *       vector table); otherwise a {@link FirmwareFormatException} names both inputs and the
     *       lowest conflicting address.</li>
     *   <li>Overlapping data for different DfuSe targets is a conflict too.</li>
     *   <li>Touching or overlapping segments with the same target become one segment.</li>
     *   <li>Entry point: that of the first input (in the given order) that has one.</li>
     *   <li>DFU suffix: kept when every input that has one has the same. Suffixes that differ are
     *       narrowed to one that names every device any of them names: a specific idVendor or
     *       idProduct wins over the 0xFFFF wildcard, a differing bcdDevice becomes 0xFFFF, bcdDFU is
     *       the first's. Suffixes for different devices (two specific ids that differ) cannot be
     *       merged: a {@link FirmwareFormatException} names both inputs and both ids, so that no
     *       merge drops the check of a file's device.</li>
     * </ul>
     *
     * @param inputs the images with the names conflicts are reported under, in priority order for the entry point
     * @throws IllegalArgumentException when {@code inputs} is empty
     * @return the merged image, segments coalesced
     * @throws FirmwareFormatException when two inputs put different bytes at one address (or data of
     *        different DfuSe targets overlaps), or carry suffixes for different devices
     */
    public static FirmwareImage merge(List<NamedImage> inputs) throws FirmwareFormatException {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge");
        }
        ImageBuilder builder = new ImageBuilder();
        OptionalLong entry = OptionalLong.empty();
        DfuSuffix suffix = null;
        String suffixSource = null;
        for (int i = 0; i < inputs.size(); i++) {
            FirmwareImage image = Objects.requireNonNull(inputs.get(i), "input").image();
            for (Segment segment : image.segments()) {
                builder.put(segment, i);
            }
            if (entry.isEmpty()) {
                entry = image.entryPoint();
            }
            if (image.suffix().isPresent()) {
                if (suffix == null) {
                    suffix = image.suffix().get();
                    suffixSource = inputs.get(i).source();
                } else if (!suffix.equals(image.suffix().get())) {
                    suffix = narrowed(suffixSource, suffix, inputs.get(i).source(), image.suffix().get());
                }
            }
        }
        FirmwareImage merged;
        try {
            merged = builder.build();
        } catch (DataConflictException e) {
            String first = inputs.get((int) e.firstOrigin()).source();
            String second = inputs.get((int) e.secondOrigin()).source();
            throw FirmwareFormatException.ofFile(second, String.format(
                    "data at 0x%08x (%s) conflicts with %s (%s)", e.address(), e.secondValue(),
                    first.equals(second) ? "itself" : first, e.firstValue()));
        }
        if (entry.isPresent()) {
            merged = merged.withEntryPoint(entry.getAsLong());
        }
        return suffix != null ? merged.withSuffix(suffix) : merged;
    }

    private static DfuSuffix narrowed(String firstSource, DfuSuffix first, String source, DfuSuffix other)
            throws FirmwareFormatException {
        boolean vendorsDiffer = first.idVendor() != other.idVendor() && first.idVendor() != DfuSuffix.WILDCARD
                && other.idVendor() != DfuSuffix.WILDCARD;
        boolean productsDiffer = first.idProduct() != other.idProduct() && first.idProduct() != DfuSuffix.WILDCARD
                && other.idProduct() != DfuSuffix.WILDCARD;
        if (vendorsDiffer || productsDiffer) {
            throw FirmwareFormatException.ofFile(source, String.format("its DFU suffix is for device %04x:%04x, %s's for %04x:%04x;"
                    + " files for different devices cannot be merged", other.idVendor(), other.idProduct(), firstSource,
                    first.idVendor(), first.idProduct()));
        }
        return new DfuSuffix(first.bcdDevice() == other.bcdDevice() ? first.bcdDevice() : DfuSuffix.WILDCARD,
                first.idProduct() != DfuSuffix.WILDCARD ? first.idProduct() : other.idProduct(),
                first.idVendor() != DfuSuffix.WILDCARD ? first.idVendor() : other.idVendor(), first.bcdDfu());
    }

    /**
     * The same image with touching segments of the same target joined into one, which is how every
     * reader except DfuSe (one segment per element) returns data. Entry point and suffix are kept.
     *
     * @param image any image
     * @return {@code image} itself when no two segments touch, else a new image with the touching runs joined
     * @throws IllegalArgumentException when a joined segment would exceed the largest Java array (about 2 GiB)
     */
    public static FirmwareImage coalesce(FirmwareImage image) {
        List<Segment> out = new ArrayList<>();
        List<Segment> segments = image.segments();
        int i = 0;
        while (i < segments.size()) {
            int j = i + 1;
            long end = segments.get(i).end();
            while (j < segments.size() && segments.get(j).address() == end
                    && segments.get(j).target().equals(segments.get(i).target())) {
                end = segments.get(j).end();
                j++;
            }
            if (j == i + 1) {
                out.add(segments.get(i));
            } else {
                out.add(join(segments.subList(i, j)));
            }
            i = j;
        }
        return out.size() == segments.size() ? image : image.withSegments(out);
    }

    private static Segment join(List<Segment> touching) {
        Segment first = touching.get(0);
        long total = touching.get(touching.size() - 1).end() - first.address();
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(String.format(
                    "joined segment at 0x%08x would be %d bytes, more than one array holds", first.address(), total));
        }
        byte[] data = new byte[(int) total];
        for (Segment s : touching) {
            s.copyTo(s.address(), data, (int) (s.address() - first.address()), s.length());
        }
        return Segment.wrap(first.address(), data, first.target().orElse(null));
    }

    /**
     * The same image with every segment's DfuSe target removed, then {@linkplain #coalesce coalesced}.
     *
     * @param image any image
     * @return the image with no segment bound to a DfuSe target; entry point and suffix are kept
     */
    public static FirmwareImage withoutTargets(FirmwareImage image) {
        List<Segment> plain = new ArrayList<>();
        for (Segment s : image.segments()) {
            plain.add(s.target().isPresent() ? s.withTarget(null) : s);
        }
        return coalesce(image.withSegments(plain));
    }

    /**
     * The bytes of {@code [from, to)} with every address no segment covers set to {@code fill}.
     *
     * @param image    the image to lay out
     * @param from     the first address, inclusive
     * @param to       the end address, exclusive, at most 0x100000000
     * @param fill     the value of every byte no segment covers, usually 0xFF (erased flash)
     * @param maxBytes the largest result the caller accepts (capped at about 2 GiB by Java arrays)
     * @throws IllegalArgumentException when the range is negative, beyond 32 bits or larger than
     *                                  {@code maxBytes}
     * @return {@code to - from} bytes
     */
    public static byte[] flatten(FirmwareImage image, long from, long to, byte fill, long maxBytes) {
        if (from < 0 || to > Segment.ADDRESS_SPACE_END || from > to) {
            throw new IllegalArgumentException(String.format("bad range [0x%x, 0x%x)", from, to));
        }
        long size = to - from;
        long limit = Math.min(maxBytes, Integer.MAX_VALUE - 8);
        if (size > limit) {
            throw new IllegalArgumentException(String.format(
                    "a flat image of 0x%08x..0x%08x would be %d bytes, more than the limit of %d;"
                            + " write one file per segment instead", from, to, size, limit));
        }
        byte[] out = new byte[(int) size];
        if (fill != 0) {
            java.util.Arrays.fill(out, fill);
        }
        for (Segment s : image.segments()) {
            long a = Math.max(from, s.address());
            long b = Math.min(to, s.end());
            if (a < b) {
                s.copyTo(a, out, (int) (a - from), (int) (b - a));
            }
        }
        return out;
    }
}
