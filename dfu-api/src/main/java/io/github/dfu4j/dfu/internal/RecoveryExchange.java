package io.github.dfu4j.dfu.internal;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuState;
import io.github.dfu4j.dfu.DfuStatusReply;
import io.github.dfu4j.dfu.DfuRequest;
import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.dfu.DfuQuirks;
import io.github.dfu4j.transport.TransportException;

import java.time.Duration;
import java.util.Objects;

/**
 * Brings a DFU-mode device to dfuIDLE before work, or after an upload/download (DFU 1.1 appendix A;
 * dfu-util's start-up logic):
 * <ul>
 *   <li>dfuERROR: CLRSTATUS.</li>
 *   <li>dfuDNLOAD-IDLE, dfuUPLOAD-IDLE: ABORT.</li>
 *   <li>dfuDNLOAD-SYNC, dfuMANIFEST-SYNC: GETSTATUS again (each one moves the device on).</li>
 *   <li>dfuDNBUSY, dfuMANIFEST: wait bwPollTimeout, within the erase budget (dfuDNBUSY with
 *       {@link DfuQuirks#statusHeldWhileBusy()}: 10 ms, the device holds the next poll).</li>
 *   <li>dfuIDLE with a status other than OK: accepted as is. CLRSTATUS is never sent outside dfuERROR
 *       unless {@link DfuQuirks#clearStatusOnlyInError()} is false, because some ROMs fail on it.</li>
 *   <li>appIDLE/appDETACH, dfuMANIFEST-WAIT-RESET, unknown states: a typed protocol error.</li>
 *   <li>A stalled or timed-out GETSTATUS is retried {@link DfuQuirks#busyRetries()} times.</li>
 * </ul>
 * At most {@value #MAX_ACTIONS} corrective requests are sent.
 */
public final class RecoveryExchange implements Exchange<DfuStatusReply> {
    static final int MAX_ACTIONS = 8;
    private static final long BACKOFF_NANOS = Duration.ofMillis(10).toNanos();

    private enum Stage { STATUS, ACTION, WAIT, FINISHED }

    private final DfuQuirks quirks;
    private final boolean startWithAbort;
    private final Duration budget;
    private Stage stage;
    private DfuRequest lastAction;
    private int actions;
    private int statusErrors;
    private long deadlineNanos;
    private DfuStatusReply last;
    private DfuStatusReply result;

    /**
     * @param startWithAbort send ABORT first (after an upload or download, where the state is known to
     *                       be dfuUPLOAD-IDLE / dfuDNLOAD-IDLE) instead of asking first
     */
    public RecoveryExchange(DfuQuirks quirks, boolean startWithAbort) {
        this(quirks, startWithAbort, quirks.budgets().eraseBudget());
    }

    /**
     * @param budget how long a device in dfuDNBUSY / dfuMANIFEST may take to finish (default: the
     *               quirks' erase budget)
     */
    public RecoveryExchange(DfuQuirks quirks, boolean startWithAbort, Duration budget) {
        this.quirks = Objects.requireNonNull(quirks, "quirks");
        this.startWithAbort = startWithAbort;
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    @Override
    public Step start(long nanoTime) {
        deadlineNanos = nanoTime + budget.toNanos();
        if (startWithAbort) {
            return action(DfuRequest.ABORT);
        }
        return status();
    }

    @Override
    public Step next(Outcome outcome) {
        long now = outcome.nanoTime();
        switch (stage) {
            case STATUS:
                if (outcome instanceof Outcome.Received r) {
                    statusErrors = 0;
                    return onStatus(r.data(), now);
                }
                TransportException e = ((Outcome.Error) outcome).error();
                // A device still finishing earlier work may stall or not answer a few times.
                if (!e.isDisconnect() && e.kind() != TransportException.Kind.NOT_SUPPORTED
                        && ++statusErrors <= quirks.busyRetries()) {
                    stage = Stage.WAIT;
                    return new Step.Wait(Duration.ofNanos(BACKOFF_NANOS * statusErrors));
                }
                return fail(Failure.Kind.TRANSFER, "GETSTATUS failed: " + e.getMessage(), e);
            case ACTION:
                // A refused ABORT/CLRSTATUS leaves the device in dfuERROR, which the next GETSTATUS shows,
                // unless it is gone.
                if (outcome instanceof Outcome.Error err && err.error().isDisconnect()) {
                    return fail(Failure.Kind.TRANSFER, lastAction + " failed: " + err.error().getMessage(), err.error());
                }
                return status();
            case WAIT:
                return status();
            default:
                throw new IllegalStateException("exchange is " + stage);
        }
    }

    @Override
    public DfuStatusReply result() {
        if (result == null) {
            throw new IllegalStateException("no result: exchange is " + stage);
        }
        return result;
    }

    private Step onStatus(byte[] bytes, long now) {
        DfuStatusReply s;
        try {
            s = DfuStatusReply.parse(bytes);
        } catch (DfuException e) {
            return fail(Failure.Kind.PROTOCOL, e.reason(), null);
        }
        last = s;
        switch (s.state()) {
            case DFU_IDLE:
                if (s.status() != DfuStatus.OK && !quirks.clearStatusOnlyInError() && actions < MAX_ACTIONS) {
                    return action(DfuRequest.CLRSTATUS);
                }
                stage = Stage.FINISHED;
                result = s;
                return new Step.Done();
            case DFU_ERROR:
                return action(DfuRequest.CLRSTATUS);
            case DFU_DNLOAD_IDLE:
            case DFU_UPLOAD_IDLE:
                return action(DfuRequest.ABORT);
            case DFU_DNLOAD_SYNC:
            case DFU_MANIFEST_SYNC:
                if (++actions > MAX_ACTIONS) {
                    return stuck(s);
                }
                return status();
            case DFU_DNBUSY:
            case DFU_MANIFEST: {
                // a device that holds requests while busy answers the next GETSTATUS when it is done
                boolean held = quirks.statusHeldWhileBusy() && s.state() == DfuState.DFU_DNBUSY;
                long wait = s.pollTimeout().isZero() || held ? BACKOFF_NANOS : s.pollTimeout().toNanos();
                // the next poll may not come before bwPollTimeout (a protocol error): give up rather than poll early
                if (now >= deadlineNanos || now + wait > deadlineNanos) {
                    return fail(Failure.Kind.TIMEOUT, "device stayed in " + s.state().specName()
                            + " while recovering to dfuIDLE", null);
                }
                stage = Stage.WAIT;
                return new Step.Wait(Duration.ofNanos(wait));
            }
            case DFU_MANIFEST_WAIT_RESET:
                return fail(Failure.Kind.PROTOCOL, "device finished manifestation and waits for a USB reset", null);
            case APP_IDLE:
            case APP_DETACH:
                return fail(Failure.Kind.PROTOCOL, "device is in run-time mode (" + s.state().specName()
                        + "); detach it into DFU mode first", null);
            default:
                return fail(Failure.Kind.PROTOCOL, "device reported an undefined state "
                        + DfuStatusReply.describeState(s.state(), s.rawState()), null);
        }
    }

    private Step action(DfuRequest request) {
        if (++actions > MAX_ACTIONS) {
            return stuck(last);
        }
        lastAction = request;
        stage = Stage.ACTION;
        return new Step.ControlOut(request, 0, new byte[0], quirks.budgets().controlTimeout());
    }

    private Step status() {
        stage = Stage.STATUS;
        return new Step.ControlIn(DfuRequest.GETSTATUS, 0, DfuStatusReply.LENGTH, quirks.budgets().controlTimeout());
    }

    private Step stuck(DfuStatusReply s) {
        return fail(Failure.Kind.PROTOCOL, "could not bring the device to dfuIDLE after " + MAX_ACTIONS
                + " requests", null);
    }

    private Step fail(Failure.Kind kind, String reason, TransportException cause) {
        stage = Stage.FINISHED;
        return new Step.Fail(new Failure(kind, reason, last, cause));
    }
}
