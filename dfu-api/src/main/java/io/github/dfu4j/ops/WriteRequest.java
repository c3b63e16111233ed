package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.layout.MemoryLayout;
import io.github.dfu4j.transport.AltSetting;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Everything one operation is about to write, erase or unlock, as the write gate shows it to a
 * {@link DeviceProfile#reviewWrites device profile} before any request is sent.
 *
 * @param writes        bytes to program, by alternate setting and address
 * @param erases        sectors to erase
 * @param massErases    alternate settings to mass-erase
 * @param readUnprotect a DfuSe READ_UNPROTECT
 * @param alts          the device's alternate settings (names carry the DfuSe layouts)
 * @param layouts       the memory layouts in use, by alternate setting
 */
public record WriteRequest(List<Chunk> writes, List<MemoryRange> erases, List<Integer> massErases, boolean readUnprotect,
                           List<AltSetting> alts, Map<Integer, MemoryLayout> layouts) {

    /**
     * Bytes to program at an address of an alternate setting. The bytes are produced on demand
     * ({@link #data()}), so a review that needs only the ranges copies nothing.
     *
     * @param alt     the alternate setting
     * @param address the first address
     * @param length  how many bytes
     * @param content produces exactly {@code length} bytes
     */
    public record Chunk(int alt, long address, long length, Supplier<byte[]> content) {
        public Chunk {
            Objects.requireNonNull(content, "content");
            if (length < 0) {
                throw new IllegalArgumentException("negative length");
            }
        }

        /** A chunk of known bytes (not copied: do not change the array). */
        public static Chunk of(int alt, long address, byte[] data) {
            return new Chunk(alt, address, data.length, () -> data);
        }

        /** The bytes to program. */
        public byte[] data() {
            return content.get();
        }

        /** One past the last address, {@code address + length}. */
        public long end() {
            return address + length;
        }
    }

    /** Reads device memory for a review, e.g. the current option bytes to compare with what will be written. */
    @FunctionalInterface
    public interface Reader {
        /**
         * Reads {@code length} bytes at {@code address} of alternate setting {@code alt} from the device.
         *
         * @return the bytes read
         * @throws DfuException when the device refuses or fails the read
         */
        byte[] read(int alt, long address, int length) throws DfuException;
    }

    public WriteRequest {
        writes = List.copyOf(writes);
        erases = List.copyOf(erases);
        massErases = List.copyOf(massErases);
        alts = List.copyOf(alts);
        layouts = Map.copyOf(layouts);
    }

    /** True when nothing would be written, erased or unlocked. */
    public boolean isEmpty() {
        return writes.isEmpty() && erases.isEmpty() && massErases.isEmpty() && !readUnprotect;
    }

    /** The name of an alternate setting (its iInterface string), or "" when it has none. */
    public String altName(int alt) {
        for (AltSetting a : alts) {
            if (a.altSetting() == alt) {
                return a.name();
            }
        }
        return "";
    }
}
