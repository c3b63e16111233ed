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
 * manifestation tolerant. The device decides where the firmware goes; addresses are ignored.
 */
final class PlainDfu {
    private static final Logger log = LoggerFactory.getLogger(PlainDfu.class);

    private final DfuDevice device;
    private final DfuDriver driver;

    PlainDfu(DfuDevice device, DfuDriver driver) {
        this.device = device;
        this.driver = driver;
    }

    FlashResult download(FirmwareImage image, FlashOptions options, ProgressListener listener) throws DfuException {
        long start = device.session().now();
        long requestsBefore = driver.requestCount();
        byte[] data = contiguous(image);
        List<String> warnings = new ArrayList<>();
        if (image.lowestAddress().orElse(0) != 0) {
            warnings.add(String.format("plain DFU device: the image address 0x%08x is ignored; the device decides where"
                    + " the firmware goes", image.lowestAddress().getAsLong()));
        }
        int transfer = driver.quirks().effectiveTransferSize(device.functionalDescriptor().transferSize());
        device.session().toIdle(Phase.WRITE);
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
        Duration write = device.session().since(start);

        long leaveStart = device.session().now();
        CommandResult manifest = driver.leave(block);
        LeaveResult.Outcome outcome;
        if (manifest.ending() == CommandResult.Ending.MANIFESTED_IDLE) {
            outcome = LeaveResult.Outcome.STAYED_IN_DFU;
        } else if (manifest.ending() == CommandResult.Ending.DISCONNECTED) {
            outcome = LeaveResult.Outcome.DISCONNECTED;
            device.session().markGone();
        } else {
            outcome = reset();
        }

        long verified = 0;
        long verifyStart = device.session().now();
        if (options.verify()) {
            if (outcome == LeaveResult.Outcome.STAYED_IN_DFU && device.functionalDescriptor().canUpload()) {
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
        Duration verify = device.session().since(verifyStart);
        Optional<LeaveResult> leave = Optional.empty();
        if (outcome == LeaveResult.Outcome.STAYED_IN_DFU && options.leave().kind() != LeaveRequest.Kind.NONE) {
            outcome = reset();
        }
        if (outcome != LeaveResult.Outcome.STAYED_IN_DFU || options.leave().kind() != LeaveRequest.Kind.NONE) {
            leave = Optional.of(new LeaveResult(outcome, java.util.OptionalLong.empty(), LeaveResult.AddressSource.NONE,
                    false, device.session().since(leaveStart), Optional.empty()));
        }
        Timings timings = new Timings(Duration.ZERO, Duration.ZERO, write, verify, device.session().since(leaveStart).minus(verify),
                device.session().since(start));
        return new FlashResult(new FlashResult.Verification(options.verify() && verified == data.length, verified,
                data.length - verified), new FlashResult.Writes(List.of(), List.of(), List.of(new MemoryRange(0, 0, data.length)),
                data.length, blocks, 0, 0, AddressingMode.BLOCK_NUMBER, false, 0, driver.requestCount() - requestsBefore),
                timings, leave, warnings, List.of(), Optional.empty());
    }

    byte[] upload(int length, ProgressListener listener) throws DfuException {
        int transfer = driver.quirks().effectiveTransferSize(device.functionalDescriptor().transferSize());
        device.session().toIdle(Phase.READ);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Progress pr = Progress.start(listener, Phase.READ, length, 0);
        int block = 0;
        boolean shortFrame = false;
        while (out.size() < length) {
            int n = Math.min(transfer, length - out.size());
            byte[] data = driver.upload(block, n, Phase.READ, out.size());
            out.write(data, 0, data.length);
            device.session().markNeedsIdle(true);
            pr.advance(data.length, out.size());
            block = (block + 1) & 0xFFFF;
            if (data.length < n) {
                shortFrame = true; // DFU 1.1: a short frame ends the upload and the device is back in dfuIDLE
                break;
            }
        }
        if (!shortFrame) {
            device.session().toIdle(Phase.READ);
        } else {
            device.session().markNeedsIdle(false);
        }
        pr.finish();
        return out.toByteArray();
    }

    /** USB reset: a device with valid firmware starts it. A vanished device has left. */
    LeaveResult.Outcome reset() {
        try {
            device.transport().reset();
        } catch (TransportException e) {
            log.debug("reset after manifestation: {}", e.getMessage());
        }
        device.session().markGone();
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
