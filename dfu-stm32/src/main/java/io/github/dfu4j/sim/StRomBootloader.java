package io.github.dfu4j.sim;

import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.dfu.DfuState;

import io.github.dfu4j.sim.BusyBehaviour;
import io.github.dfu4j.stm32.internal.ChipProfile;
import io.github.dfu4j.stm32.internal.FlashMap;
import io.github.dfu4j.stm32.internal.MemoryArea;
import io.github.dfu4j.stm32.internal.MemoryKind;
import io.github.dfu4j.stm32.internal.OptionBytes;
import io.github.dfu4j.stm32.internal.PollTimeouts;
import io.github.dfu4j.stm32.internal.Programming;
import io.github.dfu4j.stm32.internal.RomAltSetting;
import io.github.dfu4j.stm32.RomQuirk;
import io.github.dfu4j.layout.Sector;
import io.github.dfu4j.stm32.internal.UsbIdentity;
import io.github.dfu4j.stm32.optionbytes.BootTarget;
import io.github.dfu4j.stm32.optionbytes.OptionByteFormatException;
import io.github.dfu4j.stm32.optionbytes.OptionByteImage;
import io.github.dfu4j.stm32.optionbytes.OptionByteLayout;
import io.github.dfu4j.stm32.optionbytes.OptionByteLayouts;
import io.github.dfu4j.stm32.optionbytes.OptionByteReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An ST system-memory DfuSe bootloader (AN3156 protocol) driven by a {@link ChipProfile}.
 *
 * <p>The DFU state machine is the DFU 1.1 table (docs/reference/dfu.md §1.4) with the DfuSe deviations of
 * docs/reference/dfu.md §2.2-§2.5: DNLOAD only stores the command, the first GETSTATUS answers dfuDNBUSY with the
 * profile's bwPollTimeout and starts it, the next one answers dfuDNLOAD-IDLE or dfuERROR; a
 * zero-length DNLOAD in dfuIDLE or dfuDNLOAD-IDLE leaves. Errors are reported as AN2662 describes:
 * address not allowed → errTARGET, read protection → errVENDOR, unsupported command → stall with
 * errSTALLEDPKT.
 */
final class StRomBootloader extends SimBootloader {
    /**
     * The option-byte field that selects the flash map at reset, and the {@link FlashMap#mode()} each
     * value selects: F76x FLASH_OPTCR nDBANK (bit 29), 1 = single bank (factory), 0 = dual bank
     * (docs/reference/stm32.md §3.3, §4.1, §4.4 [V] R12). Chips without the field keep the map they were made with.
     */
    static final String BANK_MODE_FIELD = "nDBANK";
    static final Map<Long, String> BANK_MODES = Map.of(0L, "dual", 1L, "single");

    /** The map the ROM runs with: chosen at creation, then by {@link #BANK_MODE_FIELD} at every reset. */
    private FlashMap flashMap;
    private final OptionBytes optionBytes;
    /** The option-byte codec of the chip (boot selection from BOOT_SEL/nBOOT0/BOOT_ADDx), or null. */
    private final OptionByteLayout optionLayout;
    /**
     * The last DfuSe command executed was a successful SET_ADDRESS ({@link RomQuirk#LEAVE_NEEDS_SET_ADDRESS}:
     * the C071 ROM refuses to leave otherwise).
     */
    private boolean addressSetBeforeLeave;

    private StRomBootloader(Personality p, SimOptions o, SimClock clock, FlashMap map, List<List<Region>> altRegions,
                            List<String> altStrings) {
        super(p, o, clock, altRegions, altStrings, o.transferSize().orElse(p.chip().rom().transferSize()), Map.of(), false);
        this.flashMap = map;
        this.optionBytes = p.chip().optionBytes();
        this.optionLayout = OptionByteLayouts.forChip(p.chip().id()).orElse(null);
        OptionByteImage factory = optionLayout != null ? factoryImage(optionLayout, map) : null;
        for (Region r : regions) {
            if (r.kind == MemoryKind.OPTION_BYTES) {
                List<MemoryArea> blocks = optionBytes.blocks();
                for (int i = 0; i < blocks.size(); i++) {
                    if (blocks.get(i).address() == r.base) {
                        // the codec's factory image: the profile's bytes plus reference-manual boot addresses (F7/H7)
                        r.write(r.base, factory != null ? factory.block(i) : optionBytes.defaults(i));
                    }
                }
            }
        }
        if (o.readProtected()) {
            optionRegion().write(optionBytes.address() + optionBytes.rdpOffset(), new byte[] {(byte) 0xBB});
        }
    }

    /**
     * The codec's factory image with the bank-mode bit matching the simulated flash map: an F76x built
     * with {@code withFlashMode("dual")} reads nDBANK=0, as the chip that has that map would. Writing
     * nDBANK later switches the map at the reset that follows ({@link #optionBytesLoaded}).
     */
    private static OptionByteImage factoryImage(OptionByteLayout layout, FlashMap map) {
        OptionByteImage f = layout.factoryDefaults();
        if (layout.field(BANK_MODE_FIELD).isEmpty()) {
            return f;
        }
        long value = BANK_MODES.entrySet().stream().filter(e -> e.getValue().equals(map.mode())).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new IllegalStateException("no " + BANK_MODE_FIELD + " value selects the "
                        + map.mode() + " map"));
        return layout.encode(f, Map.of(BANK_MODE_FIELD, value));
    }

    @Override
    String flashMode() {
        return flashMap.mode();
    }

    /**
     * The ROM comes up with the sector map nDBANK selects, and enumerates with that map's layout string
     * (docs/reference/stm32.md §4.1: 2 MB F76x single bank 4x32K,1x128K,7x256K; dual bank 4x16K,1x64K,7x128K at
     * 0x08000000 and again at 0x08100000, sectors 12-23). What a bank-mode change does to the flash
     * contents is not in docs/reference [U]: in single-bank mode the two physical banks are read as one
     * wider array, so a byte need not stay at its address; the simulator takes the conservative view and
     * erases the whole main flash when the map changes (the option-byte codec already tells users to
     * erase after changing nDBANK).
     */
    @Override
    void optionBytesLoaded(boolean eraseOnChange) {
        if (optionLayout == null || optionLayout.field(BANK_MODE_FIELD).isEmpty()) {
            return;
        }
        String mode = BANK_MODES.get(optionReport().value(BANK_MODE_FIELD));
        if (mode == null || mode.equals(flashMap.mode())) {
            return;
        }
        FlashMap next = chip.flashMap(mode).orElseThrow(() -> new IllegalStateException(
                chip.id() + ": " + BANK_MODE_FIELD + " selects a '" + mode + "' flash map the profile does not have"));
        if (next.base() != flash.base || next.size() != flash.size) {
            // the region (and a state file's region table) keeps its extent; only the sectors change
            throw new IllegalStateException(chip.id() + ": the " + mode + " flash map does not cover the same range");
        }
        flash.resector(next.sectors());
        replaceAltStrings(chip.altSettings(next).stream().map(RomAltSetting::layout).toList());
        flashMap = next;
        if (eraseOnChange) {
            eraseAllFlash();
        }
    }

    static StRomBootloader create(Personality p, SimOptions o, SimClock clock) {
        ChipProfile chip = p.chip();
        FlashMap map = o.flashMode().isEmpty() ? chip.defaultFlashMap() : chip.flashMap(o.flashMode()).orElseThrow(() ->
                new IllegalArgumentException(p.id() + " has no flash mode '" + o.flashMode() + "'; modes: "
                        + chip.flashMaps().stream().map(FlashMap::mode).toList()));
        if (map.end() - map.base() != map.size()) {
            throw new IllegalStateException(p.id() + ": flash map " + map.mode() + " has holes");
        }
        List<List<Region>> alts = new ArrayList<>();
        List<String> strings = new ArrayList<>();
        for (RomAltSetting a : chip.altSettings(map)) {
            LayoutZones layout = LayoutZones.parse(a.layout());
            List<Region> regs = new ArrayList<>();
            String name = layout.name().trim();
            if (a.kind() == MemoryKind.INTERNAL_FLASH) {
                LayoutZones.Run first = layout.zones().get(0).runs().get(0);
                regs.add(new Region(name, a.kind(), map.base(), map.size(), first.readable(), first.erasable(),
                        first.writeable(), map.sectors(), null));
            } else {
                for (LayoutZones.Zone z : layout.zones()) {
                    LayoutZones.Run first = z.runs().get(0);
                    regs.add(new Region(name, a.kind(), z.address(), z.size(), first.readable(), first.erasable(),
                            first.writeable(), List.of(), null));
                }
            }
            alts.add(regs);
            strings.add(a.layout());
        }
        return new StRomBootloader(p, o, clock, map, alts, strings);
    }

    /**
     * Largest DNLOAD a {@link RomQuirk#LARGE_BLOCKS_STALL} ROM accepts: the STM32G431 report works with
     * 1024-byte blocks and stalls on 2048 ([O] siliconwitchery/web-stm32-updater issue 3).
     */
    static final int LARGE_BLOCKS_LIMIT = 1024;

    boolean quirk(RomQuirk q) {
        if (q == RomQuirk.CLRSTATUS_OUTSIDE_ERROR_SETS_ERR_UNKNOWN && quirk(RomQuirk.CLRSTATUS_STALLS_OUTSIDE_ERROR)) {
            return false; // a C5-like ROM stalls CLRSTATUS instead
        }
        return (chip.has(q) || options.addedQuirks().contains(q)) && !options.disabledQuirks().contains(q);
    }

    @Override
    void resetDfuState() {
        super.resetDfuState();
        addressSetBeforeLeave = false;
    }

    /** An erase is running and this ROM stalls GETSTATUS meanwhile (STM32L4-style). */
    private boolean stallsStatusNow() {
        return quirk(RomQuirk.STALLS_GETSTATUS_WHILE_ERASING)
                && (executing instanceof Command.Erase || executing instanceof Command.MassErase);
    }

    @Override
    boolean answersStandaloneFunctionalDescriptor() {
        // the C5 ROM only has it inside the configuration descriptor (betaflight-configurator PR 5300)
        return !quirk(RomQuirk.CLRSTATUS_STALLS_OUTSIDE_ERROR);
    }

    @Override
    UsbIdentity usbIdentity() {
        return chip.rom().usb();
    }

    @Override
    boolean personalityNaksWhileBusy() {
        return options.busyBehaviour().orElse(chip.rom().busy()) == BusyBehaviour.NAK_UNTIL_DONE && !stallsStatusNow();
    }

    private Region optionRegion() {
        return anyRegion(optionBytes.address(), 1).orElseThrow();
    }

    int rdpLevel() {
        return OptionBytes.rdpLevel(optionRegion().read(optionBytes.address() + optionBytes.rdpOffset(), 1)[0]);
    }

    // ---- requests ----------------------------------------------------------------------------------------

    @Override
    Exchange dfuRequest(SimRequest req, byte[] data) {
        if (state == DfuState.DFU_DNBUSY) {
            return whileBusy(req);
        }
        return switch (req.request()) {
            case GETSTATUS -> getStatus();
            case GETSTATE -> Exchange.data(new byte[] {(byte) state.code()});
            case CLRSTATUS -> clearStatus();
            case ABORT -> switch (state) {
                case DFU_IDLE, DFU_DNLOAD_IDLE, DFU_UPLOAD_IDLE -> {
                    state = DfuState.DFU_IDLE;
                    yield Exchange.ack();
                }
                case DFU_ERROR -> Exchange.stall();
                default -> stallToError();
            };
            case DNLOAD -> switch (state) {
                case DFU_IDLE, DFU_DNLOAD_IDLE -> download(req, data);
                case DFU_ERROR -> Exchange.stall();
                default -> stallToError();
            };
            case UPLOAD -> switch (state) {
                case DFU_IDLE, DFU_UPLOAD_IDLE -> upload(req);
                case DFU_ERROR -> Exchange.stall();
                default -> stallToError();
            };
            case DETACH -> state == DfuState.DFU_ERROR ? Exchange.stall() : stallToError();
        };
    }

    /**
     * Requests that reach the DFU code in dfuDNBUSY: on a {@link BusyBehaviour#REPORT_DNBUSY} bootloader
     * while the operation runs, on any ROM once an erase has wedged (H743 rev V bank 2), and on an
     * STM32L4-style ROM that stalls GETSTATUS while erasing.
     */
    private Exchange whileBusy(SimRequest req) {
        return switch (req.request()) {
            // L4-style: a USB stall, the DFU state machine does not see the request
            case GETSTATUS -> stallsStatusNow() ? Exchange.stall() : Exchange.data(statusReply(reportedPoll));
            case GETSTATE -> Exchange.data(new byte[] {(byte) state.code()});
            case CLRSTATUS -> {
                if (quirk(RomQuirk.CLRSTATUS_OUTSIDE_ERROR_SETS_ERR_UNKNOWN)) {
                    // the flash controller finishes regardless; the DFU side forgets the operation
                    executing = null;
                    completion = null;
                    state = DfuState.DFU_ERROR;
                    status = DfuStatus.ERR_UNKNOWN;
                    iString = 0;
                    yield Exchange.ack();
                }
                executing = null;
                completion = null;
                yield stallToError();
            }
            default -> {
                executing = null;
                completion = null;
                yield stallToError();
            }
        };
    }

    private Exchange clearStatus() {
        if (state == DfuState.DFU_ERROR) {
            state = DfuState.DFU_IDLE;
            status = DfuStatus.OK;
            iString = 0;
            return Exchange.ack();
        }
        if (quirk(RomQuirk.CLRSTATUS_OUTSIDE_ERROR_SETS_ERR_UNKNOWN)) {
            state = DfuState.DFU_ERROR;
            status = DfuStatus.ERR_UNKNOWN;
            iString = 0;
            pending = null;
            return Exchange.ack();
        }
        return stallToError();
    }

    private Exchange download(SimRequest req, byte[] data) {
        if (data.length > transferSize) {
            return stallToError(); // blocks larger than wTransferSize are refused
        }
        if (quirk(RomQuirk.LARGE_BLOCKS_STALL) && data.length > LARGE_BLOCKS_LIMIT) {
            // G4: the report only says 2048-byte DNLOADs stall where 1024-byte ones work, whatever the
            // descriptor claims, so a personality reporting 2048 with this quirk refuses everything above 1024
            return stallToError();
        }
        Command cmd = req.command().orElseThrow();
        if (cmd instanceof Command.Unsupported) {
            return stallToError(); // AN2662 fig. 55: unsupported command → errSTALLEDPKT + stall
        }
        cycle = cmd;
        if (cmd instanceof Command.Leave) {
            state = DfuState.DFU_MANIFEST_SYNC; // DfuSe: zero-length DNLOAD is accepted in dfuIDLE too (R4)
            return Exchange.ack();
        }
        pending = cmd;
        pendingData = data.clone();
        state = DfuState.DFU_DNLOAD_SYNC;
        return Exchange.ack();
    }

    private Exchange getStatus() {
        switch (state) {
            case DFU_DNLOAD_SYNC -> {
                if (pending != null) {
                    return startExecution();
                }
                state = DfuState.DFU_DNLOAD_IDLE;
                return Exchange.data(statusReply(0));
            }
            case DFU_MANIFEST_SYNC -> {
                return leave();
            }
            default -> {
                return Exchange.data(statusReply(0));
            }
        }
    }

    private int reportedPoll(Command cmd) {
        PollTimeouts p = chip.rom().polls();
        if (cmd instanceof Command.SetAddress) {
            return p.setAddressMs();
        }
        if (cmd instanceof Command.Erase) {
            return p.eraseMs();
        }
        if (cmd instanceof Command.MassErase || cmd instanceof Command.ReadUnprotect) {
            return p.massEraseMs();
        }
        return p.writeMs();
    }

    private record Execution(Duration duration, Completion completion) {
    }

    /** First GETSTATUS after a DNLOAD: reply dfuDNBUSY, then the operation runs (AN2662 p.76, R4). */
    private Exchange startExecution() {
        Command cmd = pending;
        byte[] data = pendingData;
        pending = null;
        pendingData = new byte[0];
        reportedPoll = reportedPoll(cmd);
        state = DfuState.DFU_DNBUSY;
        byte[] reply = statusReply(reportedPoll);
        long start = now();
        if (cmd instanceof Command.ReadUnprotect) {
            // the device disconnects at once, mass-erases, clears RDP and resets (AN2662 p.74, docs/reference/dfu.md §2.6)
            Duration t = duration(chip.timing().massErase());
            eraseAllFlash();
            massErases++;
            Region ob = optionRegion();
            ob.write(optionBytes.address() + optionBytes.rdpOffset(), new byte[] {(byte) OptionBytes.RDP_LEVEL_0});
            scheduleOffBus(start, Boot.dfu("read unprotect: mass erase and reset"));
            sync();
            backInDfuAt = SimClock.saturatedAdd(start, t.plus(REBOOT_TO_DFU).toNanos());
            return Exchange.data(reply);
        }
        Execution ex = execute(cmd, data);
        executing = cmd;
        completion = ex.completion();
        busyUntil = SimClock.saturatedAdd(start, ex.duration().toNanos());
        if (quirk(RomQuirk.BANK2_ERASE_WEDGE) && cmd instanceof Command.Erase e && ex.completion().ok()
                && flashMap.bankBase(2).filter(b2 -> e.address() >= b2).isPresent()) {
            // rev V: the erase completes in its normal time (a request sent meanwhile is held like any
            // other), but the DFU side never leaves dfuDNBUSY: every later GETSTATUS answers dfuDNBUSY
            completion = ex.completion().wedged();
        } else if (quirk(RomQuirk.SKIPS_DNBUSY)) {
            // U5A9: the ROM finishes the operation before it answers this GETSTATUS (the request takes
            // that long) and reports the end state at once, never dfuDNBUSY
            clock.passUntil(busyUntil);
            sync();
            if (state == DfuState.DFU_DNLOAD_SYNC) {
                state = DfuState.DFU_DNLOAD_IDLE;
            }
            return Exchange.data(statusReply(0));
        }
        return Exchange.data(reply);
    }

    private Execution execute(Command cmd, byte[] data) {
        if (rdpLevel() != 0) {
            return new Execution(Duration.ZERO, Completion.fail(DfuStatus.ERR_VENDOR));
        }
        addressSetBeforeLeave = false;
        if (cmd instanceof Command.SetAddress s) {
            if (anyRegion(s.address(), 1).isEmpty()) {
                return new Execution(Duration.ZERO, Completion.fail(DfuStatus.ERR_TARGET));
            }
            pointer = s.address();
            addressSetBeforeLeave = true;
            return new Execution(Duration.ZERO, Completion.OK);
        }
        if (cmd instanceof Command.Erase e) {
            Optional<Region> r = altRegion(e.address(), 1).filter(x -> x.erasable);
            Optional<Sector> sector = r.flatMap(x -> x.sectorAt(e.address()));
            if (sector.isEmpty()) {
                return new Execution(Duration.ZERO, Completion.fail(DfuStatus.ERR_TARGET));
            }
            r.get().erase(sector.get().start(), sector.get().size());
            sectorErases++;
            return new Execution(eraseTime(sector.get()), Completion.OK);
        }
        if (cmd instanceof Command.MassErase) {
            eraseAllFlash();
            massErases++;
            return new Execution(duration(chip.timing().massErase()), Completion.OK);
        }
        if (cmd instanceof Command.Write w) {
            writes++;
            Optional<Region> r = altRegion(w.address(), data.length).filter(x -> x.writeable);
            if (r.isEmpty()) {
                return new Execution(Duration.ZERO, Completion.fail(DfuStatus.ERR_TARGET));
            }
            return write(r.get(), w.address(), data);
        }
        throw new IllegalStateException("not an executable command: " + cmd);
    }

    private Execution write(Region r, long address, byte[] data) {
        Programming prog = chip.programming();
        switch (r.kind) {
            case OPTION_BYTES -> {
                int before = rdpLevel();
                r.write(address, data);
                if (before != 0 && rdpLevel() == 0) {
                    eraseAllFlash(); // regression from RDP level 1 to 0 mass-erases the flash
                }
                bytesWritten += data.length;
                // option-byte programming ends with a system reset (AN2662 p.74 note 2, fig. 57)
                return new Execution(duration(chip.timing().program()), new Completion(true, DfuStatus.OK, 0, true));
            }
            case DEVICE_FEATURE -> {
                r.write(address, data);
                bytesWritten += data.length;
                return new Execution(Duration.ZERO, Completion.OK);
            }
            default -> {
                // the ROM reads back what it programmed: AND-type flash reports a 0→1 request as errVERIFY,
                // refusing controllers (F0 PGERR, H7 ECC words) as errPROG [U: status choice]
                DfuStatus s = program(r, address, data, prog, true);
                long units = units(address, data.length, prog.unitBytes());
                Duration t = duration(chip.timing().program()).multipliedBy(units);
                if (s == DfuStatus.OK) {
                    bytesWritten += data.length;
                    return new Execution(t, Completion.OK);
                }
                return new Execution(t, Completion.fail(s));
            }
        }
    }

    private void eraseAllFlash() {
        flash.erase(flash.base, flash.size);
    }

    private Exchange upload(SimRequest req) {
        int wLength = req.length();
        if (rdpLevel() != 0) {
            state = DfuState.DFU_ERROR; // no read under RDP level 1, "whatever the target" (AN2662 p.70)
            status = DfuStatus.ERR_VENDOR;
            iString = 0;
            return Exchange.stall();
        }
        if (wLength > transferSize) {
            return stallToError();
        }
        Command cmd = req.command().orElseThrow();
        byte[] out;
        if (cmd instanceof Command.GetCommands) {
            List<Integer> cmds = chip.rom().getCommands();
            out = new byte[Math.min(wLength, cmds.size())];
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) (int) cmds.get(i);
            }
        } else if (cmd instanceof Command.Read rd) {
            Optional<Region> r = altRegion(rd.address(), 1).filter(x -> x.readable);
            if (r.isEmpty() || (r.get().kind == MemoryKind.OPTION_BYTES
                    && (rd.address() != r.get().base || wLength < r.get().size))) {
                state = DfuState.DFU_ERROR; // address not allowed (option bytes: only whole reads, AN2662 p.70)
                status = DfuStatus.ERR_TARGET;
                iString = 0;
                return Exchange.stall();
            }
            int n = (int) Math.min(wLength, r.get().end() - rd.address());
            out = r.get().read(rd.address(), n);
        } else {
            return stallToError(); // block 1
        }
        uploads++;
        bytesRead += out.length;
        state = out.length < wLength ? DfuState.DFU_IDLE : DfuState.DFU_UPLOAD_IDLE; // short frame ends the upload
        return Exchange.data(out);
    }

    /** GETSTATUS in dfuMANIFEST-SYNC: answer dfuMANIFEST, then jump (AN2662 p.80). */
    private Exchange leave() {
        if (quirk(RomQuirk.LEAVE_NEEDS_SET_ADDRESS) && !addressSetBeforeLeave) {
            // C071: refuses to leave without a SET_ADDRESS right before ([O] LibUsbDfu #13; status [U] choice)
            state = DfuState.DFU_ERROR;
            status = DfuStatus.ERR_UNKNOWN;
            iString = 0;
            return Exchange.data(statusReply(0));
        }
        Boot boot = leaveBoot(pointer);
        state = DfuState.DFU_MANIFEST;
        scheduleOffBus(now(), boot);
        if (quirk(RomQuirk.LEAVES_BEFORE_MANIFEST_STATUS)) {
            sync();
            return Exchange.gone();
        }
        byte[] reply = statusReply(0);
        sync();
        return Exchange.data(reply);
    }

    private Boot leaveBoot(long address) {
        Optional<Boot> selected = bootSelection("leave");
        if (selected.isPresent()) {
            return selected.get();
        }
        String how = String.format("leave with address 0x%08x", address);
        Optional<RunningApplication> a = switch (chip.leave()) {
            case VECTOR_TABLE -> vectorTableAt(address, how + " (vector table)");
            case RESET_HANDLER -> resetHandlerAt(address, how + " (reset handler)");
            case IGNORED_RESETS -> vectorTableAt(flash.base, how + " (reset)");
        };
        return a.map(app -> new Boot(app, how)).orElseGet(() -> Boot.dfu(String.format(
                "no application at 0x%08x for a %s jump", address, chip.leave())));
    }

    /**
     * H7 ROMs branch to the address itself. It starts the application when it is the reset handler
     * of a valid vector table at the start of a flash sector; with or without the Thumb bit, since the
     * ROM's branch sets Thumb state either way [U].
     */
    private Optional<RunningApplication> resetHandlerAt(long address, String how) {
        for (Sector s : flash.sectors) {
            Optional<RunningApplication> vt = vectorTableAt(s.start(), how);
            if (vt.isPresent() && (vt.get().entryPoint() & ~1L) == (address & ~1L)) {
                return vt;
            }
        }
        return Optional.empty();
    }

    /**
     * What the pin and the option bytes select, when it is not main flash (F0 ROM leave goes through
     * a reset, docs/reference/dfu.md §2.5 / docs/troubleshooting.md 004: with BOOT_SEL=0 and nBOOT0=0 the chip comes back in DFU
     * mode whatever the pin). Empty: boot main flash.
     */
    private Optional<Boot> bootSelection(String why) {
        BootTarget target = bootTarget();
        return switch (target) {
            case MAIN_FLASH -> Optional.empty();
            case SYSTEM_MEMORY -> Optional.of(Boot.dfu(why + ": " + bootExplanation()));
            // the chip runs whatever is there: off the bus, neither DFU nor the application in flash
            default -> Optional.of(new Boot(new RunningApplication(0, 0, why + ": booted " + target.description()
                    + ", not the application (" + bootExplanation() + ")"), why));
        };
    }

    private OptionByteReport optionReport() {
        List<byte[]> blocks = new java.util.ArrayList<>();
        for (io.github.dfu4j.stm32.optionbytes.OptionByteLayout.Block b : optionLayout.blocks()) {
            blocks.add(anyRegion(b.address(), b.size()).orElseThrow().read(b.address(), (int) b.size()));
        }
        try {
            return optionLayout.decode(OptionByteImage.of(blocks), personality.id() + " option bytes");
        } catch (OptionByteFormatException e) {
            throw new IllegalStateException(e.getMessage(), e); // the regions are made from the same blocks
        }
    }

    /** What the chip boots from: the BOOT0 pin through the chip's boot model (pin only without a codec). */
    BootTarget bootTarget() {
        if (optionLayout == null) {
            return options.boot0High() ? BootTarget.SYSTEM_MEMORY : BootTarget.MAIN_FLASH;
        }
        return optionLayout.bootTarget(optionReport(), options.boot0High());
    }

    private String bootExplanation() {
        return optionLayout == null ? "BOOT0 pin " + (options.boot0High() ? "high" : "low")
                : optionLayout.bootExplanation(optionReport(), options.boot0High());
    }

    @Override
    Boot bootAfterReset(String why) {
        Optional<Boot> selected = bootSelection(why);
        if (selected.isPresent()) {
            return selected.get();
        }
        return vectorTableAt(flash.base, why + ", booted from flash")
                .map(a -> new Boot(a, why))
                .orElseGet(() -> Boot.dfu(why + ", no application at the flash base"));
    }

    @Override
    void dfuBusReset() {
        // the ROM restarts its USB/DFU state on a bus reset and stays in the bootloader [U]
        if (state == DfuState.DFU_MANIFEST_WAIT_RESET) {
            scheduleOffBus(now(), leaveBoot(pointer));
            sync();
            return;
        }
        resetDfuState();
    }
}
