package io.github.dfu4j.sim;

import io.github.dfu4j.sim.SimulatedDevice.TraceEntry;
import io.github.dfu4j.sim.SimulatedDevice.SimStats;
import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.dfu.DfuState;

import io.github.dfu4j.dfu.DfuRequest;

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
 * The USB face every simulated bootloader shares, on top of the chip ({@link SimChip}): one control
 * transfer from a host (busy NAK, bus time, fault injection, the request trace), the standard USB
 * requests and descriptors, and the DfuSe decoding of DNLOAD/UPLOAD. Subclasses implement the DFU class
 * requests the way their firmware does.
 *
 * <p>All public entry points are synchronized: the in-process transport, a raw_gadget bridge
 * thread and a test's queries may interleave.
 *
 * <p>Why this class is over 400 lines: it is one control endpoint, and its parts (busy NAK, fault rules, trace,
 * standard requests, DfuSe decoding) act on the same transfer in order under one lock; the chip state it drives
 * was already split out into {@link SimChip}.
 */
abstract class SimBootloader extends SimChip implements UsbControlEndpoint {
    private static final Logger log = LoggerFactory.getLogger(SimBootloader.class);

    // ---- faults, trace ----------------------------------------------------------------------------------
    private final List<FaultRule> faults = new ArrayList<>();
    private final List<long[]> faultCounts = new ArrayList<>();
    private final ArrayDeque<TraceEntry> trace = new ArrayDeque<>();

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
        super(personality, options, clock, altRegions, altStrings, transferSize, extraStrings, msOs);
        options.faults().forEach(this::addFault);
        if (options.firmwareErrorAtStart()) {
            state = DfuState.DFU_ERROR;
            status = DfuStatus.ERR_FIRMWARE;
        }
    }

    /** Handles one DFU class request (direction and interface already checked, busy NAK already waited). */
    abstract Exchange dfuRequest(SimRequest request, byte[] data);

    /** The bus reset handler in DFU mode. */
    abstract void dfuBusReset();

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
}
