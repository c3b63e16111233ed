package io.github.dfu4j.formats.suffix;

import io.github.dfu4j.formats.DfuSuffix;
import io.github.dfu4j.formats.FirmwareFormatException;
import io.github.dfu4j.formats.LittleEndianWriter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DfuSuffixesTest {
    private static final byte[] PAYLOAD = "123456789".getBytes(StandardCharsets.US_ASCII);
    private static final DfuSuffix ST = new DfuSuffix(0x0200, 0xDF11, 0x0483, DfuSuffix.BCD_DFU_PLAIN);

    private static byte[] handMade() {
        return new LittleEndianWriter().bytes(PAYLOAD).suffix(0x0200, 0xDF11, 0x0483, 0x0100).toByteArray();
    }

    @Test
    void addWritesTheFieldsLittleEndianThenUfdLengthAndCrc() throws Exception {
        byte[] withSuffix = DfuSuffixes.add(PAYLOAD, ST);
        assertArrayEquals(handMade(), withSuffix);
        byte[] tail = Arrays.copyOfRange(withSuffix, 9, 21);
        assertArrayEquals(LittleEndianWriter.bytes(0x00, 0x02, 0x11, 0xDF, 0x83, 0x04, 0x00, 0x01, 'U', 'F', 'D', 16), tail);
    }

    @Test
    void verifyReturnsTheFields() throws Exception {
        assertEquals(ST, DfuSuffixes.verify("fw.dfu", handMade()));
        assertEquals(Optional.of(ST), DfuSuffixes.read(handMade()));
    }

    @Test
    void stripRemovesExactlySixteenBytes() throws Exception {
        assertArrayEquals(PAYLOAD, DfuSuffixes.strip("fw.dfu", handMade()));
    }

    @Test
    void checkTellsAMissingSuffixFromABrokenOne() {
        assertEquals(SuffixCheck.Status.TOO_SHORT, DfuSuffixes.check(PAYLOAD).status());
        assertEquals(SuffixCheck.Status.NO_SIGNATURE, DfuSuffixes.check(new byte[32]).status());
        byte[] broken = handMade();
        broken[0] ^= 1;
        SuffixCheck check = DfuSuffixes.check(broken);
        assertEquals(SuffixCheck.Status.CRC_MISMATCH, check.status());
        assertEquals(ST, check.fields());
        assertFalse(check.valid());
        byte[] badLength = handMade();
        badLength[badLength.length - 5] = 15;
        assertEquals(SuffixCheck.Status.BAD_LENGTH, DfuSuffixes.check(badLength).status());
    }

    @Test
    void crcMismatchNamesFileOffsetAndBothValues() {
        byte[] broken = handMade();
        broken[0] ^= 1;
        long good = LittleEndianWriter.dfuCrc(Arrays.copyOf(handMade(), 21));
        long computed = LittleEndianWriter.dfuCrc(Arrays.copyOf(broken, 21));
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class, () -> DfuSuffixes.verify("fw.dfu", broken));
        assertEquals(String.format("fw.dfu@0x00000015: DFU suffix CRC mismatch: dwCRC says 0x%08x, the file's bytes give 0x%08x",
                good, computed), e.getMessage());
        assertEquals(21, e.offset().getAsLong());
    }

    @Test
    void missingSuffixAndShortFileAreReported() {
        FirmwareFormatException none = assertThrows(FirmwareFormatException.class,
                () -> DfuSuffixes.strip("app.bin", new byte[40]));
        assertEquals("app.bin@0x00000020: no DFU suffix: \"UFD\" signature missing", none.getMessage());
        FirmwareFormatException shortFile = assertThrows(FirmwareFormatException.class,
                () -> DfuSuffixes.verify("x.bin", PAYLOAD));
        assertEquals("x.bin@0x00000000: file of 9 bytes is too short for a 16-byte DFU suffix", shortFile.getMessage());
    }

    @Test
    void addingASecondSuffixIsRefused() throws Exception {
        byte[] once = DfuSuffixes.add(PAYLOAD, ST);
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class, () -> DfuSuffixes.add("fw.dfu", once, ST));
        assertTrue(e.getMessage().contains("already has a valid DFU suffix"), e.getMessage());
    }

    @Test
    void emptyPayloadGetsASuffixToo() throws Exception {
        byte[] only = DfuSuffixes.add(new byte[0], ST);
        assertEquals(16, only.length);
        assertEquals(ST, DfuSuffixes.verify(only));
        assertEquals(0, DfuSuffixes.strip(only).length);
    }
}
