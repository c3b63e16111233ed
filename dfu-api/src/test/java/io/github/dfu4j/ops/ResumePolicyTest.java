package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.DfuException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.dfu.DfuCancelledException;
import io.github.dfu4j.dfu.DfuState;
import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.dfu.DfuStatusReply;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.transport.TransportException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Which failures {@link Resume} treats as transient: USB-level stalls, timeouts and disconnects, a few statuses, never a cancel. */
class ResumePolicyTest {

    private static DfuException transfer(TransportException.Kind kind) {
        return DfuException.transfer("x", Phase.WRITE, 0x08000000L, null, new TransportException(kind, "x"));
    }

    private static DfuException status(DfuStatus s) {
        return DfuException.deviceStatus("refused", Phase.WRITE, 0x08000000L,
                new DfuStatusReply(s, Duration.ZERO, DfuState.DFU_ERROR, 0, s.code(), DfuState.DFU_ERROR.code()), null, null);
    }

    @ParameterizedTest
    @EnumSource(TransportException.Kind.class)
    void usbStallsTimeoutsAndDisconnectsAreTransientOtherTransportFailuresAreNot(TransportException.Kind kind) {
        boolean expected = kind == TransportException.Kind.STALL || kind == TransportException.Kind.TIMEOUT
                || kind == TransportException.Kind.NO_DEVICE;
        assertEquals(expected, Resume.isTransient(transfer(kind)), kind.name());
        assertEquals(kind == TransportException.Kind.NO_DEVICE, Resume.disconnected(transfer(kind)), kind.name());
    }

    @ParameterizedTest
    @EnumSource(DfuStatus.class)
    void onlyStalledPacketAndUnexpectedResetStatusesAreTransient(DfuStatus s) {
        Set<DfuStatus> transientOnes = EnumSet.of(DfuStatus.ERR_STALLEDPKT, DfuStatus.ERR_USBR, DfuStatus.ERR_POR);
        if (s == DfuStatus.OK) {
            return; // not an error status
        }
        assertEquals(transientOnes.contains(s), Resume.isTransient(status(s)), s.specName());
    }

    @Test
    void cancellationIsNeverTransientEvenWithATransportCause() {
        DfuCancelledException c = new DfuCancelledException("cancelled", Phase.WRITE, null,
                new TransportException(TransportException.Kind.TIMEOUT, "x"));
        assertFalse(Resume.isTransient(c));
    }

    @Test
    void nothingIsTransientWhileTheThreadIsInterrupted() {
        Thread.currentThread().interrupt();
        try {
            assertFalse(Resume.isTransient(transfer(TransportException.Kind.STALL)));
        } finally {
            Thread.interrupted();
        }
        assertTrue(Resume.isTransient(transfer(TransportException.Kind.STALL)));
    }

    @Test
    void aDeviceBusyBeyondItsBudgetOrAProtocolErrorWithoutUsbCauseIsNotTransient() {
        assertFalse(Resume.isTransient(DfuException.timeout("still busy", Phase.ERASE, 0x08000000L, null, null)));
        assertFalse(Resume.isTransient(DfuException.protocol("unexpected state", Phase.WRITE, null, null, null)));
    }
}
