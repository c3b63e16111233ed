package io.github.dfu4j.record;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.FlashOptions;
import io.github.dfu4j.ops.FlashResult;
import io.github.dfu4j.ops.LeaveRequest;
import io.github.dfu4j.ops.LeaveResult;
import io.github.dfu4j.ops.ProgressListener;
import io.github.dfu4j.testing.FakeDfuseDevice;
import io.github.dfu4j.testing.Images;
import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DeviceInfo;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.TimeSource;
import io.github.dfu4j.transport.TransportException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordReplayTest {
    private static final long FLASH = 0x08000000L;

    private static String record(FakeDfuseDevice fake, FirmwareImage image, FlashOptions options) throws Exception {
        StringWriter out = new StringWriter();
        try (DfuDevice d = DfuDevice.open(RecordingTransport.wrap(fake, out))) {
            d.download(image, options, ProgressListener.NONE);
        } catch (Exception e) {
            // the recording is still complete up to the failure
        }
        return out.toString();
    }

    @Test
    void aRecordedDownloadReplaysToTheSameResult() throws Exception {
        FirmwareImage image = Images.image(FLASH, 20_000, 1);
        FakeDfuseDevice fake = FakeDfuseDevice.stm32f4();
        StringWriter out = new StringWriter();
        FlashResult live;
        try (DfuDevice d = DfuDevice.open(RecordingTransport.wrap(fake, out))) {
            live = d.download(image, FlashOptions.defaults(), ProgressListener.NONE);
        }
        String recording = out.toString();
        assertTrue(recording.startsWith("# dfu4j session v1\nsession 1\ndevice vid=0483 pid=df11"), recording.substring(0, 80));
        assertTrue(recording.contains("alt 0 \"@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg\""));
        assertTrue(recording.contains(" sleep 100000000\n"), "waits are recorded");

        ReplayTransport replay = ReplayTransport.parse(recording, "session.dfu4j");
        FlashResult replayed;
        try (DfuDevice d = DfuDevice.open(replay)) {
            replayed = d.download(image, FlashOptions.defaults(), ProgressListener.NONE);
        }
        replay.assertFinished();
        assertEquals(live.verification().verifiedBytes(), replayed.verification().verifiedBytes());
        assertEquals(live.writes().erased(), replayed.writes().erased());
        assertEquals(live.writes().requests(), replayed.writes().requests());
        assertEquals(live.timings().total(), replayed.timings().total(), "the replay clock reproduces the session's time");
    }

    @Test
    void aDifferentImageIsAStrictMismatchNamingTheLine() throws Exception {
        String recording = record(FakeDfuseDevice.stm32f4(), Images.image(FLASH, 4096, 2), FlashOptions.defaults());
        ReplayTransport replay = ReplayTransport.parse(recording, "bug-1234.dfu4j");
        try (DfuDevice d = DfuDevice.open(replay)) {
            ReplayMismatchException e = assertThrows(ReplayMismatchException.class,
                    () -> d.download(Images.image(FLASH, 4096, 3), FlashOptions.defaults(), ProgressListener.NONE));
            assertTrue(e.getMessage().matches("bug-1234\\.dfu4j:\\d+: expected out DNLOAD 2 (\\[byte \\d+\\] )?[0-9a-f]{32}\\.\\.\\. \\(\\d+ bytes\\), "
                    + "got out DNLOAD 2 (\\[byte \\d+\\] )?[0-9a-f]{32}\\.\\.\\. \\(\\d+ bytes\\)"),
                    e.getMessage());
        }
    }

    @Test
    void stoppingEarlyIsReported() throws Exception {
        String recording = record(FakeDfuseDevice.stm32f4(), Images.image(FLASH, 4096, 4), FlashOptions.defaults());
        ReplayTransport replay = ReplayTransport.parse(recording, "s");
        DfuDevice.open(replay).close();
        assertTrue(replay.remaining() > 0);
        assertThrows(ReplayMismatchException.class, replay::assertFinished);
    }

    @Test
    void failuresReplayAsTheSameTypedErrors() throws Exception {
        FirmwareImage image = Images.image(FLASH, 20_000, 5);
        String recording = record(FakeDfuseDevice.stm32f4().inject(FakeDfuseDevice.Op.ERASE, 2,
                FakeDfuseDevice.Fault.ERROR_STATUS, DfuStatus.ERR_ERASE), image, FlashOptions.defaults());
        assertTrue(recording.contains("-> 04000000"), "the error status is in the recording");
        try (DfuDevice d = DfuDevice.open(ReplayTransport.parse(recording, "s"))) {
            DfuException e = assertThrows(DfuException.class, () -> d.download(image, FlashOptions.defaults(),
                    ProgressListener.NONE));
            assertEquals(DfuException.Kind.DEVICE_STATUS, e.kind(), e.getMessage());
            assertEquals(DfuStatus.ERR_ERASE, e.status().orElseThrow());
        }

        String disconnect = record(FakeDfuseDevice.stm32f4().inject(FakeDfuseDevice.Op.WRITE, 3, FakeDfuseDevice.Fault.DISCONNECT),
                image, FlashOptions.defaults());
        assertTrue(disconnect.contains("error NO_DEVICE \"injected disconnect during WRITE\""), disconnect);
        try (DfuDevice d = DfuDevice.open(ReplayTransport.parse(disconnect, "s"))) {
            DfuException e = assertThrows(DfuException.class, () -> d.download(image, FlashOptions.defaults(),
                    ProgressListener.NONE));
            assertEquals(DfuException.Kind.TRANSFER, e.kind(), e.getMessage());
            assertTrue(e.isDisconnect());
        }
    }

    @Test
    void aDeviceComingBackInDfuModeStartsASecondSession(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("leave.dfu4j");
        FirmwareImage image = Images.image(FLASH, 2048, 6);
        FakeDfuseDevice fake = FakeDfuseDevice.stm32f4().boot0High(true);
        try (DfuDevice d = DfuDevice.open(RecordingTransport.toFile(fake, file))) {
            FlashResult r = d.download(image, FlashOptions.builder().leave(LeaveRequest.auto()).build(), ProgressListener.NONE);
            assertEquals(LeaveResult.Outcome.CAME_BACK_IN_DFU, r.leave().orElseThrow().outcome());
            // the device goes on with the new enumeration: its second session in the recording
            assertArrayEquals(fake.read(0, FLASH, 16), d.upload(0, FLASH, 16, ProgressListener.NONE));
        }
        String text = Files.readString(file);
        assertTrue(text.contains("reopen timeout=3000 -> dfu\nsession 2\n"), text);

        ReplayTransport replay = ReplayTransport.load(file);
        try (DfuDevice d = DfuDevice.open(replay)) {
            FlashResult r = d.download(image, FlashOptions.builder().leave(LeaveRequest.auto()).build(), ProgressListener.NONE);
            assertEquals(LeaveResult.Outcome.CAME_BACK_IN_DFU, r.leave().orElseThrow().outcome());
            // the device goes on with the new enumeration: its second session in the recording
            assertArrayEquals(fake.read(0, FLASH, 16), d.upload(0, FLASH, 16, ProgressListener.NONE));
        }
        replay.assertFinished();
    }

    @Test
    void headerStringsAndErrorsSurviveQuotingAndUnicode() throws Exception {
        DfuTransport odd = new StubTransport("Fab \"Q\" \\ Ω\ttab", List.of(new AltSetting(0, "@Int\nFlash /0x08000000/1*1Kg")));
        StringWriter out = new StringWriter();
        RecordingTransport rec = RecordingTransport.wrap(odd, out);
        assertThrows(TransportException.class, () -> rec.stringDescriptor(7));
        assertEquals("text with \"quotes\"", rec.stringDescriptor(8));
        rec.close();
        ReplayTransport replay = ReplayTransport.parse(out.toString(), "q");
        assertEquals("Fab \"Q\" \\ Ω\ttab", replay.device().manufacturer());
        assertEquals("@Int\nFlash /0x08000000/1*1Kg", replay.altSettings().get(0).name());
        TransportException e = assertThrows(TransportException.class, () -> replay.stringDescriptor(7));
        assertEquals(TransportException.Kind.STALL, e.kind());
        assertEquals("no string 7 \"here\"", e.getMessage());
        assertEquals("text with \"quotes\"", replay.stringDescriptor(8));
        replay.assertFinished();
    }

    @Test
    void malformedRecordingsNameTheLine() {
        RecordingFormatException e = assertThrows(RecordingFormatException.class, () -> ReplayTransport.parse("hello\n", "x.txt"));
        assertEquals(1, e.line());
        String good = "# dfu4j session v1\nsession 1\ndevice vid=0483 pid=df11 bcd=2200 dfu=true interface=0 path=\"p\""
                + " manufacturer=\"m\" product=\"p\" serial=\"s\"\nfunctional 09210b\n";
        assertEquals(5, assertThrows(RecordingFormatException.class,
                () -> ReplayTransport.parse(good + "12 +5 out DNLOAD 0 zz timeout=1 -> ok\n" + "x\n", "r")).line());
        assertEquals(5, assertThrows(RecordingFormatException.class,
                () -> ReplayTransport.parse(good + "12 +5 fly away -> ok\n", "r")).line());
        assertEquals(5, assertThrows(RecordingFormatException.class,
                () -> ReplayTransport.parse(good + "12 +5 string 1 -> \"open\n", "r")).line());
        assertEquals(3, assertThrows(RecordingFormatException.class,
                () -> ReplayTransport.parse("# dfu4j session v1\nsession 1\ndevice vid=zz\n1 close\n", "r")).line());
    }

    /** A transport with odd strings and one failing string descriptor. */
    private record StubTransport(String manufacturer, List<AltSetting> alts) implements DfuTransport {
        @Override
        public DeviceInfo device() {
            return new DeviceInfo(1, 2, 3, manufacturer, "", "", "x", true);
        }

        @Override
        public int interfaceNumber() {
            return 0;
        }

        @Override
        public List<AltSetting> altSettings() {
            return alts;
        }

        @Override
        public byte[] functionalDescriptor() {
            return new byte[0];
        }

        @Override
        public void selectAltSetting(int altSetting) {
        }

        @Override
        public byte[] controlIn(int request, int value, int length, Duration timeout) {
            return new byte[0];
        }

        @Override
        public void controlOut(int request, int value, byte[] data, Duration timeout) {
        }

        @Override
        public String stringDescriptor(int index) throws TransportException {
            if (index == 7) {
                throw new TransportException(TransportException.Kind.STALL, "no string 7 \"here\"");
            }
            return "text with \"quotes\"";
        }

        @Override
        public void reset() {
        }

        @Override
        public TimeSource time() {
            return TimeSource.system();
        }

        @Override
        public void close() {
        }
    }
}
