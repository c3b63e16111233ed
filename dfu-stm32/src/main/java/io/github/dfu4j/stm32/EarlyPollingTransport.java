package io.github.dfu4j.stm32;

import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DeviceInfo;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.TimeSource;
import io.github.dfu4j.transport.TransportException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A transport decorator for bootloaders whose USB stack NAKs every control request while the flash
 * is busy ({@link BusyBehaviour#NAK_UNTIL_DONE}: every STM32 ROM): it reports bwPollTimeout 0 in
 * GETSTATUS replies that show dfuDNBUSY, so dfu-api polls again at once and the device answers that
 * poll when the operation has finished.
 *
 * @deprecated dfu-api does this itself with {@link io.github.dfu4j.dfu.DfuQuirks#statusHeldWhileBusy()},
 *             which {@link Stm32DeviceProfile} sets for such ROMs; that also keeps the reported
 *             bwPollTimeout in results and recordings. The decorator still works (wrapping is harmless
 *             with the setting on).
 */
@Deprecated
public final class EarlyPollingTransport implements DfuTransport {
    private static final int GETSTATUS = 3;
    private static final int STATE_DNBUSY = 4;

    private final DfuTransport inner;

    private EarlyPollingTransport(DfuTransport inner) {
        this.inner = Objects.requireNonNull(inner, "inner");
    }

    /** Wraps {@code transport} (a transport that is already wrapped is returned as is). */
    public static DfuTransport wrap(DfuTransport transport) {
        return transport instanceof EarlyPollingTransport ? transport : new EarlyPollingTransport(transport);
    }

    /** The wrapped transport. */
    public DfuTransport inner() {
        return inner;
    }

    @Override
    public byte[] controlIn(int request, int value, int length, Duration timeout) throws TransportException {
        byte[] reply = inner.controlIn(request, value, length, timeout);
        if (request == GETSTATUS && reply.length >= 6 && (reply[4] & 0xFF) == STATE_DNBUSY) {
            byte[] copy = reply.clone();
            copy[1] = 0;
            copy[2] = 0;
            copy[3] = 0;
            return copy;
        }
        return reply;
    }

    @Override
    public void controlOut(int request, int value, byte[] data, Duration timeout) throws TransportException {
        inner.controlOut(request, value, data, timeout);
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

    /** The reopened device is the same kind of bootloader: wrapped again. */
    @Override
    public Optional<DfuTransport> reopenInDfuMode(Duration timeout) throws TransportException {
        return inner.reopenInDfuMode(timeout).map(EarlyPollingTransport::wrap);
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public String toString() {
        return "EarlyPolling[" + inner + "]";
    }
}
