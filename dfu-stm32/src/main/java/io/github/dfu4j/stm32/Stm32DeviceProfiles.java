package io.github.dfu4j.stm32;

import io.github.dfu4j.sim.BusyBehaviour;
import io.github.dfu4j.stm32.internal.ChipProfile;
import io.github.dfu4j.stm32.internal.FlashTiming;
import io.github.dfu4j.stm32.internal.MbootBoard;
import io.github.dfu4j.stm32.internal.PollTimeouts;
import io.github.dfu4j.stm32.internal.Programming;
import io.github.dfu4j.stm32.internal.SpiFlash;
import io.github.dfu4j.stm32.internal.Stm32Profiles;
import io.github.dfu4j.stm32.internal.Stm32Quirks;
import io.github.dfu4j.stm32.internal.TimeRange;
import io.github.dfu4j.dfu.DfuQuirks;
import io.github.dfu4j.ops.LeaveMode;
import io.github.dfu4j.layout.Sector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * dfu-api {@link io.github.dfu4j.ops.DeviceProfile}s for every STM32 line in {@link Stm32Profiles}
 * and every mboot board, derived from the tables rather than written by hand:
 *
 * <ul>
 *   <li>leave mode: the chip table's, {@link LeaveMode#VECTOR_TABLE} (F0/F4/F7) or
 *       {@link LeaveMode#RESET_HANDLER} (H7); mboot {@link LeaveMode#IGNORED_RESETS};</li>
 *   <li>erase budget: max(5 s, 2 x the largest sector-erase maximum of the timing table), so a wedged
 *       H743 bank-2 erase is recovered after 5 s, not dfu-api's default 20 s;</li>
 *   <li>mass-erase budget: max(35 s, 1.25 x the table's mass-erase maximum): F405 40 s although the
 *       ROM reports 100 ms (dfu-util uses 35 s), H743 60 s;</li>
 *   <li>command, write, erase and mass-erase budgets also at least twice the bwPollTimeout the ROM
 *       reports ({@link PollTimeouts}), writes at least 4 x a block's maximum programming time;</li>
 *   <li>the {@link RomQuirk}s of the profile through the quirks table ({@link Stm32Quirks});</li>
 *   <li>write alignment: the programming unit (H743: 32-byte flash words);</li>
 *   <li>early polling for ROMs that NAK while busy ({@link BusyBehaviour#NAK_UNTIL_DONE}, every ST ROM
 *       of the table): {@link DfuQuirks#statusHeldWhileBusy()}, unless the ROM stalls GETSTATUS while
 *       erasing. Without it dfu-api waits the reported bwPollTimeout after each dfuDNBUSY: 104 ms (F4)
 *       or 50 ms (H7) per block that takes milliseconds.</li>
 * </ul>
 *
 * <p>Package-private: callers start from {@link Stm32DeviceProfile#byId} and {@link Stm32DeviceProfile#all},
 * which delegate here.
 */
final class Stm32DeviceProfiles {
    private Stm32DeviceProfiles() {
    }

    /** Floor of the erase budget; every sector erase in the tables has a maximum of at most 4 s. */
    static final Duration ERASE_BUDGET_FLOOR = Duration.ofSeconds(5);

    /** Programming unit assumed for an ST ROM of an unlisted line: the largest known (H74x flash word). */
    static final int UNKNOWN_LINE_ALIGNMENT = 32;

    private static final List<Stm32DeviceProfile> ALL = build();

    private static List<Stm32DeviceProfile> build() {
        List<Stm32DeviceProfile> out = new ArrayList<>();
        Stm32Profiles.chips().forEach(c -> out.add(forChip(c)));
        Stm32Profiles.mbootBoards().forEach(b -> out.add(forBoard(b)));
        return List.copyOf(out);
    }

    /** The profile of a chip's ROM bootloader (package-private: {@link ChipProfile} is not exported; embedders use {@link #byId}). */
    static Stm32DeviceProfile forChip(ChipProfile chip) {
        Duration eraseMax = Duration.ZERO;
        for (FlashTiming.SectorErase e : chip.timing().sectorErase()) {
            eraseMax = max(eraseMax, e.time().max());
        }
        DfuQuirks base = budgets(eraseMax, chip.timing().massErase().max());
        // the ROM's own bwPollTimeout values are a lower bound too (dfu-api also extends to 2 x the
        // largest value it sees); a data block may take its programming time with a wide margin
        PollTimeouts polls = chip.rom().polls();
        Duration blockProgramMax = chip.timing().program().max()
                .multipliedBy(chip.rom().transferSize() / chip.programming().unitBytes());
        base = base.toBuilder()
                .commandBudget(max(base.budgets().commandBudget(), Duration.ofMillis(2L * polls.setAddressMs())))
                .writeBudget(max(base.budgets().writeBudget(), max(blockProgramMax.multipliedBy(4), Duration.ofMillis(2L * polls.writeMs()))))
                .eraseBudget(max(base.budgets().eraseBudget(), Duration.ofMillis(2L * polls.eraseMs())))
                .massEraseBudget(max(base.budgets().massEraseBudget(), Duration.ofMillis(2L * polls.massEraseMs())))
                .build();
        Set<RomQuirk> quirks = chip.quirks().isEmpty() ? EnumSet.noneOf(RomQuirk.class) : EnumSet.copyOf(chip.quirks());
        boolean early = chip.rom().busy() == BusyBehaviour.NAK_UNTIL_DONE
                && !quirks.contains(RomQuirk.STALLS_GETSTATUS_WHILE_ERASING);
        return new Stm32DeviceProfile(chip.id() + " ROM", chip.leave(), Stm32Quirks.apply(base, quirks),
                chip.programming().unitBytes(), quirks, early, Optional.of(chip), Optional.empty(), Optional.empty());
    }

    /**
     * The profile of mboot on a board: ignores the leave address (resets), bwPollTimeout always 0 with
     * the USB stack blocked while busy, and the layout corrected to the flash that exists
     * ({@link Stm32DeviceProfile#correctLayout}).
     */
    static Stm32DeviceProfile forBoard(MbootBoard board) {
        ChipProfile chip = board.chip();
        Duration eraseMax = Duration.ZERO;
        Duration internalEraseSum = Duration.ZERO;
        for (Sector s : chip.defaultFlashMap().sectors()) {
            if (s.end() <= board.internalFlashEnd()) {
                Duration t = chip.timing().sectorErase(Math.toIntExact(s.size())).map(TimeRange::max).orElse(Duration.ZERO);
                eraseMax = max(eraseMax, t);
                if (s.start() >= board.appBase()) {
                    internalEraseSum = internalEraseSum.plus(t);
                }
            }
        }
        for (SpiFlash spi : board.spiFlash()) {
            eraseMax = max(eraseMax, spi.erase4k().max().multipliedBy(spi.eraseBytes() / SpiFlash.ERASE_BLOCK));
        }
        // mboot's mass erase is one sector erase after the other (main.c)
        DfuQuirks quirks = budgets(eraseMax, max(internalEraseSum, chip.timing().massErase().max()));
        long base = chip.defaultFlashMap().base();
        Optional<Stm32DeviceProfile.RealFlash> flash = Optional.of(new Stm32DeviceProfile.RealFlash(base,
                board.internalFlashEnd(), board.appBase(), "mboot on " + board.board()));
        // bwPollTimeout is always 0 on mboot: early polling would change nothing
        return new Stm32DeviceProfile(board.id(), LeaveMode.IGNORED_RESETS, quirks, chip.programming().unitBytes(),
                Set.of(), false, Optional.of(chip), Optional.of(board), flash);
    }

    /**
     * An ST ROM bootloader of a line without a chip profile (G4, L4, C0, U5, C5 ...): tolerates every
     * quirk of the table that is safe to assume blindly (stalled GETSTATUS while erasing, skipped
     * dfuDNBUSY, SET_ADDRESS before leave, no CLRSTATUS outside dfuERROR, 35 s mass erase), writes whole
     * 32-byte words, honours wTransferSize. Not assumed: the H7 wedge recovery (sends CLRSTATUS in
     * dfuDNBUSY, which a C5 stalls) and a transfer-size cap (would break DfuSe block addressing on a
     * ROM that uses 2048).
     *
     * @param leaveMode {@link LeaveMode#RESET_HANDLER} for an H7-style ROM ("DFU in FS Mode"), else
     *                  {@link LeaveMode#VECTOR_TABLE}
     */
    static Stm32DeviceProfile unknownStRom(LeaveMode leaveMode) {
        Set<RomQuirk> tolerated = EnumSet.of(RomQuirk.STALLS_GETSTATUS_WHILE_ERASING, RomQuirk.SKIPS_DNBUSY,
                RomQuirk.LEAVE_NEEDS_SET_ADDRESS, RomQuirk.CLRSTATUS_STALLS_OUTSIDE_ERROR,
                RomQuirk.MASS_ERASE_POLL_UNDERSTATED, RomQuirk.LEAVES_BEFORE_MANIFEST_STATUS);
        DfuQuirks base = DfuQuirks.defaults();
        return new Stm32DeviceProfile("unlisted ST ROM", leaveMode, Stm32Quirks.apply(base, tolerated), UNKNOWN_LINE_ALIGNMENT,
                tolerated, false, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** mboot on a board dfu4j does not know: resets on leave, no layout correction. */
    static Stm32DeviceProfile unknownMboot() {
        return new Stm32DeviceProfile("mboot (unlisted board)", LeaveMode.IGNORED_RESETS, DfuQuirks.defaults(), 4,
                Set.of(), false, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Profiles of every chip and every mboot board, chips first (table order). */
    static List<Stm32DeviceProfile> all() {
        return ALL;
    }

    /** The profile for a chip id ("stm32f405") or an mboot board id ("mboot-pybd-sf2"): the simulator's personality ids. */
    static Optional<Stm32DeviceProfile> byId(String id) {
        return ALL.stream().filter(p -> p.boardId().or(p::chipId).filter(id::equals).isPresent()).findFirst();
    }

    private static DfuQuirks budgets(Duration sectorEraseMax, Duration massEraseMax) {
        Duration erase = max(ERASE_BUDGET_FLOOR, sectorEraseMax.multipliedBy(2));
        Duration mass = max(Stm32Quirks.MASS_ERASE_MINIMUM, massEraseMax.multipliedBy(5).dividedBy(4));
        return DfuQuirks.defaults().toBuilder().eraseBudget(erase).massEraseBudget(mass).build();
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
