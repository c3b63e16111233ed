package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.testing.FakePlainDfuDevice;
import io.github.dfu4j.testing.Images;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlainDfuTest {

    @Test
    void manifestationTolerantDeviceIsFlashedAndVerified() throws Exception {
        FakePlainDfuDevice fake = new FakePlainDfuDevice(true, 64);
        byte[] fw = Images.firmware(0, 1000, 1);
        try (DfuDevice d = DfuDevice.open(fake)) {
            assertFalse(d.isDfuse());
            FlashResult r = d.download(FirmwareImage.of(Segment.of(0, fw)), FlashOptions.defaults(), ProgressListener.NONE);
            assertTrue(r.verified());
            assertEquals(1000, r.verification().verifiedBytes());
            assertEquals(16, r.writes().blocksWritten());
            assertTrue(r.leave().isEmpty(), "stays in DFU mode when no leave was asked");
            assertArrayEquals(Arrays.copyOf(fw, 100), d.upload(0, 0, 100, ProgressListener.NONE));
            assertArrayEquals(fw, d.upload(0, 0, 5000, ProgressListener.NONE), "a short frame ends the upload");
        }
        assertArrayEquals(fw, fake.firmware());
        assertEquals(List.of(), fake.violations());
    }

    @Test
    void intolerantDeviceIsResetAfterManifestationAndCannotBeVerified() throws Exception {
        FakePlainDfuDevice fake = new FakePlainDfuDevice(false, 256);
        byte[] fw = Images.firmware(0x08000000L, 3000, 2);
        try (DfuDevice d = DfuDevice.open(fake)) {
            FlashResult r = d.download(FirmwareImage.of(Segment.of(0x08000000L, fw)), FlashOptions.defaults(), ProgressListener.NONE);
            assertFalse(r.verified());
            assertEquals(3000, r.verification().unverifiedBytes());
            assertEquals(LeaveResult.Outcome.LEFT, r.leave().orElseThrow().outcome());
            assertTrue(r.warnings().stream().anyMatch(w -> w.contains("address 0x08000000 is ignored")), r.warnings().toString());
            assertTrue(r.warnings().stream().anyMatch(w -> w.contains("not verified")), r.warnings().toString());
        }
        assertTrue(fake.resetSeen());
        assertArrayEquals(fw, fake.firmware());
        assertEquals(List.of(), fake.violations());
    }

    @Test
    void imagesWithGapsAreRefused() throws Exception {
        try (DfuDevice d = DfuDevice.open(new FakePlainDfuDevice(true, 64))) {
            DfuException e = assertThrows(DfuException.class, () -> d.download(
                    FirmwareImage.of(Segment.of(0, new byte[10]), Segment.of(20, new byte[10])), FlashOptions.defaults(),
                    ProgressListener.NONE));
            assertEquals(DfuException.Kind.PLAN, e.kind());
            assertEquals(10, e.address().getAsLong());
        }
    }

    @Test
    void dfuseOnlyOperationsAreRefusedWithAClearMessage() throws Exception {
        try (DfuDevice d = DfuDevice.open(new FakePlainDfuDevice(true, 64))) {
            io.github.dfu4j.dfu.DfuException e = assertThrows(io.github.dfu4j.dfu.DfuException.class,
                    () -> d.massErase(0, ProgressListener.NONE));
            assertEquals(io.github.dfu4j.dfu.DfuException.Kind.PROTOCOL, e.kind());
            assertTrue(e.getMessage().contains("needs a DfuSe device"));
        }
    }
}
