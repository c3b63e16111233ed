package io.github.dfu4j.formats;

import io.github.dfu4j.formats.internal.DataConflictException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Collects bytes at addresses into the non-overlapping segments of a {@link FirmwareImage}, in the
 * order a reader meets them (record by record, in any address order).
 *
 * <pre>{@code
 * ImageBuilder b = new ImageBuilder();
 * b.put(0x08000000L, record, 0, 16, lineNumber);
 * FirmwareImage image = b.build();      // throws FirmwareFormatException on contradicting overlaps
 * }</pre>
 *
 * <p>Rules: data put directly after the previous put (same target) extends the same run without
 * copying what came before; runs that touch and share a target become one segment; runs that overlap
 * must hold identical bytes there and the same target, otherwise {@link #build()} reports the lowest
 * conflicting address. Every run remembers the origin tag (a line number, byte offset or input index,
 * as the caller chooses) of its first byte, for the conflict report.
 *
 * <p>Not thread-safe. Memory use is the bytes put plus at most one spare buffer per run.
 */
public final class ImageBuilder {
    /** Largest array the JVM reliably allocates. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final List<Run> runs = new ArrayList<>();
    private Run current;
    private long totalBytes;
    private long expected;

    private static final class Run {
        final long address;
        final DfuseTarget target;
        final long origin;
        byte[] buf;
        int length;

        Run(long address, byte[] buf, int length, DfuseTarget target, long origin) {
            this.address = address;
            this.buf = buf;
            this.length = length;
            this.target = target;
            this.origin = origin;
        }

        long end() {
            return address + length;
        }
    }

    /**
     * A hint that the next new run will grow to about {@code bytes} bytes: it starts with that much
     * room (capped at the array limit) instead of growing by doubling, so a reader of a 64 MiB image
     * fills one buffer and hands it to the segment without copying. The hint is used once (so that
     * a file of many scattered runs cannot make every run allocate it); a wrong hint costs memory or
     * a copy, never correctness, and finished runs are trimmed.
     *
     * @param bytes the expected size of the next run in bytes; 0 or less means no hint
     * @return this builder
     */
    public ImageBuilder expect(long bytes) {
        expected = Math.max(0, bytes);
        return this;
    }

    /**
     * Bytes put so far, counting overlapping bytes once per put.
     *
     * @return the sum of the lengths of every put, 0 before the first
     */
    public long totalBytes() {
        return totalBytes;
    }

    /**
     * Puts {@code length} bytes of {@code src} from {@code offset} at {@code address}, with no DfuSe target.
     *
     * @param address the address of the first byte, 0..0xFFFFFFFF
     * @param src     the array holding the bytes, copied
     * @param offset  where the bytes start in {@code src}
     * @param length  the number of bytes; 0 puts nothing
     * @param origin  the caller's tag for this run (a line, an offset, an input index), named by
     *               {@link #build()}'s exception when the run disagrees with another
     * @return this builder
     * @throws IllegalArgumentException when the bytes do not fit the 32-bit address space
     * @throws IndexOutOfBoundsException when {@code offset} and {@code length} do not fit {@code src}
     */
    public ImageBuilder put(long address, byte[] src, int offset, int length, long origin) {
        return put(address, src, offset, length, null, origin);
    }

    /**
     * Puts {@code length} bytes of {@code src} from {@code offset} at {@code address}, bound to
     * {@code target} (null for none). The bytes are copied.
     *
     * @param address the address of the first byte, 0..0xFFFFFFFF
     * @param src     the array holding the bytes
     * @param offset  where the bytes start in {@code src}
     * @param length  the number of bytes; 0 puts nothing
     * @param target  the DfuSe target, or {@code null} for none
     * @param origin  the caller's tag for this run, named by {@link #build()}'s exception on a conflict
     * @throws IllegalArgumentException when the bytes do not fit the 32-bit address space; readers
     *                                  check addresses first and report a format error instead
     * @return this builder
     * @throws IndexOutOfBoundsException when {@code offset} and {@code length} do not fit {@code src}
     */
    public ImageBuilder put(long address, byte[] src, int offset, int length, DfuseTarget target, long origin) {
        Objects.checkFromIndexSize(offset, length, src.length);
        if (address < 0 || address + length > Segment.ADDRESS_SPACE_END) {
            throw new IllegalArgumentException(String.format(
                    "0x%x+%d does not fit the 32-bit address space", address, length));
        }
        if (length == 0) {
            return this;
        }
        Run run = current;
        if (run != null && run.end() == address && Objects.equals(run.target, target)
                && run.length <= MAX_ARRAY - length) {
            int needed = run.length + length;
            if (needed > run.buf.length) {
                int grown = (int) Math.min(MAX_ARRAY, Math.max((long) needed, 2L * run.buf.length));
                byte[] bigger = new byte[grown];
                System.arraycopy(run.buf, 0, bigger, 0, run.length);
                run.buf = bigger;
            }
            System.arraycopy(src, offset, run.buf, run.length, length);
            run.length = needed;
        } else {
            if (run != null) {
                trim(run);
            }
            long room = Math.min(MAX_ARRAY, Math.max(length, expected));
            expected = 0;
            byte[] buf = new byte[(int) room];
            System.arraycopy(src, offset, buf, 0, length);
            run = new Run(address, buf, length, target, origin);
            runs.add(run);
            current = run;
        }
        totalBytes += length;
        return this;
    }

    /** Drops the spare room of a finished run when it is more than a sixteenth of its bytes. */
    private static void trim(Run run) {
        if (run.buf.length - run.length > run.length / 16) {
            run.buf = Arrays.copyOf(run.buf, run.length);
        }
    }

    /**
     * Puts a whole segment, keeping its target.
     *
     * @param segment the segment; its bytes are copied
     * @param origin  the caller's tag for this run, named by {@link #build()}'s exception on a conflict
     * @return this builder
     */
    public ImageBuilder put(Segment segment, long origin) {
        int length = segment.length();
        if (length == 0) {
            return this;
        }
        byte[] buf = new byte[length];
        segment.copyTo(segment.address(), buf, 0, length);
        Run run = new Run(segment.address(), buf, length, segment.target().orElse(null), origin);
        runs.add(run);
        current = run;
        totalBytes += length;
        return this;
    }

    /**
     * The image of everything put so far: touching runs with the same target joined, overlaps checked.
     * No entry point and no suffix; the caller adds them.
     *
     * @return the image; empty when nothing (or only empty runs) was put
     * @throws FirmwareFormatException for the lowest address where two runs disagree; its message names
     *                                  the address, both values and both origin tags
     */
    public FirmwareImage build() throws FirmwareFormatException {
        List<Run> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparingLong(r -> r.address)); // stable: equal starts keep put order
        List<Segment> segments = new ArrayList<>();
        DataConflictException conflict = null;
        Group group = null;
        for (Run run : sorted) {
            if (group == null) {
                group = new Group(run);
                continue;
            }
            boolean sameTarget = Objects.equals(run.target, group.target);
            if (run.address > group.end || (run.address == group.end && !sameTarget)) {
                segments.add(group.toSegment());
                group = new Group(run);
                continue;
            }
            if (run.address < group.end) {
                DataConflictException found = sameTarget ? group.compare(run) : new DataConflictException(
                        run.address, group.originAt(run.address), describe(group.target),
                        run.origin, describe(run.target));
                if (found != null && (conflict == null || found.address() < conflict.address())) {
                    conflict = found;
                }
            }
            if (run.end() > group.end) {
                group.append(run, (int) (group.end - run.address));
            }
        }
        if (conflict != null) {
            throw conflict;
        }
        if (group != null) {
            segments.add(group.toSegment());
        }
        return FirmwareImage.of(segments);
    }

    private static String describe(DfuseTarget target) {
        return target == null ? "no target" : "alt " + target.altSetting()
                + (target.name().isEmpty() ? "" : " '" + target.name() + "'");
    }

    /** Runs joined into one future segment; piece i covers [starts[i], starts[i+1]). */
    private static final class Group {
        final long start;
        final DfuseTarget target;
        final List<Run> pieces = new ArrayList<>();
        final List<Long> starts = new ArrayList<>();
        long end;

        Group(Run first) {
            start = first.address;
            target = first.target;
            end = first.address;
            append(first, 0);
        }

        void append(Run run, int skip) {
            pieces.add(run);
            starts.add(run.address + skip);
            end = run.end();
        }

        private int pieceAt(long address) {
            int lo = 0;
            int hi = starts.size() - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (starts.get(mid) <= address) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return lo;
        }

        long originAt(long address) {
            return pieces.get(pieceAt(address)).origin;
        }

        /** First byte where {@code run} (which starts inside this group) differs, or null. */
        DataConflictException compare(Run run) {
            long to = Math.min(end, run.end());
            long address = run.address;
            int p = pieceAt(address);
            while (address < to) {
                Run piece = pieces.get(p);
                long pieceEnd = p + 1 < starts.size() ? starts.get(p + 1) : end;
                long stop = Math.min(to, pieceEnd);
                int a = (int) (address - piece.address);
                int b = (int) (address - run.address);
                int n = (int) (stop - address);
                int mismatch = Arrays.mismatch(piece.buf, a, a + n, run.buf, b, b + n);
                if (mismatch >= 0) {
                    return new DataConflictException(address + mismatch, piece.origin,
                            String.format("0x%02x", piece.buf[a + mismatch] & 0xFF), run.origin,
                            String.format("0x%02x", run.buf[b + mismatch] & 0xFF));
                }
                address = stop;
                p++;
            }
            return null;
        }

        Segment toSegment() {
            Run only = pieces.get(0);
            if (pieces.size() == 1 && only.buf.length - only.length <= only.length / 16) {
                return Segment.wrap(start, only.buf, only.length, target); // at most 1/16 spare room
            }
            long size = end - start;
            if (size > MAX_ARRAY) {
                throw new IllegalStateException(String.format(
                        "segment at 0x%08x would be %d bytes, more than one array holds", start, size));
            }
            byte[] data = new byte[(int) size];
            for (int i = 0; i < pieces.size(); i++) {
                Run piece = pieces.get(i);
                long from = starts.get(i);
                long to = i + 1 < starts.size() ? starts.get(i + 1) : end;
                System.arraycopy(piece.buf, (int) (from - piece.address), data, (int) (from - start), (int) (to - from));
            }
            return Segment.wrap(start, data, target);
        }
    }
}
