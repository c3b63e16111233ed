package io.github.dfu4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.dfu.DfuRequest;
import io.github.dfu4j.dfu.internal.DfuseCommand;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.formats.DfuSuffix;
import io.github.dfu4j.formats.DfuseTarget;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.testing.FakeDfuseDevice;
import io.github.dfu4j.testing.Images;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The write gate: every write is reviewed before any request is sent, and nothing unreviewed reaches the device. */
class WriteGateTest {
    private static final long FLASH = 0x08000000L;
    private static final long OPTION_BYTES = 0x1FFFC000L;
    private static final long OTP = 0x1FFF7800L;

    private static FirmwareImage at(long address, int alt, int length) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) 0x5A);
        return FirmwareImage.of(Segment.of(address, b, new DfuseTarget(alt, "x")));
    }

    private static long dnloads(FakeDfuseDevice fake) {
        return fake.count(DfuRequest.DNLOAD);
    }

    @Test
    void optionBytesOfAnUndecodableChipNeedTheUnverifiedLayoutConfirmationAndNothingIsSent() throws Exception {
        FakeDfuseDevice fake = FakeDfuseDevice.stm32f4();
        try (DfuDevice d = DfuDevice.open(fake)) {
            long before = dnloads(fake);
            WriteRefusedException e = assertThrows(WriteRefusedException.class,
                    () -> d.download(at(OPTION_BYTES, 1, 16), FlashOptions.defaults(), ProgressListener.NONE));
            assertEquals(Set.of(Confirmation.UNVERIFIED_LAYOUT), e.missing());
            assertEquals(WriteFinding.Kind.OPTION_BYTES_UNDECODED, e.blocking().get(0).kind());
            assertEquals(before, dnloads(fake), "nothing written before the refusal");
        }
        assertEquals((byte) 0xFF, fake.read(1, OPTION_BYTES, 1)[0]);
    }

    @Test
    void aRawWriteToAlt0AtTheOptionByteAddressIsStillAnOptionByteWrite() throws Exception {
        FakeDfuseDevice fake = FakeDfuseDevice.stm32f4();
        try (DfuDevice d = DfuDevice.open(fake)) {
            WriteRefusedException e = assertThrows(WriteRefusedException.class, () -> d.download(at(OPTION_BYTES, 0, 16),
                    FlashOptions.builder().alt(0).confirm(Confirmation.OUTSIDE_LAYOUT).build(), ProgressListener.NONE));
            assertTrue(e.missing().contains(Confirmation.UNVERIFIED_LAYOUT), e.getMessage());
        }
    }

    @Test
    void otpWritesNeedTheirOwnConfirmationAndSayTheyArePermanent() throws Exception {
        FakeDfuseDevice fake = FakeDfuseDevice.stm32f4();
        try (DfuDevice d = DfuDevice.open(fake)) {
            WriteRefusedException e = assertThrows(WriteRefusedException.class,
                    () -> d.download(at(OTP, 2, 32), FlashOptions.defaults(), ProgressListener.NONE));
            assertEquals(Set.of(Confirmation.OTP_WRITE), e.missing());
            assertTrue(e.getMessage().contains("permanent"), e.getMessage());
            assertFalse(e.impossible());
            FlashResult r = d.download(at(OTP, 2, 32), FlashOptions.builder().confirm(Confirmation.OTP_WRITE).build(),
                    ProgressListener.NONE);
            assertTrue(r.verified());
        }
        assertEquals((byte) 0x5A, fake.read(2, OTP, 1)[0]);
    }

    @Test
    void aFileForAnotherDeviceIsRefusedNamingBothIdsUnlessConfirmed() throws Exception {
        FakeDfuseDevice fake = FakeDfuseDevice.stm32f4();
        FirmwareImage image = Images.image(FLASH, 1024, 3).withSuffix(DfuSuffix.dfuse(0x1209, 0x7777));
        try (DfuDevice d = DfuDevice.open(fake)) {
            WriteRefusedException e = assertThrows(WriteRefusedException.class,
                    () -> d.download(image, FlashOptions.defaults(), ProgressListener.NONE));
            assertEquals(Set.of(Confirmation.OTHER_DEVICE), e.missing());
            assertTrue(e.getMessage().contains("1209:7777") && e.getMessage().contains("0483:df11"), e.getMessage());
            assertTrue(d.download(image, FlashOptions.builder().confirm(Confirmation.OTHER_DEVICE).build(),
                    ProgressListener.NONE).verified());
            // 0xFFFF in the suffix means any device
            FirmwareImage any = Images.image(FLASH, 1024, 4).withSuffix(DfuSuffix.dfuse(0xFFFF, 0xFFFF));
            assertTrue(d.download(any, FlashOptions.defaults(), ProgressListener.NONE).verified());
        }
    }

    @Test
    void readUnprotectNeedsTheMassEraseConfirmation() throws Exception {
        FakeDfuseDevice fake = FakeDfuseDevice.stm32f4().preload(0, FLASH, new byte[] {1, 2, 3});
        try (DfuDevice d = DfuDevice.open(fake)) {
            WriteRefusedException e = assertThrows(WriteRefusedException.class, d::readUnprotect);
            assertEquals(Set.of(Confirmation.MASS_ERASE), e.missing());
            assertArrayEquals(new byte[] {1, 2, 3}, d.upload(0, FLASH, 3, ProgressListener.NONE));
        }
        assertFalse(fake.commands().contains(DfuseCommand.readUnprotect()));
    }

    @Test
    void writingOutsideTheLayoutOrIntoReadOnlySectorsNeedsItsConfirmation() throws Exception {
        io.github.dfu4j.layout.MemoryLayout flash = io.github.dfu4j.layout.MemoryLayout.parse(
                "@Internal Flash  /0x08000000/02*016Ka,02*016Kg", "alt 0");
        java.util.List<io.github.dfu4j.transport.AltSetting> alts = java.util.List.of(
                new io.github.dfu4j.transport.AltSetting(0, "@Internal Flash  /0x08000000/02*016Ka,02*016Kg"));
        io.github.dfu4j.transport.DeviceInfo dev = FakeDfuseDevice.stm32f4().device();
        for (long address : new long[] {0x20000000L, FLASH}) {
            WriteRequest request = new WriteRequest(java.util.List.of(WriteRequest.Chunk.of(0, address, new byte[16])),
                    java.util.List.of(), java.util.List.of(), false, alts, java.util.Map.of(0, flash));
            WriteRefusedException e = assertThrows(WriteRefusedException.class, () -> WriteGate.review(request, Set.of(),
                    DeviceProfile.generic(), java.util.Optional.empty(), dev, false, 1024, (a, b, c) -> new byte[0]));
            assertEquals(Set.of(Confirmation.OUTSIDE_LAYOUT), e.missing());
            assertEquals(address == FLASH ? WriteFinding.Kind.NOT_WRITABLE : WriteFinding.Kind.OUTSIDE_LAYOUT,
                    e.blocking().get(0).kind());
            WriteGate.Permit p = WriteGate.review(request, EnumSet.of(Confirmation.OUTSIDE_LAYOUT), DeviceProfile.generic(),
                    java.util.Optional.empty(), dev, false, 1024, (a, b, c) -> new byte[0]);
            assertTrue(p.writes(0, address, address + 16));
            assertFalse(p.writes(0, address, address + 17));
        }
    }

    @Test
    void theDriverCannotWriteAroundTheGate() throws Exception {
        FakeDfuseDevice fake = FakeDfuseDevice.stm32f4();
        try (DfuDevice d = DfuDevice.open(fake)) {
            long before = dnloads(fake);
            d.driver().command(DfuseCommand.setAddress(FLASH), Phase.WRITE); // moving the pointer writes nothing
            assertThrows(IllegalStateException.class, () -> d.driver().downloadBlock(2, new byte[] {0, 0, 0, 0}, Phase.WRITE, FLASH));
            assertThrows(IllegalStateException.class, () -> d.driver().command(DfuseCommand.erasePage(FLASH), Phase.ERASE));
            assertThrows(IllegalStateException.class, () -> d.driver().command(DfuseCommand.massErase(), Phase.ERASE));
            assertThrows(IllegalStateException.class, () -> d.driver().command(DfuseCommand.readUnprotect(), Phase.ERASE));
            assertEquals(before + 1, dnloads(fake), "only the SET_ADDRESS reached the device");
        }
        assertEquals((byte) 0xFF, fake.read(0, FLASH, 1)[0]);
    }

    @Test
    void findingsCarryTypedCodesAndWhatLiftsThem() {
        WriteFinding f = WriteFinding.needs(WriteFinding.Kind.OTP, Confirmation.OTP_WRITE, "m", 2, OTP);
        assertTrue(f.blocks(Set.of()));
        assertFalse(f.blocks(EnumSet.of(Confirmation.OTP_WRITE)));
        assertTrue(WriteFinding.impossible(WriteFinding.Kind.SYSTEM_MEMORY, "m", -1, -1).blocks(EnumSet.allOf(Confirmation.class)));
        assertFalse(WriteFinding.info(WriteFinding.Kind.DEVICE_RESETS, "m", -1, -1).blocks(Set.of()));
    }

    @Test
    void aResetEndsAnOptionByteWriteButAStallIsARefusal() {
        var stall = io.github.dfu4j.dfu.DfuException.transfer("x",
                new io.github.dfu4j.transport.TransportException(io.github.dfu4j.transport.TransportException.Kind.STALL, "stall"));
        assertFalse(ResettingWrite.looksLikeReset(stall));
        var gone = io.github.dfu4j.dfu.DfuException.transfer("x",
                new io.github.dfu4j.transport.TransportException(io.github.dfu4j.transport.TransportException.Kind.NO_DEVICE, "gone"));
        assertTrue(ResettingWrite.looksLikeReset(gone));
    }
}
