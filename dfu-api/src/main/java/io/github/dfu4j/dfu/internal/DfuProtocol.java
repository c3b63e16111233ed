package io.github.dfu4j.dfu.internal;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuState;
import io.github.dfu4j.dfu.internal.OperationKind;
import io.github.dfu4j.dfu.DfuStatusReply;
import io.github.dfu4j.dfu.DfuRequest;
import io.github.dfu4j.dfu.DfuQuirks;

/**
 * Factories for the sans-IO exchanges that make up DFU 1.1 and DfuSe. Each returns a fresh
 * {@link Exchange}; run it with {@link DfuDriver#execute} or drive it yourself (e.g. from an
 * asynchronous USB stack).
 */
public final class DfuProtocol {
    private DfuProtocol() {
    }

    public static Exchange<DfuStatusReply> getStatus(DfuQuirks quirks) {
        return SingleRequestExchange.in(DfuRequest.GETSTATUS, 0, DfuStatusReply.LENGTH, quirks, DfuStatusReply::parse);
    }

    public static Exchange<DfuState> getState(DfuQuirks quirks) {
        return SingleRequestExchange.in(DfuRequest.GETSTATE, 0, 1, quirks, reply -> {
            if (reply.length < 1) {
                throw DfuException.protocol("GETSTATE reply is empty, expected 1 byte");
            }
            return DfuState.fromCode(reply[0] & 0xFF);
        });
    }

    public static Exchange<Void> clearStatus(DfuQuirks quirks) {
        return SingleRequestExchange.out(DfuRequest.CLRSTATUS, 0, quirks);
    }

    public static Exchange<Void> abort(DfuQuirks quirks) {
        return SingleRequestExchange.out(DfuRequest.ABORT, 0, quirks);
    }

    /** DFU_DETACH with wTimeout in ms (run-time mode). */
    public static Exchange<Void> detach(int timeoutMs, DfuQuirks quirks) {
        if (timeoutMs < 0 || timeoutMs > 0xFFFF) {
            throw new IllegalArgumentException("wTimeout must fit 16 bits: " + timeoutMs);
        }
        return SingleRequestExchange.out(DfuRequest.DETACH, timeoutMs, quirks);
    }

    /** Brings the device to dfuIDLE from whatever state it is in (see {@link RecoveryExchange}). */
    public static Exchange<DfuStatusReply> recoverToIdle(DfuQuirks quirks) {
        return new RecoveryExchange(quirks, false);
    }

    /** ABORT, then make sure the device is in dfuIDLE: ends an upload, or a DfuSe download run. */
    public static Exchange<DfuStatusReply> abortToIdle(DfuQuirks quirks) {
        return new RecoveryExchange(quirks, true);
    }

    /** A DfuSe special command (block 0) and the GETSTATUS polling that executes it. */
    public static Exchange<CommandResult> dfuseCommand(DfuseCommand command, DfuQuirks quirks) {
        return new DownloadExchange(command.kind(), DfuseCommand.COMMAND_BLOCK, command.payload(), quirks);
    }

    /** One data block and the polling until the device has written it. */
    public static Exchange<CommandResult> downloadBlock(int blockNumber, byte[] data, DfuQuirks quirks) {
        if (data.length == 0) {
            throw new IllegalArgumentException("a data block cannot be empty; use leave() for the zero-length DNLOAD");
        }
        return new DownloadExchange(OperationKind.WRITE, blockNumber, data, quirks);
    }

    /**
     * The zero-length DNLOAD that ends a download: DFU 1.1 manifestation, or DfuSe "leave" (the device
     * jumps to its address pointer). A device that disconnects during the final GETSTATUS counts as
     * having left.
     */
    public static Exchange<CommandResult> leave(int blockNumber, DfuQuirks quirks) {
        return new DownloadExchange(OperationKind.LEAVE, blockNumber, new byte[0], quirks);
    }

    /** One UPLOAD request (DfuSe: block 0 = GET_COMMANDS, blocks &ge; 2 = memory). */
    public static Exchange<byte[]> upload(int blockNumber, int length, DfuQuirks quirks) {
        return new UploadExchange(blockNumber, length, quirks);
    }
}
