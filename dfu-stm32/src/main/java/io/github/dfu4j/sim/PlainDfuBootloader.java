package io.github.dfu4j.sim;

import io.github.dfu4j.dfu.DfuState;
import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.layout.Sector;
import io.github.dfu4j.stm32.Evidence;
import io.github.dfu4j.stm32.internal.MemoryKind;
import io.github.dfu4j.stm32.internal.Programming;
import io.github.dfu4j.stm32.internal.UsbIdentity;
import java.time.Duration;
import java.util.List;

/**
 * A generic DFU 1.1 bootloader that is not DfuSe ({@link PlainDfuVariant}): bcdDFUVersion 0x0110, one
 * alt setting, no addresses on the wire. Its state machine is DFU 1.1's (docs/reference/dfu.md §1.4,
 * DFU 1.1 appendix A.1):
 * <ul>
 * <li>DNLOAD blocks are a stream: wBlockNum counts up by one from the first block (wrapping after
 *     0xFFFF, DFU 1.1 §6.1.1) and the bytes go one after another from the image base. Each block is
 *     executed at the next GETSTATUS: dfuDNBUSY with bwPollTimeout = the time to erase the pages it
 *     reaches first and to program it; GETSTATUS after that answers dfuDNLOAD-IDLE (an early one
 *     dfuDNBUSY again). A stream longer than the image area fails with errADDRESS.</li>
 * <li>The zero-length DNLOAD in dfuDNLOAD-IDLE starts manifestation: GETSTATUS answers dfuMANIFEST with
 *     bwPollTimeout {@link #MANIFEST_TIME}. Tolerant: afterwards dfuMANIFEST-SYNC, the next GETSTATUS
 *     dfuIDLE. Not tolerant: dfuMANIFEST-WAIT-RESET; with bitWillDetach the device then resets itself
 *     after {@link #DETACH_DELAY} [U], else it waits for the host's USB reset.</li>
 * <li>UPLOAD streams the image area from its start, wLength (at most wTransferSize) at a time; the
 *     reply that reaches the end of the area is short (zero bytes when the area is a multiple of
 *     wLength), which ends the upload in dfuIDLE (DFU 1.1 §6.2).</li>
 * <li>DFU_DETACH in an idle state: with bitWillDetach the device resets itself after
 *     {@link #DETACH_DELAY}; without, it waits for the USB reset (dfu-util's {@code -R} sends both).</li>
 * <li>A USB reset restarts the chip (DFU 1.1 appendix A.1: dfuIDLE + USB reset → run-time when the
 *     firmware is valid): it starts the application at the image base when that holds a valid vector
 *     table and BOOT0/DFU entry is not held, else comes back in DFU mode. The reset of enumeration
 *     itself, before any DFU request, restarts nothing [U].</li>
 * <li>Anything else is a stall with dfuERROR/errSTALLEDPKT; requests in dfuERROR stall, CLRSTATUS
 *     clears.</li>
 * </ul>
 * No quirks: it never NAKs while busy and answers wLength exactly.
 */
final class PlainDfuBootloader extends SimBootloader {
    /** How long manifestation takes (checking the image, writing a valid flag) [U]. */
    static final Duration MANIFEST_TIME = Duration.ofMillis(20);
    /** From DFU_DETACH (or the end of a not-tolerant manifestation) to dropping off the bus [U]. */
    static final Duration DETACH_DELAY = Duration.ofMillis(10);
    /** wDetachTimeOut, ms: how long it waits for the host's USB reset after DFU_DETACH [U]. */
    static final int DETACH_TIMEOUT_MS = 1000;
    /** pid.codes' shared test VID:PID (1209:0001), as open-source DFU bootloaders use for testing [S: pid.codes]. */
    static final UsbIdentity USB = new UsbIdentity(0x1209, 0x0001, 0x0200, 0x0110, "dfu4j", "Plain DFU 1.1 bootloader", 0,
            Evidence.UNVERIFIED);
    static final String ALT_NAME = "Application image";

    private final PlainDfuVariant variant;
    /** Bytes of the current download stream written so far. */
    private int received;
    /** First address of the image area not erased by the current download. */
    private long erasedUpTo;
    /** wBlockNum the next DNLOAD of the stream must carry; -1 before the first. */
    private int nextBlock = -1;
    /** Bytes of the image area returned by the current upload. */
    private int uploaded;
    /** When dfuMANIFEST ends. */
    private long manifestUntil = Long.MAX_VALUE;
    /** Manifestation of a tolerant device finished: the next GETSTATUS answers dfuIDLE. */
    private boolean manifested;
    /** A DFU class request arrived since this enumeration (a USB reset before that is enumeration's own). */
    private boolean spoken;

    private PlainDfuBootloader(Personality p, SimOptions o, SimClock clock, List<List<Region>> alts) {
        super(p, o, clock, alts, List.of(ALT_NAME), o.transferSize().orElse(p.plain().orElseThrow().transferSize()),
                java.util.Map.of(), false);
        this.variant = p.plain().orElseThrow();
    }

    static PlainDfuBootloader create(Personality p, SimOptions o, SimClock clock) {
        PlainDfuVariant v = p.plain().orElseThrow();
        if (!o.flashMode().isEmpty() && !o.flashMode().equals(p.chip().defaultFlashMap().mode())) {
            throw new IllegalArgumentException(p.id() + " has one flash mode: " + p.chip().defaultFlashMap().mode());
        }
        List<Sector> pages = p.chip().defaultFlashMap().sectors().stream()
                .filter(s -> s.start() >= v.imageBase() && s.end() <= v.imageBase() + v.imageSize()).toList();
        long covered = pages.stream().mapToLong(Sector::size).sum();
        if (covered != v.imageSize() || pages.get(0).start() != v.imageBase()) {
            throw new IllegalStateException(p.id() + ": the image area is not whole pages of " + p.chip().id());
        }
        Region image = new Region(ALT_NAME, MemoryKind.INTERNAL_FLASH, v.imageBase(), v.imageSize(), true, true, true, pages, null);
        return new PlainDfuBootloader(p, o, clock, List.of(List.of(image)));
    }

    @Override
    UsbIdentity usbIdentity() {
        return USB;
    }

    @Override
    int dfuAttributes() {
        return personality.plain().orElseThrow().attributes(); // called from the super constructor: no fields yet
    }

    @Override
    int detachTimeoutMs() {
        return DETACH_TIMEOUT_MS;
    }

    @Override
    int bcdDfu() {
        return 0x0110;
    }

    @Override
    boolean personalityNaksWhileBusy() {
        return false;
    }

    @Override
    void resetDfuState() {
        super.resetDfuState();
        received = 0;
        erasedUpTo = flash == null ? 0 : flash.base;
        nextBlock = -1;
        uploaded = 0;
        manifestUntil = Long.MAX_VALUE;
        manifested = false;
        spoken = false;
    }

    @Override
    void sync() {
        super.sync();
        if (state == DfuState.DFU_MANIFEST && now() >= manifestUntil) {
            manifestUntil = Long.MAX_VALUE;
            if (variant.manifestationTolerant()) {
                state = DfuState.DFU_MANIFEST_SYNC;
                manifested = true;
            } else {
                state = DfuState.DFU_MANIFEST_WAIT_RESET;
                if (variant.willDetach()) {
                    scheduleOffBus(SimClock.saturatedAdd(now(), DETACH_DELAY.toNanos()),
                            bootAfterReset("manifestation done, the device reset itself (bitWillDetach)"));
                    super.sync();
                }
            }
        }
    }

    // ---- decoding: plain DFU has no commands, only the stream position --------------------------------------

    @Override
    Command decodeDnload(int blockNum, byte[] data) {
        if (data.length == 0) {
            return new Command.Leave(flash.base);
        }
        int offset = state == DfuState.DFU_IDLE ? 0 : received;
        return new Command.Write(flash.base + offset, data.length);
    }

    @Override
    Command decodeUpload(int blockNum, int length) {
        int offset = state == DfuState.DFU_UPLOAD_IDLE ? uploaded : 0;
        return new Command.Read(flash.base + offset, length);
    }

    // ---- requests ----------------------------------------------------------------------------------------

    @Override
    Exchange dfuRequest(SimRequest req, byte[] data) {
        spoken = true;
        if (state == DfuState.DFU_ERROR) {
            return switch (req.request()) {
                case GETSTATUS -> Exchange.data(statusReply(0));
                case GETSTATE -> Exchange.data(new byte[] {(byte) state.code()});
                case CLRSTATUS -> {
                    state = DfuState.DFU_IDLE;
                    status = DfuStatus.OK;
                    iString = 0;
                    yield Exchange.ack();
                }
                default -> Exchange.stall();
            };
        }
        return switch (req.request()) {
            case GETSTATUS -> getStatus();
            case GETSTATE -> Exchange.data(new byte[] {(byte) state.code()});
            case CLRSTATUS -> stallToError();
            case ABORT -> switch (state) {
                case DFU_IDLE, DFU_DNLOAD_IDLE, DFU_UPLOAD_IDLE -> {
                    state = DfuState.DFU_IDLE;
                    yield Exchange.ack();
                }
                default -> stallToError();
            };
            case DNLOAD -> switch (state) {
                case DFU_IDLE, DFU_DNLOAD_IDLE -> download(req, data);
                default -> stallToError();
            };
            case UPLOAD -> switch (state) {
                case DFU_IDLE, DFU_UPLOAD_IDLE -> upload(req);
                default -> stallToError();
            };
            case DETACH -> detach();
        };
    }

    private Exchange download(SimRequest req, byte[] data) {
        boolean first = state == DfuState.DFU_IDLE;
        if (data.length == 0) {
            if (first) {
                return stallToError(); // nothing was downloaded: no manifestation (DFU 1.1 A.1, dfuIDLE)
            }
            cycle = req.command().orElseThrow();
            state = DfuState.DFU_MANIFEST_SYNC;
            manifested = false;
            return Exchange.ack();
        }
        if (data.length > transferSize || (!first && req.value() != nextBlock)) {
            return stallToError(); // larger than wTransferSize, or a block out of sequence
        }
        if (first) {
            received = 0;
            erasedUpTo = flash.base;
        }
        nextBlock = (req.value() + 1) & 0xFFFF;
        queue(req.command().orElseThrow(), data);
        state = DfuState.DFU_DNLOAD_SYNC;
        return Exchange.ack();
    }

    private Exchange getStatus() {
        switch (state) {
            case DFU_DNLOAD_SYNC -> {
                if (pending != null) {
                    return execute();
                }
                state = DfuState.DFU_DNLOAD_IDLE;
                return Exchange.data(statusReply(0));
            }
            case DFU_DNBUSY -> {
                // polled before bwPollTimeout ran out: still busy, the rest of the time
                return Exchange.data(statusReply(remainingMs(busyUntil)));
            }
            case DFU_MANIFEST_SYNC -> {
                if (manifested) {
                    manifested = false;
                    state = DfuState.DFU_IDLE;
                    return Exchange.data(statusReply(0));
                }
                state = DfuState.DFU_MANIFEST;
                manifestUntil = SimClock.saturatedAdd(now(), MANIFEST_TIME.toNanos());
                return Exchange.data(statusReply((int) MANIFEST_TIME.toMillis()));
            }
            case DFU_MANIFEST -> {
                return Exchange.data(statusReply(remainingMs(manifestUntil)));
            }
            default -> {
                return Exchange.data(statusReply(0));
            }
        }
    }

    private int remainingMs(long until) {
        long nanos = Math.max(0, until - now());
        return (int) Math.min(0xFF_FFFF, (nanos + 999_999) / 1_000_000);
    }

    /** The block waiting since its DNLOAD: erase the pages it reaches first, program it; dfuDNBUSY meanwhile. */
    private Exchange execute() {
        byte[] data = takePendingData();
        long address = flash.base + received;
        executing = cycle;
        writes++;
        if (received + (long) data.length > flash.size) {
            completion = Completion.fail(DfuStatus.ERR_ADDRESS);
            busyUntil = now();
            state = DfuState.DFU_DNBUSY;
            sync(); // fails at once: the image does not fit
            return Exchange.data(statusReply(0));
        }
        Duration t = Duration.ZERO;
        long end = address + data.length;
        while (erasedUpTo < end) {
            Sector s = flash.sectorAt(erasedUpTo).orElseThrow();
            flash.erase(s.start(), s.size());
            sectorErases++;
            t = t.plus(eraseTime(s));
            erasedUpTo = s.end();
        }
        Programming prog = chip.programming();
        DfuStatus outcome = program(flash, address, data, prog, true);
        t = t.plus(duration(chip.timing().program()).multipliedBy(units(address, data.length, prog.unitBytes())));
        if (outcome == DfuStatus.OK) {
            bytesWritten += data.length;
            received += data.length;
            completion = Completion.OK;
        } else {
            completion = Completion.fail(outcome);
        }
        state = DfuState.DFU_DNBUSY;
        busyUntil = SimClock.saturatedAdd(now(), t.toNanos());
        reportedPoll = (int) Math.min(0xFF_FFFF, (t.toNanos() + 999_999) / 1_000_000);
        return Exchange.data(statusReply(reportedPoll));
    }

    private Exchange upload(SimRequest req) {
        if (req.length() > transferSize) {
            return stallToError();
        }
        if (state == DfuState.DFU_IDLE) {
            uploaded = 0;
        }
        int n = (int) Math.min(req.length(), flash.size - uploaded);
        byte[] out = flash.read(flash.base + uploaded, n);
        uploaded += n;
        uploads++;
        bytesRead += n;
        // a short frame (fewer bytes than wLength, zero at the very end) ends the upload (DFU 1.1 §6.2)
        state = n < req.length() ? DfuState.DFU_IDLE : DfuState.DFU_UPLOAD_IDLE;
        return Exchange.data(out);
    }

    private Exchange detach() {
        if (state != DfuState.DFU_IDLE && state != DfuState.DFU_DNLOAD_IDLE && state != DfuState.DFU_UPLOAD_IDLE
                && state != DfuState.DFU_MANIFEST_WAIT_RESET) {
            return stallToError();
        }
        if (variant.willDetach()) {
            scheduleOffBus(SimClock.saturatedAdd(now(), DETACH_DELAY.toNanos()), bootAfterReset("DFU_DETACH (bitWillDetach)"));
        }
        return Exchange.ack();
    }

    @Override
    Boot bootAfterReset(String why) {
        if (options.boot0High()) {
            return Boot.dfu(why + ", DFU entry held (BOOT0)");
        }
        return vectorTableAt(flash.base, why + String.format(", started the application at 0x%08x", flash.base))
                .map(a -> new Boot(a, why))
                .orElseGet(() -> Boot.dfu(why + String.format(", no valid application at 0x%08x", flash.base)));
    }

    @Override
    void dfuBusReset() {
        if (!spoken && state != DfuState.DFU_MANIFEST_WAIT_RESET) {
            resetDfuState(); // enumeration's own reset
            return;
        }
        scheduleOffBus(now(), bootAfterReset("USB reset"));
        sync();
    }
}
