package io.github.dfu4j.integration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.dfu.DfuRequest;
import io.github.dfu4j.dfu.DfuState;
import io.github.dfu4j.dfu.FunctionalDescriptor;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.FlashOptions;
import io.github.dfu4j.ops.FlashResult;
import io.github.dfu4j.ops.LeaveResult;
import io.github.dfu4j.ops.ProgressListener;
import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.stm32.Identification;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.TransportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The plain DFU 1.1 personalities (docs/simulator.md "Plain DFU 1.1") driven through the public API:
 * every variant (manifestation tolerant or not, bitWillDetach 1 or 0) at wTransferSize 64, 1024 and
 * 4096 flashes, verifies by UPLOAD read-back where the device can still be read, uploads its whole
 * image area with a short frame at the end, and leaves by USB reset into the application.
 */
class PlainDfuPersonalityTest {
    static final long BASE = 0x0800_4000L;
    static final int AREA = 64 * 1024;
    static final long SP = 0x2000_4000L;

    static Stream<Arguments> variants() {
        List<Arguments> out = new ArrayList<>();
        for (String id : List.of("plain-dfu", "plain-dfu-nomt", "plain-dfu-nodetach", "plain-dfu-nomt-nodetach")) {
            for (int size : new int[] {64, 1024, 4096}) {
                out.add(Arguments.of(id, size));
            }
        }
        return out.stream();
    }

    static boolean tolerant(String id) {
        return !id.contains("nomt");
    }

    static DfuDevice open(SimulatedDevice d) throws Exception {
        DfuTransport t = d.connect();
        Identification id = Identification.identify(t);
        return id.open(t);
    }

    /** 5000 + 77 bytes of application: a vector table at the image base and random bytes. */
    static byte[] app(long seed) {
        return Firmware.application(BASE, SP, 5077, 0x200, 0.2, seed);
    }

    @ParameterizedTest(name = "{0} wTransferSize {1}")
    @MethodSource("variants")
    void descriptorSaysWhatTheVariantIs(String id, int size) throws Exception {
        SimulatedDevice d = SimulatedDevices.create(id, SimOptions.defaults().withTransferSize(size));
        try (DfuTransport t = d.connect()) {
            FunctionalDescriptor fd = FunctionalDescriptor.parse(t.functionalDescriptor(), t.device().path());
            assertFalse(fd.isDfuse(), id);
            assertEquals(0x0110, fd.bcdDfu());
            assertEquals(size, fd.transferSize());
            assertEquals(tolerant(id), fd.manifestationTolerant(), id);
            assertEquals(!id.contains("nodetach"), fd.willDetach(), id);
            assertTrue(fd.canUpload() && fd.canDownload());
            assertEquals(Identification.Kind.PLAIN_DFU, Identification.identify(t).kind(), "not taken for an STM32 ROM");
        }
    }

    @ParameterizedTest(name = "{0} wTransferSize {1}")
    @MethodSource("variants")
    void flashVerifiesOrSaysItCouldNot(String id, int size) throws Exception {
        SimulatedDevice d = SimulatedDevices.create(id, SimOptions.defaults().withTransferSize(size));
        byte[] app = app(size);
        DfuDevice dev = open(d);
        FlashResult r = dev.download(FirmwareImage.of(Segment.of(BASE, app)),
                FlashOptions.builder().reopenTimeout(Duration.ofSeconds(2)).build(), ProgressListener.NONE);
        assertArrayEquals(app, d.readMemory(BASE, app.length), "the stream lands at the image base");
        assertEquals((app.length + size - 1) / size, r.writes().blocksWritten());
        if (tolerant(id)) {
            assertTrue(r.verified(), id + ": read back by UPLOAD after manifestation, " + r);
            assertEquals(app.length, r.verification().verifiedBytes());
            assertTrue(r.resetBy().isEmpty());
            assertEquals(DfuState.DFU_IDLE, d.state(), "tolerant: back in dfuIDLE");
        } else {
            // not tolerant: the reset after manifestation starts the valid application; nothing to read back
            assertFalse(r.verified(), id + " " + r);
            assertTrue(r.resetBy().isPresent(), "the reset is reported, so a caller can say 'not verified'");
            assertEquals(app.length, r.verification().unverifiedBytes());
            assertEquals(BASE, d.awaitApplication(Duration.ofSeconds(1)).orElseThrow().vectorTable());
        }
        dev.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notTolerant")
    void notTolerantComingBackInDfuModeIsVerified(String id) throws Exception {
        SimulatedDevice d = SimulatedDevices.create(id, SimOptions.defaults().withBoot0High(true));
        byte[] app = app(7);
        DfuDevice dev = open(d);
        FlashResult r = dev.download(FirmwareImage.of(Segment.of(BASE, app)),
                FlashOptions.builder().reopenTimeout(Duration.ofSeconds(2)).build(), ProgressListener.NONE);
        assertTrue(r.verified(), r.toString());
        assertEquals(2, d.stats().enumerations(), "it reset once after manifestation and came back in DFU mode");
        assertTrue(r.leave().isEmpty(), "no leave was asked and it is in DFU mode, as a tolerant one would be: " + r.leave());
        assertTrue(d.inDfuMode());
        dev.close();
    }

    static Stream<String> notTolerant() {
        return Stream.of("plain-dfu-nomt", "plain-dfu-nomt-nodetach");
    }

    @ParameterizedTest(name = "{0} wTransferSize {1}")
    @MethodSource("variants")
    void uploadReturnsTheWholeImageAreaThenAShortFrame(String id, int size) throws Exception {
        SimulatedDevice d = SimulatedDevices.create(id, SimOptions.defaults().withTransferSize(size));
        byte[] content = Firmware.random(AREA, size);
        d.writeMemory(BASE, content);
        DfuDevice dev = open(d);
        // ask for more than there is: the device ends with a short frame at the end of its area
        byte[] all = dev.upload(0, 0, AREA + 3 * size, ProgressListener.NONE);
        assertArrayEquals(content, all);
        assertEquals(DfuState.DFU_IDLE, d.state(), "the short frame ends the upload in dfuIDLE");
        byte[] part = dev.upload(0, 0, 1000, ProgressListener.NONE);
        assertArrayEquals(Arrays.copyOf(content, 1000), part, "every upload starts at the start of the area");
        dev.close();
    }

    @Test
    void anImageLargerThanTheAreaFailsWithErrAddress() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("plain-dfu");
        DfuDevice dev = open(d);
        byte[] big = Firmware.random(AREA + 1, 3);
        Exception e = assertThrows(io.github.dfu4j.dfu.DfuException.class, () -> dev.download(
                FirmwareImage.of(Segment.of(BASE, big)), FlashOptions.defaults(), ProgressListener.NONE));
        assertTrue(e.getMessage().contains("errADDRESS"), e.getMessage());
    }

    @Test
    void leaveResetsIntoTheApplication() throws Exception {
        byte[] app = app(11);
        SimulatedDevice d = SimulatedDevices.create("plain-dfu",
                SimOptions.defaults().withInitialMemory(FirmwareImage.of(Segment.of(BASE, app))));
        DfuDevice dev = open(d);
        assertArrayEquals(app, dev.upload(0, 0, app.length, ProgressListener.NONE));
        LeaveResult l = dev.leave(java.util.OptionalLong.empty());
        assertTrue(l.left(), l.toString());
        assertEquals(BASE, d.awaitApplication(Duration.ofSeconds(1)).orElseThrow().vectorTable());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allIds")
    void detachFollowsBitWillDetach(String id) throws Exception {
        byte[] app = app(13);
        SimulatedDevice d = SimulatedDevices.create(id, SimOptions.defaults().withInitialMemory(FirmwareImage.of(Segment.of(BASE, app))));
        DfuTransport t = d.connect();
        t.controlOut(DfuRequest.DETACH.code(), 1000, new byte[0], Duration.ofSeconds(1));
        t.time().sleep(Duration.ofMillis(100));
        if (!id.contains("nodetach")) {
            assertFalse(d.inDfuMode(), "bitWillDetach 1: it detached by itself");
        } else {
            assertTrue(d.inDfuMode(), "bitWillDetach 0: it waits for the USB reset");
            t.reset();
        }
        assertEquals(BASE, d.awaitApplication(Duration.ofSeconds(1)).orElseThrow().vectorTable());
        assertThrows(TransportException.class, () -> t.controlIn(DfuRequest.GETSTATE.code(), 0, 1, Duration.ofSeconds(1)));
    }

    static Stream<String> allIds() {
        return Stream.of("plain-dfu", "plain-dfu-nomt", "plain-dfu-nodetach", "plain-dfu-nomt-nodetach");
    }

    @Test
    void notTolerantNoDetachWaitsInManifestWaitResetForTheHostsReset() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("plain-dfu-nomt-nodetach");
        DfuTransport t = d.connect();
        Duration to = Duration.ofSeconds(1);
        t.controlOut(DfuRequest.DNLOAD.code(), 0, Arrays.copyOf(app(5), 1024), to);
        byte[] s = t.controlIn(DfuRequest.GETSTATUS.code(), 0, 6, to);
        assertEquals(DfuState.DFU_DNBUSY.code(), s[4]);
        t.time().sleep(Duration.ofMillis((s[1] & 0xFF) | (s[2] & 0xFF) << 8));
        assertEquals(DfuState.DFU_DNLOAD_IDLE.code(), t.controlIn(DfuRequest.GETSTATUS.code(), 0, 6, to)[4]);
        t.controlOut(DfuRequest.DNLOAD.code(), 1, new byte[0], to);
        assertEquals(DfuState.DFU_MANIFEST.code(), t.controlIn(DfuRequest.GETSTATUS.code(), 0, 6, to)[4]);
        t.time().sleep(Duration.ofMillis(500));
        assertEquals(DfuState.DFU_MANIFEST_WAIT_RESET, d.state());
        assertTrue(d.inDfuMode(), "bitWillDetach 0: still on the bus");
        t.reset();
        assertEquals(BASE, d.awaitApplication(Duration.ofSeconds(1)).orElseThrow().vectorTable());
    }

    @Test
    void outOfSequenceBlockStalls() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("plain-dfu");
        DfuTransport t = d.connect();
        Duration to = Duration.ofSeconds(1);
        t.controlOut(DfuRequest.DNLOAD.code(), 0, new byte[16], to);
        t.controlIn(DfuRequest.GETSTATUS.code(), 0, 6, to);
        t.time().sleep(Duration.ofMillis(100));
        t.controlIn(DfuRequest.GETSTATUS.code(), 0, 6, to);
        assertThrows(TransportException.class, () -> t.controlOut(DfuRequest.DNLOAD.code(), 5, new byte[16], to));
        assertEquals(DfuState.DFU_ERROR, d.state());
    }
}
