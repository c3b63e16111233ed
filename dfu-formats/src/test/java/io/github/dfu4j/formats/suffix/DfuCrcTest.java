package io.github.dfu4j.formats.suffix;

import io.github.dfu4j.formats.LittleEndianWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DfuCrcTest {
    @Test
    void checkValueOfTheDfuVariantIsTheNotOfZlibCrc32() {
        // docs/reference/dfu.md §1.7: "123456789" -> 0x340BC6D9 (zlib CRC-32 gives 0xCBF43926)
        assertEquals(0x340BC6D9L, DfuCrc.of("123456789".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void emptyInputLeavesTheStartValue() {
        assertEquals(0xFFFFFFFFL, DfuCrc.of(new byte[0]));
    }

    @Test
    void rangeCrcOnlyCoversTheRange() {
        byte[] padded = "xx123456789yy".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0x340BC6D9L, DfuCrc.of(padded, 2, 9));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 255, 4096, 100_003})
    void agreesWithTheJdkCrc32Complement(int length) {
        byte[] data = new byte[length];
        new SplittableRandom(length).nextBytes(data);
        assertEquals(LittleEndianWriter.dfuCrc(data), DfuCrc.of(data));
    }
}
