package io.github.dfu4j.ops;

import io.github.dfu4j.ops.FlashResult.Timings;
import io.github.dfu4j.dfu.internal.CommandResult;
import io.github.dfu4j.dfu.internal.DfuDriver;
import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.transport.TransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * DFU 1.1 (non-DfuSe) download and upload: blocks numbered from 0 (wrapping after 0xFFFF, DFU 1.1
 * §6.1.1), the zero-length DNLOAD that starts manifestation, and a USB reset when the device is not
 * manifestation tolerant. The device decides where the firmware goes; addresses are ignored. It works
 * on the device only through the {@link DfuSession} (to-idle, block upload, reset), like the DfuSe jobs.
 */
final class PlainDfu {
    private static final Logger log = LoggerFactory.getLogger(PlainDfu.class);

    private final DfuSession session;
    private final DfuDriver driver;

    PlainDfu(DfuSession session, DfuDriver driver) {
        this.session = session;
        this.driver = driver;
    }

    /**
     * The write gate's review (a plain DFU download writes no addressed memory: only the suffix's
     * VID/PID and the profile's rules apply), then {@link #download}.
     */
    FlashResult flash(FirmwareImage image, FlashOptions options, DeviceProfile p, ProgressListener listener) throws DfuException {
        DeviceContext context = session.context();
        WriteRequest none = new WriteRequest(List.of(), List.of(), List.of(), false, context.alts(), context.layouts());
        session.gate().arm(WriteGate.review(none, options.confirmations(), p, image.suffix(), session.info(), true, 1,
                session.reader(driver)));
        try {
            return download(image, options, listener);
        } finally {
            session.gate().disarm();
        }
    }

    private FlashResult download(FirmwareImage image, FlashOptions options, ProgressListener listener) throws DfuException {
        long start = session.now();
        long requestsBefore = driver.requestCount();
        byte[] data = contiguous(image);
        List<String> warnings = new ArrayList<>();
        if (image.lowestAddress().orElse(0) != 0) {
            warnings.add(String.format("plain DFU device: the image address 0x%08x is ignored; the device decides where"
                    + " the firmware goes", image.lowestAddress().getAsLong()));
        }
        int transfer = session.context().transferSize(driver.quirks());
        session.toIdle(Phase.WRITE);
        Progress pr = Progress.start(listener, Phase.WRITE, data.length, 0);
        int block = 0;
        int blocks = 0;
        for (int off = 0; off < data.length; off += transfer) {
            byte[] chunk = Arrays.copyOfRange(data, off, Math.min(data.length, off + transfer));
            driver.downloadBlock(block, chunk, Phase.WRITE, off);
            block = (block + 1) & 0xFFFF;
            blocks++;
            pr.advance(chunk.length, off);
        }
        pr.finish();
        Duration write = session.since(start);

        long leaveStart = session.now();
        CommandResult manifest = driver.leave(block);
        LeaveResult.Outcome outcome;
        CommandResult.Ending ending = afterManifest(manifest);
        if (ending == CommandResult.Ending.MANIFESTED_IDLE) {
            outcome = LeaveResult.Outcome.STAYED_IN_DFU;
        } else if (ending == CommandResult.Ending.DISCONNECTED) {
            outcome = LeaveResult.Outcome.DISCONNECTED;
            session.markGone();
        } else {
            outcome = reset();
        }
        if (outcome != LeaveResult.Outcome.STAYED_IN_DFU && options.verify() && session.context().descriptor().canUpload()
                && !options.reopenTimeout().isZero() && reopen(options.reopenTimeout())) {
            // not tolerant: the reset after manifestation brought it back in DFU mode (no runnable image, DFU
            // entry held), so the stream can still be read back
            outcome = LeaveResult.Outcome.CAME_BACK_IN_DFU;
        }

        boolean resetBeforeVerify = outcome != LeaveResult.Outcome.STAYED_IN_DFU && outcome != LeaveResult.Outcome.CAME_BACK_IN_DFU;
        long verified = 0;
        long verifyStart = session.now();
        if (options.verify()) {
            if ((outcome == LeaveResult.Outcome.STAYED_IN_DFU || outcome == LeaveResult.Outcome.CAME_BACK_IN_DFU)
                    && session.context().descriptor().canUpload()) {
                byte[] back = upload(data.length, listener);
                for (int i = 0; i < data.length; i++) {
                    if (i >= back.length) {
                        throw new VerifyException(0, i, data[i], 0, "the device returned only " + back.length + " bytes");
                    }
                    if (back[i] != data[i]) {
                        throw new VerifyException(0, i, data[i], back[i], null);
                    }
                }
                verified = data.length;
            } else {
                warnings.add("plain DFU device cannot be read back after manifestation: not verified");
            }
        }
        Duration verify = session.since(verifyStart);
        Optional<LeaveResult> leave = Optional.empty();
        // a not-tolerant device back in DFU mode after its reset is where a tolerant one stays: no leave to report
        boolean inDfu = outcome == LeaveResult.Outcome.STAYED_IN_DFU || outcome == LeaveResult.Outcome.CAME_BACK_IN_DFU;
        if (inDfu && options.leave().kind() != LeaveRequest.Kind.NONE) {
            outcome = reset();
        }
        if (!inDfu || options.leave().kind() != LeaveRequest.Kind.NONE) {
            leave = Optional.of(new LeaveResult(outcome, java.util.OptionalLong.empty(), LeaveResult.AddressSource.NONE,
                    false, session.since(leaveStart), Optional.empty()));
        }
        Timings timings = new Timings(Duration.ZERO, Duration.ZERO, write, verify, session.since(leaveStart).minus(verify),
                session.since(start));
        return new FlashResult(new FlashResult.Verification(options.verify() && verified == data.length, verified,
                data.length - verified), new FlashResult.Writes(List.of(), List.of(), List.of(new MemoryRange(0, 0, data.length)),
                data.length, blocks, 0, 0, AddressingMode.BLOCK_NUMBER, false, 0, driver.requestCount() - requestsBefore),
                timings, leave, warnings, List.of(), options.verify() && resetBeforeVerify
                ? Optional.of(new MemoryRange(0, 0, data.length)) : Optional.empty()); // the manifestation's reset: not readable
    }

    byte[] upload(int length, ProgressListener listener) throws DfuException {
        int transfer = session.context().transferSize(driver.quirks());
        session.toIdle(Phase.READ);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Progress pr = Progress.start(listener, Phase.READ, length, 0);
        int block = 0;
        boolean shortFrame = false;
        while (out.size() < length) {
            int n = Math.min(transfer, length - out.size());
            byte[] data = session.upload(driver, block, n, Phase.READ, out.size());
            out.write(data, 0, data.length);
            pr.advance(data.length, out.size());
            block = (block + 1) & 0xFFFF;
            if (data.length < n) {
                shortFrame = true; // DFU 1.1: a short frame ends the upload and the device is back in dfuIDLE
                break;
            }
        }
        if (!shortFrame) {
            session.toIdle(Phase.READ);
        } else {
            session.markIdle();
        }
        pr.finish();
        return out.toByteArray();
    }

    /**
     * DFU 1.1 appendix A.1: after the zero-length DNLOAD a device answers dfuMANIFEST and manifests for
     * bwPollTimeout; a manifestation-tolerant one then returns through dfuMANIFEST-SYNC to dfuIDLE, so it
     * is polled there ({@link DfuDriver#recoverToIdle}). A device that is not tolerant is given its
     * bwPollTimeout before the USB reset.
     */
    private CommandResult.Ending afterManifest(CommandResult manifest) throws DfuException {
        if (manifest.ending() != CommandResult.Ending.MANIFESTING || manifest.lastStatus() == null
                || manifest.lastStatus().state() != io.github.dfu4j.dfu.DfuState.DFU_MANIFEST) {
            return manifest.ending();
        }
        if (session.context().descriptor().manifestationTolerant()) {
            session.recoverToIdle(driver, Phase.LEAVE);
            return CommandResult.Ending.MANIFESTED_IDLE;
        }
        try {
            session.rawTransport().time().sleep(manifest.lastStatus().pollTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return manifest.ending();
    }

    /** After the reset: is the device back in DFU mode at its port within {@code timeout}? */
    private boolean reopen(Duration timeout) {
        try {
            return session.reopen(timeout);
        } catch (TransportException e) {
            log.debug("cannot look for the device after manifestation: {}", e.getMessage());
            return false;
        }
    }

    /** USB reset: a device with valid firmware starts it. A vanished device has left. */
    LeaveResult.Outcome reset() {
        session.resetDevice();
        return LeaveResult.Outcome.LEFT;
    }

    private static byte[] contiguous(FirmwareImage image) throws DfuException {
        if (image.isEmpty()) {
            throw DfuException.plan("the image holds no data");
        }
        List<Segment> segments = image.segments();
        for (int i = 1; i < segments.size(); i++) {
            if (segments.get(i).address() != segments.get(i - 1).end()) {
                throw DfuException.plan(String.format("a plain DFU device takes one contiguous image; this one has a"
                        + " gap at 0x%08x", segments.get(i - 1).end()), segments.get(i - 1).end());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Segment s : segments) {
            out.write(s.bytes(), 0, s.length());
        }
        return out.toByteArray();
    }
}
