package io.github.dfu4j.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.testing.FakeDfuseDevice;
import io.github.dfu4j.transport.DevicePort;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.PortState;
import io.github.dfu4j.transport.TransportException;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@link DevicePort} of recorded and replayed sessions, and of a transport without one. */
class RecordedPortTest {

    @Test
    void lookingAtThePortIsPassedThroughAndNotRecordedWaitingForDfuModeIs() throws Exception {
        FakeDfuseDevice fake = FakeDfuseDevice.stm32f4();
        StringWriter out = new StringWriter();
        RecordingTransport t = RecordingTransport.wrap(fake, out);
        DevicePort port = t.port();
        assertEquals(PortState.Mode.DFU, port.state().mode());
        assertEquals(fake.device().path(), port.path());
        assertTrue(port.awaitApplication(Duration.ofMillis(10)).isEmpty());
        assertFalse(out.toString().contains("reopen"), "state and awaitApplication send no request: " + out);
        assertTrue(port.awaitDfu(Duration.ofMillis(250)).isEmpty(), "the fake did not leave");
        assertTrue(out.toString().contains(" reopen timeout=250 -> none\n"), out.toString());

        ReplayTransport replay = ReplayTransport.parse(out.toString(), "s");
        DevicePort replayed = replay.port();
        assertEquals(fake.device().path(), replayed.path());
        assertTrue(replayed.awaitDfu(Duration.ofMillis(250)).isEmpty(), "replays the recorded answer");
        TransportException e = assertThrows(TransportException.class, replayed::state);
        assertEquals(TransportException.Kind.NOT_SUPPORTED, e.kind());
        assertEquals(TransportException.Kind.NOT_SUPPORTED,
                assertThrows(TransportException.class, () -> replayed.awaitApplication(Duration.ZERO)).kind());
        replay.assertFinished();
    }

    @Test
    void aTransportWithoutAPortSaysItCannotLook() throws Exception {
        FakeDfuseDevice fake = FakeDfuseDevice.stm32f4();
        DfuTransport plain = new DfuTransport() {
            @Override public io.github.dfu4j.transport.DeviceInfo device() { return fake.device(); }
            @Override public int interfaceNumber() { return 0; }
            @Override public java.util.List<io.github.dfu4j.transport.AltSetting> altSettings() { return fake.altSettings(); }
            @Override public byte[] functionalDescriptor() { return fake.functionalDescriptor(); }
            @Override public void selectAltSetting(int altSetting) { }
            @Override public byte[] controlIn(int request, int value, int length, Duration timeout) { return new byte[0]; }
            @Override public void controlOut(int request, int value, byte[] data, Duration timeout) { }
            @Override public String stringDescriptor(int index) { return ""; }
            @Override public void reset() { }
            @Override public void close() { }
        };
        DevicePort port = plain.port();
        assertEquals(fake.device().path(), port.path());
        for (Object call : new Object[] {"state", "awaitDfu", "awaitApplication"}) {
            TransportException e = assertThrows(TransportException.class, () -> {
                switch ((String) call) {
                    case "state" -> port.state();
                    case "awaitDfu" -> port.awaitDfu(Duration.ZERO);
                    default -> port.awaitApplication(Duration.ZERO);
                }
            });
            assertEquals(TransportException.Kind.NOT_SUPPORTED, e.kind(), (String) call);
        }
        assertEquals(Optional.empty(), PortState.empty("1-2").device());
        assertEquals("nothing at 1-2", PortState.empty("1-2").summary());
    }
}
