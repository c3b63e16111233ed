package io.github.dfu4j.formats.srec;

import io.github.dfu4j.formats.WriteOptions;
import io.github.dfu4j.formats.FirmwareFormatException;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.WriteOptions.LineEnding;
import io.github.dfu4j.formats.Segment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.github.dfu4j.formats.LittleEndianWriter.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SRecordTest {
    /** arm-none-eabi-objcopy -O srec output for the same probe ELF as IntelHexTest. */
    static final String OBJCOPY = "S0090000612E73726563BA\r\nS311080000000010002009000008C046FEE7BA\r\n"
            + "S30920000000443322112C\r\nS70508000000F2\r\n";

    static FirmwareImage read(String text) throws FirmwareFormatException {
        return SRecord.read("t.srec", text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void readsObjcopyOutput() throws Exception {
        FirmwareImage image = read(OBJCOPY);
        assertEquals(List.of(
                Segment.of(0x08000000L, bytes(0x00, 0x10, 0x00, 0x20, 0x09, 0x00, 0x00, 0x08, 0xC0, 0x46, 0xFE, 0xE7)),
                Segment.of(0x20000000L, bytes(0x44, 0x33, 0x22, 0x11))), image.segments());
        assertEquals(0x08000000L, image.entryPoint().getAsLong());
    }

    @Test
    void writerReproducesObjcopyGivenItsHeader() throws Exception {
        byte[] written = SRecord.write(read(OBJCOPY), SRecord.Options.defaults().withHeader("a.srec"));
        assertEquals(OBJCOPY, new String(written, StandardCharsets.US_ASCII));
    }

    @Test
    void s1RecordsWithS5CountAndS9Start() throws Exception {
        FirmwareImage image = read("S00600004844521B\nS1061000010203E3\nS104100304E4\nS5030002FA\nS9031001EB\n");
        assertEquals(List.of(Segment.of(0x1000, bytes(1, 2, 3, 4))), image.segments());
        assertEquals(0x1001, image.entryPoint().getAsLong());
    }

    @Test
    void s2RecordsWithS6CountAndS8Start() throws Exception {
        FirmwareImage image = read("S206123456AABBF8\nS604000001FA\nS8041234575E\n");
        assertEquals(List.of(Segment.of(0x123456, bytes(0xAA, 0xBB))), image.segments());
        assertEquals(0x123457, image.entryPoint().getAsLong());
    }

    @Test
    void missingTerminationIsAcceptedAsSrecCatWritesIt() throws Exception {
        // srec_cat 1.64 output for a HEX file without a start address: S0, data, S5, no S7/S8/S9
        FirmwareImage image = read("S0220000687474703A2F2F737265636F72642E736F75726365666F7267652E6E65742F1D\r\n"
                + "S107001001020304DE\r\nS5030001FB\r\n");
        assertEquals(List.of(Segment.of(0x10, bytes(1, 2, 3, 4))), image.segments());
        assertTrue(image.entryPoint().isEmpty());
    }

    @Test
    void s7StartAddressIsTheEntryPointAndZeroMeansNone() throws Exception {
        assertEquals(0x08000195L, read("S705080001955C\n").entryPoint().getAsLong());
        assertTrue(read("S9030000FC\n").entryPoint().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bad checksum     | S1061000010203E4\\nS9030000FC\\n | t.srec:1: checksum 0xe4, expected 0xe3",
        "wrong S5 count   | S1061000010203E3\\nS5030003F9\\nS9030000FC\\n | t.srec:2: S5 record count 3, but 1 data records precede it",
        "S4 reserved      | S4030000FC\\nS9030000FC\\n | t.srec:1: record type S4 is reserved",
        "data in S9       | S904000001FA\\n | t.srec:1: S9 record carries 1 data bytes, expected none",
        "empty            | '' | t.srec:1: empty file, no S-records",
        "after end        | S9030000FC\\nS1061000010203E3\\n | t.srec:2: data after the termination record",
        "not an S         | :1061000010203E3\\n | t.srec:1: expected 'S' at the start of a record, found ':'",
        "type letter      | SX061000010203E3\\n | t.srec:1: record type 'X' is not S0..S9",
        "count too small  | S3030000FC\\nS9030000FC\\n | t.srec:1: byte count 0x03 is too small for an S3 record (address 4 bytes + checksum)",
        "short line       | S1071000010203E3\\nS9030000FC\\n | t.srec:1: record of 16 characters is shorter than the 18 its byte count 0x07 needs",
        "long line        | S1061000010203E3FF\\nS9030000FC\\n | t.srec:1: 'F' after the checksum; the byte count 0x06 says the record ends there",
        "bad digit        | S10610000102Z3E3\\nS9030000FC\\n | t.srec:1: 'Z' in column 13 is not a hex digit",
        "past 4 GiB       | S307FFFFFFFF0102F9\\nS9030000FC\\n | t.srec:1: data at 0xffffffff+2 runs past the 4 GiB address space",
    })
    void rejectsWithFileLineAndReason(String name, String text, String message) {
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class, () -> read(text.replace("\\n", "\n")));
        assertEquals(message, e.getMessage());
    }

    @Test
    void conflictingOverlapNamesBothLines() {
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class,
                () -> read("S1061000010203E3\nS104100209E0\nS9030000FC\n"));
        assertEquals("t.srec:2: data at 0x00001002 (0x09) conflicts with the record run starting at line 1 (0x03)",
                e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(WriteOptions.SrecAddressWidth.class)
    void widthChoosesTheDataAndTerminationRecordTypes(WriteOptions.SrecAddressWidth width) throws Exception {
        FirmwareImage image = FirmwareImage.of(Segment.of(0x1234, bytes(1, 2, 3))).withEntryPoint(0x1235);
        String text = new String(SRecord.write(image, SRecord.Options.defaults().withWidth(width)
                .withLineEnding(LineEnding.LF).withCountRecord(true)), StandardCharsets.US_ASCII);
        String[] lines = text.split("\n");
        String expected = width == WriteOptions.SrecAddressWidth.AUTO ? "S1" : width.name();
        assertTrue(lines[1].startsWith(expected), text);
        assertTrue(lines[2].startsWith("S5"), text);
        assertTrue(lines[3].startsWith("S" + (10 - (expected.charAt(1) - '0'))), text);
        assertEquals(image, SRecord.read("w.srec", text.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void autoWidthCoversTheEntryPointToo() {
        FirmwareImage image = FirmwareImage.of(Segment.of(0x10, bytes(1))).withEntryPoint(0x08000001L);
        String text = new String(SRecord.write(image, SRecord.Options.defaults()), StandardCharsets.US_ASCII);
        assertTrue(text.contains("\r\nS3"), text);
        assertTrue(text.contains("\r\nS7"), text);
    }

    @Test
    void forcedWidthTooNarrowIsRefused() {
        FirmwareImage image = FirmwareImage.of(Segment.of(0x10000, bytes(1)));
        assertThrows(IllegalArgumentException.class,
                () -> SRecord.write(image, SRecord.Options.defaults().withWidth(WriteOptions.SrecAddressWidth.S1)));
    }

    @Test
    void s6IsUsedAboveSixtyFiveThousandRecords() throws Exception {
        FirmwareImage image = FirmwareImage.of(Segment.of(0, new byte[70_000]));
        byte[] text = SRecord.write(image, SRecord.Options.defaults().withRecordLength(1).withCountRecord(true));
        assertTrue(new String(text, StandardCharsets.US_ASCII).contains("\r\nS60401117"), "S6 with 70000 = 0x011170");
        assertEquals(image, SRecord.read("big.srec", text));
    }
}
