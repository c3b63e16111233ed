package io.github.dfu4j.dfu.internal;

import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.dfu.DfuState;
import io.github.dfu4j.dfu.DfuStatusReply;
import io.github.dfu4j.dfu.DfuRequest;
import io.github.dfu4j.dfu.DfuQuirks;
import io.github.dfu4j.dfu.internal.DfuProtocol;
import io.github.dfu4j.dfu.internal.Failure;
import io.github.dfu4j.dfu.internal.Step;
import io.github.dfu4j.dfu.internal.RecoveryExchange;
import io.github.dfu4j.dfu.internal.Exchange;
import io.github.dfu4j.testing.ScriptedDriver;
import io.github.dfu4j.transport.TransportException;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecoveryExchangeTest {
    private static final DfuQuirks Q = DfuQuirks.defaults();

    private static byte[] st(DfuStatus s, DfuState state) {
        return DfuStatusReply.of(s, 0, state).toBytes();
    }

    private static List<DfuRequest> run(Exchange<?> ex, Object... replies) {
        Deque<Object> q = new ArrayDeque<>(List.of(replies));
        ScriptedDriver d = new ScriptedDriver();
        Step end = d.run(ex, (step, now) -> {
            if (step instanceof Step.ControlOut) {
                return null;
            }
            Object o = q.poll();
            if (o instanceof TransportException e) {
                throw e;
            }
            return (byte[]) o;
        });
        lastEnd = end;
        return d.requests().stream().map(s -> s instanceof Step.ControlIn i ? i.request() : ((Step.ControlOut) s).request()).toList();
    }

    private static Step lastEnd;

    @Test
    void idleDeviceGetsOneGetStatusAndNoClearStatus() {
        assertEquals(List.of(DfuRequest.GETSTATUS), run(DfuProtocol.recoverToIdle(Q), st(DfuStatus.OK, DfuState.DFU_IDLE)));
        assertInstanceOf(Step.Done.class, lastEnd);
    }

    @Test
    void errorStateIsClearedWithClearStatus() {
        // F4 ROMs often start in dfuERROR with errFIRMWARE
        assertEquals(List.of(DfuRequest.GETSTATUS, DfuRequest.CLRSTATUS, DfuRequest.GETSTATUS),
                run(DfuProtocol.recoverToIdle(Q), st(DfuStatus.ERR_FIRMWARE, DfuState.DFU_ERROR), st(DfuStatus.OK, DfuState.DFU_IDLE)));
        assertInstanceOf(Step.Done.class, lastEnd);
    }

    @Test
    void idleIshStatesAreAborted() {
        assertEquals(List.of(DfuRequest.GETSTATUS, DfuRequest.ABORT, DfuRequest.GETSTATUS),
                run(DfuProtocol.recoverToIdle(Q), st(DfuStatus.OK, DfuState.DFU_DNLOAD_IDLE), st(DfuStatus.OK, DfuState.DFU_IDLE)));
        assertEquals(List.of(DfuRequest.GETSTATUS, DfuRequest.ABORT, DfuRequest.GETSTATUS),
                run(DfuProtocol.recoverToIdle(Q), st(DfuStatus.OK, DfuState.DFU_UPLOAD_IDLE), st(DfuStatus.OK, DfuState.DFU_IDLE)));
    }

    @Test
    void idleWithAStaleErrorStatusIsAcceptedWithoutClearStatusByDefault() {
        assertEquals(List.of(DfuRequest.GETSTATUS), run(DfuProtocol.recoverToIdle(Q), st(DfuStatus.ERR_WRITE, DfuState.DFU_IDLE)));
        DfuQuirks tolerant = Q.toBuilder().clearStatusOnlyInError(false).build();
        assertEquals(List.of(DfuRequest.GETSTATUS, DfuRequest.CLRSTATUS, DfuRequest.GETSTATUS),
                run(DfuProtocol.recoverToIdle(tolerant), st(DfuStatus.ERR_WRITE, DfuState.DFU_IDLE), st(DfuStatus.OK, DfuState.DFU_IDLE)));
    }

    @Test
    void runTimeModeIsAClearProtocolError() {
        run(DfuProtocol.recoverToIdle(Q), st(DfuStatus.OK, DfuState.APP_IDLE));
        Failure f = ((Step.Fail) lastEnd).failure();
        assertEquals(Failure.Kind.PROTOCOL, f.kind());
        assertTrue(f.reason().contains("run-time mode"), f.reason());
    }

    @Test
    void aDeviceThatStaysInErrorGivesUpAfterABoundedNumberOfRequests() {
        Object[] errors = new Object[20];
        java.util.Arrays.fill(errors, st(DfuStatus.ERR_UNKNOWN, DfuState.DFU_ERROR));
        List<DfuRequest> sent = run(DfuProtocol.recoverToIdle(Q), errors);
        assertEquals(Failure.Kind.PROTOCOL, ((Step.Fail) lastEnd).failure().kind());
        assertEquals(RecoveryExchange.MAX_ACTIONS, sent.stream().filter(r -> r == DfuRequest.CLRSTATUS).count());
    }

    @Test
    void busyDeviceIsWaitedForThenAborted() {
        byte[] busy = DfuStatusReply.of(DfuStatus.OK, 50, DfuState.DFU_DNBUSY).toBytes();
        assertEquals(List.of(DfuRequest.GETSTATUS, DfuRequest.GETSTATUS, DfuRequest.ABORT, DfuRequest.GETSTATUS),
                run(DfuProtocol.recoverToIdle(Q), busy, st(DfuStatus.OK, DfuState.DFU_DNLOAD_IDLE), st(DfuStatus.OK, DfuState.DFU_IDLE)));
        assertInstanceOf(Step.Done.class, lastEnd);
    }

    @Test
    void stalledGetStatusIsRetriedAFewTimes() {
        TransportException stall = new TransportException(TransportException.Kind.STALL, "pipe");
        assertEquals(List.of(DfuRequest.GETSTATUS, DfuRequest.GETSTATUS, DfuRequest.GETSTATUS),
                run(DfuProtocol.recoverToIdle(Q), stall, stall, st(DfuStatus.OK, DfuState.DFU_IDLE)));
        assertInstanceOf(Step.Done.class, lastEnd);
        run(DfuProtocol.recoverToIdle(Q), stall, stall, stall, stall);
        assertEquals(Failure.Kind.TRANSFER, ((Step.Fail) lastEnd).failure().kind());
        run(DfuProtocol.recoverToIdle(Q), new TransportException(TransportException.Kind.NO_DEVICE, "gone"));
        assertEquals(Failure.Kind.TRANSFER, ((Step.Fail) lastEnd).failure().kind());
    }

    @Test
    void abortToIdleStartsWithAbort() {
        assertEquals(List.of(DfuRequest.ABORT, DfuRequest.GETSTATUS),
                run(DfuProtocol.abortToIdle(Q), st(DfuStatus.OK, DfuState.DFU_IDLE)));
    }

    @Test
    void waitResetStateIsReported() {
        run(DfuProtocol.recoverToIdle(Q), st(DfuStatus.OK, DfuState.DFU_MANIFEST_WAIT_RESET));
        assertTrue(((Step.Fail) lastEnd).failure().reason().contains("USB reset"));
    }
}
