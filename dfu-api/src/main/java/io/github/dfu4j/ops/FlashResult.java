package io.github.dfu4j.ops;

import java.time.Duration;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a download did. A returned result always means the memory holds the image: with verification
 * on, every readable written byte was read back and compared ({@link #verified()}); any failure
 * before that throws. A problem while leaving does not undo the flash and is reported in
 * {@link #leave()}.
 *
 * <pre>{@code
 * FlashResult r = device.download(image, FlashOptions.defaults());
 * if (r.verified()) {
 *     System.out.println(r.writes().bytesWritten() + " bytes written, " + r.verification().verifiedBytes() + " read back");
 * }
 * }</pre>
 *
 * @param verification what was read back and compared
 * @param writes       what was erased and written, and how
 * @param timings      time per phase
 * @param leave        how leaving went, when it was asked for
 * @param warnings     things the user should know
 * @param notes        details only the device profile can give, worth showing when asked for detail (e.g.
 *                     that the image writes where a smaller part of the same STM32 die has no flash)
 * @param resetBy      the write that made the device reset (option bytes: the ROM resets the chip to load
 *                     them; a plain DFU 1.1 device that is not manifestation tolerant: the whole stream, reset
 *                     after manifestation before it could be read back); {@link #verified()} then says whether the device came back in DFU mode and
 *                     read the range back as written
 */
public record FlashResult(Verification verification, Writes writes, Timings timings, Optional<LeaveResult> leave,
                          List<String> warnings, List<String> notes, Optional<MemoryRange> resetBy) {
    public FlashResult {
        Objects.requireNonNull(verification, "verification");
        Objects.requireNonNull(writes, "writes");
        Objects.requireNonNull(timings, "timings");
        Objects.requireNonNull(leave, "leave");
        warnings = List.copyOf(warnings);
        notes = List.copyOf(notes);
        Objects.requireNonNull(resetBy, "resetBy");
    }

    /** True when every byte written was read back and matched ({@link Verification#verified()}). */
    public boolean verified() {
        return verification.verified();
    }

    /**
     * The read-back.
     *
     * @param verified        true when every byte written was read back and matched
     * @param verifiedBytes   bytes read back and compared
     * @param unverifiedBytes bytes written that could not be read back (not readable per layout, writes
     *                        outside the layout)
     */
    public record Verification(boolean verified, long verifiedBytes, long unverifiedBytes) {
    }

    /**
     * The erases and writes.
     *
     * @param erased             sectors erased (ranges), in the order they were erased; empty for a mass erase
     * @param massErased         alternate settings that were mass erased
     * @param written            write runs: ranges written (blank blocks inside them were skipped)
     * @param bytesWritten       bytes sent in DNLOAD data stages
     * @param blocksWritten      data blocks sent
     * @param blankBlocksSkipped blocks not sent because they were all 0xFF in erased flash
     * @param unchangedSectors   sectors skipped by incremental flashing because they already held the image
     * @param addressing         the addressing that produced the final, verified memory contents
     * @param addressingFallback true when block-number addressing was found wrong by verification and the
     *                           image was erased and written again with SET_ADDRESS per block
     * @param wedgeRecoveries    erases recovered with the CLRSTATUS pair (STM32H7 bank-2 wedge)
     * @param requests           control requests sent
     */
    public record Writes(List<MemoryRange> erased, List<Integer> massErased, List<MemoryRange> written, long bytesWritten,
                         int blocksWritten, int blankBlocksSkipped, int unchangedSectors, AddressingMode addressing,
                         boolean addressingFallback, int wedgeRecoveries, long requests) {
        public Writes {
            erased = List.copyOf(erased);
            massErased = List.copyOf(massErased);
            written = List.copyOf(written);
            Objects.requireNonNull(addressing, "addressing");
        }
    }

    /**
     * Time per phase of a download, measured on the transport clock.
     *
     * @param read   incremental comparison reads
     * @param erase  erases
     * @param write  writes
     * @param verify read-back verification
     * @param leave  leaving DFU mode, including the re-enumeration check
     * @param total  the whole operation
     */
    public record Timings(Duration read, Duration erase, Duration write, Duration verify, Duration leave, Duration total) {
        /** All six durations zero: for a {@link FlashResult} built by hand, e.g. in tests of code that reports results. */
        public static final Timings ZERO = new Timings(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO,
                Duration.ZERO, Duration.ZERO);

        public Timings {
            Objects.requireNonNull(read, "read");
            Objects.requireNonNull(erase, "erase");
            Objects.requireNonNull(write, "write");
            Objects.requireNonNull(verify, "verify");
            Objects.requireNonNull(leave, "leave");
            Objects.requireNonNull(total, "total");
        }
    }
}
