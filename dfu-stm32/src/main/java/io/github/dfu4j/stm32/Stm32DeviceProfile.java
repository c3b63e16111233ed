package io.github.dfu4j.stm32;

import io.github.dfu4j.stm32.internal.ChipProfile;
import io.github.dfu4j.stm32.internal.MbootBoard;
import io.github.dfu4j.stm32.internal.Stm32Profiles;
import io.github.dfu4j.stm32.internal.Stm32Quirks;
import io.github.dfu4j.dfu.DfuCancelledException;
import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuQuirks;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.ops.MemoryRange;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.transport.TimeSource;
import io.github.dfu4j.transport.TransportException;
import java.time.Duration;
import io.github.dfu4j.layout.MemoryLayout;
import io.github.dfu4j.layout.MemoryRegion;
import io.github.dfu4j.ops.DeviceProfile;
import io.github.dfu4j.ops.LeaveMode;
import io.github.dfu4j.transport.DfuTransport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dfu-api {@link DeviceProfile} built from the STM32 tables: leave mode from the ROM's
 * {@link LeaveMode}, {@link DfuQuirks} from the timing table and the {@link RomQuirk}s (see
 * {@link Stm32Quirks}), write alignment from the programming unit, and for mboot boards a layout
 * correction. Get one by id ({@link #byId}, {@link #all}) or from an {@link Identification}
 * ({@link Identification#stm32Profile()}).
 *
 * <pre>{@code
 * Stm32DeviceProfile h743 = Stm32DeviceProfile.byId("stm32h743").orElseThrow();
 * try (DfuDevice dev = h743.open(transport, h743.quirks().budgets().eraseBudget())) {
 *     dev.download(image, FlashOptions.defaults(), ProgressListener.NONE);
 * }
 * }</pre>
 *
 * @param name           short name for logs and results, e.g. "stm32f405 ROM"
 * @param leaveMode      how the bootloader uses the leave address
 * @param quirks         protocol behaviour for dfu-api
 * @param writeAlignment flash programming unit in bytes (F0 2, F4/F7 4, H7A3 16, H74x 32)
 * @param romQuirks      the ROM quirks the profile accounts for
 * @param earlyPolling   the bootloader NAKs requests while busy, so dfu-api polls GETSTATUS again at
 *                       once after dfuDNBUSY instead of waiting bwPollTimeout; always equal to
 *                       {@code quirks().statusHeldWhileBusy()} (the constructor sets that quirk from it)
 * @param chipId         the id of the chip profile it was built from, if any, e.g. "stm32h743"
 * @param boardId        the id of the mboot board it was built from, if any, e.g. "mboot-pybd-sf2"
 * @param flash          for bootloaders that over-claim flash (mboot): the flash that really exists
 *                       and the part the bootloader occupies; layouts are corrected to it
 * @param part           the smaller part of the die the user says this is (e.g. "STM32H750xB"): the ROM
 *                       reports the whole die's flash, so the layout is clipped to the part's flash
 *                       ({@link #withPart})
 */
public record Stm32DeviceProfile(String name, LeaveMode leaveMode, DfuQuirks quirks, int writeAlignment,
                                 Set<RomQuirk> romQuirks, boolean earlyPolling, Optional<String> chipId,
                                 Optional<String> boardId, Optional<RealFlash> flash, Optional<String> part)
        implements DeviceProfile {
    private static final Logger log = LoggerFactory.getLogger(Stm32DeviceProfile.class);

    /** Internal flash is at 0x08000000 and nothing else lives in the 256 MiB above it. */
    static final long FLASH_WINDOW = 0x1000_0000L;

    /**
     * The internal flash a bootloader really has, when its layout string says otherwise.
     *
     * @param base          first byte of internal flash (0x08000000)
     * @param end           one past the last byte that exists (mboot on PYBD-SF2: 0x08080000, not 0x08100000)
     * @param bootloaderEnd [base, bootloaderEnd) holds the bootloader itself: readable, not erasable or
     *                      writable (mboot: 0x08008000); equal to {@code base} when nothing is reserved
     * @param owner         who it is, for messages, e.g. "mboot on PYBD-SF2 (STM32F722IEK)"
     */
    public record RealFlash(long base, long end, long bootloaderEnd, String owner) {
        public RealFlash {
            Objects.requireNonNull(owner, "owner");
            if (!(base <= bootloaderEnd && bootloaderEnd <= end)) {
                throw new IllegalArgumentException(String.format("need base <= bootloaderEnd <= end: 0x%x 0x%x 0x%x",
                        base, bootloaderEnd, end));
            }
        }
    }

    public Stm32DeviceProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(leaveMode, "leaveMode");
        Objects.requireNonNull(quirks, "quirks");
        if (quirks.statusHeldWhileBusy() != earlyPolling) {
            quirks = quirks.toBuilder().statusHeldWhileBusy(earlyPolling).build();
        }
        romQuirks = romQuirks.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(romQuirks));
        Objects.requireNonNull(chipId, "chipId");
        Objects.requireNonNull(boardId, "boardId");
        Objects.requireNonNull(flash, "flash");
        if (writeAlignment < 1 || Integer.bitCount(writeAlignment) != 1) {
            throw new IllegalArgumentException("write alignment must be a power of two: " + writeAlignment);
        }
    }

    /** A profile of the whole die (no {@link #part()}); package-private, its chip/board types are not exported. */
    Stm32DeviceProfile(String name, LeaveMode leaveMode, DfuQuirks quirks, int writeAlignment, Set<RomQuirk> romQuirks,
                              boolean earlyPolling, Optional<ChipProfile> chip, Optional<MbootBoard> board,
                              Optional<RealFlash> flash) {
        this(name, leaveMode, quirks, writeAlignment, romQuirks, earlyPolling, chip.map(ChipProfile::id), board.map(MbootBoard::id),
                flash, Optional.empty());
    }

    /** Every STM32 profile: one per chip line's ROM bootloader, then one per mboot board. */
    public static List<Stm32DeviceProfile> all() {
        return Stm32DeviceProfiles.all();
    }

    /**
     * The profile with this id: a chip id such as "stm32h743" (its ROM bootloader) or an mboot board id
     * such as "mboot-pybd-sf2"; ids are those of {@link #chipId()} and {@link #boardId()}.
     */
    public static Optional<Stm32DeviceProfile> byId(String id) {
        return Stm32DeviceProfiles.byId(id);
    }

    /**
     * An ST ROM bootloader of a line without a chip profile (G4, L4, C0, U5, C5 ...): tolerates every
     * quirk that is safe to assume blindly and writes whole 32-byte words.
     *
     * @param leaveMode {@link LeaveMode#RESET_HANDLER} for an H7-style ROM ("DFU in FS Mode"), else
     *                  {@link LeaveMode#VECTOR_TABLE}
     */
    public static Stm32DeviceProfile unknownStRom(LeaveMode leaveMode) {
        return Stm32DeviceProfiles.unknownStRom(leaveMode);
    }

    /** MicroPython mboot on a board without a table entry: no layout correction, leave resets. */
    public static Stm32DeviceProfile unknownMboot() {
        return Stm32DeviceProfiles.unknownMboot();
    }

    /** The chip table row of {@link #chipId()}. */
    Optional<ChipProfile> chip() {
        return chipId.flatMap(Stm32Profiles::byId);
    }

    /** The mboot board table row of {@link #boardId()}. */
    Optional<MbootBoard> board() {
        return boardId.flatMap(Stm32Profiles::mbootBoard);
    }

    /**
     * This profile for a smaller part built on the chip's die, named as ST names it (case ignored, "STM32"
     * optional, any name of a shared entry such as "H743xG" in "STM32H742xG/H743xG"). Its ROM reports the
     * die's flash (docs/reference/stm32.md §3.2), so only the user can say which part it is: the layout is
     * clipped to the part's flash, an image that does not fit is refused before anything is sent, and the
     * die-variant note is no longer needed.
     *
     * @throws IllegalArgumentException when the chip has no such smaller part (the message lists them)
     */
    public Stm32DeviceProfile withPart(String partName) {
        java.util.Objects.requireNonNull(partName, "partName");
        List<DieVariants.Part> parts = chipId.map(DieVariants::of).orElse(List.of());
        for (DieVariants.Part p : parts) {
            if (DieVariants.matches(p, partName)) {
                return new Stm32DeviceProfile(name + " (" + p.name() + ")", leaveMode, quirks, writeAlignment, romQuirks,
                        earlyPolling, chipId, boardId, flash, Optional.of(p.name()));
            }
        }
        throw new IllegalArgumentException("'" + partName + "' is not a smaller part of the " + chipId
                .orElse(name) + " die" + (parts.isEmpty() ? " (none is known)" : "; known: "
                + String.join(", ", parts.stream().map(DieVariants.Part::describe).toList())));
    }

    /** This profile with more ROM quirks accounted for (e.g. a quirk the user knows of but identification cannot see). */
    public Stm32DeviceProfile withRomQuirks(RomQuirk... more) {
        EnumSet<RomQuirk> all = EnumSet.noneOf(RomQuirk.class);
        all.addAll(romQuirks);
        all.addAll(Arrays.asList(more));
        boolean early = earlyPolling && !all.contains(RomQuirk.STALLS_GETSTATUS_WHILE_ERASING);
        return new Stm32DeviceProfile(name, leaveMode, Stm32Quirks.apply(quirks, all), writeAlignment, all, early, chipId,
                boardId, flash, part);
    }

    /** This profile with early polling ({@link DfuQuirks#statusHeldWhileBusy()}) switched on or off. */
    public Stm32DeviceProfile withEarlyPolling(boolean on) {
        return new Stm32DeviceProfile(name, leaveMode, quirks, writeAlignment, romQuirks, on, chipId, boardId, flash, part);
    }

    /**
     * This profile with other dfu-api quirks (budgets, retries, ...). Early polling follows
     * {@code newQuirks.statusHeldWhileBusy()}: start from {@link #quirks()}{@code .toBuilder()} to keep it.
     */
    public Stm32DeviceProfile withQuirks(DfuQuirks newQuirks) {
        return new Stm32DeviceProfile(name, leaveMode, newQuirks, writeAlignment, romQuirks, newQuirks.statusHeldWhileBusy(),
                chipId, boardId, flash, part);
    }

    /**
     * Opens the device with this profile, retrying while it is still busy with
     * work an earlier session started: a NAK ROM still erasing times out SET_INTERFACE and GETSTATUS, an
     * STM32L4-style ROM stalls GETSTATUS, and dfu-api's open gives up after a few tens of milliseconds of
     * retries. Other failures (disconnect, protocol errors) are thrown at once.
     *
     * @param patience how long to keep retrying on the transport's clock, e.g. {@code quirks().eraseBudget()}
     *                 after an interrupted sector erase, {@code quirks().massEraseBudget()} after a mass erase
     */
    public DfuDevice open(DfuTransport transport, Duration patience) throws DfuException {
        Objects.requireNonNull(patience, "patience");
        DfuTransport t = Objects.requireNonNull(transport, "transport");
        TimeSource clock = transport.time();
        long deadline = clock.nanoTime() + patience.toNanos();
        // short pauses first: a stalling ROM answers at once, so a fixed long pause would only add
        // latency once the device is ready; a held (NAK) open already waits inside its own timeout
        long pause = Duration.ofMillis(10).toNanos();
        while (true) {
            try {
                return DfuDevice.open(t, this);
            } catch (DfuException e) {
                TransportException.Kind transfer = e.transportError().map(TransportException::kind).orElse(null);
                boolean stillBusy = e.kind() == DfuException.Kind.TIMEOUT || (e.kind() == DfuException.Kind.TRANSFER
                        && (transfer == TransportException.Kind.STALL || transfer == TransportException.Kind.TIMEOUT));
                long left = deadline - clock.nanoTime();
                if (!stillBusy || e.phase().orElse(Phase.SETUP) != Phase.SETUP || left <= 0) {
                    throw e;
                }
                log.debug("{} not ready yet ({}); retrying", transport.device().vidPid(), e.getMessage());
                try {
                    clock.sleep(Duration.ofNanos(Math.min(left, pause)));
                    pause = Math.min(2 * pause, Duration.ofMillis(250).toNanos());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new DfuCancelledException("interrupted while waiting for the device", Phase.SETUP, null, ie);
                }
            }
        }
    }

    /**
     * Clips the internal-flash part of a layout to the flash that exists and makes the bootloader's own
     * sectors read-only, so an image that does not fit fails in the planner (nothing sent) instead of
     * with errADDRESS half-way. Layouts of bootloaders without a {@link #flash()} correction are
     * returned unchanged.
     */
    @Override
    public MemoryLayout correctLayout(int altSetting, MemoryLayout reported) {
        if (part.isPresent() && chipId.isPresent()) {
            return clippedToPart(reported);
        }
        List<String> warnings = layoutWarnings(altSetting, reported);
        if (warnings.isEmpty()) {
            return reported;
        }
        warnings.forEach(w -> log.info("{}", w)); // a known fact of the board, corrected here: nothing to act on
        return LayoutCorrections.corrected(reported, flash.orElseThrow());
    }

    /** What {@link #correctLayout} changes in a reported layout, as messages (empty: nothing). */
    public List<String> layoutWarnings(int altSetting, MemoryLayout reported) {
        if (flash.isEmpty()) {
            return List.of();
        }
        RealFlash f = flash.get();
        long claimedEnd = f.base();
        boolean bootloaderWritable = false;
        for (MemoryRegion r : reported.regions()) {
            if (LayoutCorrections.inFlashWindow(r, f)) {
                claimedEnd = Math.max(claimedEnd, r.end());
                bootloaderWritable |= r.start() < f.bootloaderEnd() && (r.access().writable() || r.access().erasable());
            }
        }
        List<String> out = new ArrayList<>();
        if (claimedEnd > f.end()) {
            out.add(String.format("alt %d: %s advertises %d KiB of internal flash (0x%08x-0x%08x) but has %d KiB;"
                            + " using 0x%08x-0x%08x (writes above 0x%08x would fail with \"Address out of range\")",
                    altSetting, f.owner(), (claimedEnd - f.base()) / 1024, f.base(), claimedEnd - 1, (f.end() - f.base()) / 1024,
                    f.base(), f.end() - 1, f.end() - 1));
        }
        if (bootloaderWritable) {
            out.add(String.format("alt %d: 0x%08x-0x%08x is %s itself; treated as read-only (it refuses to erase or"
                    + " overwrite it); applications start at 0x%08x", altSetting, f.base(), f.bootloaderEnd() - 1, f.owner(),
                    f.bootloaderEnd()));
        }
        return out;
    }

    /** STM32 application flash starts at 0x08000000 (the chip's flash map base when the chip is known). */
    @Override
    public OptionalLong defaultFlashStart() {
        return OptionalLong.of(chip().map(c -> c.defaultFlashMap().base()).orElse(0x0800_0000L));
    }

    /**
     * Notes about a download's writes that only the die can give: the image writes where a smaller part
     * of the same die (e.g. an STM32H750xB, 128 KiB, on the H743 die) has no flash. Such a part's ROM
     * reports the whole die's flash too, and the device ID is the die's, so nothing sent over USB
     * tells them apart (docs/reference/stm32.md §3.2, H750 [O]); on such a part those writes fail, visibly
     * at that address, so this is a note rather than a warning on every flash. Empty when nothing is
     * beyond any smaller part. The CLI prints these as info lines with --verbose.
     */
    @Override
    public List<String> writeNotes(List<MemoryRange> blocks) {
        Optional<ChipProfile> chip = chip();
        if (chip.isEmpty() || boardId.isPresent() || part.isPresent()) {
            return List.of();
        }
        long base = chip.get().defaultFlashMap().base();
        List<String> without = new ArrayList<>();
        long firstOutside = Long.MAX_VALUE;
        for (DieVariants.Part part : DieVariants.of(chip.get().id())) {
            long outside = Long.MAX_VALUE;
            for (MemoryRange block : blocks) { // blank blocks are not sent, so they cannot fail
                if (block.start() < base || block.start() >= base + FLASH_WINDOW) {
                    continue;
                }
                if (!part.holds(block.start() - base, block.end() - base)) {
                    outside = Math.min(outside, block.start());
                }
            }
            if (outside != Long.MAX_VALUE) {
                without.add(part.describe());
                firstOutside = Math.min(firstOutside, outside);
            }
        }
        if (without.isEmpty()) {
            return List.of();
        }
        return List.of(String.format("the image writes flash at 0x%08x, outside the flash of %s on this die; their ROM"
                + " reports the whole die's flash too, so on such a part these writes fail: check the part number",
                firstOutside, String.join(", ", without)));
    }

    /** The internal-flash regions of a layout reduced to the sectors wholly inside the part's flash. */
    private MemoryLayout clippedToPart(MemoryLayout reported) {
        DieVariants.Part p = DieVariants.of(chipId.orElseThrow()).stream().filter(x -> x.name().equals(part.orElseThrow()))
                .findFirst().orElseThrow();
        MemoryLayout out = LayoutCorrections.clippedToPart(reported, chip().orElseThrow().defaultFlashMap().base(), p);
        log.debug("layout clipped to {}: {}", p.describe(), out);
        return out;
    }

    /**
     * The STM32 rules of the write gate: option bytes written through any operation are decoded over the
     * current ones and reviewed like a change by field (RDP levels, boot locks, unverified layouts).
     */
    @Override
    public List<io.github.dfu4j.ops.WriteFinding> reviewWrites(io.github.dfu4j.ops.WriteRequest request,
                                                              io.github.dfu4j.ops.WriteRequest.Reader reader)
            throws DfuException {
        return io.github.dfu4j.stm32.optionbytes.OptionBytePolicy.reviewWrites(request, reader);
    }

    /** The profile's {@link #name()}, e.g. "stm32f405 ROM": what logs and results print. */
    @Override
    public String toString() {
        return name;
    }
}
