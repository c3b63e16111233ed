package io.github.dfu4j.formats.ihex;

import io.github.dfu4j.formats.WriteOptions;
import io.github.dfu4j.formats.FirmwareFormatException;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.WriteOptions.LineEnding;
import io.github.dfu4j.formats.Segment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.github.dfu4j.formats.LittleEndianWriter.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IntelHexTest {
    /** What arm-none-eabi-objcopy -O ihex wrote for a 12-byte .text at 0x08000000 and a 4-byte .data at 0x20000000. */
    static final String OBJCOPY = ":020000040800F2\r\n:0C0000000010002009000008C046FEE7C8\r\n:020000042000DA\r\n"
            + ":040000004433221152\r\n:0400000508000000EF\r\n:00000001FF\r\n";

    static FirmwareImage read(String text) throws FirmwareFormatException {
        return IntelHex.read("t.hex", text.getBytes(StandardCharsets.US_ASCII));
    }

    static FirmwareFormatException failure(String text) {
        return assertThrows(FirmwareFormatException.class, () -> read(text));
    }

    @Test
    void readsObjcopyOutputWithLinearAddressingAndStartRecord() throws Exception {
        FirmwareImage image = read(OBJCOPY);
        assertEquals(List.of(
                Segment.of(0x08000000L, bytes(0x00, 0x10, 0x00, 0x20, 0x09, 0x00, 0x00, 0x08, 0xC0, 0x46, 0xFE, 0xE7)),
                Segment.of(0x20000000L, bytes(0x44, 0x33, 0x22, 0x11))), image.segments());
        assertEquals(0x08000000L, image.entryPoint().getAsLong());
    }

    @Test
    void writerReproducesObjcopyByteForByte() throws Exception {
        assertEquals(OBJCOPY, new String(IntelHex.write(read(OBJCOPY), IntelHex.Options.defaults()), StandardCharsets.US_ASCII));
    }

    @Test
    void segmentAddressingMultipliesBySixteenAndWrapsWithinTheSegment() throws Exception {
        FirmwareImage image = read(":020000021000EC\n:0401000001020304F1\n:02000002F0000C\n:04FFFE000A0B0C0DD1\n"
                + ":0400000312340005AE\n:00000001FF\n");
        assertEquals(List.of(Segment.of(0x10100L, bytes(1, 2, 3, 4)), Segment.of(0xF0000L, bytes(0x0C, 0x0D)),
                Segment.of(0xFFFFEL, bytes(0x0A, 0x0B))), image.segments());
        assertEquals(0x12345L, image.entryPoint().getAsLong(), "start segment CS*16+IP");
    }

    @Test
    void linearAddressingRunsOnAcrossTheSixtyFourKilobyteBoundary() throws Exception {
        FirmwareImage image = read(":020000040800F2\n:10FFF800000102030405060708090A0B0C0D0E0F81\n:040000050800019559\n:00000001FF\n");
        assertEquals(List.of(Segment.of(0x0800FFF8L, bytes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15))),
                image.segments());
        assertEquals(0x08000195L, image.entryPoint().getAsLong());
    }

    @Test
    void noExtendedRecordMeansI8hex() throws Exception {
        FirmwareImage image = read(":01001000559A\n:00000001FF\n");
        assertEquals(List.of(Segment.of(0x10, bytes(0x55))), image.segments());
        assertTrue(image.entryPoint().isEmpty());
    }

    @Test
    void acceptsLowerCaseCrLineEndsBlankLinesAndTrailingDosEof() throws Exception {
        FirmwareImage image = read("\n:01001000559a\r\r\n:00000001ff\r\n\u001a \n");
        assertEquals(List.of(Segment.of(0x10, bytes(0x55))), image.segments());
    }

    @Test
    void consecutiveRecordsCoalesceAndOutOfOrderOnesAreSorted() throws Exception {
        String text = new String(IntelHex.write(FirmwareImage.of(Segment.of(0x100, new byte[40])),
                IntelHex.Options.defaults().withLineEnding(LineEnding.LF)), StandardCharsets.US_ASCII);
        String[] lines = text.split("\n");
        assertEquals(4, lines.length, text);
        String reversed = lines[2] + "\n" + lines[1] + "\n" + lines[0] + "\n" + lines[3] + "\n";
        assertEquals(List.of(Segment.of(0x100, new byte[40])), read(reversed).segments());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bad checksum         | :01001000559B\\n:00000001FF\\n | t.hex:1: checksum 0x9b, expected 0x9a",
        "no colon             | 01001000559A\\n               | t.hex:1: expected ':' at the start of a record, found '0'",
        "leading space        | \\n :01001000559A\\n          | t.hex:2: expected ':' at the start of a record, found ' '",
        "not hex              | :01001000G59A\\n:00000001FF\\n | t.hex:1: 'G' in column 10 is not a hex digit",
        "short for count      | :02001000559A\\n:00000001FF\\n | t.hex:1: record of 13 characters is shorter than the 15 its byte count 0x02 needs",
        "short header         | :0100\\n                      | t.hex:1: record of 5 characters is shorter than the 11 every record needs",
        "too long             | :01001000559A00\\n:00000001FF\\n | t.hex:1: '0' after the checksum; the byte count 0x01 says the record ends there",
        "unknown type         | :00000006FA\\n:00000001FF\\n   | t.hex:1: unknown record type 0x06 (Intel HEX knows 00..05)",
        "eof with data        | :0100000100FE\\n              | t.hex:1: record type 0x01 needs byte count 0x00, found 0x01",
        "ela wrong count      | :0100000408F3\\n:00000001FF\\n | t.hex:1: record type 0x04 needs byte count 0x02, found 0x01",
        "missing eof          | :01001000559A\\n              | t.hex:2: missing end-of-file record (:00000001FF)",
        "empty                | ''                            | t.hex:1: empty file, no Intel HEX records",
        "record after eof     | :00000001FF\\n:01001000559A\\n | t.hex:2: data after the end-of-file record",
        "two start addresses  | :040000050800019559\\n:0400000508000000EF\\n:00000001FF\\n | t.hex:2: start address 0x08000000 conflicts with 0x08000195 from line 1",
        "bad checksum line 2  | :01001000559A\\n:01001000569A\\n:00000001FF\\n | t.hex:2: checksum 0x9a, expected 0x99",
        "past 4 GiB           | :02000004FFFFFC\\n:02FFFF000102FD\\n:00000001FF\\n | t.hex:2: data at 0xffffffff+2 runs past the 4 GiB address space",
    })
    void rejectsWithFileLineAndReason(String name, String text, String message) {
        assertEquals(message, failure(text.replace("\\n", "\n")).getMessage());
    }

    @Test
    void conflictingOverlapNamesBothLines() {
        FirmwareFormatException e = failure(":01001000559A\n:0100100056\u0039\u0039\n:00000001FF\n");
        assertEquals("t.hex:2: data at 0x00000010 (0x56) conflicts with the record run starting at line 1 (0x55)", e.getMessage());
        assertEquals(2, e.line().getAsLong());
    }

    @Test
    void identicalOverlapIsAccepted() throws Exception {
        assertEquals(List.of(Segment.of(0x10, bytes(0x55))), read(":01001000559A\n:01001000559A\n:00000001FF\n").segments());
    }

    @ParameterizedTest
    @CsvSource({"1", "16", "32", "255"})
    void recordLengthIsHonoured(int length) throws Exception {
        byte[] data = new byte[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        FirmwareImage image = FirmwareImage.of(Segment.of(0x0800FF00L, data)).withEntryPoint(0x08000101L);
        byte[] text = IntelHex.write(image, IntelHex.Options.defaults().withRecordLength(length));
        for (String line : new String(text, StandardCharsets.US_ASCII).split("\r\n")) {
            int count = Integer.parseInt(line.substring(1, 3), 16);
            boolean dataRecord = line.startsWith("00", 7);
            assertTrue(!dataRecord || count <= length, line);
        }
        assertEquals(image, IntelHex.read("r.hex", text));
    }

    @Test
    void i16hexWriterUsesSegmentRecordsAndStartSegment() throws Exception {
        FirmwareImage image = FirmwareImage.of(Segment.of(0xFFF8L, new byte[16])).withEntryPoint(0x12345L);
        String text = new String(IntelHex.write(image, IntelHex.Options.defaults().withAddressing(WriteOptions.HexAddressing.I16HEX)
                .withLineEnding(LineEnding.LF)), StandardCharsets.US_ASCII);
        assertEquals(":08FFF800000000000000000001\n:020000021000EC\n:080000000000000000000000F8\n"
                + ":040000031000234581\n:00000001FF\n", text);
        assertEquals(image, IntelHex.read("s.hex", text.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void writerRefusesDataTheAddressingCannotReach() {
        FirmwareImage high = FirmwareImage.of(Segment.of(0x100000L, new byte[1]));
        assertThrows(IllegalArgumentException.class,
                () -> IntelHex.write(high, IntelHex.Options.defaults().withAddressing(WriteOptions.HexAddressing.I16HEX)));
        assertThrows(IllegalArgumentException.class,
                () -> IntelHex.write(high, IntelHex.Options.defaults().withAddressing(WriteOptions.HexAddressing.I8HEX)));
        assertThrows(IllegalArgumentException.class, () -> IntelHex.Options.defaults().withRecordLength(256));
    }

    @Test
    void emptyImageIsJustTheEndRecord() throws Exception {
        byte[] text = IntelHex.write(FirmwareImage.of(List.of()), IntelHex.Options.defaults());
        assertArrayEquals(":00000001FF\r\n".getBytes(StandardCharsets.US_ASCII), text);
        assertTrue(IntelHex.read("e.hex", text).isEmpty());
    }
}
