package io.github.dfu4j.dfu.internal;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuStatusReply;
import io.github.dfu4j.dfu.DfuRequest;
import io.github.dfu4j.dfu.DfuQuirks;
import io.github.dfu4j.transport.TransportException;

import java.util.Objects;

/**
 * One UPLOAD request. A stalled UPLOAD is followed by one GETSTATUS to learn the device's error
 * code (e.g. errVENDOR under read protection, errADDRESS outside memory). The reply may be shorter
 * than requested: in DFU 1.1 a short frame ends the upload.
 */
public final class UploadExchange implements Exchange<byte[]> {
    private enum Stage { UPLOAD, REASON, FINISHED }

    private final int blockNumber;
    private final int length;
    private final DfuQuirks quirks;
    private Stage stage;
    private TransportException uploadError;
    private byte[] result;

    public UploadExchange(int blockNumber, int length, DfuQuirks quirks) {
        if (blockNumber < 0 || blockNumber > 0xFFFF) {
            throw new IllegalArgumentException("wBlockNum must fit 16 bits: " + blockNumber);
        }
        if (length < 0 || length > 0xFFFF) {
            throw new IllegalArgumentException("wLength must fit 16 bits: " + length);
        }
        this.blockNumber = blockNumber;
        this.length = length;
        this.quirks = Objects.requireNonNull(quirks, "quirks");
    }

    @Override
    public Step start(long nanoTime) {
        stage = Stage.UPLOAD;
        return new Step.ControlIn(DfuRequest.UPLOAD, blockNumber, length, quirks.budgets().controlTimeout());
    }

    @Override
    public Step next(Outcome outcome) {
        if (stage == Stage.UPLOAD) {
            if (outcome instanceof Outcome.Received r) {
                byte[] data = r.data();
                if (data.length > length) {
                    stage = Stage.FINISHED;
                    return new Step.Fail(new Failure(Failure.Kind.PROTOCOL, String.format(
                            "UPLOAD of block %d returned %d bytes, asked for %d", blockNumber, data.length, length), null, null));
                }
                result = data;
                stage = Stage.FINISHED;
                return new Step.Done();
            }
            TransportException e = ((Outcome.Error) outcome).error();
            if (e.kind() == TransportException.Kind.STALL) {
                uploadError = e;
                stage = Stage.REASON;
                return new Step.ControlIn(DfuRequest.GETSTATUS, 0, DfuStatusReply.LENGTH, quirks.budgets().controlTimeout());
            }
            stage = Stage.FINISHED;
            return new Step.Fail(new Failure(Failure.Kind.TRANSFER, "UPLOAD of block " + blockNumber + " failed: "
                    + e.getMessage(), null, e));
        }
        if (stage == Stage.REASON) {
            stage = Stage.FINISHED;
            if (outcome instanceof Outcome.Received r) {
                try {
                    DfuStatusReply s = DfuStatusReply.parse(r.data());
                    if (!s.isOk()) {
                        return new Step.Fail(new Failure(Failure.Kind.DEVICE_STATUS, "device refused UPLOAD of block "
                                + blockNumber, s, uploadError));
                    }
                } catch (DfuException ignored) {
                    // report the stall itself
                }
            }
            return new Step.Fail(new Failure(Failure.Kind.TRANSFER, "device stalled UPLOAD of block " + blockNumber,
                    null, uploadError));
        }
        throw new IllegalStateException("exchange is " + stage);
    }

    @Override
    public byte[] result() {
        if (result == null) {
            throw new IllegalStateException("no result: exchange is " + stage);
        }
        return result.clone();
    }
}
