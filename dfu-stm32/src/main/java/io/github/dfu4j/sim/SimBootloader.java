package io.github.dfu4j.sim;

import io.github.dfu4j.sim.SimulatedDevice.TraceEntry;
import io.github.dfu4j.sim.SimulatedDevice.SimStats;
import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.dfu.DfuState;

import io.github.dfu4j.dfu.DfuRequest;

import io.github.dfu4j.stm32.internal.ChipProfile;
import io.github.dfu4j.stm32.internal.MemoryKind;
import io.github.dfu4j.stm32.internal.Programming;
import io.github.dfu4j.layout.Sector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machinery every simulated DfuSe bootloader shares: memories, the bus presence and boot model,
 * timing against the {@link SimClock}, fault injection, the request trace, the standard USB
 * requests and descriptors. Subclasses implement the DFU class requests the way their firmware does.
 *
 * <p>All public entry points are synchronized: the in-process transport, a raw_gadget bridge
 * thread and a test's queries may interleave.
 */
abstract class SimBootloader implements UsbControlEndpoint {
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

    // ---- faults, trace, counters -------------------------------------------------------------------------
    private final List<FaultRule> faults = new ArrayList<>();
    private final List<long[]> faultCounts = new ArrayList<>();
    private final ArrayDeque<TraceEntry> trace = new ArrayDeque<>();
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

    /** How one control transfer ended. */
    record Exchange(TraceEntry.Result result, byte[] data) {
        static final byte[] NONE = new byte[0];

        static Exchange ack() {
            return new Exchange(TraceEntry.Result.ACK, NONE);
        }

        static Exchange stall() {
            return new Exchange(TraceEntry.Result.STALL, NONE);
        }

        static Exchange timeout() {
            return new Exchange(TraceEntry.Result.TIMEOUT, NONE);
        }

        static Exchange gone() {
            return new Exchange(TraceEntry.Result.NO_DEVICE, NONE);
        }

        static Exchange data(byte[] d) {
            return new Exchange(TraceEntry.Result.DATA, d);
        }
    }

    SimBootloader(Personality personality, SimOptions options, SimClock clock, List<List<Region>> altRegions,
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
        options.faults().forEach(this::addFault);
        if (options.firmwareErrorAtStart()) {
            state = DfuState.DFU_ERROR;
            status = DfuStatus.ERR_FIRMWARE;
        }
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
     * The {@link io.github.dfu4j.stm32.internal.FlashMap#mode()} of the sector map the bootloader runs with now:
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

    /** Handles one DFU class request (direction and interface already checked, busy NAK already waited). */
    abstract Exchange dfuRequest(SimRequest request, byte[] data);

    /** Where a reset (option-byte write, read unprotect, mboot leave) ends up. */
    abstract Boot bootAfterReset(String why);

    /** The bus reset handler in DFU mode. */
    abstract void dfuBusReset();

    /** Resets the DFU state as the firmware does when it starts. */
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

    // ---- the exchange: one control transfer --------------------------------------------------------------

    /**
     * One control transfer from a host.
     *
     * @param hostTimeout the host's control timeout, or null for "wait forever" (raw_gadget bridge)
     * @param busTime     whether to charge USB bus time (false when a real bus carries the transfer)
     * @param transportGeneration the enumeration the caller opened, or -1 for "whatever is on the bus"
     */
    synchronized Exchange exchange(int bmRequestType, int bRequest, int wValue, int wIndex, int wLength, byte[] data,
                                   Duration hostTimeout, boolean busTime, int transportGeneration) {
        sync();
        if (!onBus || (transportGeneration >= 0 && transportGeneration != generation)) {
            return Exchange.gone();
        }
        int dataLength = (bmRequestType & 0x80) != 0 ? wLength : data.length;
        boolean standard = (bmRequestType & 0x60) != 0x20;
        Optional<DfuRequest> kind = Optional.ofNullable(DfuRequest.fromCode(bRequest));
        if (busyNak()) {
            // the flash operation runs in the USB interrupt: nothing on EP0 is answered until it ends
            long wait = busyUntil - now();
            if (hostTimeout != null && wait > hostTimeout.toNanos()) {
                if (!standard && kind.isPresent()) {
                    record(describe(kind.get(), wValue, wLength, data), Exchange.timeout(), null);
                    requests++;
                }
                clock.pass(hostTimeout);
                sync();
                return Exchange.timeout();
            }
            clock.passUntil(busyUntil);
            sync();
            if (!onBus || (transportGeneration >= 0 && transportGeneration != generation)) {
                return Exchange.gone();
            }
        }
        if (standard) {
            if (busTime) {
                clock.pass(options.usbTiming().transferTime(dataLength));
            }
            return standardRequest(bmRequestType, bRequest, wValue, wIndex, wLength);
        }
        if (kind.isEmpty() || wIndex != 0 || (bmRequestType != (kind.get().isDeviceToHost() ? 0xA1 : 0x21))) {
            return Exchange.stall();
        }
        DfuRequest request = kind.get();
        SimRequest req = describe(request, wValue, wLength, data);
        requests++;
        Fault fault = matchFault(req);
        if (fault != null) {
            Exchange injected = applyFault(fault, req, hostTimeout);
            if (injected != null) {
                record(req, injected, fault);
                return injected;
            }
        }
        if (busTime) {
            clock.pass(options.usbTiming().transferTime(dataLength));
            sync();
            if (!onBus) {
                record(req, Exchange.gone(), fault);
                return Exchange.gone();
            }
        }
        Exchange ex = dfuRequest(req, data);
        if (ex.result() == TraceEntry.Result.DATA && ex.data().length > wLength) {
            ex = Exchange.data(Arrays.copyOf(ex.data(), wLength));
        }
        record(req, ex, fault);
        return ex;
    }

    /** True while an operation runs and this bootloader's USB stack NAKs until it is done. */
    boolean busyNak() {
        return state == DfuState.DFU_DNBUSY && executing != null && now() < busyUntil
                && personalityNaksWhileBusy();
    }

    abstract boolean personalityNaksWhileBusy();

    /**
     * Whether GET_DESCRIPTOR(DFU functional, 0x21) on its own is answered; the functional descriptor is
     * always part of the configuration descriptor. False models the STM32C5 ROM, which only has it there.
     */
    boolean answersStandaloneFunctionalDescriptor() {
        return true;
    }

    private SimRequest describe(DfuRequest request, int wValue, int wLength, byte[] data) {
        Command command = switch (request) {
            case DNLOAD -> decodeDnload(wValue, data);
            case UPLOAD -> decodeUpload(wValue, wLength);
            case GETSTATUS -> (state == DfuState.DFU_DNLOAD_SYNC || state == DfuState.DFU_DNBUSY
                    || state == DfuState.DFU_MANIFEST_SYNC) ? cycle : null;
            default -> null;
        };
        return new SimRequest(requests, clock.elapsed(), alt, request, wValue, wLength, state, Optional.ofNullable(command));
    }

    /** DfuSe decoding of a DNLOAD (docs/reference/dfu.md §2.2); mboot and the ROM agree on the encoding. */
    Command decodeDnload(int blockNum, byte[] data) {
        if (data.length == 0) {
            return new Command.Leave(pointer);
        }
        if (blockNum >= 2) {
            return new Command.Write(blockAddress(blockNum), data.length);
        }
        if (blockNum == 0) {
            int op = data[0] & 0xFF;
            if (data.length == 5 && (op == 0x21 || op == 0x41)) {
                long a = (data[1] & 0xFFL) | (data[2] & 0xFFL) << 8 | (data[3] & 0xFFL) << 16 | (data[4] & 0xFFL) << 24;
                return op == 0x21 ? new Command.SetAddress(a) : new Command.Erase(a);
            }
            if (data.length == 1 && op == 0x41) {
                return new Command.MassErase();
            }
            if (data.length == 1 && op == 0x92) {
                return new Command.ReadUnprotect();
            }
        }
        return new Command.Unsupported(blockNum, HexFormat.of().formatHex(data, 0, Math.min(data.length, 8)));
    }

    Command decodeUpload(int blockNum, int length) {
        return switch (blockNum) {
            case 0 -> new Command.GetCommands();
            case 1 -> new Command.Unsupported(1, "");
            default -> new Command.Read(blockAddress(blockNum), length);
        };
    }

    /** pointer + (wBlockNum - 2) * wTransferSize, in 32-bit arithmetic like the firmware (docs/reference/dfu.md §2.2). */
    long blockAddress(int blockNum) {
        return (pointer + (long) (blockNum - 2) * blockStride) & 0xFFFF_FFFFL;
    }

    // ---- faults ------------------------------------------------------------------------------------------

    synchronized void addFault(FaultRule rule) {
        faults.add(rule);
        faultCounts.add(new long[1]);
    }

    synchronized void clearFaults() {
        faults.clear();
        faultCounts.clear();
    }

    private Fault matchFault(SimRequest req) {
        Fault fires = null;
        for (int i = 0; i < faults.size(); i++) {
            FaultRule rule = faults.get(i);
            if (rule.when().matches(req)) {
                long n = ++faultCounts.get(i)[0];
                if (fires == null && rule.firesAt(n)) {
                    fires = rule.fault();
                }
            }
        }
        return fires;
    }

    /** @return the outcome decided by the fault, or null to continue with normal handling */
    private Exchange applyFault(Fault fault, SimRequest req, Duration hostTimeout) {
        log.debug("{}: injecting {} at {}", personality.id(), fault, req);
        if (fault instanceof Fault.Stall) {
            return Exchange.stall();
        }
        if (fault instanceof Fault.Timeout) {
            if (hostTimeout == null) {
                return Exchange.stall();
            }
            clock.pass(hostTimeout);
            sync();
            return Exchange.timeout();
        }
        if (fault instanceof Fault.Disconnect d) {
            disconnectNow(d.reattachAfter());
            return Exchange.gone();
        }
        if (fault instanceof Fault.Status s) {
            state = DfuState.DFU_ERROR;
            status = s.status();
            iString = 0;
            pending = null;
            executing = null;
            completion = null;
            failedOps++;
            return req.request() == DfuRequest.GETSTATUS ? Exchange.data(statusReply(0)) : Exchange.stall();
        }
        if (fault instanceof Fault.Delay d) {
            if (hostTimeout != null && d.delay().compareTo(hostTimeout) > 0) {
                clock.pass(hostTimeout);
                sync();
                return Exchange.timeout();
            }
            clock.pass(d.delay());
            sync();
            return null;
        }
        throw new IllegalStateException("unknown fault " + fault);
    }

    // ---- trace ------------------------------------------------------------------------------------------

    private void record(SimRequest req, Exchange ex, Fault fault) {
        if (options.traceLimit() == 0) {
            return;
        }
        if (trace.size() >= options.traceLimit()) {
            trace.removeFirst();
        }
        int len = ex.result() == TraceEntry.Result.DATA ? ex.data().length : 0;
        trace.addLast(new TraceEntry(req, ex.result(), len, Optional.ofNullable(fault), state, status));
    }

    synchronized List<TraceEntry> trace() {
        return List.copyOf(trace);
    }

    synchronized SimStats stats() {
        return new SimStats(requests, sectorErases, massErases, writes, bytesWritten, uploads, bytesRead, failedOps, enumerations);
    }

    // ---- replies -----------------------------------------------------------------------------------------

    /** The 6-byte GETSTATUS payload (docs/reference/dfu.md §1.6). */
    byte[] statusReply(int pollMs) {
        return new byte[] {(byte) status.code(), (byte) pollMs, (byte) (pollMs >> 8), (byte) (pollMs >> 16),
                (byte) state.code(), (byte) iString};
    }

    byte[] statusReply(DfuStatus s, int pollMs, DfuState st, int istr) {
        return new byte[] {(byte) s.code(), (byte) pollMs, (byte) (pollMs >> 8), (byte) (pollMs >> 16),
                (byte) st.code(), (byte) istr};
    }

    /** An unexpected request: stall, dfuERROR/errSTALLEDPKT (docs/reference/dfu.md §1.4). */
    Exchange stallToError() {
        state = DfuState.DFU_ERROR;
        status = DfuStatus.ERR_STALLEDPKT;
        iString = 0;
        pending = null;
        return Exchange.stall();
    }

    // ---- standard requests -------------------------------------------------------------------------------

    private Exchange standardRequest(int bmRequestType, int bRequest, int wValue, int wIndex, int wLength) {
        switch (bmRequestType) {
            case 0x80 -> {
                return switch (bRequest) {
                    case 0 -> Exchange.data(new byte[] {1, 0}); // GET_STATUS: self-powered (bmAttributes 0xC0)
                    case 6 -> descriptorRequest(wValue);
                    case 8 -> Exchange.data(new byte[] {1}); // GET_CONFIGURATION
                    default -> Exchange.stall();
                };
            }
            case 0x00 -> {
                return bRequest == 9 && (wValue == 0 || wValue == 1) ? Exchange.ack() : Exchange.stall();
            }
            case 0x01 -> {
                if (bRequest == 11 && wIndex == 0 && wValue >= 0 && wValue < altRegions.size()) {
                    alt = wValue;
                    return Exchange.ack();
                }
                return Exchange.stall();
            }
            case 0x81 -> {
                if (bRequest == 10 && wIndex == 0) {
                    return Exchange.data(new byte[] {(byte) alt});
                }
                if (bRequest == 0) {
                    return Exchange.data(new byte[] {0, 0});
                }
                return Exchange.stall();
            }
            default -> {
                return Exchange.stall();
            }
        }
    }

    private Exchange descriptorRequest(int wValue) {
        byte[] d = switch (wValue >> 8) {
            case 1 -> descriptors.device();
            case 2 -> descriptors.configuration();
            case 3 -> descriptors.string(wValue & 0xFF);
            case 0x21 -> answersStandaloneFunctionalDescriptor() ? descriptors.functional() : null;
            default -> null;
        };
        return d == null ? Exchange.stall() : Exchange.data(d);
    }

    // ---- UsbControlEndpoint ------------------------------------------------------------------------------

    @Override
    public byte[] deviceDescriptor() {
        return descriptors.device();
    }

    @Override
    public byte[] configurationDescriptor() {
        return descriptors.configuration();
    }

    @Override
    public byte[] stringDescriptor(int index) {
        return descriptors.string(index);
    }

    @Override
    public ControlReply control(int bmRequestType, int bRequest, int wValue, int wIndex, int wLength, byte[] dataOut) {
        Exchange ex = exchange(bmRequestType, bRequest, wValue, wIndex, wLength, dataOut == null ? new byte[0] : dataOut,
                null, false, -1);
        return switch (ex.result()) {
            case DATA -> ControlReply.data(ex.data());
            case ACK -> ControlReply.ack();
            default -> ControlReply.stall();
        };
    }

    @Override
    public synchronized void busReset() {
        sync();
        if (onBus) {
            dfuBusReset();
        }
    }

    @Override
    public synchronized boolean connected() {
        sync();
        return onBus;
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

    /**
     * Programs {@code data} at {@code address} under the NOR rules of {@code prog}: units are
     * written whole, the parts of a unit outside {@code data} are padded with 0xFF.
     *
     * @param verify whether the firmware reads back and reports a mismatch (errVERIFY)
     * @return OK, errPROG (a unit was not erased and the controller refused it; earlier units are
     *         programmed) or errVERIFY (AND semantics left a bit at 0 that should be 1)
     */
    static DfuStatus program(Region r, long address, byte[] data, Programming prog, boolean verify) {
        int unit = prog.unitBytes();
        long start = r.base + Math.floorDiv(address - r.base, unit) * (long) unit;
        long end = Math.min(r.end(), r.base + Math.floorDiv(address + data.length - r.base + unit - 1, unit) * (long) unit);
        // result starts as the current content and is changed in place: the 0xFF padding of a unit
        // outside data changes nothing under AND_BITS, and under REFUSE_UNIT only erased units are
        // written, whose padding bytes are 0xFF already (no padded copy of data per block)
        byte[] result = r.read(start, (int) (end - start));
        int off = (int) (address - start);
        DfuStatus outcome = DfuStatus.OK;
        if (prog.overwrite() == Programming.Overwrite.REFUSE_UNIT) {
            int written = 0;
            for (int u = 0; u < result.length; u += unit) {
                int n = Math.min(unit, result.length - u);
                boolean erased = true;
                for (int i = u; i < u + n && erased; i++) {
                    erased = result[i] == (byte) 0xFF;
                }
                if (!erased) {
                    outcome = DfuStatus.ERR_PROG;
                    break;
                }
                written = u + n;
            }
            int copy = Math.max(0, Math.min(data.length, written - off));
            System.arraycopy(data, 0, result, off, copy);
        } else {
            for (int i = 0; i < data.length; i++) {
                result[off + i] &= data[i];
            }
        }
        r.write(start, result);
        if (outcome == DfuStatus.OK && verify && prog.overwrite() == Programming.Overwrite.AND_BITS) {
            for (int i = 0; i < data.length; i++) {
                if (result[off + i] != data[i]) {
                    return DfuStatus.ERR_VERIFY;
                }
            }
        }
        return outcome;
    }

    /** Programming units touched by a write, for its duration. */
    static long units(long address, int length, int unit) {
        long first = Math.floorDiv(address, unit);
        long last = Math.floorDiv(address + Math.max(1, length) - 1, unit);
        return last - first + 1;
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
        if (onBus) {
            return Optional.of(generation);
        }
        long deadline = SimClock.saturatedAdd(now(), timeout.toNanos());
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

    synchronized boolean isCurrent(int gen) {
        sync();
        return onBus && gen == generation;
    }
}
