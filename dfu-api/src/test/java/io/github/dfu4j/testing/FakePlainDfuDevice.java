package io.github.dfu4j.testing;

import io.github.dfu4j.dfu.DfuRequest;
import io.github.dfu4j.dfu.DfuState;
import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.dfu.DfuStatusReply;
import io.github.dfu4j.dfu.FunctionalDescriptor;
import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DeviceInfo;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.TimeSource;
import io.github.dfu4j.transport.TransportException;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A strict DFU 1.1 (not DfuSe) device: blocks must arrive numbered 0, 1, 2, ... (wrapping after
 * 0xFFFF), each executed at the following GETSTATUS; the zero-length DNLOAD starts manifestation;
 * a manifestation-tolerant device returns to dfuIDLE, another waits for a USB reset. Upload returns
 * the stored firmware block by block and ends with a short frame.
 */
public final class FakePlainDfuDevice implements DfuTransport {
    private final VirtualClock clock = new VirtualClock();
    private final boolean tolerant;
    private final int transferSize;
    private final List<String> violations = new ArrayList<>();
    private ByteArrayOutputStream incoming = new ByteArrayOutputStream();
    private byte[] firmware = new byte[0];
    private DfuState state = DfuState.DFU_IDLE;
    private DfuStatus status = DfuStatus.OK;
    private int nextBlock;
    private byte[] pendingBlock;
    private boolean manifestPending;
    private boolean connected = true;
    private boolean resetSeen;

    public FakePlainDfuDevice(boolean manifestationTolerant, int transferSize) {
        this.tolerant = manifestationTolerant;
        this.transferSize = transferSize;
    }

    public byte[] firmware() {
        return firmware.clone();
    }

    public List<String> violations() {
        return violations;
    }

    public boolean resetSeen() {
        return resetSeen;
    }

    @Override
    public DeviceInfo device() {
        return new DeviceInfo(0x1209, 0x0001, 0x0100, "Test", "Plain DFU", "1", "fake:plain", true);
    }

    @Override
    public int interfaceNumber() {
        return 0;
    }

    @Override
    public List<AltSetting> altSettings() {
        return List.of(new AltSetting(0, "Flash"));
    }

    @Override
    public byte[] functionalDescriptor() {
        int attrs = FunctionalDescriptor.CAN_DOWNLOAD | FunctionalDescriptor.CAN_UPLOAD
                | (tolerant ? FunctionalDescriptor.MANIFESTATION_TOLERANT : 0);
        return new FunctionalDescriptor(attrs, 100, transferSize, FunctionalDescriptor.BCD_DFU_1_1).toBytes();
    }

    @Override
    public void selectAltSetting(int altSetting) throws TransportException {
        check();
    }

    @Override
    public byte[] controlIn(int request, int value, int length, Duration timeout) throws TransportException {
        check();
        clock.advance(Duration.ofNanos(100_000));
        DfuRequest r = DfuRequest.fromCode(request);
        if (r == DfuRequest.GETSTATUS) {
            if (state == DfuState.DFU_DNLOAD_SYNC) {
                incoming.write(pendingBlock, 0, pendingBlock.length);
                state = DfuState.DFU_DNLOAD_IDLE;
            } else if (state == DfuState.DFU_MANIFEST_SYNC && manifestPending) {
                manifestPending = false;
                firmware = incoming.toByteArray();
                state = tolerant ? DfuState.DFU_IDLE : DfuState.DFU_MANIFEST_WAIT_RESET;
                return reply(tolerant ? DfuState.DFU_MANIFEST_SYNC : DfuState.DFU_MANIFEST);
            }
            return reply(state);
        }
        if (r == DfuRequest.UPLOAD) {
            if (state != DfuState.DFU_IDLE && state != DfuState.DFU_UPLOAD_IDLE) {
                violations.add("UPLOAD in " + state.specName());
                throw stall();
            }
            if (state == DfuState.DFU_IDLE && value != 0 || state == DfuState.DFU_UPLOAD_IDLE && value != nextBlock) {
                violations.add("UPLOAD block " + value + ", expected " + (state == DfuState.DFU_IDLE ? 0 : nextBlock));
                throw stall();
            }
            int from = value * transferSize;
            byte[] out = Arrays.copyOfRange(firmware, Math.min(from, firmware.length), Math.min(firmware.length, from + length));
            nextBlock = value + 1;
            state = out.length < length ? DfuState.DFU_IDLE : DfuState.DFU_UPLOAD_IDLE;
            return out;
        }
        if (r == DfuRequest.GETSTATE) {
            return new byte[] {(byte) state.code()};
        }
        violations.add(r + " not expected");
        throw stall();
    }

    @Override
    public void controlOut(int request, int value, byte[] data, Duration timeout) throws TransportException {
        check();
        clock.advance(Duration.ofNanos(100_000));
        DfuRequest r = DfuRequest.fromCode(request);
        if (r == DfuRequest.DNLOAD) {
            if (state == DfuState.DFU_IDLE && data.length > 0) {
                incoming = new ByteArrayOutputStream();
                nextBlock = 0;
            } else if (state != DfuState.DFU_DNLOAD_IDLE) {
                violations.add("DNLOAD in " + state.specName());
                throw stall();
            }
            if (value != nextBlock) {
                violations.add("DNLOAD block " + value + ", expected " + nextBlock);
                throw stall();
            }
            if (data.length > transferSize) {
                violations.add("block larger than wTransferSize");
                throw stall();
            }
            if (data.length == 0) {
                manifestPending = true;
                state = DfuState.DFU_MANIFEST_SYNC;
                return;
            }
            pendingBlock = data.clone();
            nextBlock = (nextBlock + 1) & 0xFFFF;
            state = DfuState.DFU_DNLOAD_SYNC;
            return;
        }
        if (r == DfuRequest.ABORT && (state == DfuState.DFU_IDLE || state == DfuState.DFU_DNLOAD_IDLE
                || state == DfuState.DFU_UPLOAD_IDLE)) {
            state = DfuState.DFU_IDLE;
            return;
        }
        if (r == DfuRequest.CLRSTATUS && state == DfuState.DFU_ERROR) {
            state = DfuState.DFU_IDLE;
            status = DfuStatus.OK;
            return;
        }
        violations.add(r + " in " + state.specName());
        throw stall();
    }

    private byte[] reply(DfuState s) {
        return new DfuStatusReply(status, Duration.ZERO, s, 0, status.code(), s.code()).toBytes();
    }

    private TransportException stall() {
        state = DfuState.DFU_ERROR;
        status = DfuStatus.ERR_STALLEDPKT;
        return new TransportException(TransportException.Kind.STALL, "stall");
    }

    private void check() throws TransportException {
        if (!connected) {
            throw new TransportException(TransportException.Kind.NO_DEVICE, "gone");
        }
    }

    @Override
    public String stringDescriptor(int index) throws TransportException {
        throw new TransportException(TransportException.Kind.STALL, "no strings");
    }

    @Override
    public void reset() throws TransportException {
        check();
        resetSeen = true;
        connected = false;
        throw new TransportException(TransportException.Kind.NO_DEVICE, "re-enumerated");
    }

    @Override
    public TimeSource time() {
        return clock;
    }

    @Override
    public void close() {
    }
}
