package io.github.dfu4j.testing;

import io.github.dfu4j.dfu.DfuRequest;
import io.github.dfu4j.dfu.DfuState;
import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.dfu.DfuStatusReply;
import io.github.dfu4j.dfu.internal.DfuseCommand;
import io.github.dfu4j.dfu.FunctionalDescriptor;
import io.github.dfu4j.dfu.internal.OperationKind;
import io.github.dfu4j.layout.MemoryLayout;
import io.github.dfu4j.layout.MemoryRegion;
import io.github.dfu4j.layout.Sector;
import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DeviceInfo;
import io.github.dfu4j.transport.DevicePort;
import io.github.dfu4j.transport.PortState;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.TimeSource;
import io.github.dfu4j.transport.TransportException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A strict simulated DfuSe bootloader in the style of the STM32 ROM (modelled on dfu-core's
 * tests/mock.rs): it keeps the DFU state machine, executes a DNLOAD only at the GETSTATUS that follows,
 * reports dfuDNBUSY with a bwPollTimeout and stays busy for a configurable (virtual) time, addresses
 * blocks as pointer + (wBlockNum - 2) * wTransferSize, models NOR flash (erase sets 0xFF; programming a
 * byte that is not erased is an error), and evaluates the leave address like a real ROM would.
 *
 * <p>Every host mistake (a request illegal in the current state, CLRSTATUS outside dfuERROR, polling
 * before bwPollTimeout while busy, oversized blocks, programming without erase) stalls like a device
 * would AND is recorded in {@link #violations()}, which well-behaved flows assert is empty.
 * Faults are injected per operation with {@link #inject}.
 */
public final class FakeDfuseDevice implements DfuTransport {

    /** Operations faults can be attached to. */
    public enum Op { SET_ADDRESS, ERASE, MASS_ERASE, WRITE, UPLOAD, LEAVE, READ_UNPROTECT }

    /** Injected faults. "Status" faults hit the GETSTATUS requests of the operation. */
    public enum Fault {
        /** One GETSTATUS of the operation stalls; the operation goes on. */
        STALL_STATUS,
        /** One GETSTATUS of the operation times out; the operation goes on. */
        TIMEOUT_STATUS,
        /** Six GETSTATUS requests in a row stall (more than a host retries), then the device answers again. */
        STALL_STATUS_REPEATEDLY,
        /** The device leaves the bus at the first GETSTATUS (or the UPLOAD) of the operation. */
        DISCONNECT,
        /** The operation fails with {@link FaultRule#status()} (dfuERROR). */
        ERROR_STATUS,
        /** The DNLOAD/UPLOAD request itself is stalled (dfuERROR, errSTALLEDPKT). */
        STALL_REQUEST,
        /** The operation silently produces wrong data (write: one bit flipped; upload: one byte changed). */
        CORRUPT,
        /** The operation never finishes: dfuDNBUSY forever. */
        HANG,
        /** The erase is done but the device stays in dfuDNBUSY until CLRSTATUS, CLRSTATUS (STM32H7 rev V). */
        WEDGE,
        /** As {@link #WEDGE}, but the sector was never erased: what a host must not report as success. */
        WEDGE_UNERASED
    }

    /** How the bootloader uses the leave address. */
    public enum Jump { VECTOR_TABLE, RESET_HANDLER, IGNORED_RESETS }

    /** An injected fault: on the {@code nth} (1-based) operation of kind {@code op}. */
    public record FaultRule(Op op, int nth, Fault fault, DfuStatus status) {
    }

    /** One request as the device saw it. */
    public record Request(DfuRequest request, int value, int length, byte[] data, int alt) {
        @Override
        public String toString() {
            return request + "(" + value + ", " + length + ")";
        }
    }

    private static final byte[] GET_COMMANDS_REPLY = {0x00, 0x21, 0x41, (byte) 0x92};

    // configuration
    private final List<String> altNames;
    private final List<MemoryLayout> layouts;
    private final FunctionalDescriptor descriptor;
    private final int blockMultiplier;
    private final Map<Op, Duration> reported = new EnumMap<>(Op.class);
    private final Map<Op, Duration> actual = new EnumMap<>(Op.class);
    private boolean nak;
    private boolean strictPolling = true;
    private boolean skipBusy;
    private Jump jump = Jump.VECTOR_TABLE;
    private boolean boot0High;
    private TransportException.Kind vanishAtLeave;
    private boolean reopenSupported = true;
    private final Map<Integer, String> strings = new HashMap<>();

    // state
    private final VirtualClock clock = new VirtualClock();
    private final Map<Integer, TreeMap<Long, byte[]>> memory = new HashMap<>();
    private final Map<String, Integer> eraseCounts = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final List<Request> requests = new ArrayList<>();
    private final List<FaultRule> faults = new ArrayList<>();
    private final Map<Op, Integer> opCounts = new EnumMap<>(Op.class);
    private boolean connected = true;
    private boolean closed;
    private int alt;
    private DfuState state = DfuState.DFU_IDLE;
    private DfuStatus status = DfuStatus.OK;
    private int iString;
    private long pointer = 0x08000000L;
    private Pending pending;
    private boolean wedged;
    private int repeatedStalls;
    private Long jumpedTo;
    private boolean cameBack;
    private int leaves;

    private static final class Pending {
        final Op op;
        final long address;
        final byte[] data;
        final FaultRule fault;
        boolean started;
        long busyUntil;
        long pollAllowedAt;
        boolean faultUsed;

        Pending(Op op, long address, byte[] data, FaultRule fault) {
            this.op = op;
            this.address = address;
            this.data = data;
            this.fault = fault;
        }
    }

    private FakeDfuseDevice(Builder b) {
        this.altNames = List.copyOf(b.altNames);
        this.layouts = new ArrayList<>();
        for (String name : altNames) {
            try {
                layouts.add(MemoryLayout.parse(name));
            } catch (Exception e) {
                layouts.add(null);
            }
        }
        this.descriptor = new FunctionalDescriptor(b.attributes, 255, b.transferSize, FunctionalDescriptor.BCD_DFUSE);
        this.blockMultiplier = b.blockMultiplier > 0 ? b.blockMultiplier : b.transferSize;
        reported.put(Op.SET_ADDRESS, Duration.ofMillis(104));
        actual.put(Op.SET_ADDRESS, Duration.ZERO);
        reported.put(Op.ERASE, Duration.ofMillis(100));
        actual.put(Op.ERASE, Duration.ofMillis(350));
        reported.put(Op.MASS_ERASE, Duration.ofMillis(100));
        actual.put(Op.MASS_ERASE, Duration.ofSeconds(30));
        reported.put(Op.WRITE, Duration.ofMillis(5));
        actual.put(Op.WRITE, Duration.ofMillis(4));
        reported.put(Op.READ_UNPROTECT, Duration.ofSeconds(20));
        actual.put(Op.READ_UNPROTECT, Duration.ofSeconds(20));
        reported.put(Op.LEAVE, Duration.ZERO);
        actual.put(Op.LEAVE, Duration.ZERO);
        if (b.initialError != null) {
            state = DfuState.DFU_ERROR;
            status = b.initialError;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** An STM32F4-class ROM: 1 MiB flash in 12 sectors, option bytes, OTP; wTransferSize 2048. */
    public static FakeDfuseDevice stm32f4() {
        return builder().alt("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg")
                .alt("@Option Bytes  /0x1FFFC000/01*016 e")
                .alt("@OTP Memory /0x1FFF7800/01*512 e,01*016 e").build();
    }

    /** Configuration. */
    public static final class Builder {
        private final List<String> altNames = new ArrayList<>();
        private int transferSize = 2048;
        private int blockMultiplier;
        private int attributes = 0x0B;
        private DfuStatus initialError;

        public Builder alt(String layoutString) {
            altNames.add(layoutString);
            return this;
        }

        public Builder transferSize(int v) {
            transferSize = v;
            return this;
        }

        /** A device that mis-addresses: it multiplies (wBlockNum - 2) by this instead of wTransferSize. */
        public Builder blockMultiplier(int v) {
            blockMultiplier = v;
            return this;
        }

        public Builder attributes(int v) {
            attributes = v;
            return this;
        }

        /** Start in dfuERROR with this status (F4 ROMs start with errFIRMWARE after a bad app). */
        public Builder initialError(DfuStatus s) {
            initialError = s;
            return this;
        }

        public FakeDfuseDevice build() {
            if (altNames.isEmpty()) {
                alt("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg");
            }
            return new FakeDfuseDevice(this);
        }
    }

    // ------------------------------------------------------------ test configuration and inspection

    /** How long an operation says it takes (bwPollTimeout) and really takes. */
    public FakeDfuseDevice timing(Op op, Duration reportedPoll, Duration takes) {
        reported.put(op, reportedPoll);
        actual.put(op, takes);
        return this;
    }

    /** GETSTATUS blocks (NAKs) until the operation is done instead of answering dfuDNBUSY (mboot). */
    public FakeDfuseDevice nakWhileBusy(boolean v) {
        nak = v;
        return this;
    }

    /** Flag polls before bwPollTimeout while busy (default on). */
    public FakeDfuseDevice strictPolling(boolean v) {
        strictPolling = v;
        return this;
    }

    /** Quick operations go straight to dfuDNLOAD-IDLE at the first GETSTATUS (STM32U5A9). */
    public FakeDfuseDevice skipBusy(boolean v) {
        skipBusy = v;
        return this;
    }

    public FakeDfuseDevice jump(Jump v) {
        jump = v;
        return this;
    }

    /** BOOT0 held high: every leave comes back in the bootloader. */
    public FakeDfuseDevice boot0High(boolean v) {
        boot0High = v;
        return this;
    }

    /** The device resets before answering the GETSTATUS after the leave DNLOAD (H7 ROMs). */
    public FakeDfuseDevice vanishAtLeave(TransportException.Kind kind) {
        vanishAtLeave = kind;
        return this;
    }

    public FakeDfuseDevice reopenSupported(boolean v) {
        reopenSupported = v;
        return this;
    }

    public FakeDfuseDevice string(int index, String text) {
        strings.put(index, text);
        return this;
    }

    /** Injects a fault into the nth (1-based, counted from now) operation of a kind. */
    public FakeDfuseDevice inject(Op op, int nth, Fault fault) {
        return inject(op, nth, fault, DfuStatus.ERR_WRITE);
    }

    public FakeDfuseDevice inject(Op op, int nth, Fault fault, DfuStatus status) {
        faults.add(new FaultRule(op, opCounts.getOrDefault(op, 0) + nth, fault, status));
        return this;
    }

    /** Fills memory of an alternate setting (as if programmed earlier). */
    public FakeDfuseDevice preload(int altSetting, long address, byte[] data) {
        for (int i = 0; i < data.length; i++) {
            store(altSetting, address + i, data[i]);
        }
        return this;
    }

    public byte[] read(int altSetting, long address, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = load(altSetting, address + i);
        }
        return out;
    }

    public List<String> violations() {
        return violations;
    }

    public List<Request> requests() {
        return requests;
    }

    public long count(DfuRequest r) {
        return requests.stream().filter(x -> x.request() == r).count();
    }

    /** The DfuSe commands received (block-0 DNLOADs), in order. */
    public List<DfuseCommand> commands() {
        return requests.stream().filter(r -> r.request() == DfuRequest.DNLOAD && r.value() == 0 && r.length() > 0)
                .map(r -> DfuseCommand.parse(r.data())).toList();
    }

    public int eraseCount(int altSetting, long sectorStart) {
        return eraseCounts.getOrDefault(altSetting + ":" + sectorStart, 0);
    }

    public int totalErases() {
        return eraseCounts.values().stream().mapToInt(Integer::intValue).sum();
    }

    public VirtualClock clock() {
        return clock;
    }

    public DfuState state() {
        return state;
    }

    public boolean connected() {
        return connected;
    }

    public Optional<Long> jumpedTo() {
        return Optional.ofNullable(jumpedTo);
    }

    public int leaves() {
        return leaves;
    }

    /** The device is plugged in again / reset into its bootloader: dfuIDLE, status OK. */
    public void reconnect() {
        connected = true;
        closed = false;
        state = DfuState.DFU_IDLE;
        status = DfuStatus.OK;
        pending = null;
        wedged = false;
        cameBack = false;
    }

    // ------------------------------------------------------------ DfuTransport

    @Override
    public DeviceInfo device() {
        return new DeviceInfo(0x0483, 0xDF11, 0x2200, "STMicroelectronics", "STM32  BOOTLOADER", "FAKE0001", "fake:1", true);
    }

    @Override
    public int interfaceNumber() {
        return 0;
    }

    @Override
    public List<AltSetting> altSettings() {
        List<AltSetting> out = new ArrayList<>();
        for (int i = 0; i < altNames.size(); i++) {
            out.add(new AltSetting(i, altNames.get(i)));
        }
        return out;
    }

    @Override
    public byte[] functionalDescriptor() {
        return descriptor.toBytes();
    }

    @Override
    public void selectAltSetting(int altSetting) throws TransportException {
        checkConnected();
        if (altSetting < 0 || altSetting >= altNames.size()) {
            throw new TransportException(TransportException.Kind.STALL, "no alt setting " + altSetting);
        }
        alt = altSetting;
    }

    @Override
    public TimeSource time() {
        return clock;
    }

    @Override
    public String stringDescriptor(int index) throws TransportException {
        checkConnected();
        String s = strings.get(index);
        if (s == null) {
            throw new TransportException(TransportException.Kind.STALL, "no string " + index);
        }
        return s;
    }

    @Override
    public void reset() throws TransportException {
        checkConnected();
        connected = false;
        throw new TransportException(TransportException.Kind.NO_DEVICE, "device re-enumerated");
    }

    /**
     * The fake's port: the device is at it in DFU mode while connected, or after a leave that comes
     * back in DFU mode; otherwise the port is empty (the fake has no application face). Coming back
     * reconnects this same fake, which {@code awaitDfu} returns.
     */
    @Override
    public DevicePort port() {
        FakeDfuseDevice self = this;
        return new DevicePort() {
            @Override
            public String path() {
                return device().path();
            }

            @Override
            public TimeSource time() {
                return clock;
            }

            @Override
            public PortState state() throws TransportException {
                check();
                return connected || cameBack ? new PortState(PortState.Mode.DFU, Optional.of(device()), "fake in DFU mode", "")
                        : PortState.empty(path());
            }

            @Override
            public Optional<DfuTransport> awaitDfu(Duration timeout) throws TransportException {
                check();
                if (cameBack) {
                    reconnect();
                    return Optional.of(self);
                }
                clock.advance(timeout);
                return Optional.empty();
            }

            @Override
            public Optional<PortState> awaitApplication(Duration timeout) throws TransportException {
                check();
                clock.advance(timeout);
                return Optional.empty();
            }

            private void check() throws TransportException {
                if (!reopenSupported) {
                    throw new TransportException(TransportException.Kind.NOT_SUPPORTED, "fake cannot reopen");
                }
            }
        };
    }

    @Override
    public void close() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void controlOut(int request, int value, byte[] data, Duration timeout) throws TransportException {
        checkConnected();
        tick();
        DfuRequest r = DfuRequest.fromCode(request);
        requests.add(new Request(r, value, data.length, data.clone(), alt));
        if (r == null) {
            throw stall("unknown request " + request, DfuStatus.ERR_STALLEDPKT);
        }
        switch (r) {
            case DNLOAD -> dnload(value, data);
            case CLRSTATUS -> {
                if (state == DfuState.DFU_ERROR) {
                    state = DfuState.DFU_IDLE;
                    status = DfuStatus.OK;
                    iString = 0;
                } else if (wedged) {
                    // STM32H7 rev V: first CLRSTATUS of the pair gives (errUNKNOWN, dfuERROR)
                    wedged = false;
                    pending = null;
                    state = DfuState.DFU_ERROR;
                    status = DfuStatus.ERR_UNKNOWN;
                } else {
                    violations.add("CLRSTATUS outside dfuERROR (state " + state.specName() + ")");
                    throw stall("CLRSTATUS outside dfuERROR", DfuStatus.ERR_UNKNOWN);
                }
            }
            case ABORT -> {
                if (state == DfuState.DFU_IDLE || state == DfuState.DFU_DNLOAD_IDLE || state == DfuState.DFU_UPLOAD_IDLE) {
                    state = DfuState.DFU_IDLE;
                    pending = null;
                } else {
                    violations.add("ABORT in " + state.specName());
                    throw stall("ABORT in " + state.specName(), DfuStatus.ERR_STALLEDPKT);
                }
            }
            default -> {
                violations.add(r + " in DFU mode");
                throw stall(r + " not supported", DfuStatus.ERR_STALLEDPKT);
            }
        }
    }

    private void dnload(int value, byte[] data) throws TransportException {
        if (state != DfuState.DFU_IDLE && state != DfuState.DFU_DNLOAD_IDLE) {
            violations.add("DNLOAD in " + state.specName());
            throw stall("DNLOAD in " + state.specName(), DfuStatus.ERR_STALLEDPKT);
        }
        if (data.length > descriptor.transferSize()) {
            violations.add("DNLOAD of " + data.length + " bytes > wTransferSize " + descriptor.transferSize());
            throw stall("block too large", DfuStatus.ERR_STALLEDPKT);
        }
        Op op;
        long address = -1;
        if (data.length == 0) {
            op = Op.LEAVE;
        } else if (value == 0) {
            DfuseCommand c = DfuseCommand.parse(data);
            if (c == null || c.kind() == OperationKind.COMMAND) {
                violations.add("unknown DfuSe command " + Arrays.toString(data));
                throw stall("unknown command", DfuStatus.ERR_STALLEDPKT);
            }
            op = switch (c.kind()) {
                case SET_ADDRESS -> Op.SET_ADDRESS;
                case ERASE -> Op.ERASE;
                case MASS_ERASE -> Op.MASS_ERASE;
                case READ_UNPROTECT -> Op.READ_UNPROTECT;
                default -> throw new IllegalStateException();
            };
            address = c.address();
        } else if (value == 1) {
            violations.add("DNLOAD with reserved wBlockNum 1");
            throw stall("wBlockNum 1", DfuStatus.ERR_STALLEDPKT);
        } else {
            op = Op.WRITE;
            address = pointer + (long) (value - 2) * blockMultiplier;
        }
        FaultRule fault = takeFault(op);
        if (fault != null && fault.fault() == Fault.STALL_REQUEST) {
            throw stall("injected stall of " + op, DfuStatus.ERR_STALLEDPKT);
        }
        pending = new Pending(op, address, data.clone(), fault);
        state = op == Op.LEAVE ? DfuState.DFU_MANIFEST_SYNC : DfuState.DFU_DNLOAD_SYNC;
    }

    @Override
    public byte[] controlIn(int request, int value, int length, Duration timeout) throws TransportException {
        checkConnected();
        tick();
        DfuRequest r = DfuRequest.fromCode(request);
        requests.add(new Request(r, value, length, new byte[0], alt));
        if (r == DfuRequest.GETSTATUS) {
            if (length < DfuStatusReply.LENGTH) {
                violations.add("GETSTATUS with wLength " + length);
            }
            return getStatus(timeout);
        }
        if (r == DfuRequest.GETSTATE) {
            return new byte[] {(byte) state.code()};
        }
        if (r == DfuRequest.UPLOAD) {
            return upload(value, length, timeout);
        }
        violations.add(r + " as an IN request");
        throw stall("bad request", DfuStatus.ERR_STALLEDPKT);
    }

    private byte[] getStatus(Duration timeout) throws TransportException {
        long now = clock.nanoTime();
        if (state == DfuState.DFU_MANIFEST_SYNC && pending != null && pending.op == Op.LEAVE) {
            FaultRule f = pending.fault;
            if (f != null && f.fault() == Fault.ERROR_STATUS) {
                pending = null;
                state = DfuState.DFU_ERROR;
                status = f.status();
                return reply(0);
            }
            if (f != null && f.fault() == Fault.STALL_STATUS && !pending.faultUsed) {
                pending.faultUsed = true;
                throw new TransportException(TransportException.Kind.STALL, "injected stall at leave");
            }
            leaves++;
            boolean vanish = vanishAtLeave != null || f != null && f.fault() == Fault.DISCONNECT;
            jumpTo(pointer);
            pending = null;
            connected = false;
            if (vanish) {
                TransportException.Kind k = vanishAtLeave != null ? vanishAtLeave : TransportException.Kind.NO_DEVICE;
                throw new TransportException(k, "device reset before answering");
            }
            state = DfuState.DFU_MANIFEST;
            return reply(0); // answered, then it is gone
        }
        if (state == DfuState.DFU_DNLOAD_SYNC && pending != null && !pending.started) {
            applyStatusFault(timeout);
            pending.started = true;
            pending.busyUntil = now + actual.get(pending.op).toNanos();
            long poll = reported.get(pending.op).toMillis();
            pending.pollAllowedAt = now + reported.get(pending.op).toNanos();
            if (skipBusy && actual.get(pending.op).isZero()) {
                return execute();
            }
            state = DfuState.DFU_DNBUSY;
            if (pending.op == Op.READ_UNPROTECT) {
                // mass erase, clear protection, reset: gone after this answer
                byte[] out = reply(poll);
                eraseAll(alt);
                connected = false;
                return out;
            }
            return reply(poll);
        }
        if (state == DfuState.DFU_DNBUSY && pending != null) {
            applyStatusFault(timeout);
            FaultRule f = pending.fault;
            if (f != null && f.fault() == Fault.HANG) {
                return reply(reported.get(pending.op).toMillis());
            }
            if (now < pending.busyUntil) {
                if (strictPolling && now < pending.pollAllowedAt) {
                    violations.add(String.format("GETSTATUS %d us before bwPollTimeout elapsed during %s",
                            (pending.pollAllowedAt - now) / 1000, pending.op));
                    pending = null;
                    throw stall("polled too early", DfuStatus.ERR_STALLEDPKT);
                }
                if (nak) {
                    long wait = pending.busyUntil - now;
                    if (wait > timeout.toNanos()) {
                        clock.advance(timeout);
                        throw new TransportException(TransportException.Kind.TIMEOUT, "GETSTATUS NAKed until timeout");
                    }
                    clock.advance(Duration.ofNanos(wait));
                } else {
                    pending.pollAllowedAt = now + reported.get(pending.op).toNanos();
                    return reply(reported.get(pending.op).toMillis());
                }
            }
            return execute();
        }
        if (wedged) {
            return reply(reported.get(Op.ERASE).toMillis());
        }
        return reply(0);
    }

    private void applyStatusFault(Duration timeout) throws TransportException {
        FaultRule f = pending.fault;
        if (f == null) {
            return;
        }
        switch (f.fault()) {
            case STALL_STATUS -> {
                if (!pending.faultUsed) {
                    pending.faultUsed = true;
                    throw new TransportException(TransportException.Kind.STALL, "injected GETSTATUS stall during " + pending.op);
                }
            }
            case TIMEOUT_STATUS -> {
                if (!pending.faultUsed) {
                    pending.faultUsed = true;
                    clock.advance(timeout);
                    throw new TransportException(TransportException.Kind.TIMEOUT, "injected GETSTATUS timeout during " + pending.op);
                }
            }
            case STALL_STATUS_REPEATEDLY -> {
                if (repeatedStalls++ < 6) {
                    throw new TransportException(TransportException.Kind.STALL, "injected repeated stall during " + pending.op);
                }
            }
            case DISCONNECT -> {
                connected = false;
                throw new TransportException(TransportException.Kind.NO_DEVICE, "injected disconnect during " + pending.op);
            }
            default -> {
            }
        }
    }

    /** Runs the pending operation (the device does the work after the dfuDNBUSY answer). */
    private byte[] execute() {
        Pending p = pending;
        pending = null;
        FaultRule f = p.fault;
        if (f != null && f.fault() == Fault.ERROR_STATUS) {
            return fail(f.status());
        }
        MemoryLayout layout = layoutOfAlt();
        switch (p.op) {
            case SET_ADDRESS -> {
                if (layout != null && !layout.contains(p.address)) {
                    return fail(DfuStatus.ERR_TARGET);
                }
                pointer = p.address;
            }
            case ERASE -> {
                Optional<Sector> s = layout == null ? Optional.empty() : layout.sectorAt(p.address);
                if (s.isEmpty() || !s.get().access().erasable()) {
                    return fail(DfuStatus.ERR_TARGET);
                }
                if (p.address != s.get().start()) {
                    violations.add(String.format("ERASE at 0x%08x, not at the start of %s", p.address, s.get()));
                }
                if (f != null && f.fault() == Fault.WEDGE_UNERASED) {
                    wedged = true;
                    state = DfuState.DFU_DNBUSY;
                    return reply(reported.get(Op.ERASE).toMillis());
                }
                eraseSector(alt, s.get());
                if (f != null && f.fault() == Fault.WEDGE) {
                    wedged = true;
                    state = DfuState.DFU_DNBUSY;
                    return reply(reported.get(Op.ERASE).toMillis());
                }
            }
            case MASS_ERASE -> eraseAll(alt);
            case WRITE -> {
                byte[] data = p.data;
                for (int i = 0; i < data.length; i++) {
                    long a = p.address + i;
                    Optional<MemoryRegion> region = layout == null ? Optional.empty() : layout.regionAt(a);
                    if (region.isEmpty() || !region.get().access().writable()) {
                        return fail(DfuStatus.ERR_TARGET);
                    }
                    byte current = load(alt, a);
                    byte value = data[i];
                    if (f != null && f.fault() == Fault.CORRUPT && i == 0) {
                        value ^= 0x04;
                    }
                    if (region.get().access().erasable()) {
                        if (current != (byte) 0xFF && value != (byte) 0xFF) {
                            violations.add(String.format("programmed the non-erased byte at 0x%08x (0x%02x over 0x%02x)",
                                    a, value, current));
                            return fail(DfuStatus.ERR_PROG);
                        }
                        store(alt, a, (byte) (current & value));
                    } else {
                        store(alt, a, value);
                    }
                }
            }
            default -> {
            }
        }
        state = DfuState.DFU_DNLOAD_IDLE;
        status = DfuStatus.OK;
        return reply(0);
    }

    private byte[] upload(int value, int length) throws TransportException {
        return upload(value, length, Duration.ofSeconds(5));
    }

    private byte[] upload(int value, int length, Duration timeout) throws TransportException {
        if (state != DfuState.DFU_IDLE && state != DfuState.DFU_UPLOAD_IDLE) {
            violations.add("UPLOAD in " + state.specName());
            throw stall("UPLOAD in " + state.specName(), DfuStatus.ERR_STALLEDPKT);
        }
        if (value == 0) {
            state = DfuState.DFU_UPLOAD_IDLE;
            return Arrays.copyOf(GET_COMMANDS_REPLY, Math.min(length, GET_COMMANDS_REPLY.length));
        }
        if (value == 1) {
            violations.add("UPLOAD with reserved wBlockNum 1");
            throw stall("wBlockNum 1", DfuStatus.ERR_STALLEDPKT);
        }
        if (length > descriptor.transferSize()) {
            violations.add("UPLOAD of " + length + " bytes > wTransferSize");
            throw stall("too long", DfuStatus.ERR_STALLEDPKT);
        }
        FaultRule f = takeFault(Op.UPLOAD);
        if (f != null) {
            switch (f.fault()) {
                case STALL_REQUEST, STALL_STATUS, STALL_STATUS_REPEATEDLY -> throw stall("injected UPLOAD stall", DfuStatus.ERR_STALLEDPKT);
                case ERROR_STATUS -> throw stall("injected UPLOAD error", f.status());
                case TIMEOUT_STATUS, HANG -> {
                    clock.advance(timeout);
                    throw new TransportException(TransportException.Kind.TIMEOUT, "injected UPLOAD timeout");
                }
                case DISCONNECT -> {
                    connected = false;
                    throw new TransportException(TransportException.Kind.NO_DEVICE, "injected disconnect during UPLOAD");
                }
                default -> {
                }
            }
        }
        long address = pointer + (long) (value - 2) * blockMultiplier;
        MemoryLayout layout = layoutOfAlt();
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            long a = address + i;
            Optional<MemoryRegion> region = layout == null ? Optional.empty() : layout.regionAt(a);
            if (region.isEmpty() || !region.get().access().readable()) {
                throw stall(String.format("UPLOAD of unreadable 0x%08x", a), DfuStatus.ERR_ADDRESS);
            }
            out[i] = load(alt, a);
        }
        if (f != null && f.fault() == Fault.CORRUPT && out.length > 0) {
            out[out.length / 2] ^= 0x10;
        }
        state = DfuState.DFU_UPLOAD_IDLE;
        return out;
    }

    // ------------------------------------------------------------ helpers

    private void jumpTo(long address) {
        jumpedTo = address;
        MemoryLayout flash = layouts.get(0);
        boolean valid;
        switch (jump) {
            case VECTOR_TABLE -> {
                long sp = word(0, address);
                long pc = word(0, address + 4);
                valid = sp >= 0x20000000L && sp <= 0x20100000L && (pc & 1) == 1 && flash != null && flash.contains(pc & ~1L)
                        && load(0, pc & ~1L) != (byte) 0xFF;
            }
            case RESET_HANDLER -> valid = (address & 1) == 1 && flash != null && flash.contains(address & ~1L)
                    && load(0, address & ~1L) != (byte) 0xFF;
            default -> valid = flash != null && load(0, flash.start()) != (byte) 0xFF;
        }
        cameBack = boot0High || !valid;
    }

    private long word(int altSetting, long address) {
        long w = 0;
        for (int i = 3; i >= 0; i--) {
            w = w << 8 | (load(altSetting, address + i) & 0xFF);
        }
        return w;
    }

    private MemoryLayout layoutOfAlt() {
        return alt < layouts.size() ? layouts.get(alt) : null;
    }

    private byte[] fail(DfuStatus s) {
        state = DfuState.DFU_ERROR;
        status = s;
        return reply(0);
    }

    private byte[] reply(long pollMs) {
        return new DfuStatusReply(status, Duration.ofMillis(pollMs), state, iString, status.code(), state.code()).toBytes();
    }

    private TransportException stall(String why, DfuStatus s) {
        state = DfuState.DFU_ERROR;
        status = s;
        return new TransportException(TransportException.Kind.STALL, why);
    }

    private FaultRule takeFault(Op op) {
        int n = opCounts.merge(op, 1, Integer::sum);
        for (FaultRule f : faults) {
            if (f.op() == op && f.nth() == n) {
                repeatedStalls = 0;
                return f;
            }
        }
        return null;
    }

    private void checkConnected() throws TransportException {
        if (!connected) {
            throw new TransportException(TransportException.Kind.NO_DEVICE, "device is gone");
        }
    }

    private void tick() {
        clock.advance(Duration.ofNanos(100_000));
    }

    private void eraseSector(int altSetting, Sector s) {
        eraseCounts.merge(altSetting + ":" + s.start(), 1, Integer::sum);
        for (long a = s.start(); a < s.end(); a++) {
            store(altSetting, a, (byte) 0xFF);
        }
    }

    private void eraseAll(int altSetting) {
        MemoryLayout l = altSetting < layouts.size() ? layouts.get(altSetting) : null;
        if (l != null) {
            for (Sector s : l.sectorsIn(0, 1L << 32)) {
                if (s.access().erasable()) {
                    eraseSector(altSetting, s);
                }
            }
        }
    }

    private static final int PAGE = 4096;

    private byte load(int altSetting, long address) {
        TreeMap<Long, byte[]> m = memory.get(altSetting);
        byte[] page = m == null ? null : m.get(address / PAGE);
        return page == null ? (byte) 0xFF : page[(int) (address % PAGE)];
    }

    private void store(int altSetting, long address, byte value) {
        byte[] page = memory.computeIfAbsent(altSetting, k -> new TreeMap<>()).computeIfAbsent(address / PAGE, k -> {
            byte[] p = new byte[PAGE];
            Arrays.fill(p, (byte) 0xFF);
            return p;
        });
        page[(int) (address % PAGE)] = value;
    }
}
