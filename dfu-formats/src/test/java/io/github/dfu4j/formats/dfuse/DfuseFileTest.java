package io.github.dfu4j.formats.dfuse;

import io.github.dfu4j.formats.DfuSuffix;
import io.github.dfu4j.formats.DfuseTarget;
import io.github.dfu4j.formats.FirmwareFormatException;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.LittleEndianWriter;
import io.github.dfu4j.formats.Segment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.github.dfu4j.formats.LittleEndianWriter.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DfuseFileTest {
    private static final byte[] FLASH = bytes(0x00, 0x20, 0x00, 0x20, 0x95, 0x01, 0x00, 0x08);
    private static final byte[] QSPI = bytes(0xDE, 0xAD, 0xBE, 0xEF, 0x01);

    /** The pyboard-D layout: one target, two elements, as dfuse-pack writes it. */
    static LittleEndianWriter pybdBody(long imageSize) {
        LittleEndianWriter w = new LittleEndianWriter();
        w.ascii("DfuSe").u8(1).u32(imageSize).u8(1);
        w.ascii("Target").u8(0).u32(1).fixed("ST...", 255).u32(8 + FLASH.length + 8 + QSPI.length).u32(2);
        w.u32(0x08008000L).u32(FLASH.length).bytes(FLASH);
        w.u32(0x90000000L).u32(QSPI.length).bytes(QSPI);
        return w;
    }

    static final int PYBD_LENGTH = 11 + 274 + 8 + 8 + 8 + 5 + 16;

    static byte[] pybd(long imageSize) {
        return pybdBody(imageSize).suffix(0, 0xDF11, 0x0483, 0x011A).toByteArray();
    }

    @Test
    void eachElementBecomesASegmentBoundToItsTarget() throws Exception {
        FirmwareImage image = DfuseFile.readImage("pybd.dfu", pybd(PYBD_LENGTH));
        DfuseTarget st = new DfuseTarget(0, "ST...");
        assertEquals(List.of(Segment.of(0x08008000L, FLASH, st), Segment.of(0x90000000L, QSPI, st)), image.segments());
        assertEquals(new DfuSuffix(0, 0xDF11, 0x0483, 0x011A), image.suffix().orElseThrow());
        assertTrue(image.entryPoint().isEmpty());
    }

    @Test
    void imageSizeIsAcceptedWithAndWithoutTheSuffix() throws Exception {
        DfuseFile with = DfuseFile.read("a.dfu", pybd(PYBD_LENGTH));
        DfuseFile without = DfuseFile.read("b.dfu", pybd(PYBD_LENGTH - 16));
        assertTrue(with.imageSizeIncludesSuffix());
        assertFalse(without.imageSizeIncludesSuffix());
        assertEquals(with.toImage(), without.toImage());
    }

    @Test
    void imageSizeMatchingNeitherIsRejected() {
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class,
                () -> DfuseFile.read("c.dfu", pybd(PYBD_LENGTH + 1)));
        assertEquals("c.dfu@0x00000006: DFUImageSize 331 matches neither the file length 330 nor 314 without the suffix",
                e.getMessage());
    }

    @Test
    void writerMatchesWhatDfusePackProduces() {
        DfuseTarget st = new DfuseTarget(0, "ST...");
        FirmwareImage image = FirmwareImage.of(Segment.of(0x08008000L, FLASH, st), Segment.of(0x90000000L, QSPI, st))
                .withSuffix(new DfuSuffix(0, 0xDF11, 0x0483, 0x011A));
        assertArrayEquals(pybd(PYBD_LENGTH), DfuseFile.write(image, DfuseWriteOptions.defaults()));
        assertArrayEquals(pybd(PYBD_LENGTH - 16),
                DfuseFile.write(image, DfuseWriteOptions.defaults().withImageSizeIncludingSuffix(false)));
    }

    @Test
    void untargetedSegmentsGoToAltZeroWithTheDefaultNameAndDefaultSuffix() throws Exception {
        FirmwareImage plain = FirmwareImage.of(Segment.of(0x08000000L, FLASH));
        DfuseFile file = DfuseFile.read("x.dfu", DfuseFile.write(plain, DfuseWriteOptions.defaults()));
        assertEquals(1, file.targets().size());
        assertEquals(new DfuseTarget(0, "ST..."), file.toImage().segments().get(0).target().orElseThrow());
        assertEquals(DfuSuffix.dfuse(0x0483, 0xDF11), file.suffix());
    }

    @Test
    void severalTargetsKeepTheirAltSettingsAndNames() throws Exception {
        DfuseTarget flash = new DfuseTarget(0, "Internal Flash");
        DfuseTarget option = new DfuseTarget(1, "Option Bytes");
        DfuseTarget unnamed = new DfuseTarget(3, "");
        FirmwareImage image = FirmwareImage.of(
                Segment.of(0x08000000L, FLASH, flash), Segment.of(0x08010000L, QSPI, flash),
                Segment.of(0x1FFFC000L, bytes(0xAA, 0x55), option), Segment.of(0x20000000L, bytes(1), unnamed))
                .withSuffix(DfuSuffix.dfuse(0x0483, 0xDF11));
        byte[] written = DfuseFile.write(image, DfuseWriteOptions.defaults());
        DfuseFile file = DfuseFile.read("multi.dfu", written);
        assertEquals(3, file.targets().size());
        assertEquals(2, file.targets().get(0).elements().size());
        assertFalse(file.targets().get(2).named());
        assertEquals(image, file.toImage());
        assertArrayEquals(written, DfuseFile.write(file.toImage(), DfuseWriteOptions.defaults()));
    }

    @Test
    void elementPaddingFollowsTheOptions() throws Exception {
        FirmwareImage image = FirmwareImage.of(Segment.of(0x08000000L, QSPI));
        byte[] written = DfuseFile.write(image, DfuseWriteOptions.defaults().withElementPadding(8, 0xFF));
        Segment padded = DfuseFile.readImage("p.dfu", written).segments().get(0);
        assertArrayEquals(bytes(0xDE, 0xAD, 0xBE, 0xEF, 0x01, 0xFF, 0xFF, 0xFF), padded.bytes());
    }

    @Test
    void zeroSizeElementsStayInTheStructureButNotInTheImage() throws Exception {
        LittleEndianWriter w = new LittleEndianWriter();
        w.ascii("DfuSe").u8(1).u32(11 + 274 + 8 + 8 + 1 + 16).u8(1);
        w.ascii("Target").u8(0).u32(0).zeros(255).u32(8 + 8 + 1).u32(2);
        w.u32(0x08000000L).u32(0);
        w.u32(0x08000000L).u32(1).u8(0x42);
        DfuseFile file = DfuseFile.read("z.dfu", w.suffix(0xFFFF, 0xDF11, 0x0483, 0x011A).toByteArray());
        assertEquals(2, file.targets().get(0).elements().size());
        assertEquals(List.of(Segment.of(0x08000000L, bytes(0x42), new DfuseTarget(0, ""))), file.toImage().segments());
    }

    @Test
    void hugeElementSizeFailsBeforeAnyAllocation() {
        LittleEndianWriter w = new LittleEndianWriter();
        w.ascii("DfuSe").u8(1).u32(11 + 274 + 8 + 16).u8(1);
        w.ascii("Target").u8(0).u32(1).fixed("ST...", 255).u32(8).u32(1);
        w.u32(0x08000000L).u32(0xFFFFFFFFL);
        byte[] file = w.suffix(0, 0xDF11, 0x0483, 0x011A).toByteArray();
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class, () -> DfuseFile.read("big.dfu", file));
        assertEquals("big.dfu@0x00000121: target 0 element 0: dwElementSize 4294967295 exceeds the 0 bytes left in the target",
                e.getMessage());
    }

    @Test
    void hugeTargetSizeIsCheckedAgainstTheFile() {
        LittleEndianWriter w = new LittleEndianWriter();
        w.ascii("DfuSe").u8(1).u32(11 + 274 + 16).u8(1);
        w.ascii("Target").u8(0).u32(1).fixed("ST...", 255).u32(0xFFFFFFF0L).u32(0x7FFFFFFF);
        byte[] file = w.suffix(0, 0xDF11, 0x0483, 0x011A).toByteArray();
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class, () -> DfuseFile.read("t.dfu", file));
        assertEquals("t.dfu@0x00000115: target 0: dwTargetSize 4294967280 exceeds the 0 bytes left before the suffix",
                e.getMessage());
    }

    @Test
    void targetSizeMustEqualItsElements() {
        LittleEndianWriter w = new LittleEndianWriter();
        w.ascii("DfuSe").u8(1).u32(11 + 274 + 8 + 2 + 16).u8(1);
        w.ascii("Target").u8(0).u32(1).fixed("ST...", 255).u32(10).u32(1);
        w.u32(0x08000000L).u32(1).u8(7).u8(0);
        byte[] file = w.suffix(0, 0xDF11, 0x0483, 0x011A).toByteArray();
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class, () -> DfuseFile.read("s.dfu", file));
        assertEquals("s.dfu@0x00000115: target 0: dwTargetSize 10, but its 1 elements take 9 bytes", e.getMessage());
    }

    @Test
    void bytesAfterTheLastTargetAreRejected() {
        LittleEndianWriter w = new LittleEndianWriter();
        w.ascii("DfuSe").u8(1).u32(11 + 274 + 3 + 16).u8(1);
        w.ascii("Target").u8(0).u32(1).fixed("ST...", 255).u32(0).u32(0);
        w.u8(1).u8(2).u8(3);
        byte[] file = w.suffix(0, 0xDF11, 0x0483, 0x011A).toByteArray();
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class, () -> DfuseFile.read("j.dfu", file));
        assertEquals("j.dfu@0x0000011d: 3 unexpected bytes after the last of 1 targets", e.getMessage());
    }

    @Test
    void badCrcIsReportedAtTheCrcField() {
        byte[] file = pybd(PYBD_LENGTH);
        file[300] ^= 0x40;
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class, () -> DfuseFile.read("crc.dfu", file));
        assertTrue(e.getMessage().startsWith("crc.dfu@0x00000146: DFU suffix CRC mismatch: dwCRC says 0x"), e.getMessage());
    }

    @Test
    void plainDfuSuffixVersionIsRejected() {
        byte[] file = pybdBody(PYBD_LENGTH).suffix(0, 0xDF11, 0x0483, 0x0100).toByteArray();
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class, () -> DfuseFile.read("v.dfu", file));
        assertEquals("v.dfu@0x00000140: DfuSe file has suffix bcdDFU 0x0100, expected 0x011a", e.getMessage());
    }

    @Test
    void signatureVersionAndTargetSignatureAreChecked() {
        byte[] good = pybd(PYBD_LENGTH);
        byte[] noSig = good.clone();
        noSig[0] = 'd';
        assertEquals("f@0x00000000: no \"DfuSe\" signature",
                assertThrows(FirmwareFormatException.class, () -> DfuseFile.read("f", noSig)).getMessage());
        byte[] v2 = pybdBody(PYBD_LENGTH).toByteArray();
        v2[5] = 2;
        byte[] v2file = new LittleEndianWriter().bytes(v2).suffix(0, 0xDF11, 0x0483, 0x011A).toByteArray();
        assertEquals("f@0x00000005: DfuSe bVersion 2 is not supported (only 1, DfuSe 1.1a)",
                assertThrows(FirmwareFormatException.class, () -> DfuseFile.read("f", v2file)).getMessage());
        byte[] t = pybdBody(PYBD_LENGTH).toByteArray();
        t[11] = 't';
        byte[] tfile = new LittleEndianWriter().bytes(t).suffix(0, 0xDF11, 0x0483, 0x011A).toByteArray();
        assertEquals("f@0x0000000b: target 0: no \"Target\" signature",
                assertThrows(FirmwareFormatException.class, () -> DfuseFile.read("f", tfile)).getMessage());
    }

    @Test
    void missingTargetIsReported() {
        LittleEndianWriter w = new LittleEndianWriter();
        w.ascii("DfuSe").u8(1).u32(11 + 16).u8(2);
        byte[] file = w.suffix(0, 0xDF11, 0x0483, 0x011A).toByteArray();
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class, () -> DfuseFile.read("m.dfu", file));
        assertEquals("m.dfu@0x0000000b: target 0 of 2: prefix needs 274 bytes, only 0 left before the suffix", e.getMessage());
    }

    @Test
    void overlappingElementsAreRejected() {
        LittleEndianWriter w = new LittleEndianWriter();
        w.ascii("DfuSe").u8(1).u32(11 + 274 + 8 + 4 + 8 + 4 + 16).u8(1);
        w.ascii("Target").u8(0).u32(1).fixed("ST...", 255).u32(24).u32(2);
        w.u32(0x08000000L).u32(4).u32(0);
        w.u32(0x08000002L).u32(4).u32(0);
        byte[] file = w.suffix(0, 0xDF11, 0x0483, 0x011A).toByteArray();
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class, () -> DfuseFile.read("o.dfu", file));
        assertEquals("o.dfu@0x00000129: target 0 element 1 (0x08000002..0x08000006) overlaps target 0 element 0"
                + " (0x08000000..0x08000004)", e.getMessage());
    }

    @Test
    void tooShortFileIsReported() {
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class,
                () -> DfuseFile.read("s.dfu", "DfuSe".getBytes()));
        assertEquals("s.dfu@0x00000000: file of 5 bytes is too short for a DfuSe file (prefix and suffix need 27)",
                e.getMessage());
    }
}
