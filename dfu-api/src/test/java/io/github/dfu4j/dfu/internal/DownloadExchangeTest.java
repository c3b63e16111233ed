package io.github.dfu4j.dfu.internal;

import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.dfu.DfuState;
import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuStatusReply;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.dfu.DfuRequest;
import io.github.dfu4j.dfu.internal.OperationKind;
import io.github.dfu4j.dfu.DfuQuirks;
import io.github.dfu4j.dfu.internal.DfuseCommand;
import io.github.dfu4j.dfu.internal.DfuProtocol;
import io.github.dfu4j.dfu.internal.Failure;
import io.github.dfu4j.dfu.internal.CommandResult;
import io.github.dfu4j.dfu.internal.Step;
import io.github.dfu4j.dfu.internal.DownloadExchange;
import io.github.dfu4j.testing.ScriptedDriver;
import io.github.dfu4j.transport.TransportException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pure tests of the DNLOAD + GETSTATUS core: scripted replies, exact step sequences, no transport. */
class DownloadExchangeTest {
    private static final DfuQuirks Q = DfuQuirks.defaults();

    private static byte[] status(DfuStatus status, long pollMs, DfuState state) {
        return DfuStatusReply.of(status, pollMs, state).toBytes();
    }

    private static byte[] ok(long pollMs, DfuState state) {
        return status(DfuStatus.OK, pollMs, state);
    }

    /** Replies to GETSTATUS from a queue; OUT requests are accepted. */
    private static ScriptedDriver.Responder queue(Object... replies) {
        Deque<Object> q = new ArrayDeque<>(List.of(replies));
        return (step, now) -> {
            if (step instanceof Step.ControlOut) {
                return null;
            }
            Object next = q.poll();
            if (next == null) {
                throw new AssertionError("no scripted reply left for " + step);
            }
            if (next instanceof TransportException e) {
                throw e;
            }
            return (byte[]) next;
        };
    }

    private static TransportException stall() {
        return new TransportException(TransportException.Kind.STALL, "pipe");
    }

    @Test
    void eraseWaitsTheReportedPollTimeoutWhileBusy() {
        ScriptedDriver d = new ScriptedDriver();
        Step end = d.run(DfuProtocol.dfuseCommand(DfuseCommand.erasePage(0x08000000L), Q),
                queue(ok(100, DfuState.DFU_DNBUSY), ok(100, DfuState.DFU_DNBUSY), ok(0, DfuState.DFU_DNLOAD_IDLE)));
        assertInstanceOf(Step.Done.class, end);
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(100)), d.waits());
        List<Step> requests = d.requests();
        assertEquals(4, requests.size());
        Step.ControlOut dnload = (Step.ControlOut) requests.get(0);
        assertEquals(DfuRequest.DNLOAD, dnload.request());
        assertEquals(0, dnload.value());
        assertEquals(5, dnload.length());
        requests.subList(1, 4).forEach(s -> assertEquals(DfuRequest.GETSTATUS, ((Step.ControlIn) s).request()));
    }

    @Test
    void setAddressIgnoresTheFirstBogusPollTimeout() {
        ScriptedDriver d = new ScriptedDriver();
        DownloadExchange ex = new DownloadExchange(OperationKind.SET_ADDRESS, 0,
                DfuseCommand.setAddress(0x08000000L).payload(), Q);
        Step end = d.run(ex, queue(ok(104, DfuState.DFU_DNBUSY), ok(0, DfuState.DFU_DNLOAD_IDLE)));
        assertInstanceOf(Step.Done.class, end);
        assertEquals(List.of(), d.waits());
        assertEquals(CommandResult.Ending.COMPLETED, ex.result().ending());
        assertEquals(2, ex.result().statusPolls());
    }

    @Test
    void setAddressHonoursThePollTimeoutWhenTheQuirkIsOff() {
        ScriptedDriver d = new ScriptedDriver();
        d.run(DfuProtocol.dfuseCommand(DfuseCommand.setAddress(0), Q.toBuilder().ignoreSetAddressPollTimeout(false).build()),
                queue(ok(104, DfuState.DFU_DNBUSY), ok(0, DfuState.DFU_DNLOAD_IDLE)));
        assertEquals(List.of(Duration.ofMillis(104)), d.waits());
    }

    @Test
    void zeroPollBusyBacksOffSoTheBudgetIsReachedOnAVirtualClock() {
        ScriptedDriver d = new ScriptedDriver().perRequest(Duration.ZERO);
        Step end = d.run(DfuProtocol.downloadBlock(2, new byte[16], Q), (step, now) ->
                step instanceof Step.ControlOut ? null : ok(0, DfuState.DFU_DNBUSY));
        Failure f = ((Step.Fail) end).failure();
        assertEquals(Failure.Kind.TIMEOUT, f.kind());
        List<Duration> waits = d.waits();
        assertEquals(Duration.ofMillis(1), waits.get(0));
        assertEquals(Duration.ofMillis(2), waits.get(1));
        assertEquals(Duration.ofMillis(4), waits.get(2));
        assertTrue(waits.stream().allMatch(w -> w.compareTo(Duration.ofMillis(50)) <= 0));
        assertTrue(f.reason().contains("budget 5000 ms"), f.reason());
    }

    @Test
    void aDeviceThatHoldsGetStatusWhileBusyIsPolledAgainAtOnce() {
        DfuQuirks held = Q.toBuilder().statusHeldWhileBusy(true).build();
        ScriptedDriver d = new ScriptedDriver();
        DownloadExchange ex = new DownloadExchange(OperationKind.WRITE, 2, new byte[1024], held);
        Step end = d.run(ex, queue(ok(50, DfuState.DFU_DNBUSY), ok(0, DfuState.DFU_DNLOAD_IDLE)));
        assertInstanceOf(Step.Done.class, end);
        assertEquals(List.of(), d.waits(), "the 50 ms bwPollTimeout is not waited: the second poll is held instead");
        assertEquals(2, ex.result().statusPolls());
        // without the quirk the same device costs the reported 50 ms
        ScriptedDriver honour = new ScriptedDriver();
        honour.run(new DownloadExchange(OperationKind.WRITE, 2, new byte[1024], Q),
                queue(ok(50, DfuState.DFU_DNBUSY), ok(0, DfuState.DFU_DNLOAD_IDLE)));
        assertEquals(List.of(Duration.ofMillis(50)), honour.waits());
    }

    @Test
    void aHeldGetStatusThatTimesOutIsRetriedAfterTheErrorBackOffNotThePollTimeout() {
        DfuQuirks held = Q.toBuilder().statusHeldWhileBusy(true).build();
        ScriptedDriver d = new ScriptedDriver();
        Step end = d.run(DfuProtocol.dfuseCommand(DfuseCommand.massErase(), held), queue(ok(100, DfuState.DFU_DNBUSY),
                new TransportException(TransportException.Kind.TIMEOUT, "held past the USB timeout"), ok(0, DfuState.DFU_DNLOAD_IDLE)));
        assertInstanceOf(Step.Done.class, end);
        assertEquals(List.of(Duration.ofMillis(10)), d.waits());
    }

    @Test
    void dnloadSyncIsPolledAgainWithoutHonouringThePollTimeout() {
        ScriptedDriver d = new ScriptedDriver();
        Step end = d.run(DfuProtocol.downloadBlock(0, new byte[64], Q),
                queue(ok(500, DfuState.DFU_DNLOAD_SYNC), ok(0, DfuState.DFU_DNLOAD_IDLE)));
        assertInstanceOf(Step.Done.class, end);
        assertEquals(List.of(), d.waits());
    }

    @Test
    void errorStatusFailsWithTheDeviceStatus() {
        ScriptedDriver d = new ScriptedDriver();
        Step end = d.run(DfuProtocol.dfuseCommand(DfuseCommand.erasePage(0x08000000L), Q),
                queue(ok(100, DfuState.DFU_DNBUSY), status(DfuStatus.ERR_VENDOR, 0, DfuState.DFU_ERROR)));
        Failure f = ((Step.Fail) end).failure();
        assertEquals(Failure.Kind.DEVICE_STATUS, f.kind());
        assertEquals(DfuStatus.ERR_VENDOR, f.status().status());
        DfuException e = f.toException(Phase.ERASE, 0x08000000L, "read protection");
        assertEquals(DfuException.Kind.DEVICE_STATUS, e.kind());
        assertEquals("ERASE @0x08000000: ERASE failed [errVENDOR, dfuERROR: vendor-specific error (ST: read protection is active)]"
                + " (device says \"read protection\")", e.getMessage());
    }

    @Test
    void stalledDnloadAsksForTheReason() {
        ScriptedDriver d = new ScriptedDriver();
        Step end = d.run(DfuProtocol.downloadBlock(2, new byte[2048], Q), (step, now) -> {
            if (step instanceof Step.ControlOut) {
                throw stall();
            }
            return status(DfuStatus.ERR_STALLEDPKT, 0, DfuState.DFU_ERROR);
        });
        Failure f = ((Step.Fail) end).failure();
        assertEquals(Failure.Kind.DEVICE_STATUS, f.kind());
        assertEquals(DfuStatus.ERR_STALLEDPKT, f.status().status());
        assertEquals(TransportException.Kind.STALL, f.cause().kind());
        assertTrue(f.reason().contains("device refused WRITE"), f.reason());
    }

    @Test
    void stalledGetStatusWhileBusyIsRetriedThreeTimesThenFails() {
        ScriptedDriver d = new ScriptedDriver();
        Step end = d.run(DfuProtocol.dfuseCommand(DfuseCommand.erasePage(0), Q),
                queue(ok(100, DfuState.DFU_DNBUSY), stall(), stall(), stall(), stall()));
        Failure f = ((Step.Fail) end).failure();
        assertEquals(Failure.Kind.TRANSFER, f.kind());
        assertTrue(f.reason().contains("4 times"), f.reason());
        // each retry waits the last reported poll timeout
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(100)), d.waits());
    }

    @Test
    void aFewStallsWhileBusyAreTolerated() {
        ScriptedDriver d = new ScriptedDriver();
        Step end = d.run(DfuProtocol.dfuseCommand(DfuseCommand.erasePage(0), Q),
                queue(ok(100, DfuState.DFU_DNBUSY), stall(), stall(), ok(100, DfuState.DFU_DNBUSY), stall(),
                        ok(0, DfuState.DFU_DNLOAD_IDLE)));
        assertInstanceOf(Step.Done.class, end);
    }

    @Test
    void aGetStatusTimeoutThatAteTheBudgetIsStillRetried() {
        // the USB timeout of one GETSTATUS is as long as the write budget
        ScriptedDriver d = new ScriptedDriver();
        boolean[] timedOut = {false};
        Step end = d.run(DfuProtocol.downloadBlock(2, new byte[8], Q), (step, now) -> {
            if (step instanceof Step.ControlOut) {
                return null;
            }
            if (!timedOut[0]) {
                timedOut[0] = true;
                throw new TransportException(TransportException.Kind.TIMEOUT, "nak");
            }
            return ok(0, DfuState.DFU_DNLOAD_IDLE);
        });
        assertInstanceOf(Step.Done.class, end);
        assertTrue(d.now() - 1_000_000_000L >= Duration.ofSeconds(5).toNanos(), "the timeout took the whole budget");
    }

    @Test
    void repeatedGetStatusTimeoutsAreATimeoutFailure() {
        Step end = new ScriptedDriver().run(DfuProtocol.downloadBlock(2, new byte[8], Q), (step, now) -> {
            if (step instanceof Step.ControlOut) {
                return null;
            }
            throw new TransportException(TransportException.Kind.TIMEOUT, "nak");
        });
        Failure f = ((Step.Fail) end).failure();
        assertEquals(Failure.Kind.TIMEOUT, f.kind());
        assertTrue(f.reason().contains("4 times"), f.reason());
    }

    @Test
    void stallsDuringEraseAreRetriedForTheWholeBudgetWithTheQuirk() {
        DfuQuirks q = Q.toBuilder().statusStallsWhileBusy(true).eraseBudget(Duration.ofSeconds(2)).build();
        ScriptedDriver d = new ScriptedDriver();
        int[] stalls = {0};
        Step end = d.run(DfuProtocol.dfuseCommand(DfuseCommand.erasePage(0), q), (step, now) -> {
            if (step instanceof Step.ControlOut) {
                return null;
            }
            if (stalls[0]++ == 0) {
                return ok(100, DfuState.DFU_DNBUSY);
            }
            if (stalls[0] < 12) {
                throw stall();
            }
            return ok(0, DfuState.DFU_DNLOAD_IDLE);
        });
        assertInstanceOf(Step.Done.class, end);
    }

    @Test
    void massEraseGetsItsMinimumBudgetWhateverTheDeviceReports() {
        // STM32F405: reports 100 ms, takes ~32 s
        ScriptedDriver d = new ScriptedDriver();
        long[] start = {-1};
        Step end = d.run(DfuProtocol.dfuseCommand(DfuseCommand.massErase(), Q), (step, now) -> {
            if (step instanceof Step.ControlOut) {
                start[0] = now;
                return null;
            }
            return now - start[0] < Duration.ofSeconds(32).toNanos() ? ok(100, DfuState.DFU_DNBUSY) : ok(0, DfuState.DFU_DNLOAD_IDLE);
        });
        assertInstanceOf(Step.Done.class, end);
    }

    @Test
    void waitsAreNeverCutShortToMeetTheDeadline() {
        ScriptedDriver d = new ScriptedDriver();
        Step end = d.run(DfuProtocol.dfuseCommand(DfuseCommand.erasePage(0), Q.toBuilder().eraseBudget(Duration.ofMillis(250)).build()),
                (step, now) -> step instanceof Step.ControlOut ? null : ok(100, DfuState.DFU_DNBUSY));
        assertEquals(Failure.Kind.TIMEOUT, ((Step.Fail) end).failure().kind());
        assertTrue(d.waits().stream().allMatch(w -> w.equals(Duration.ofMillis(100))), d.waits().toString());
    }

    @Test
    void massEraseBeyondItsBudgetTimesOut() {
        ScriptedDriver d = new ScriptedDriver();
        Step end = d.run(DfuProtocol.dfuseCommand(DfuseCommand.massErase(), Q.toBuilder().massEraseBudget(Duration.ofSeconds(3)).build()),
                (step, now) -> step instanceof Step.ControlOut ? null : ok(100, DfuState.DFU_DNBUSY));
        Failure f = ((Step.Fail) end).failure();
        assertEquals(Failure.Kind.TIMEOUT, f.kind());
        assertEquals(DfuException.Kind.TIMEOUT, f.toException(Phase.ERASE, null, null).kind());
    }

    @Test
    void largeReportedPollTimeoutsExtendTheDeadline() {
        // a device that honestly says "come back in 4 s" must not be cut off by a 5 s budget
        ScriptedDriver d = new ScriptedDriver();
        Step end = d.run(DfuProtocol.downloadBlock(2, new byte[8], Q),
                queue(ok(4000, DfuState.DFU_DNBUSY), ok(4000, DfuState.DFU_DNBUSY), ok(0, DfuState.DFU_DNLOAD_IDLE)));
        assertInstanceOf(Step.Done.class, end);
    }

    @Test
    void getStatusUsbTimeoutCoversTheRemainingBudgetForDevicesThatNak() {
        ScriptedDriver d = new ScriptedDriver();
        d.run(DfuProtocol.dfuseCommand(DfuseCommand.massErase(), Q), queue(ok(0, DfuState.DFU_DNLOAD_IDLE)));
        Step.ControlIn getStatus = (Step.ControlIn) d.requests().get(1);
        assertTrue(getStatus.timeout().compareTo(Duration.ofSeconds(39)) > 0, getStatus.timeout().toString());
    }

    @Test
    void strictDevicesMustPassThroughDnbusy() {
        DfuQuirks strict = Q.toBuilder().deviceMaySkipBusy(false).build();
        Step end = new ScriptedDriver().run(DfuProtocol.dfuseCommand(DfuseCommand.erasePage(0), strict),
                queue(ok(0, DfuState.DFU_DNLOAD_IDLE)));
        assertEquals(Failure.Kind.PROTOCOL, ((Step.Fail) end).failure().kind());
        Step tolerant = new ScriptedDriver().run(DfuProtocol.dfuseCommand(DfuseCommand.erasePage(0), Q),
                queue(ok(0, DfuState.DFU_DNLOAD_IDLE)));
        assertInstanceOf(Step.Done.class, tolerant);
    }

    @Test
    void shortStatusReplyIsAProtocolFailure() {
        Step end = new ScriptedDriver().run(DfuProtocol.downloadBlock(2, new byte[8], Q), queue(new byte[3]));
        Failure f = ((Step.Fail) end).failure();
        assertEquals(Failure.Kind.PROTOCOL, f.kind());
        assertTrue(f.reason().contains("3 bytes"), f.reason());
    }

    @Test
    void disconnectDuringEraseIsATransferFailure() {
        Step end = new ScriptedDriver().run(DfuProtocol.dfuseCommand(DfuseCommand.erasePage(0), Q),
                queue(ok(10, DfuState.DFU_DNBUSY), new TransportException(TransportException.Kind.NO_DEVICE, "gone")));
        Failure f = ((Step.Fail) end).failure();
        assertEquals(Failure.Kind.TRANSFER, f.kind());
        assertTrue(f.toException(Phase.ERASE, 0L, null).isDisconnect());
    }

    @Test
    void leaveSucceedsOnDfuManifest() {
        DownloadExchange ex = (DownloadExchange) DfuProtocol.leave(0, Q);
        Step end = new ScriptedDriver().run(ex, queue(ok(0, DfuState.DFU_MANIFEST)));
        assertInstanceOf(Step.Done.class, end);
        assertEquals(CommandResult.Ending.MANIFESTING, ex.result().ending());
    }

    @Test
    void deviceThatVanishesAtTheFinalGetStatusHasLeft() {
        DownloadExchange ex = (DownloadExchange) DfuProtocol.leave(2, Q);
        Step end = new ScriptedDriver().run(ex, queue(new TransportException(TransportException.Kind.NO_DEVICE, "gone")));
        assertInstanceOf(Step.Done.class, end);
        assertEquals(CommandResult.Ending.DISCONNECTED, ex.result().ending());
    }

    /** Issue 9: a timeout or I/O error is not the device leaving the bus; the exchange says so. */
    @ParameterizedTest
    @EnumSource(value = TransportException.Kind.class, names = {"TIMEOUT", "IO"})
    void aFinalGetStatusThatOnlyFailsIsNoAnswerNotADisconnect(TransportException.Kind kind) {
        DownloadExchange ex = (DownloadExchange) DfuProtocol.leave(2, Q);
        Step end = new ScriptedDriver().run(ex, queue(new TransportException(kind, "no answer")));
        assertInstanceOf(Step.Done.class, end);
        assertEquals(CommandResult.Ending.NO_ANSWER, ex.result().ending());
    }

    @Test
    void leaveRefusedWithDfuErrorIsAStatusFailure() {
        // STM32C071 without a SET_ADDRESS before leave
        Step end = new ScriptedDriver().run(DfuProtocol.leave(0, Q), queue(status(DfuStatus.ERR_TARGET, 0, DfuState.DFU_ERROR)));
        assertEquals(Failure.Kind.DEVICE_STATUS, ((Step.Fail) end).failure().kind());
    }

    @Test
    void leaveOfAPlainDfuDevicePollsThroughManifestSync() {
        DownloadExchange ex = (DownloadExchange) DfuProtocol.leave(7, Q);
        ScriptedDriver d = new ScriptedDriver();
        d.run(ex, queue(ok(0, DfuState.DFU_MANIFEST_SYNC), ok(0, DfuState.DFU_IDLE)));
        assertEquals(CommandResult.Ending.MANIFESTED_IDLE, ex.result().ending());
        assertEquals(7, ((Step.ControlOut) d.requests().get(0)).value());
    }

    @Test
    void wedgedEraseIsRecoveredWithTheClearStatusPair() {
        DfuQuirks h7 = Q.toBuilder().clearStatusOnlyInError(false).wedgedEraseRecovery(true)
                .eraseBudget(Duration.ofSeconds(3)).build();
        DownloadExchange ex = new DownloadExchange(OperationKind.ERASE, 0, DfuseCommand.erasePage(0x08100000L).payload(), h7);
        ScriptedDriver d = new ScriptedDriver();
        boolean[] cleared = {false, false};
        Step end = d.run(ex, (step, now) -> {
            if (step instanceof Step.ControlOut out) {
                if (out.request() == DfuRequest.CLRSTATUS) {
                    if (cleared[0]) {
                        cleared[1] = true;
                    }
                    cleared[0] = true;
                }
                return null;
            }
            if (cleared[1]) {
                return ok(0, DfuState.DFU_IDLE);
            }
            if (cleared[0]) {
                return status(DfuStatus.ERR_UNKNOWN, 0, DfuState.DFU_ERROR);
            }
            return ok(100, DfuState.DFU_DNBUSY);
        });
        assertInstanceOf(Step.Done.class, end);
        assertEquals(CommandResult.Ending.RECOVERED_FROM_WEDGE, ex.result().ending());
        long clears = d.requests().stream().filter(s -> s instanceof Step.ControlOut o && o.request() == DfuRequest.CLRSTATUS).count();
        assertEquals(2, clears);
    }

    @Test
    void aWedgeOnADeviceThatHoldsGetStatusIsPolledWithABackOffAndRecoveredAfterTheBudget() {
        DfuQuirks h7 = Q.toBuilder().clearStatusOnlyInError(false).wedgedEraseRecovery(true).wedgedEraseFrom(0x08100000L)
                .statusHeldWhileBusy(true).eraseBudget(Duration.ofSeconds(5)).build();
        DownloadExchange ex = new DownloadExchange(OperationKind.ERASE, 0, DfuseCommand.erasePage(0x08100000L).payload(), h7);
        ScriptedDriver d = new ScriptedDriver().perRequest(Duration.ZERO);
        int[] clears = {0};
        Step end = d.run(ex, (step, now) -> {
            if (step instanceof Step.ControlOut out) {
                clears[0] += out.request() == DfuRequest.CLRSTATUS ? 1 : 0;
                return null;
            }
            return switch (clears[0]) {
                case 0 -> ok(50, DfuState.DFU_DNBUSY); // answered at once after the erase: the wedge
                case 1 -> status(DfuStatus.ERR_UNKNOWN, 0, DfuState.DFU_ERROR);
                default -> ok(0, DfuState.DFU_IDLE);
            };
        });
        assertInstanceOf(Step.Done.class, end);
        assertEquals(CommandResult.Ending.RECOVERED_FROM_WEDGE, ex.result().ending());
        assertEquals(2, clears[0]);
        Duration waited = d.waits().stream().reduce(Duration.ZERO, Duration::plus);
        assertTrue(waited.compareTo(Duration.ofSeconds(5)) >= 0 && waited.compareTo(Duration.ofMillis(5100)) < 0,
                "the budget, not more: " + waited);
        assertTrue(d.waits().stream().allMatch(w -> w.compareTo(Duration.ofMillis(50)) <= 0), "back-off capped at 50 ms");
        assertTrue(ex.result().statusPolls() < 5000 / 50 + 20, "no spinning: " + ex.result().statusPolls() + " polls");
    }

    @Test
    void theWedgeRecoveryIsForSectorErasesInItsRangeOnly() {
        DfuQuirks h7 = Q.toBuilder().clearStatusOnlyInError(false).wedgedEraseRecovery(true).wedgedEraseFrom(0x08100000L)
                .wedgedEraseHint("use a mass erase").eraseBudget(Duration.ofSeconds(3)).massEraseBudget(Duration.ofSeconds(3)).build();
        for (DfuseCommand c : List.of(DfuseCommand.erasePage(0x080E0000L), DfuseCommand.massErase())) {
            ScriptedDriver d = new ScriptedDriver();
            Step end = d.run(DfuProtocol.dfuseCommand(c, h7), (step, now) -> step instanceof Step.ControlOut ? null : ok(100, DfuState.DFU_DNBUSY));
            Failure f = ((Step.Fail) end).failure();
            assertEquals(Failure.Kind.TIMEOUT, f.kind(), c.toString());
            assertFalse(f.reason().contains("use a mass erase"), f.reason());
            assertTrue(d.requests().stream().noneMatch(s -> s instanceof Step.ControlOut o && o.request() == DfuRequest.CLRSTATUS), c.toString());
        }
    }

    @Test
    void withoutTheWedgeQuirkAWedgedEraseTimesOutAndNeverSendsClearStatus() {
        ScriptedDriver d = new ScriptedDriver();
        Step end = d.run(DfuProtocol.dfuseCommand(DfuseCommand.erasePage(0), Q.toBuilder().eraseBudget(Duration.ofSeconds(1)).build()),
                (step, now) -> step instanceof Step.ControlOut ? null : ok(100, DfuState.DFU_DNBUSY));
        assertEquals(Failure.Kind.TIMEOUT, ((Step.Fail) end).failure().kind());
        assertTrue(d.requests().stream().noneMatch(s -> s instanceof Step.ControlOut o && o.request() == DfuRequest.CLRSTATUS));
    }

    @Test
    void readUnprotectEndsAtTheFirstBusyReply() {
        DownloadExchange ex = (DownloadExchange) DfuProtocol.dfuseCommand(DfuseCommand.readUnprotect(), Q);
        ScriptedDriver d = new ScriptedDriver();
        d.run(ex, queue(ok(20000, DfuState.DFU_DNBUSY)));
        assertEquals(CommandResult.Ending.RESETTING, ex.result().ending());
        assertEquals(2, d.requests().size());
    }

    @Test
    void quirksRejectContradictions() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> DfuQuirks.builder().wedgedEraseRecovery(true).build());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> DfuQuirks.builder().eraseBudget(Duration.ZERO).build());
        assertEquals(1024, DfuQuirks.builder().maxTransferSize(1024).build().effectiveTransferSize(2048));
        assertEquals(512, DfuQuirks.builder().maxTransferSize(1024).build().effectiveTransferSize(512));
        assertEquals(2048, DfuQuirks.defaults().effectiveTransferSize(2048));
    }
}
