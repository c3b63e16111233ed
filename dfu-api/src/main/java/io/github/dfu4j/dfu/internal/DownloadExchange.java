package io.github.dfu4j.dfu.internal;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuState;
import io.github.dfu4j.dfu.internal.OperationKind;
import io.github.dfu4j.dfu.DfuStatusReply;
import io.github.dfu4j.dfu.DfuRequest;
import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.dfu.DfuQuirks;
import io.github.dfu4j.transport.TransportException;

import java.time.Duration;
import java.util.Objects;

/**
 * One DNLOAD followed by GETSTATUS polling until the device has done the work: the heart of both
 * DFU 1.1 downloads and DfuSe commands (the device only executes a DNLOAD when it sees the next
 * GETSTATUS, AN3156).
 *
 * <p>Pacing rules:
 * <ul>
 *   <li>bwPollTimeout is honoured only while the device reports a busy state (dfuDNBUSY,
 *       dfuMANIFEST); after dfuDNLOAD-SYNC / dfuMANIFEST-SYNC the next poll follows at once.</li>
 *   <li>For SET_ADDRESS the first reported poll timeout is ignored (ST ROMs report bogus values);
 *       configurable with {@link DfuQuirks#ignoreSetAddressPollTimeout()}.</li>
 *   <li>With {@link DfuQuirks#statusHeldWhileBusy()} a dfuDNBUSY reply is polled again at once: the
 *       device holds that request until the operation is done (STM32 ROMs, mboot).</li>
 *   <li>A busy reply with bwPollTimeout 0 (or held, as above) is polled again at once, then with a
 *       back-off of 1, 2, 4 ... 50 ms, so a device that never finishes (the H743 bank-2 wedge answers
 *       dfuDNBUSY for ever) still reaches the budget without spinning.</li>
 *   <li>A wait is never cut short to meet the deadline (polling early is a protocol error); the
 *       deadline is checked at the next reply. Single waits are capped at 10 minutes.</li>
 *   <li>The operation has a deadline: start + max(budget of its {@link OperationKind}, twice the
 *       largest bwPollTimeout reported). GETSTATUS gets a USB timeout of at least the remaining
 *       budget, so devices that NAK GETSTATUS while working (mboot) are waited for.</li>
 *   <li>A stalled or timed-out GETSTATUS is retried up to {@link DfuQuirks#busyRetries()} times in a
 *       row, even past the deadline (a single USB timeout may eat the whole budget); with
 *       {@link DfuQuirks#statusStallsWhileBusy()} stalls are retried until the deadline.</li>
 *   <li>A stalled DNLOAD is followed by one GETSTATUS to learn the device's error code.</li>
 *   <li>For {@link OperationKind#LEAVE}, a device that disconnects while we wait for its answer has
 *       left ({@link CommandResult.Ending#DISCONNECTED}); a final GETSTATUS that times out or fails with
 *       an I/O error ends the exchange as {@link CommandResult.Ending#NO_ANSWER}: where the device is,
 *       the caller must find out.</li>
 * </ul>
 */
public final class DownloadExchange implements Exchange<CommandResult> {
    private static final long MAX_ZERO_POLL_BACKOFF_NANOS = Duration.ofMillis(50).toNanos();
    private static final long ERROR_BACKOFF_NANOS = Duration.ofMillis(10).toNanos();
    /** bwPollTimeout is 24 bits of ms (up to 4.6 h); no single wait is longer than this. */
    private static final long MAX_SINGLE_WAIT_NANOS = Duration.ofMinutes(10).toNanos();

    private enum Stage { DNLOAD, POLL, WAIT, REASON, WEDGE_CLEAR, WEDGE_STATUS, FINISHED }

    private final OperationKind kind;
    private final int blockNumber;
    private final byte[] data;
    private final DfuQuirks quirks;
    /** The sector a DfuSe ERASE command names; null for a mass erase and every other kind. */
    private final Long eraseAddress;

    private Stage stage;
    private long startNanos;
    private long deadlineNanos;
    private long maxPollNanos;
    private DfuStatusReply last;
    private int polls;
    private int busyReplies;
    private int zeroPollWaits;
    private int consecutiveErrors;
    private int deadlineExtensions;
    private int wedgeClears;
    private TransportException dnloadError;
    private CommandResult result;

    public DownloadExchange(OperationKind kind, int blockNumber, byte[] data, DfuQuirks quirks) {
        this.kind = Objects.requireNonNull(kind, "kind");
        if (blockNumber < 0 || blockNumber > 0xFFFF) {
            throw new IllegalArgumentException("wBlockNum must fit 16 bits: " + blockNumber);
        }
        this.blockNumber = blockNumber;
        this.data = data.clone();
        this.quirks = Objects.requireNonNull(quirks, "quirks");
        if (kind == OperationKind.LEAVE && data.length != 0) {
            throw new IllegalArgumentException("the leave/manifest DNLOAD has no data");
        }
        DfuseCommand command = kind == OperationKind.ERASE && blockNumber == DfuseCommand.COMMAND_BLOCK
                ? DfuseCommand.parse(data) : null;
        this.eraseAddress = command != null && command.addressArgument().isPresent() ? command.addressArgument().getAsLong() : null;
    }

    @Override
    public Step start(long nanoTime) {
        if (stage != null) {
            throw new IllegalStateException("exchange already started");
        }
        startNanos = nanoTime;
        deadlineNanos = nanoTime + kind.budget(quirks).toNanos();
        stage = Stage.DNLOAD;
        return new Step.ControlOut(DfuRequest.DNLOAD, blockNumber, data, quirks.budgets().controlTimeout());
    }

    @Override
    public Step next(Outcome outcome) {
        long now = outcome.nanoTime();
        switch (stage) {
            case DNLOAD:
                if (outcome instanceof Outcome.Sent) {
                    return poll(now);
                }
                return onDnloadError(expectError(outcome), now);
            case POLL:
                if (outcome instanceof Outcome.Received r) {
                    return onStatus(r.data(), now);
                }
                return onPollError(expectError(outcome), now);
            case WAIT:
                expect(outcome, Outcome.Waited.class);
                return poll(now);
            case REASON:
                return onReason(outcome);
            case WEDGE_CLEAR:
                if (outcome instanceof Outcome.Sent) {
                    stage = Stage.WEDGE_STATUS;
                    return new Step.ControlIn(DfuRequest.GETSTATUS, 0, DfuStatusReply.LENGTH, quirks.budgets().controlTimeout());
                }
                return fail(Failure.Kind.TRANSFER, "CLRSTATUS to recover a wedged " + kind + " failed", expectError(outcome));
            case WEDGE_STATUS:
                return onWedgeStatus(outcome, now);
            default:
                throw new IllegalStateException("exchange is " + stage);
        }
    }

    @Override
    public CommandResult result() {
        if (result == null) {
            throw new IllegalStateException("no result: exchange is " + stage);
        }
        return result;
    }

    private Step poll(long now) {
        stage = Stage.POLL;
        polls++;
        long remaining = Math.max(0, deadlineNanos - now);
        Duration timeout = remaining > quirks.budgets().controlTimeout().toNanos() ? Duration.ofNanos(remaining) : quirks.budgets().controlTimeout();
        return new Step.ControlIn(DfuRequest.GETSTATUS, 0, DfuStatusReply.LENGTH, timeout);
    }

    private Step onStatus(byte[] bytes, long now) {
        DfuStatusReply s;
        try {
            s = DfuStatusReply.parse(bytes);
        } catch (DfuException e) {
            return fail(Failure.Kind.PROTOCOL, e.reason() + " (after " + kind + ")", null);
        }
        last = s;
        consecutiveErrors = 0;
        long poll = Math.min(s.pollTimeout().toNanos(), MAX_SINGLE_WAIT_NANOS);
        if (poll > maxPollNanos) {
            maxPollNanos = poll;
            deadlineNanos = Math.max(deadlineNanos, startNanos + 2 * maxPollNanos);
        }
        if (!s.isOk()) {
            return fail(Failure.Kind.DEVICE_STATUS, kind + " failed", null);
        }
        DfuState state = s.state();
        switch (kind) {
            case LEAVE:
                if (state == DfuState.DFU_MANIFEST || state == DfuState.DFU_MANIFEST_WAIT_RESET) {
                    return done(CommandResult.Ending.MANIFESTING, now);
                }
                if (state == DfuState.DFU_IDLE) {
                    return done(CommandResult.Ending.MANIFESTED_IDLE, now);
                }
                if (state == DfuState.DFU_MANIFEST_SYNC || state == DfuState.DFU_DNBUSY) {
                    return busy(s, now);
                }
                return fail(Failure.Kind.PROTOCOL, "expected dfuMANIFEST after the zero-length DNLOAD, got "
                        + DfuStatusReply.describeState(state, s.rawState()), null);
            case READ_UNPROTECT:
                if (state == DfuState.DFU_DNBUSY) {
                    return done(CommandResult.Ending.RESETTING, now);
                }
                if (state == DfuState.DFU_DNLOAD_IDLE) {
                    return done(CommandResult.Ending.COMPLETED, now);
                }
                return unexpected(s);
            default:
                if (state == DfuState.DFU_DNBUSY || state == DfuState.DFU_DNLOAD_SYNC) {
                    return busy(s, now);
                }
                if (state == DfuState.DFU_DNLOAD_IDLE) {
                    if (polls == 1 && kind != OperationKind.WRITE && !quirks.deviceMaySkipBusy()) {
                        return fail(Failure.Kind.PROTOCOL, kind + ": device went to dfuDNLOAD-IDLE without dfuDNBUSY,"
                                + " so it did not execute the command (AN3156)", null);
                    }
                    return done(CommandResult.Ending.COMPLETED, now);
                }
                return unexpected(s);
        }
    }

    private Step unexpected(DfuStatusReply s) {
        return fail(Failure.Kind.PROTOCOL, "unexpected " + DfuStatusReply.describeState(s.state(), s.rawState())
                + " after " + kind, null);
    }

    private Step busy(DfuStatusReply s, long now) {
        if (now >= deadlineNanos) {
            return budgetExhausted(now);
        }
        boolean ignorePoll = kind == OperationKind.SET_ADDRESS && quirks.ignoreSetAddressPollTimeout() && busyReplies == 0;
        busyReplies++;
        long waitNanos = s.state().isBusy() && !ignorePoll && !heldWhileBusy(s) ? s.pollTimeout().toNanos() : 0;
        if (waitNanos == 0) {
            zeroPollWaits++;
            waitNanos = zeroPollWaits <= 1 ? 0 : Math.min(Duration.ofMillis(1).toNanos() << Math.min(zeroPollWaits - 2, 20),
                    MAX_ZERO_POLL_BACKOFF_NANOS);
        } else {
            zeroPollWaits = 0;
        }
        return waitThenPoll(waitNanos, now);
    }

    /** A dfuDNBUSY reply from a device that holds the next request until it is done: no need to wait. */
    private boolean heldWhileBusy(DfuStatusReply s) {
        return quirks.statusHeldWhileBusy() && s.state() == DfuState.DFU_DNBUSY;
    }

    /**
     * Waits the full time even when it ends past the deadline: polling a busy device before its
     * bwPollTimeout is a protocol error (the device may stall and go to dfuERROR). The deadline is
     * checked at the next reply.
     */
    private Step waitThenPoll(long waitNanos, long now) {
        long wait = Math.min(waitNanos, MAX_SINGLE_WAIT_NANOS);
        if (wait == 0) {
            return poll(now);
        }
        stage = Stage.WAIT;
        return new Step.Wait(Duration.ofNanos(wait));
    }

    private Step budgetExhausted(long now) {
        if (inWedgeRange() && quirks.wedgedErase().recover() && last != null && last.state() == DfuState.DFU_DNBUSY) {
            // STM32H743 rev V bank 2: the erase is done but the ROM never leaves dfuDNBUSY. CLRSTATUS
            // gives (errUNKNOWN, dfuERROR), a second CLRSTATUS (OK, dfuIDLE); CubeProgrammer does this.
            // Only sector erases in the quirk's range qualify: anywhere else a long busy erase is a real
            // timeout, not a wedge. RECOVERED_FROM_WEDGE is a claim the caller must check by read-back.
            wedgeClears = 1;
            stage = Stage.WEDGE_CLEAR;
            return new Step.ControlOut(DfuRequest.CLRSTATUS, 0, new byte[0], quirks.budgets().controlTimeout());
        }
        return fail(Failure.Kind.TIMEOUT, withWedgeHint(String.format("%s: device still busy after %d ms (budget %d ms)", kind,
                Duration.ofNanos(now - startNanos).toMillis(), Duration.ofNanos(deadlineNanos - startNanos).toMillis())), null);
    }

    /** A sector erase at an address the wedge quirk covers (H74x: bank 2). */
    private boolean inWedgeRange() {
        return eraseAddress != null && quirks.inWedgeRange(eraseAddress);
    }

    /** The quirk's fallback (H74x: mass erase) appended to a failed erase in the wedge range. */
    private String withWedgeHint(String reason) {
        return inWedgeRange() && !quirks.wedgedErase().hint().isEmpty() ? reason + "; " + quirks.wedgedErase().hint() : reason;
    }

    private Step onWedgeStatus(Outcome outcome, long now) {
        if (!(outcome instanceof Outcome.Received r)) {
            return fail(Failure.Kind.TRANSFER, withWedgeHint("GETSTATUS while recovering a wedged " + kind + " failed"),
                    expectError(outcome));
        }
        DfuStatusReply s;
        try {
            s = DfuStatusReply.parse(r.data());
        } catch (DfuException e) {
            return fail(Failure.Kind.PROTOCOL, e.reason() + " (recovering a wedged " + kind + ")", null);
        }
        last = s;
        if (s.state() == DfuState.DFU_IDLE && s.status() == DfuStatus.OK) {
            return done(CommandResult.Ending.RECOVERED_FROM_WEDGE, now);
        }
        if (s.state() == DfuState.DFU_ERROR && wedgeClears < 2) {
            wedgeClears++;
            stage = Stage.WEDGE_CLEAR;
            return new Step.ControlOut(DfuRequest.CLRSTATUS, 0, new byte[0], quirks.budgets().controlTimeout());
        }
        return fail(Failure.Kind.PROTOCOL, withWedgeHint(kind + " wedged in dfuDNBUSY and CLRSTATUS did not recover it"), null);
    }

    private Step onDnloadError(TransportException e, long now) {
        if (kind == OperationKind.LEAVE && e.isDisconnect()) {
            return done(CommandResult.Ending.DISCONNECTED, now);
        }
        if (e.kind() == TransportException.Kind.STALL) {
            // A stalled DNLOAD puts the device in dfuERROR; its status code says why.
            dnloadError = e;
            stage = Stage.REASON;
            return new Step.ControlIn(DfuRequest.GETSTATUS, 0, DfuStatusReply.LENGTH, quirks.budgets().controlTimeout());
        }
        return fail(Failure.Kind.TRANSFER, "DNLOAD (" + kind + ", block " + blockNumber + ") failed: " + e.getMessage(), e);
    }

    private Step onReason(Outcome outcome) {
        if (outcome instanceof Outcome.Received r) {
            try {
                DfuStatusReply s = DfuStatusReply.parse(r.data());
                last = s;
                if (!s.isOk()) {
                    stage = Stage.FINISHED;
                    return new Step.Fail(new Failure(Failure.Kind.DEVICE_STATUS, "device refused " + kind
                            + " (block " + blockNumber + ")", s, dnloadError));
                }
            } catch (DfuException ignored) {
                // fall through: report the stall itself
            }
        }
        return fail(Failure.Kind.TRANSFER, "device stalled DNLOAD (" + kind + ", block " + blockNumber + ")", dnloadError);
    }

    private Step onPollError(TransportException e, long now) {
        TransportException.Kind k = e.kind();
        boolean goneish = k == TransportException.Kind.NO_DEVICE || k == TransportException.Kind.TIMEOUT
                || k == TransportException.Kind.IO;
        if (kind == OperationKind.LEAVE && goneish) {
            // Only the transport saying the device is gone means it left; a timeout or an I/O error
            // says nothing about where the device is (it may sit in DFU mode, silent).
            return done(e.isDisconnect() ? CommandResult.Ending.DISCONNECTED : CommandResult.Ending.NO_ANSWER, now);
        }
        if (kind == OperationKind.READ_UNPROTECT && goneish) {
            return done(CommandResult.Ending.DISCONNECTED, now);
        }
        if (e.isDisconnect()) {
            return fail(Failure.Kind.TRANSFER, "device disconnected during " + kind, e);
        }
        consecutiveErrors++;
        // A retry is granted busyRetries times in a row even past the deadline: one USB timeout can
        // take as long as the whole budget. Stall-prone devices get retries until the deadline.
        boolean tolerated = k == TransportException.Kind.STALL && quirks.statusStallsWhileBusy() && now < deadlineNanos;
        if (!tolerated && consecutiveErrors > quirks.busyRetries()) {
            boolean late = k == TransportException.Kind.TIMEOUT || now >= deadlineNanos;
            String reason = String.format("GETSTATUS failed %d times in a row during %s (%d ms after the request): %s",
                    consecutiveErrors, kind, Duration.ofNanos(now - startNanos).toMillis(), e.getMessage());
            return fail(late ? Failure.Kind.TIMEOUT : Failure.Kind.TRANSFER, late ? withWedgeHint(reason) : reason, e);
        }
        long wait = last != null && last.state().isBusy() && !last.pollTimeout().isZero() && !heldWhileBusy(last)
                ? last.pollTimeout().toNanos() : ERROR_BACKOFF_NANOS * consecutiveErrors;
        if (!tolerated && deadlineExtensions < quirks.busyRetries()) {
            // The failed request may have used up the budget (its USB timeout is the remaining budget);
            // give the retry room for one more answer and busy cycle. Bounded: busyRetries extensions.
            deadlineExtensions++;
            deadlineNanos = Math.max(deadlineNanos, now + wait + quirks.budgets().controlTimeout().toNanos());
        }
        return waitThenPoll(wait, now);
    }

    private Step done(CommandResult.Ending ending, long now) {
        stage = Stage.FINISHED;
        result = new CommandResult(ending, last, polls, Duration.ofNanos(Math.max(0, now - startNanos)));
        return new Step.Done();
    }

    private Step fail(Failure.Kind failureKind, String reason, TransportException cause) {
        stage = Stage.FINISHED;
        return new Step.Fail(new Failure(failureKind, reason, last, cause));
    }

    private static TransportException expectError(Outcome outcome) {
        if (outcome instanceof Outcome.Error e) {
            return e.error();
        }
        throw new IllegalStateException("unexpected outcome " + outcome);
    }

    private static void expect(Outcome outcome, Class<? extends Outcome> type) {
        if (!type.isInstance(outcome)) {
            throw new IllegalStateException("expected " + type.getSimpleName() + ", got " + outcome);
        }
    }
}
