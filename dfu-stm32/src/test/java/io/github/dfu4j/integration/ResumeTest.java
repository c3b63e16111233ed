package io.github.dfu4j.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuRequest;
import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.FlashOptions;
import io.github.dfu4j.ops.FlashResult;
import io.github.dfu4j.ops.ProgressListener;
import io.github.dfu4j.ops.AddressingMode;
import io.github.dfu4j.sim.Command;
import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.sim.Fault;
import io.github.dfu4j.sim.FaultRule;
import io.github.dfu4j.sim.RequestMatcher;
import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.sim.SimulatedDevice.TraceEntry;
import io.github.dfu4j.stm32.Identification;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.TransportException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Resume after a transient fault on the F405 ROM (sectors of 16, 64 and 128 KiB): what is redone, what
 * is not, and that a second fault in one sector ends the flash with its typed error. The image spans
 * sectors 0 to 4; sector 1 (0x08004000) and sector 2 (0x08008000) get the faults.
 */
class ResumeTest {
    private static final String ID = "stm32f405";
    private static final long S1 = 0x08004000L;
    private static final long S2 = 0x08008000L;
    private static final int SECTOR = 0x4000;

    /** Data-block DNLOADs into [from, from + SECTOR). */
    private static RequestMatcher writeInto(long from) {
        return r -> r.request() == DfuRequest.DNLOAD && r.command().filter(c -> c instanceof Command.Write w
                && w.address() >= from && w.address() < from + SECTOR).isPresent();
    }

    private static FirmwareImage image(SimulatedDevice d) {
        return Firmware.multiSector(d, 2024);
    }

    private static FlashResult flash(SimulatedDevice d, FirmwareImage image, FlashOptions options) throws DfuException {
        DfuTransport t = d.connect();
        try (DfuDevice dev = Identification.identify(t).open(t)) {
            return dev.download(image, options, ProgressListener.NONE);
        }
    }

    private static List<Long> erases(SimulatedDevice d) {
        return d.trace().stream().filter(e -> e.request().request() == DfuRequest.DNLOAD)
                .map(e -> e.request().command().orElse(null)).filter(c -> c instanceof Command.Erase)
                .map(c -> ((Command.Erase) c).address()).toList();
    }

    private static long faults(SimulatedDevice d) {
        return d.trace().stream().filter(e -> e.fault().isPresent()).count();
    }

    /** The sectors the fault-free flash erases. */
    private static Set<Long> planned() throws DfuException {
        SimulatedDevice clean = SimulatedDevices.create(ID);
        assertTrue(flash(clean, image(clean), FlashOptions.defaults()).verified());
        return Set.copyOf(erases(clean));
    }

    @Test
    void aStallAndADisconnectInTwoSectorsAreBothResumedAndOnlyPlannedSectorsAreErasedAgain() throws Exception {
        SimulatedDevice d = SimulatedDevices.create(ID, SimOptions.defaults().withFaults(
                FaultRule.nth(2, writeInto(S1), Fault.stall()),
                FaultRule.nth(3, writeInto(S2), new Fault.Disconnect(Duration.ofMillis(500)))));
        FirmwareImage image = image(d);
        FlashResult r = flash(d, image, FlashOptions.defaults());
        assertTrue(r.verified());
        Firmware.assertHolds(d, image);
        assertEquals(2, faults(d), "both faults fired");
        assertEquals(2, d.stats().enumerations(), "the device was reopened once, after the disconnect");
        List<Long> erased = erases(d);
        assertTrue(planned().containsAll(erased), "only the plan's sectors are erased: " + erased);
        assertEquals(2, erased.stream().filter(a -> a == S1).count(), "sector 1 erased again after the stall");
        assertEquals(2, erased.stream().filter(a -> a == S2).count(), "sector 2 erased again after the disconnect");
        assertEquals(planned().size() + 2, erased.size(), "no other sector erased twice");
    }

    @Test
    void aSecondFaultInTheSameSectorFailsWithItsTypedErrorAndIsNotRetried() throws Exception {
        // the 2nd block of sector 1 stalls; after the re-erase its 1st block is written again (3rd match),
        // then the 2nd block stalls once more (4th match)
        SimulatedDevice d = SimulatedDevices.create(ID, SimOptions.defaults().withFaults(
                FaultRule.nth(2, writeInto(S1), Fault.stall()), FaultRule.nth(4, writeInto(S1), Fault.stall())));
        DfuException e = assertThrows(DfuException.class, () -> flash(d, image(d), FlashOptions.defaults()));
        assertEquals(DfuException.Kind.TRANSFER, e.kind(), e.getMessage());
        assertEquals(TransportException.Kind.STALL, e.transportError().orElseThrow().kind(), e.getMessage());
        assertEquals(Phase.WRITE, e.phase().orElseThrow());
        assertTrue(e.address().getAsLong() >= S1 && e.address().getAsLong() < S1 + SECTOR, e.getMessage());
        assertEquals(2, faults(d), "two faults, no third attempt");
        assertEquals(2, erases(d).stream().filter(a -> a == S1).count(), "sector 1 erased again once, not more");
    }

    @Test
    void aDisconnectDuringAnEraseIsReopenedAndTheSectorErasedAgain() throws Exception {
        SimulatedDevice d = SimulatedDevices.create(ID, SimOptions.defaults().withFaults(
                FaultRule.nth(2, RequestMatcher.getStatusFor(Command.Erase.class), new Fault.Disconnect(Duration.ofMillis(800)))));
        FirmwareImage image = image(d);
        assertTrue(flash(d, image, FlashOptions.defaults()).verified());
        Firmware.assertHolds(d, image);
        assertEquals(2, d.stats().enumerations());
    }

    @Test
    void aDeviceThatDoesNotComeBackWithinTheReopenTimeoutFailsWithTheDisconnect() {
        SimulatedDevice d = SimulatedDevices.create(ID, SimOptions.defaults().withFaults(
                FaultRule.nth(2, RequestMatcher.getStatusFor(Command.Erase.class), new Fault.Disconnect(Duration.ofSeconds(10)))));
        FlashOptions options = FlashOptions.builder().resumeWait(Duration.ofSeconds(1)).build();
        DfuException e = assertThrows(DfuException.class, () -> flash(d, image(d), options));
        assertEquals(DfuException.Kind.TRANSFER, e.kind(), e.getMessage());
        assertTrue(e.isDisconnect(), e.getMessage());
        assertEquals(Phase.ERASE, e.phase().orElseThrow());
        assertEquals(1, e.getSuppressed().length, "the failed reopen is attached");
    }

    @Test
    void aFaultDuringTheWritesOfAMassEraseFlashRepeatsTheMassEraseAndRewritesWhatWasWritten() throws Exception {
        SimulatedDevice d = SimulatedDevices.create(ID, SimOptions.defaults().withFaults(
                FaultRule.nth(3, writeInto(S2), new Fault.Disconnect(Duration.ofMillis(200)))));
        FirmwareImage image = image(d);
        FlashResult r = flash(d, image, FlashOptions.builder().massErase(true).build());
        assertTrue(r.verified());
        Firmware.assertHolds(d, image);
        assertEquals(2, d.stats().massErases(), "the reviewed mass erase, sent again");
        assertEquals(0, d.stats().sectorErases(), "no sector erase outside the plan");
    }

    @Test
    void aCancelDuringTheRecoveryIsNotRetriedAndEndsAsACancel() throws Exception {
        io.github.dfu4j.dfu.CancellationToken token = new io.github.dfu4j.dfu.CancellationToken();
        RequestMatcher second = writeInto(S1);
        int[] seen = {0};
        // the user cancels just as the 2nd block of sector 1 stalls
        RequestMatcher cancelling = r -> {
            boolean m = second.matches(r) && ++seen[0] == 2;
            if (m) {
                token.cancel();
            }
            return m;
        };
        SimulatedDevice d = SimulatedDevices.create(ID, SimOptions.defaults().withFaults(FaultRule.first(cancelling, Fault.stall())));
        FlashOptions options = FlashOptions.builder().cancellation(token).build();
        assertThrows(io.github.dfu4j.dfu.DfuCancelledException.class, () -> flash(d, image(d), options));
        assertEquals(1, erases(d).stream().filter(a -> a == S1).count(), "sector 1 not erased again after the cancel");
    }

    @Test
    void aRefusalIsNotRetried() throws Exception {
        SimulatedDevice d = SimulatedDevices.create(ID, SimOptions.defaults().withFaults(
                FaultRule.nth(3, RequestMatcher.getStatusFor(Command.Write.class), Fault.status(DfuStatus.ERR_WRITE))));
        // SET_ADDRESS per block: no addressing fallback, which would erase and write everything again
        FlashOptions options = FlashOptions.builder().addressing(AddressingMode.SET_ADDRESS_PER_BLOCK).build();
        DfuException e = assertThrows(DfuException.class, () -> flash(d, image(d), options));
        assertEquals(DfuException.Kind.DEVICE_STATUS, e.kind(), e.getMessage());
        assertEquals(DfuStatus.ERR_WRITE, e.status().orElseThrow());
        List<Long> erased = erases(d);
        assertEquals(erased.size(), Set.copyOf(erased).size(), "no sector erased again: " + erased);
    }

    @Test
    void aStalledPacketStatusIsResumed() throws Exception {
        SimulatedDevice d = SimulatedDevices.create(ID, SimOptions.defaults().withFaults(
                FaultRule.nth(3, RequestMatcher.getStatusFor(Command.Write.class), Fault.status(DfuStatus.ERR_STALLEDPKT))));
        FirmwareImage image = image(d);
        assertTrue(flash(d, image, FlashOptions.defaults()).verified());
        Firmware.assertHolds(d, image);
        assertTrue(d.trace().stream().anyMatch(t -> t.fault().isPresent() && t.result() == TraceEntry.Result.DATA));
    }

    @Test
    void theVerificationAfterAResumeReadsBackEveryByteOfTheImage() throws Exception {
        SimulatedDevice d = SimulatedDevices.create(ID, SimOptions.defaults().withFaults(
                FaultRule.nth(2, writeInto(S1), Fault.timeout())));
        FirmwareImage image = image(d);
        FlashResult r = flash(d, image, FlashOptions.defaults());
        assertTrue(r.verified());
        SimulatedDevice clean = SimulatedDevices.create(ID);
        FlashResult cleanResult = flash(clean, image, FlashOptions.defaults());
        long imageBytes = image.segments().stream().mapToLong(s -> s.length()).sum();
        assertTrue(r.verification().verifiedBytes() >= imageBytes, "every byte of the image read back: " + r.verification().verifiedBytes());
        assertEquals(cleanResult.verification().verifiedBytes(), r.verification().verifiedBytes(), "as much read back as without the fault");
        assertEquals(0, r.verification().unverifiedBytes());
        Set<Long> uploaded = d.trace().stream().filter(t -> t.request().request() == DfuRequest.UPLOAD)
                .map(t -> t.request().command().orElse(null)).filter(c -> c instanceof Command.Read)
                .map(c -> ((Command.Read) c).address()).collect(Collectors.toSet());
        assertTrue(uploaded.stream().anyMatch(a -> a < S1 && a >= 0x08000000L), "sector 0 (written before the fault) read back");
    }
}
