package io.github.dfu4j.sim;

import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.dfu.DfuState;

import io.github.dfu4j.sim.BusyBehaviour;
import io.github.dfu4j.stm32.internal.ChipProfile;
import io.github.dfu4j.stm32.internal.FlashMap;
import io.github.dfu4j.stm32.internal.MemoryKind;
import io.github.dfu4j.stm32.internal.OptionBytes;
import io.github.dfu4j.stm32.internal.PollTimeouts;
import io.github.dfu4j.stm32.internal.Programming;
import io.github.dfu4j.stm32.internal.RomAltSetting;
import io.github.dfu4j.stm32.RomQuirk;
import io.github.dfu4j.layout.Sector;
import io.github.dfu4j.stm32.internal.UsbIdentity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 *
 * <p>Why this class is over 400 lines: it is the ROM's DFU state machine, one method per request or state of the
 * table above, each a few lines over the same state; the chip's memories, timing and option-byte map were split
 * out into {@code StRomChip}, and what is left reads as the protocol it models.
 */
final class StRomBootloader extends StRomChip {

    /**
     * The last DfuSe command executed was a successful SET_ADDRESS ({@link RomQuirk#LEAVE_NEEDS_SET_ADDRESS}:
     * the C071 ROM refuses to leave otherwise).
     */
    private boolean addressSetBeforeLeave;

    private StRomBootloader(Personality p, SimOptions o, SimClock clock, FlashMap map, List<List<Region>> altRegions,
                            List<String> altStrings) {
        super(p, o, clock, map, altRegions, altStrings);
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
        if (cmd instanceof Command.Leave) {
            cycle = cmd;
            state = DfuState.DFU_MANIFEST_SYNC; // DfuSe: zero-length DNLOAD is accepted in dfuIDLE too (R4)
            return Exchange.ack();
        }
        queue(cmd, data);
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
        byte[] data = takePendingData();
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
