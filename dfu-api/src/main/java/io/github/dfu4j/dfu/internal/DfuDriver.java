package io.github.dfu4j.dfu.internal;

import io.github.dfu4j.dfu.FunctionalDescriptor;

import io.github.dfu4j.dfu.DfuState;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuCancelledException;
import io.github.dfu4j.dfu.DfuStatusReply;
import io.github.dfu4j.dfu.CancellationToken;
import io.github.dfu4j.dfu.DfuQuirks;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.TimeSource;
import io.github.dfu4j.transport.TransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HexFormat;
import java.util.Objects;

/**
 * The thin I/O half of the protocol: runs sans-IO {@link Exchange}s against a {@link DfuTransport},
 * waiting on the transport's clock ({@link DfuTransport#time()}) so that a virtual clock works, and
 * turns failures into typed {@link DfuException}s (reading the device's iString text where the
 * status names one).
 *
 * <pre>{@code
 * DfuDriver driver = new DfuDriver(transport, DfuQuirks.defaults());
 * driver.recoverToIdle(Phase.SETUP);
 * driver.command(DfuseCommand.erasePage(0x08000000L), Phase.ERASE);
 * }</pre>
 *
 * Cancellation is checked before every exchange and during every wait inside one (a wait is slept
 * in slices of at most {@link #CANCEL_CHECK_INTERVAL}), so a long erase or mass erase stops soon after
 * {@link CancellationToken#cancel()}; an interrupt during a wait stops at once. A cancelled command may
 * still be running on the device: the next session's open must wait for it (dfu-stm32's
 * {@code Stm32DeviceProfile.open(transport, patience)} retries). Not thread-safe.
 */
public final class DfuDriver {
    private static final Logger log = LoggerFactory.getLogger(DfuDriver.class);

    /** Longest slice of a wait between two cancellation checks. */
    public static final java.time.Duration CANCEL_CHECK_INTERVAL = java.time.Duration.ofMillis(100);

    private final DfuTransport transport;
    private final DfuQuirks quirks;
    private volatile CancellationToken cancellation = CancellationToken.NONE;
    private long requests;
    /** When a wait cut short by a cancel would have ended (device time); MIN_VALUE otherwise. */
    private long busyUntilNanos = Long.MIN_VALUE;

    public DfuDriver(DfuTransport transport, DfuQuirks quirks) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.quirks = Objects.requireNonNull(quirks, "quirks");
    }

    public DfuTransport transport() {
        return transport;
    }

    public DfuQuirks quirks() {
        return quirks;
    }

    /** The token checked before each exchange; {@link CancellationToken#NONE} by default. */
    public void setCancellation(CancellationToken token) {
        this.cancellation = Objects.requireNonNull(token, "token");
    }

    /** Control requests sent so far. */
    public long requestCount() {
        return requests;
    }

    /**
     * Runs an exchange to its end.
     *
     * @param phase   reported in errors
     * @param address reported in errors, or null
     */
    public <R> R execute(Exchange<R> exchange, Phase phase, Long address) throws DfuException {
        checkCancelled(phase, address);
        TimeSource time = transport.time();
        Step step = exchange.start(time.nanoTime());
        while (true) {
            if (step instanceof Step.ControlOut out) {
                requests++;
                if (log.isTraceEnabled()) {
                    log.trace("-> {} value={} data={}", out.request(), out.value(), HexFormat.of().formatHex(out.data()));
                }
                Outcome outcome;
                try {
                    transport.controlOut(out.request().code(), out.value(), out.data(), out.timeout());
                    outcome = new Outcome.Sent(time.nanoTime());
                } catch (TransportException e) {
                    log.trace("<- {} failed: {} {}", out.request(), e.kind(), e.getMessage());
                    outcome = new Outcome.Error(e, time.nanoTime());
                }
                step = exchange.next(outcome);
            } else if (step instanceof Step.ControlIn in) {
                requests++;
                Outcome outcome;
                try {
                    byte[] reply = transport.controlIn(in.request().code(), in.value(), in.length(), in.timeout());
                    if (log.isTraceEnabled()) {
                        log.trace("<- {} value={} reply={}", in.request(), in.value(),
                                reply.length <= 32 ? HexFormat.of().formatHex(reply) : reply.length + " bytes");
                    }
                    outcome = new Outcome.Received(reply, time.nanoTime());
                } catch (TransportException e) {
                    log.trace("<- {} failed: {} {}", in.request(), e.kind(), e.getMessage());
                    outcome = new Outcome.Error(e, time.nanoTime());
                }
                step = exchange.next(outcome);
            } else if (step instanceof Step.Wait wait) {
                waitCancellably(time, wait.duration(), phase, address);
                step = exchange.next(new Outcome.Waited(time.nanoTime()));
            } else if (step instanceof Step.Done) {
                return exchange.result();
            } else {
                throw toException(((Step.Fail) step).failure(), phase, address);
            }
        }
    }

    /**
     * Sleeps the whole wait (polling a busy device early is a protocol error) but in slices, checking
     * the token between them: a mass erase may wait tens of seconds in one exchange.
     */
    private void waitCancellably(TimeSource time, java.time.Duration duration, Phase phase, Long address)
            throws DfuCancelledException {
        long end = time.nanoTime() + duration.toNanos();
        while (true) {
            if (cancellation.isCancelled()) {
                busyUntilNanos = end;
                throw new DfuCancelledException("cancelled while waiting for the device", phase, address, null, true);
            }
            if (Thread.currentThread().isInterrupted()) {
                busyUntilNanos = end;
                throw new DfuCancelledException("thread interrupted while waiting for the device", phase, address, null, true);
            }
            long left = end - time.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                time.sleep(java.time.Duration.ofNanos(Math.min(left, CANCEL_CHECK_INTERVAL.toNanos())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                busyUntilNanos = end;
                throw new DfuCancelledException("interrupted while waiting for the device", phase, address, e, true);
            }
        }
    }

    private void checkCancelled(Phase phase, Long address) throws DfuCancelledException {
        if (cancellation.isCancelled()) {
            throw new DfuCancelledException("cancelled", phase, address, null);
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new DfuCancelledException("thread interrupted", phase, address, null);
        }
    }

    private DfuException toException(Failure failure, Phase phase, Long address) {
        String text = null;
        DfuStatusReply status = failure.status();
        if (status != null && status.iString() != 0 && failure.kind() == Failure.Kind.DEVICE_STATUS) {
            try {
                text = transport.stringDescriptor(status.iString());
            } catch (TransportException | RuntimeException e) {
                log.debug("could not read status string {}: {}", status.iString(), e.getMessage());
            }
        }
        DfuException ex = failure.toException(phase, address, text);
        log.debug("{}", ex.getMessage());
        return ex;
    }

    public DfuStatusReply getStatus(Phase phase) throws DfuException {
        return execute(DfuProtocol.getStatus(quirks), phase, null);
    }

    public DfuState getState(Phase phase) throws DfuException {
        return execute(DfuProtocol.getState(quirks), phase, null);
    }

    public void clearStatus(Phase phase) throws DfuException {
        execute(DfuProtocol.clearStatus(quirks), phase, null);
    }

    public void abort(Phase phase) throws DfuException {
        execute(DfuProtocol.abort(quirks), phase, null);
    }

    public void detach(int timeoutMs) throws DfuException {
        execute(DfuProtocol.detach(timeoutMs, quirks), Phase.SETUP, null);
    }

    /** What DETACH's wValue gives a run-time device to wait for the host's reset, as dfu-util sends it (ms). */
    public static final int DETACH_WAIT_MS = 1000;

    /**
     * DETACH with the wait a run-time device with this functional descriptor accepts: {@link #DETACH_WAIT_MS},
     * capped by its wDetachTimeOut (DFU 1.1 §5.1); {@code fd} null or a zero wDetachTimeOut: the default.
     */
    public void detach(FunctionalDescriptor fd) throws DfuException {
        detach(fd == null || fd.detachTimeoutMs() == 0 ? DETACH_WAIT_MS : Math.min(fd.detachTimeoutMs(), DETACH_WAIT_MS));
    }

    /** Brings the device to dfuIDLE (CLRSTATUS from dfuERROR, ABORT from the idle-ish states). */
    public DfuStatusReply recoverToIdle(Phase phase) throws DfuException {
        DfuStatusReply s = execute(DfuProtocol.recoverToIdle(quirks), phase, null);
        log.debug("device ready: {}", s);
        return s;
    }

    /**
     * The wind-down after a cancel: brings the device to dfuIDLE like {@link #recoverToIdle(Phase)}, but
     * gives a device still executing a request at most {@code budget} to finish. When the cancel came
     * inside a wait, the rest of that wait is slept first (polling a busy device early is a protocol
     * error), and nothing is sent at all when the rest is longer than the budget. Ignores the token.
     *
     * @return the final dfuIDLE status, or empty when the device is still busy or the recovery failed
     */
    public java.util.Optional<DfuStatusReply> windDown(Phase phase, java.time.Duration budget) {
        CancellationToken saved = cancellation;
        cancellation = CancellationToken.NONE;
        TimeSource time = transport.time();
        long left = busyUntilNanos == Long.MIN_VALUE ? 0 : busyUntilNanos - time.nanoTime();
        busyUntilNanos = Long.MIN_VALUE;
        try {
            if (left > budget.toNanos()) {
                log.debug("the device is busy for {} ms more; not waiting for it", left / 1_000_000);
                return java.util.Optional.empty();
            }
            if (left > 0) {
                time.sleep(java.time.Duration.ofNanos(left));
            }
            java.time.Duration rest = budget.minusNanos(Math.max(0, left));
            return java.util.Optional.of(execute(new RecoveryExchange(quirks, false, rest), phase, null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        } catch (DfuException e) {
            log.debug("wind-down to dfuIDLE failed: {}", e.getMessage());
            return java.util.Optional.empty();
        } finally {
            cancellation = saved;
        }
    }

    /** ABORT and confirm dfuIDLE. */
    public DfuStatusReply abortToIdle(Phase phase, Long address) throws DfuException {
        return execute(DfuProtocol.abortToIdle(quirks), phase, address);
    }

    /** A DfuSe special command, executed through GETSTATUS polling. */
    public CommandResult command(DfuseCommand command, Phase phase) throws DfuException {
        Long address = command.address() < 0 ? null : command.address();
        CommandResult r = execute(DfuProtocol.dfuseCommand(command, quirks), phase, address);
        if (log.isDebugEnabled()) { // one per SET_ADDRESS: no varargs array or boxing unless debug is on
            log.debug("{} done: {} after {} polls, {} ms", command.kind(),
                    r.ending(), r.statusPolls(), r.busyTime().toMillis());
        }
        return r;
    }

    /** One data block. */
    public CommandResult downloadBlock(int blockNumber, byte[] data, Phase phase, long address) throws DfuException {
        return execute(DfuProtocol.downloadBlock(blockNumber, data, quirks), phase, address);
    }

    /** One UPLOAD request. */
    public byte[] upload(int blockNumber, int length, Phase phase, long address) throws DfuException {
        return execute(DfuProtocol.upload(blockNumber, length, quirks), phase, address);
    }

    /** The zero-length DNLOAD (leave / manifestation) and its final GETSTATUS. */
    public CommandResult leave(int blockNumber) throws DfuException {
        return leave(blockNumber, null);
    }

    /**
     * The zero-length DNLOAD (leave / manifestation) and its final GETSTATUS.
     *
     * @param address the jump address set before (reported in errors), or null
     */
    public CommandResult leave(int blockNumber, Long address) throws DfuException {
        return execute(DfuProtocol.leave(blockNumber, quirks), Phase.LEAVE, address);
    }
}
