package io.github.dfu4j.bench.flash;

import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.layout.MemoryLayout;
import io.github.dfu4j.layout.Sector;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.TimeSource;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * A DfuSe host written the way dfu-util drives an STM32 ROM (docs/reference/host-tools.md §9.1, docs/reference/stm32.md §6), as
 * the baseline of {@link FlashTimeModel}: per element an erase pass (every page a transfer-size chunk
 * touches, each once), then a write pass in which <em>every</em> chunk, blank or not, gets its own
 * SET_ADDRESS followed by a DNLOAD with wBlockNum 2; after every GETSTATUS the host sleeps the reported
 * bwPollTimeout and polls again while the device says dfuDNBUSY. No verification. Control transfers
 * use dfu-util's fixed 5 s timeout. Only what the timing comparison needs: no error recovery.
 */
final class DfuUtilPattern {
    private static final int DNLOAD = 1;
    private static final int GETSTATUS = 3;
    private static final int ABORT = 6;
    private static final int STATE_DNBUSY = 4;
    private static final int STATE_DNLOAD_IDLE = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final DfuTransport t;
    private final TimeSource clock;
    private final int transferSize;
    private final MemoryLayout layout;
    private long requests;

    DfuUtilPattern(DfuTransport transport, MemoryLayout layout, int transferSize) {
        this.t = transport;
        this.clock = transport.time();
        this.layout = layout;
        this.transferSize = transferSize;
    }

    long requests() {
        return requests;
    }

    /** Flashes every segment as one DfuSe element; returns the time on the device clock. */
    Duration flash(FirmwareImage image) throws IOException, InterruptedException {
        long start = clock.nanoTime();
        t.selectAltSetting(0);
        for (Segment s : image.segments()) {
            element(s);
        }
        t.controlOut(ABORT, 0, new byte[0], TIMEOUT);
        requests++;
        status();
        return Duration.ofNanos(clock.nanoTime() - start);
    }

    private void element(Segment s) throws IOException, InterruptedException {
        long lastErased = -1;
        for (long p = s.address(); p < s.end(); p += transferSize) {
            long chunkEnd = Math.min(s.end(), p + transferSize);
            for (long a = p; a < chunkEnd; ) {
                Optional<Sector> page = layout.sectorAt(a);
                if (page.isEmpty()) {
                    throw new IOException(String.format("0x%08x is outside the layout %s", a, layout.format()));
                }
                if (page.get().start() != lastErased) {
                    special(0x41, page.get().start());
                    lastErased = page.get().start();
                }
                a = page.get().end();
            }
        }
        byte[] data = s.bytes();
        for (int off = 0; off < data.length; off += transferSize) {
            int n = Math.min(transferSize, data.length - off);
            special(0x21, s.address() + off);
            byte[] chunk = new byte[n];
            System.arraycopy(data, off, chunk, 0, n);
            t.controlOut(DNLOAD, 2, chunk, TIMEOUT);
            requests++;
            pollUntilDone("write");
        }
    }

    private void special(int command, long address) throws IOException, InterruptedException {
        byte[] payload = {(byte) command, (byte) address, (byte) (address >> 8), (byte) (address >> 16), (byte) (address >> 24)};
        t.controlOut(DNLOAD, 0, payload, TIMEOUT);
        requests++;
        pollUntilDone(command == 0x41 ? "erase" : "set address");
    }

    /** GETSTATUS, sleep bwPollTimeout, repeat while dfuDNBUSY. */
    private void pollUntilDone(String what) throws IOException, InterruptedException {
        byte[] s;
        do {
            s = status();
            clock.sleep(Duration.ofMillis((s[1] & 0xFF) | (s[2] & 0xFF) << 8 | (s[3] & 0xFF) << 16));
        } while ((s[4] & 0xFF) == STATE_DNBUSY);
        if (s[0] != 0 || (s[4] & 0xFF) != STATE_DNLOAD_IDLE) {
            throw new IOException(what + " failed: status " + (s[0] & 0xFF) + ", state " + (s[4] & 0xFF));
        }
    }

    private byte[] status() throws IOException {
        requests++;
        return t.controlIn(GETSTATUS, 0, 6, TIMEOUT);
    }
}
