package io.github.dfu4j.sim;

import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.dfu.DfuState;

import io.github.dfu4j.stm32.Evidence;
import io.github.dfu4j.stm32.internal.MbootBoard;
import io.github.dfu4j.stm32.internal.MemoryArea;
import io.github.dfu4j.stm32.internal.MemoryKind;
import io.github.dfu4j.stm32.internal.Programming;
import io.github.dfu4j.layout.Sector;
import io.github.dfu4j.stm32.internal.SpiFlash;
import io.github.dfu4j.stm32.internal.UsbIdentity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * MicroPython's mboot (ports/stm32/mboot, docs/reference/mboot.md §5.3): one alt setting whose layout string
 * lists internal flash and the SPI flash zones; no state validation (DNLOAD in any state, ABORT and
 * CLRSTATUS always reset to dfuIDLE/OK, DETACH ignored); bwPollTimeout always 0; the operation runs
 * after the dfuDNBUSY reply with the USB stack blocked; fixed 2048-byte block addressing; only
 * address problems set a status (errADDRESS with iString 0x10/0x11) and the status is cleared once
 * reported; leave resets the chip and ignores the address pointer.
 */
final class MbootBootloader extends SimBootloader {
    /** mboot waits 50 ms, shuts USB down, waits 50 ms, then resets (main.c leave path). */
    static final Duration LEAVE_DELAY = Duration.ofMillis(100);

    /** SPI NOR: byte-programmable, bits only cleared by a page program. */
    private static final Programming SPI_NOR = new Programming(1, Programming.Overwrite.AND_BITS, Evidence.SECONDARY);

    private final MbootBoard board;
    private final MemoryArea mbootArea;

    private MbootBootloader(Personality p, SimOptions o, SimClock clock, MbootBoard board, List<List<Region>> alts) {
        super(p, o, clock, alts, List.of(board.layout()), o.transferSize().orElse(board.transferSize()), board.strings(), true);
        this.board = board;
        this.mbootArea = board.mbootArea();
    }

    static MbootBootloader create(Personality p, SimOptions o, SimClock clock) {
        MbootBoard board = p.mboot().orElseThrow();
        if (!o.flashMode().isEmpty() && !o.flashMode().equals(board.chip().defaultFlashMap().mode())) {
            throw new IllegalArgumentException(p.id() + ": mboot's sector table is fixed to "
                    + board.chip().defaultFlashMap().mode() + " bank mode");
        }
        // mboot's own sector table: the chip's single-bank map up to internalFlashEnd (flash.c)
        List<Sector> sectors = board.chip().defaultFlashMap().sectors().stream()
                .filter(s -> s.end() <= board.internalFlashEnd()).toList();
        long base = sectors.get(0).start();
        List<Region> regs = new ArrayList<>();
        regs.add(new Region("Internal Flash", MemoryKind.INTERNAL_FLASH, base, board.internalFlashEnd() - base,
                true, true, true, sectors, null));
        for (SpiFlash s : board.spiFlash()) {
            regs.add(new Region(s.name(), MemoryKind.SPI_FLASH, s.address(), s.size(), true, true, true, List.of(), s));
        }
        return new MbootBootloader(p, o, clock, board, List.of(regs));
    }

    @Override
    UsbIdentity usbIdentity() {
        return personality.mboot().orElseThrow().usb(); // called from the super constructor: no fields yet
    }

    @Override
    boolean personalityNaksWhileBusy() {
        return true;
    }

    @Override
    Exchange dfuRequest(SimRequest req, byte[] data) {
        return switch (req.request()) {
            case GETSTATUS -> req.length() == 6 ? getStatus() : Exchange.stall(); // answered only if wLength == 6
            case GETSTATE -> req.length() == 1 ? Exchange.data(new byte[] {(byte) state.code()}) : Exchange.stall();
            case CLRSTATUS, ABORT -> {
                resetDfuStateKeepPointer();
                yield Exchange.ack();
            }
            case DETACH -> Exchange.ack(); // ignored
            case DNLOAD -> download(req, data);
            case UPLOAD -> upload(req);
        };
    }

    private void resetDfuStateKeepPointer() {
        state = DfuState.DFU_IDLE;
        status = DfuStatus.OK;
        iString = 0;
        pending = null;
        cycle = null;
    }

    private Exchange download(SimRequest req, byte[] data) {
        if (data.length > transferSize) {
            return Exchange.stall(); // does not fit mboot's 2048-byte buffer [U]
        }
        Command cmd = req.command().orElseThrow();
        queue(cmd, data);
        // mboot takes DNLOAD in any state; the command waits for GETSTATUS [U: state shown by GETSTATE]
        state = cmd instanceof Command.Leave ? DfuState.DFU_MANIFEST_SYNC : DfuState.DFU_DNBUSY;
        return Exchange.ack();
    }

    private Exchange getStatus() {
        if (pending != null) {
            Command cmd = pending;
            byte[] data = takePendingData();
            if (cmd instanceof Command.Leave) {
                state = DfuState.DFU_MANIFEST;
                byte[] reply = statusReply(0);
                scheduleOffBus(SimClock.saturatedAdd(now(), LEAVE_DELAY.toNanos()), bootAfterReset("mboot leave"));
                return Exchange.data(reply);
            }
            state = DfuState.DFU_DNBUSY;
            byte[] reply = statusReply(DfuStatus.OK, 0, DfuState.DFU_DNBUSY, 0);
            Execution ex = execute(cmd, data);
            executing = cmd;
            busyUntil = SimClock.saturatedAdd(now(), ex.duration().toNanos());
            completion = ex.completion();
            return Exchange.data(reply);
        }
        if (state == DfuState.DFU_DNLOAD_SYNC) {
            state = DfuState.DFU_DNLOAD_IDLE; // the operation finished: report it done
        }
        byte[] reply = statusReply(0);
        status = DfuStatus.OK; // bStatus and iString are cleared once reported
        iString = 0;
        return Exchange.data(reply);
    }

    private record Execution(Duration duration, Completion completion) {
    }

    private static Execution failAddress(int string) {
        return new Execution(Duration.ZERO, Completion.fail(DfuStatus.ERR_ADDRESS, string));
    }

    private Execution execute(Command cmd, byte[] data) {
        if (cmd instanceof Command.SetAddress s) {
            pointer = s.address(); // no validation
            return new Execution(Duration.ZERO, Completion.OK);
        }
        if (cmd instanceof Command.Erase e) {
            return erase(e.address());
        }
        if (cmd instanceof Command.MassErase) {
            Duration t = Duration.ZERO;
            for (Sector s : flash.sectors) {
                if (s.start() >= mbootArea.end()) { // mboot's own sectors are skipped
                    flash.erase(s.start(), s.size());
                    t = t.plus(eraseTime(s));
                }
            }
            massErases++;
            return new Execution(t, Completion.OK); // SPI flash is not erased ("TODO spiflash erase ?")
        }
        if (cmd instanceof Command.Write w) {
            writes++;
            return write(w.address(), data);
        }
        // READ_UNPROTECT, wBlockNum 1, unknown commands: dfuERROR with status 0
        return new Execution(Duration.ZERO, Completion.fail(DfuStatus.OK));
    }

    private Execution erase(long address) {
        if (mbootArea.contains(address)) {
            return failAddress(MbootBoard.STRING_CANT_OVERWRITE_MBOOT);
        }
        Optional<Region> r = anyRegion(address, 1);
        if (r.isEmpty()) {
            return failAddress(MbootBoard.STRING_ADDRESS_OUT_OF_RANGE);
        }
        Region region = r.get();
        if (region.spi != null) {
            // erases ERASE_BLOCKS_PER_PAGE 4 KB blocks from the address rounded down to 4 KB, not page aligned
            long start = address & ~(long) (SpiFlash.ERASE_BLOCK - 1);
            long len = Math.min(region.spi.eraseBytes(), region.end() - start);
            region.erase(start, len);
            sectorErases++;
            return new Execution(duration(region.spi.erase4k()).multipliedBy(len / SpiFlash.ERASE_BLOCK), Completion.OK);
        }
        Sector s = region.sectorAt(address).orElseThrow();
        region.erase(s.start(), s.size());
        sectorErases++;
        return new Execution(eraseTime(s), Completion.OK);
    }

    private Execution write(long address, byte[] data) {
        long end = address + data.length;
        if (address < mbootArea.end() && end > mbootArea.address()) {
            return failAddress(MbootBoard.STRING_CANT_OVERWRITE_MBOOT);
        }
        Optional<Region> r = anyRegion(address, data.length);
        if (r.isEmpty()) {
            return failAddress(MbootBoard.STRING_ADDRESS_OUT_OF_RANGE);
        }
        Region region = r.get();
        Duration t;
        if (region.spi != null) {
            // SPI NOR page programs only clear bits; mboot does not verify ("TODO verify data")
            program(region, address, data, SPI_NOR, false);
            long pages = units(address, data.length, SpiFlash.PAGE);
            t = duration(region.spi.pageProgram()).multipliedBy(pages);
        } else {
            Programming prog = chip.programming();
            program(region, address, data, prog, false);
            t = duration(chip.timing().program()).multipliedBy(units(address, data.length, prog.unitBytes()));
        }
        bytesWritten += data.length;
        return new Execution(t, Completion.OK);
    }

    private Exchange upload(SimRequest req) {
        Command cmd = req.command().orElseThrow();
        if (!(cmd instanceof Command.Read rd)) {
            return Exchange.stall(); // wBlockNum 0/1 queue no data stage [U: the host probably times out]
        }
        Optional<Region> r = anyRegion(rd.address(), 1);
        if (r.isEmpty()) {
            state = DfuState.DFU_ERROR;
            status = DfuStatus.ERR_ADDRESS;
            iString = MbootBoard.STRING_ADDRESS_OUT_OF_RANGE;
            return Exchange.stall(); // [U] real mboot reads whatever the bus returns
        }
        int n = (int) Math.min(rd.length(), r.get().end() - rd.address());
        byte[] out = r.get().read(rd.address(), n);
        uploads++;
        bytesRead += n;
        state = DfuState.DFU_UPLOAD_IDLE;
        return Exchange.data(out);
    }

    @Override
    Boot bootAfterReset(String why) {
        if (options.boot0High()) {
            return Boot.dfu(why + ", DFU entry held (BOOT0/USR)");
        }
        return vectorTableAt(board.appBase(), why + String.format(", mboot started the application at 0x%08x", board.appBase()))
                .map(a -> new Boot(a, why))
                .orElseGet(() -> Boot.dfu(why + String.format(", no application at 0x%08x", board.appBase())));
    }

    @Override
    void dfuBusReset() {
        resetDfuState(); // [U]
    }
}
