package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.dfu.internal.DfuDriver;

/**
 * Reading memory through a {@link DfuSession}: {@link DfuDevice#upload} (DfuSe: the read sequence over
 * a range the layout says is readable; plain DFU: the firmware from the start, {@link PlainDfu}), and
 * DfuSe GET_COMMANDS. Also the read-back of an option-byte write after the device came back.
 */
final class UploadJob {
    private UploadJob() {
    }

    /**
     * {@code length} bytes from {@code address} of {@code alt} (plain DFU: from the start); shorter when
     * the device ends the upload early.
     *
     * @throws DfuException (kind MEMORY_ACCESS) when the device cannot upload or the range is not readable
     */
    static byte[] upload(DfuSession session, DfuDriver drv, int alt, long address, int length, ProgressListener listener)
            throws DfuException {
        DeviceContext context = session.context();
        if (!context.descriptor().canUpload()) {
            throw DfuException.memoryAccess("the device does not support upload (bitCanUpload is 0)", null);
        }
        if (!context.descriptor().isDfuse()) {
            return new PlainDfu(session, drv).upload(length, listener);
        }
        context.checkAccess(alt, address, length, true);
        Progress pr = Progress.start(listener, Phase.READ, length, address);
        byte[] data = session.read(drv, alt, address, length, Phase.READ, pr, false);
        pr.finish();
        return data;
    }

    /** DfuSe GET_COMMANDS: UPLOAD block 0 of {@code alt}, then ABORT. */
    static byte[] supportedCommands(DfuSession session, int alt) throws DfuException {
        session.context().requireDfuse("GET_COMMANDS");
        session.selectAlt(alt, Phase.READ);
        session.toIdle(Phase.READ);
        byte[] commands = session.upload(session.driver(), 0, 16, Phase.READ, 0);
        session.toIdle(Phase.READ);
        return commands;
    }
}
