package io.github.dfu4j.formats;

import io.github.dfu4j.formats.bin.RawBinary;
import io.github.dfu4j.formats.dfuse.DfuseFile;
import io.github.dfu4j.formats.dfuse.DfuseWriteOptions;
import io.github.dfu4j.formats.suffix.DfuSuffixes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import static io.github.dfu4j.formats.LittleEndianWriter.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FirmwareFilesTest {
    private static final FirmwareImage IMAGE = FirmwareImage.of(Segment.of(0x08000000L, bytes(1, 2, 3, 4)),
            Segment.of(0x08000010L, bytes(5, 6))).withEntryPoint(0x08000001L);
    private static final DfuSuffix PLAIN = new DfuSuffix(0xFFFF, 0xDF11, 0x0483, DfuSuffix.BCD_DFU_PLAIN);

    @ParameterizedTest
    @EnumSource(value = FirmwareFormat.class, names = {"DFUSE", "INTEL_HEX", "SREC", "ELF"})
    void detectsEverySignedFormatByContentWhateverTheName(FirmwareFormat format) throws Exception {
        byte[] file = FirmwareFiles.write(IMAGE, format, WriteOptions.defaults());
        assertEquals(format, FirmwareFiles.detect("firmware.txt", file));
        assertEquals(format, FirmwareFiles.detect("firmware.bin", file), "content wins over a .bin name");
    }

    @Test
    void rawBinaryOnlyByNameOrWhenAsked() throws Exception {
        byte[] vectors = bytes(0x00, 0x50, 0x00, 0x20, 0x95, 0x01, 0x00, 0x08);
        assertEquals(FirmwareFormat.BINARY, FirmwareFiles.detect("app.BIN", vectors));
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class, () -> FirmwareFiles.detect("app.img", vectors));
        assertEquals("app.img: unknown format (starts with 00 50 00 20 95 01 00 08): not DfuSe, ELF, Intel HEX or"
                + " S-record; for a raw binary name it .bin or choose the binary format and a base address", e.getMessage());
        FirmwareImage asked = FirmwareFiles.read("app.img", vectors,
                ReadOptions.builder().format(FirmwareFormat.BINARY).baseAddress(0x08008000L).build());
        assertEquals(List.of(Segment.of(0x08008000L, vectors)), asked.segments());
    }

    @Test
    void misnamedGarbageSaysWhatTheNameClaimed() {
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class,
                () -> FirmwareFiles.read("fw.hex", bytes(0x7F, 0x45, 0x4C), ReadOptions.defaults()));
        assertTrue(e.getMessage().startsWith("fw.hex: unknown format although the name says Intel HEX (starts with 7f 45 4c)"),
                e.getMessage());
    }

    @Test
    void binaryStartingLikeHexIsStillABinaryWhenNamedBin() throws Exception {
        byte[] content = ":1000 looks like hex but is not".getBytes(StandardCharsets.US_ASCII);
        assertEquals(FirmwareFormat.BINARY, FirmwareFiles.detect("fw.bin", content));
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class,
                () -> FirmwareFiles.read("fw.hex", content, ReadOptions.defaults()));
        assertEquals("fw.hex:1: ' ' in column 6 is not a hex digit", e.getMessage(), "a damaged hex file gets its line error");
        String hexWithBrokenFirstLine = ":02000004080\n:00000001FF\n";
        assertEquals(FirmwareFormat.INTEL_HEX, FirmwareFiles.detect("fw", hexWithBrokenFirstLine.getBytes(StandardCharsets.US_ASCII)));
        byte[] brokenSrec = "S10610000102Z3E3\nS9030000FC\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(FirmwareFormat.SREC, FirmwareFiles.detect("x", brokenSrec));
        assertEquals("x:1: 'Z' in column 13 is not a hex digit",
                assertThrows(FirmwareFormatException.class, () -> FirmwareFiles.read("x", brokenSrec, ReadOptions.defaults())).getMessage());
    }

    @Test
    void binaryDefaultsToStm32FlashBase() throws Exception {
        FirmwareFileInfo info = FirmwareFiles.inspect("app.bin", bytes(1, 2), ReadOptions.defaults());
        assertEquals(0x08000000L, info.binaryBase().getAsLong());
        assertEquals(List.of(Segment.of(0x08000000L, bytes(1, 2))), info.image().segments());
    }

    @Test
    void plainDfuFileIsABinaryWithSuffix() throws Exception {
        byte[] dfu = DfuSuffixes.add(bytes(1, 2, 3), PLAIN);
        FirmwareFileInfo info = FirmwareFiles.inspect("app.dfu", dfu, ReadOptions.builder().baseAddress(0x08004000L).build());
        assertEquals(FirmwareFormat.BINARY, info.format());
        assertEquals(List.of(Segment.of(0x08004000L, bytes(1, 2, 3))), info.image().segments());
        assertEquals(PLAIN, info.suffix().orElseThrow().fields());
        assertEquals(PLAIN, info.image().suffix().orElseThrow());
    }

    @Test
    void suffixOnATextFileIsStrippedAndReported() throws Exception {
        byte[] hex = FirmwareFiles.write(IMAGE, FirmwareFormat.INTEL_HEX, WriteOptions.builder().dfuSuffix(PLAIN).build());
        assertTrue(DfuSuffixes.check(hex).valid());
        FirmwareImage read = FirmwareFiles.read("fw.hex", hex, ReadOptions.defaults());
        assertEquals(IMAGE.withSuffix(PLAIN), read);
    }

    @Test
    void damagedSuffixOnABinaryIsAnError() throws Exception {
        byte[] dfu = DfuSuffixes.add(bytes(1, 2, 3), PLAIN);
        dfu[0] = 9;
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class,
                () -> FirmwareFiles.read("app.bin", dfu, ReadOptions.defaults()));
        assertTrue(e.getMessage().startsWith("app.bin@0x0000000f: DFU suffix CRC"), e.getMessage());
    }

    @Test
    void inspectShowsDfuseTargetsAndElements() throws Exception {
        DfuseTarget st = new DfuseTarget(0, "ST...");
        FirmwareImage image = FirmwareImage.of(Segment.of(0x08008000L, bytes(1, 2, 3), st),
                Segment.of(0x90000000L, bytes(4), st));
        byte[] dfu = DfuseFile.write(image, DfuseWriteOptions.defaults());
        FirmwareFileInfo info = FirmwareFiles.inspect("pybd.dfu", dfu, ReadOptions.defaults());
        assertEquals(FirmwareFormat.DFUSE, info.format());
        FirmwareFileInfo.DfuseInfo dfuse = info.dfuse().orElseThrow();
        assertEquals(dfu.length, dfuse.imageSize());
        assertEquals(1, dfuse.targets().size());
        assertEquals(List.of(new FirmwareFileInfo.ElementInfo(0x08008000L, 3, 0x08008003L),
                new FirmwareFileInfo.ElementInfo(0x90000000L, 1, 0x90000001L)), dfuse.targets().get(0).elements());
        assertEquals("ST...", dfuse.targets().get(0).name());
        assertEquals(DfuSuffix.dfuse(0x0483, 0xDF11), info.suffix().orElseThrow().fields());
        assertEquals(List.of(new FirmwareFileInfo.SegmentInfo(0x08008000L, 3, 0x08008003L, java.util.Optional.of(st)),
                new FirmwareFileInfo.SegmentInfo(0x90000000L, 1, 0x90000001L, java.util.Optional.of(st))), info.segments());
        assertEquals(dfu.length, info.fileSize());
    }

    @Test
    void flatBinaryFillsGapsWithTheFillByte() {
        byte[] flat = FirmwareFiles.write(IMAGE, FirmwareFormat.BINARY, WriteOptions.builder().fillByte(0xAA).build());
        assertArrayEquals(bytes(1, 2, 3, 4, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 5, 6), flat);
    }

    @Test
    void farApartSegmentsNeedPerSegmentBinaries(@TempDir Path dir) throws Exception {
        FirmwareImage pybd = FirmwareImage.of(Segment.of(0x08008000L, bytes(1, 2)), Segment.of(0x90000000L, bytes(3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FirmwareFiles.write(pybd, FirmwareFormat.BINARY, WriteOptions.defaults()));
        assertTrue(e.getMessage().contains("write one file per segment"), e.getMessage());
        List<Path> parts = FirmwareFiles.writeBinaryParts(dir, "pybd", pybd, WriteOptions.defaults());
        assertEquals(List.of(dir.resolve("pybd-0x08008000.bin"), dir.resolve("pybd-0x90000000.bin")), parts);
        assertArrayEquals(bytes(3), Files.readAllBytes(parts.get(1)));
        assertEquals(List.of(Segment.of(0x90000000L, bytes(3))),
                FirmwareFiles.read(parts.get(1), ReadOptions.builder().baseAddress(0x90000000L).build()).segments());
        assertEquals("pybd-0x08008000.bin", RawBinary.partFileName("pybd", pybd.segments().get(0)));
    }

    @Test
    void readsFilesFromDiskAndNamesThemInErrors(@TempDir Path dir) throws Exception {
        Path hex = dir.resolve("fw.hex");
        FirmwareFiles.write(hex, IMAGE, FirmwareFormat.INTEL_HEX, WriteOptions.defaults());
        assertEquals(IMAGE, FirmwareFiles.read(hex));
        assertEquals(FirmwareFormat.INTEL_HEX, FirmwareFiles.detect(hex));
        Files.write(hex, ":0100000000FF\n".getBytes(StandardCharsets.US_ASCII));
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class, () -> FirmwareFiles.read(hex));
        assertEquals(hex + ":2: missing end-of-file record (:00000001FF)", e.getMessage());
        assertThrows(NoSuchFileException.class, () -> FirmwareFiles.read(dir.resolve("missing.hex")));
        Path empty = Files.write(dir.resolve("empty.hex"), new byte[0]);
        assertEquals(empty + ": file is empty", assertThrows(FirmwareFormatException.class, () -> FirmwareFiles.read(empty)).getMessage());
    }

    @Test
    void forcedFormatIsUsedEvenWhenTheContentSaysOtherwise() {
        byte[] hex = FirmwareFiles.write(IMAGE, FirmwareFormat.INTEL_HEX, WriteOptions.defaults());
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class,
                () -> FirmwareFiles.read("fw.hex", hex, ReadOptions.builder().format(FirmwareFormat.SREC).build()));
        assertEquals("fw.hex:1: expected 'S' at the start of a record, found ':'", e.getMessage());
    }

    @Test
    void extensionsMapToFormats() {
        assertEquals(FirmwareFormat.SREC, FirmwareFormat.forFileName("a.S19").orElseThrow());
        assertEquals(FirmwareFormat.ELF, FirmwareFormat.forFileName("build/app.axf").orElseThrow());
        assertTrue(FirmwareFormat.forFileName("README").isEmpty());
        assertTrue(FirmwareFormat.forFileName("a.").isEmpty());
    }
}
