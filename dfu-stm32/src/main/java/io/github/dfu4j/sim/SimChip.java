package io.github.dfu4j.sim;

import io.github.dfu4j.dfu.DfuState;
import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.layout.Sector;
import io.github.dfu4j.stm32.internal.ChipProfile;
import io.github.dfu4j.stm32.internal.MemoryKind;
import io.github.dfu4j.stm32.internal.Programming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated chip under every bootloader personality: its memories and the DFU state the firmware
 * keeps, its presence on the bus and where it boots after a reset, timing against the {@link SimClock},
 * the memory and vector-table helpers and the direct access tests and the CLI use. {@link SimBootloader}
 * adds the USB side (one control transfer, fault injection, the trace, standard requests); subclasses of
 * that implement the DFU class requests the way their firmware does. Split from SimBootloader at the
 * seam between the chip and its USB face; the behaviour is the same (GoldenSequenceTest).
 *
 * <p>All public entry points are synchronized on the device object.
 *
 * <p>Why this class is over 400 lines: about 70 of them are comments, and the rest is one piece of state (memories,
 * DFU state, bus presence, boot target, clock) whose methods all read and change it under the same lock; splitting
 * it further would hand that lock and state across classes. Already split from SimBootloader at its USB face.
 */
abstract class SimChip {
    /** Same logger name as before the split: the chip's events are the bootloader's. */
    private static final Logger log = LoggerFactory.getLogger(SimBootloader.class);
    /** Time from a reset or failed jump until the bootloader is enumerated again [U: not measured]. */
    static final Duration REBOOT_TO_DFU = Duration.ofMillis(200);
    static final long FLASH_BASE = 0x0800_0000L;

    final Personality personality;
    final ChipProfile chip;
    final SimOptions options;
    final SimClock clock;
    final List<List<Region>> altRegions;
    final List<Region> regions;
    /**
     * The interface strings and the descriptors made from them. Not final: an F76x ROM that restarts
     * with the other bank mode (nDBANK) enumerates with the other flash layout string.
     */
    volatile List<String> altStrings;
    volatile Descriptors descriptors;
    private final String serial;
    private final Map<Integer, String> extraStrings;
    private final boolean msOs;
    /** Internal flash (the region the application lives in). */
    final Region flash;
    final int transferSize;
    /** Multiplier of block addresses: wTransferSize, unless {@link SimOptions#blockStride()} models a misaddressing firmware. */
    final int blockStride;

    // ---- DFU state ---------------------------------------------------------------------------------------
    DfuState state = DfuState.DFU_IDLE;
    DfuStatus status = DfuStatus.OK;
    int iString;
    long pointer = FLASH_BASE;
    int alt;
    /** The command of the current DNLOAD cycle, reported with the GETSTATUS requests that execute it. */
    Command cycle;
    /** Accepted by DNLOAD, waiting for the GETSTATUS that starts it. */
    Command pending;
    byte[] pendingData = new byte[0];
    /** Started by GETSTATUS, running until {@link #busyUntil}. */
    Command executing;
    long busyUntil;
    Completion completion;
    int reportedPoll;

    // ---- bus and boot ------------------------------------------------------------------------------------
    boolean onBus = true;
    int generation = 1;
    long offBusAt = Long.MAX_VALUE;
    Boot bootWhenOff;
    long backInDfuAt = Long.MAX_VALUE;
    RunningApplication app;
    /** The application's USB face when a {@link RuntimeDfuDevice} runs on this board, else null. */
    RuntimeDfuDevice runtimeFace;

    // ---- counters ----------------------------------------------------------------------------------------
    long requests;
    long sectorErases;
    long massErases;
    long writes;
    long bytesWritten;
    long uploads;
    long bytesRead;
    long failedOps;
    long enumerations = 1;

    /** How an executing command ends. */
    record Completion(boolean ok, DfuStatus status, int iString, boolean resetAfter, boolean staysBusy) {
        static final Completion OK = new Completion(true, DfuStatus.OK, 0, false, false);

        Completion(boolean ok, DfuStatus status, int iString, boolean resetAfter) {
            this(ok, status, iString, resetAfter, false);
        }

        /** dfuERROR with this status (mboot reports some failures with status OK). */
        static Completion fail(DfuStatus status, int iString) {
            return new Completion(false, status, iString, false);
        }

        /**
         * The flash work ends as usual but the DFU side never leaves dfuDNBUSY (H743 rev V bank-2 erase
         * wedge): requests are answered again, GETSTATUS with dfuDNBUSY, until CLRSTATUS or a reset.
         */
        Completion wedged() {
            return new Completion(ok, status, iString, resetAfter, true);
        }

        static Completion fail(DfuStatus status) {
            return fail(status, 0);
        }
    }

    /** Where the chip goes when it leaves the bus: the application, or back into the bootloader. */
    record Boot(RunningApplication app, String reason) {
        static Boot dfu(String reason) {
            return new Boot(null, reason);
        }

        boolean toApplication() {
            return app != null;
        }
    }

    SimChip(Personality personality, SimOptions options, SimClock clock, List<List<Region>> altRegions,
            List<String> altStrings, int transferSize, Map<Integer, String> extraStrings, boolean msOs) {
        this.personality = personality;
        this.chip = personality.chip();
        this.options = options;
        this.clock = clock;
        this.altRegions = altRegions.stream().map(List::copyOf).toList();
        List<Region> all = new ArrayList<>();
        altRegions.forEach(all::addAll);
        this.regions = List.copyOf(all);
        this.altStrings = List.copyOf(altStrings);
        this.transferSize = transferSize;
        this.blockStride = options.blockStride().orElse(transferSize);
        this.flash = all.stream().filter(r -> r.kind == MemoryKind.INTERNAL_FLASH).findFirst()
                .orElseThrow(() -> new IllegalStateException(personality.id() + " has no internal flash"));
        this.serial = options.serial().isEmpty() ? personality.defaultSerial() : options.serial();
        this.extraStrings = Map.copyOf(extraStrings);
        this.msOs = msOs;
        this.descriptors = new Descriptors(usbIdentity(), serial, altStrings, transferSize, extraStrings, msOs, dfuAttributes(),
                detachTimeoutMs(), bcdDfu());
    }

    abstract io.github.dfu4j.stm32.internal.UsbIdentity usbIdentity();

    /** bmAttributes of the DFU functional descriptor (called from the constructor: no subclass fields yet). */
    int dfuAttributes() {
        return io.github.dfu4j.stm32.internal.DfuRom.ATTRIBUTES_ST;
    }

    /** wDetachTimeOut of the DFU functional descriptor, ms. */
    int detachTimeoutMs() {
        return 255;
    }

    /** bcdDFUVersion of the DFU functional descriptor: DfuSe 1.1a unless the bootloader is plain DFU 1.1. */
    int bcdDfu() {
        return io.github.dfu4j.stm32.internal.DfuRom.BCD_DFUSE;
    }

    /**
     * The {@code FlashMap#mode()} of the sector map the bootloader runs with now:
     * the options' (or the chip's default) unless the firmware switches maps.
     */
    String flashMode() {
        return options.flashMode().isEmpty() ? chip.defaultFlashMap().mode() : options.flashMode();
    }

    /**
     * The firmware starts after a reset and reads the option bytes the reset loaded: nothing by
     * default; an F76x ROM picks its flash map from nDBANK here.
     *
     * @param eraseOnChange whether a changed flash map erases the flash (a reset does; restoring a
     *                      state file keeps the contents it holds)
     */
    void optionBytesLoaded(boolean eraseOnChange) {
    }

    /** New interface strings (same count), for the enumerations from now on. */
    void replaceAltStrings(List<String> strings) {
        if (strings.size() != altStrings.size()) {
            throw new IllegalStateException(personality.id() + ": " + strings.size() + " alt settings instead of " + altStrings.size());
        }
        altStrings = List.copyOf(strings);
        descriptors = new Descriptors(usbIdentity(), serial, altStrings, transferSize, extraStrings, msOs, dfuAttributes(),
                detachTimeoutMs(), bcdDfu());
    }

    /** Where a reset (option-byte write, read unprotect, mboot leave) ends up. */
    abstract Boot bootAfterReset(String why);

    /** Resets the DFU state as the firmware does when it starts. */
    /** A DNLOAD's command and a copy of its bytes, waiting for the GETSTATUS that runs them. */
    void queue(Command cmd, byte[] data) {
        cycle = cmd;
        pending = cmd;
        pendingData = data.clone();
    }

    /** The waiting download's bytes, handed to the GETSTATUS that runs it: nothing waits any more. */
    byte[] takePendingData() {
        byte[] data = pendingData;
        pending = null;
        pendingData = new byte[0];
        return data;
    }

    void resetDfuState() {
        state = DfuState.DFU_IDLE;
        status = DfuStatus.OK;
        iString = 0;
        pointer = FLASH_BASE;
        alt = 0;
        cycle = null;
        pending = null;
        pendingData = new byte[0];
        executing = null;
        completion = null;
        busyUntil = 0;
    }

    // ---- time -------------------------------------------------------------------------------------------

    long now() {
        return clock.nanoTime();
    }

    /** Applies everything that has happened by now: finished operations, leaving and re-joining the bus. */
    void sync() {
        long now = now();
        if (state == DfuState.DFU_DNBUSY && executing != null && now >= busyUntil) {
            finishExecution();
        }
        if (onBus && now >= offBusAt) {
            dropOffBus();
        }
        if (!onBus && now >= backInDfuAt) {
            enumerateInDfu();
        }
    }

    private void finishExecution() {
        Completion c = completion;
        executing = null;
        completion = null;
        if (c.staysBusy()) {
            return; // state stays dfuDNBUSY; nothing is NAKed any more (executing is gone)
        }
        if (c.ok()) {
            state = DfuState.DFU_DNLOAD_SYNC;
        } else {
            failedOps++;
            state = DfuState.DFU_ERROR;
            status = c.status();
            iString = c.iString();
        }
        if (c.resetAfter()) {
            optionBytesLoaded(true); // the reset reloads the option bytes before anything boots
            scheduleOffBus(busyUntil, bootAfterReset("system reset after the operation"));
        }
    }

    /** The chip will drop off the bus at {@code at} and then follow {@code boot}. */
    void scheduleOffBus(long at, Boot boot) {
        offBusAt = at;
        bootWhenOff = boot;
    }

    private void dropOffBus() {
        long at = offBusAt;
        onBus = false;
        generation++;
        offBusAt = Long.MAX_VALUE;
        executing = null;
        completion = null;
        Boot boot = bootWhenOff;
        bootWhenOff = null;
        if (boot != null && boot.toApplication()) {
            app = boot.app();
            backInDfuAt = Long.MAX_VALUE;
            log.debug("{}: {}", personality.id(), app);
        } else {
            app = null;
            backInDfuAt = SimClock.saturatedAdd(at, REBOOT_TO_DFU.toNanos());
            log.debug("{}: back in DFU mode shortly ({})", personality.id(), boot == null ? "reset" : boot.reason());
        }
    }

    private void enumerateInDfu() {
        optionBytesLoaded(true); // every way back into the ROM passes a reset
        onBus = true;
        generation++;
        backInDfuAt = Long.MAX_VALUE;
        app = null;
        enumerations++;
        resetDfuState();
    }

    /** Leaves the bus right now (a cable pull): comes back in DFU mode after {@code reattach}. */
    void disconnectNow(Duration reattach) {
        scheduleOffBus(now(), Boot.dfu("disconnected"));
        sync();
        backInDfuAt = SimClock.saturatedAdd(now(), reattach.toNanos());
        if (!onBus && now() >= backInDfuAt) {
            enumerateInDfu();
        }
    }

    // ---- memory helpers ----------------------------------------------------------------------------------

    /** The region of the current alt setting holding [address, address+length), if any. */
    Optional<Region> altRegion(long address, long length) {
        for (Region r : altRegions.get(alt)) {
            if (r.contains(address, Math.max(1, length))) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    Optional<Region> anyRegion(long address, long length) {
        for (Region r : regions) {
            if (r.contains(address, Math.max(1, length))) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** {@link NorProgramming#program}: the NOR rules of {@code prog}. */
    static DfuStatus program(Region r, long address, byte[] data, Programming prog, boolean verify) {
        return NorProgramming.program(r, address, data, prog, verify);
    }

    /** {@link NorProgramming#units}. */
    static long units(long address, int length, int unit) {
        return NorProgramming.units(address, length, unit);
    }

    Duration eraseTime(Sector s) {
        return duration(chip.timing().sectorErase(Math.toIntExact(s.size())).orElseThrow(() -> new IllegalStateException(
                chip.id() + " has no erase time for " + s.size() + "-byte sectors")));
    }

    /** How long an operation takes here: the typical time, or the maximum with {@link SimOptions#worstCaseTiming()}. */
    Duration duration(io.github.dfu4j.stm32.internal.TimeRange range) {
        return options.worstCaseTiming() ? range.max() : range.typical();
    }

    // ---- application detection ---------------------------------------------------------------------------

    /**
     * The vector table at {@code address} as a Cortex-M core would take it: word 0 the initial
     * stack pointer (must point into RAM, or one past its end, word aligned), word 1 the reset
     * vector (Thumb bit set, pointing into programmed internal flash).
     */
    Optional<RunningApplication> vectorTableAt(long address, String how) {
        if ((address & 3) != 0 || !flash.contains(address, 8)) {
            return Optional.empty();
        }
        long sp = flash.word(address);
        long reset = flash.word(address + 4);
        long handler = reset & ~1L;
        if ((sp & 3) != 0 || !chip.isStackPointerInRam(sp) || (reset & 1) == 0 || !flash.contains(handler, 2)
                || flash.isErased(handler, 2)) {
            return Optional.empty();
        }
        return Optional.of(new RunningApplication(address, reset, how));
    }

    // ---- direct access for tests and the CLI -------------------------------------------------------------

    synchronized byte[] peek(long address, int length) {
        Region r = anyRegion(address, length).orElseThrow(() -> new IllegalArgumentException(
                String.format("0x%08x+%d is not inside one memory of %s", address, length, personality.id())));
        return r.read(address, length);
    }

    synchronized void poke(long address, byte[] data) {
        Region r = anyRegion(address, data.length).orElseThrow(() -> new IllegalArgumentException(
                String.format("0x%08x+%d is not inside one memory of %s", address, data.length, personality.id())));
        r.write(address, data);
    }

    /** The user puts the board into the bootloader (reset with the DFU entry condition). */
    synchronized void enterDfu() {
        sync();
        if (!onBus) {
            enumerateInDfu();
        }
    }

    /** Gives a transport for the current enumeration once the device is back in DFU mode, or empty. */
    synchronized Optional<Integer> awaitDfu(Duration timeout) {
        sync();
        return onBusBy(SimClock.saturatedAdd(now(), timeout.toNanos()));
    }

    /** After a sync: the enumeration on the bus now, or the one back in DFU mode by {@code deadline}. */
    private Optional<Integer> onBusBy(long deadline) {
        if (onBus) {
            return Optional.of(generation);
        }
        if (backInDfuAt <= deadline) {
            clock.passUntil(backInDfuAt);
            sync();
            return onBus ? Optional.of(generation) : Optional.empty();
        }
        clock.passUntil(deadline);
        sync();
        return Optional.empty();
    }

    /**
     * Like {@link #awaitDfu} but only a later enumeration than {@code oldGeneration} counts: a device
     * that has not left the bus yet (mboot answers dfuMANIFEST, then resets 100 ms later) is not mistaken
     * for the one that comes back, as a real host finding the device by port would not either.
     */
    synchronized Optional<Integer> awaitNewEnumeration(int oldGeneration, Duration timeout) {
        sync();
        long deadline = SimClock.saturatedAdd(now(), timeout.toNanos());
        if (onBus && generation == oldGeneration) {
            if (offBusAt > deadline) {
                clock.passUntil(deadline);
                sync();
                return onBus && generation != oldGeneration ? Optional.of(generation) : Optional.empty();
            }
            clock.passUntil(offBusAt);
            sync();
        }
        return onBusBy(deadline);
    }

    synchronized boolean isCurrent(int gen) {
        sync();
        return onBus && gen == generation;
    }
}
