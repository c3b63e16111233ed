package io.github.dfu4j.integration;

import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DeviceInfo;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.TimeSource;
import io.github.dfu4j.transport.TransportException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Test code for {@link NeverLieTest}: a transport that lies silently, as a bad cable, hub or USB stack
 * could. It corrupts the data of the n-th DfuSe data DNLOAD (wBlockNum 2 and up: a flash block, not a
 * command) before the device sees it, or flips one bit of the n-th data UPLOAD reply (wBlockNum 2 and
 * up) before the host sees it; once, or every time from the n-th on. Nothing reports an error.
 */
final class FaultyTransport implements DfuTransport {
    private static final int DNLOAD = 1;
    private static final int UPLOAD = 2;

    /** What this transport does wrong. */
    enum Kind {
        /** One byte of a written block is changed on the way to the device. */
        CORRUPT_DNLOAD,
        /** One bit of a read-back block is flipped on the way to the host. */
        FLIP_UPLOAD
    }

    private final DfuTransport inner;
    private final Kind kind;
    private final int nth;
    private final boolean always;
    private final int position;
    private int seen;
    private int done;

    /**
     * @param nth      1-based: the first matching request that is damaged
     * @param always   damage every matching request from the n-th on, not only that one
     * @param position which byte (modulo the block length) is damaged
     */
    FaultyTransport(DfuTransport inner, Kind kind, int nth, boolean always, int position) {
        this.inner = inner;
        this.kind = kind;
        this.nth = nth;
        this.always = always;
        this.position = position;
    }

    /** How many requests were damaged. */
    int damaged() {
        return done;
    }

    private boolean fires() {
        seen++;
        return always ? seen >= nth : seen == nth;
    }

    @Override
    public void controlOut(int request, int value, byte[] data, Duration timeout) throws TransportException {
        if (kind == Kind.CORRUPT_DNLOAD && request == DNLOAD && value >= 2 && data.length > 0 && fires()) {
            byte[] bad = data.clone();
            int i = position % bad.length;
            bad[i] = (byte) ~bad[i];
            done++;
            inner.controlOut(request, value, bad, timeout);
            return;
        }
        inner.controlOut(request, value, data, timeout);
    }

    @Override
    public byte[] controlIn(int request, int value, int length, Duration timeout) throws TransportException {
        byte[] reply = inner.controlIn(request, value, length, timeout);
        if (kind == Kind.FLIP_UPLOAD && request == UPLOAD && value >= 2 && reply.length > 0 && fires()) {
            byte[] bad = reply.clone();
            int i = position % bad.length;
            bad[i] ^= (byte) (1 << (position % 8));
            done++;
            return bad;
        }
        return reply;
    }

    @Override
    public DeviceInfo device() {
        return inner.device();
    }

    @Override
    public int interfaceNumber() {
        return inner.interfaceNumber();
    }

    @Override
    public List<AltSetting> altSettings() {
        return inner.altSettings();
    }

    @Override
    public byte[] functionalDescriptor() {
        return inner.functionalDescriptor();
    }

    @Override
    public void selectAltSetting(int altSetting) throws TransportException {
        inner.selectAltSetting(altSetting);
    }

    @Override
    public String stringDescriptor(int index) throws TransportException {
        return inner.stringDescriptor(index);
    }

    @Override
    public void reset() throws TransportException {
        inner.reset();
    }

    @Override
    public TimeSource time() {
        return inner.time();
    }

    @Override
    public io.github.dfu4j.transport.DevicePort port() {
        return inner.port();
    }

    @Override
    public void close() {
        inner.close();
    }
}
