package io.github.dfu4j.formats;

import io.github.dfu4j.formats.suffix.DfuSuffixes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.github.dfu4j.formats.LittleEndianWriter.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 9, "files are what they claim": a DFU suffix is taken at its word (bcdDFU 0x011a means a
 * DfuSe body, other undefined values are refused), a damaged suffix and a byte order mark are named,
 * the suffix's ids reach the image, and every reader stays under its cap, pipes included.
 */
class FilesAreWhatTheyClaimTest {
    private static final byte[] DATA = bytes(0x00, 0x50, 0x00, 0x20, 0x95, 0x01, 0x00, 0x08);

    private static byte[] dfuse() {
        return FirmwareFiles.write(FirmwareImage.of(Segment.of(0x08000000L, DATA)), FirmwareFormat.DFUSE, WriteOptions.defaults());
    }

    /** {@code content} with its first five bytes replaced and a new, valid suffix. */
    private static byte[] resigned(byte[] dfuse, String signature) {
        byte[] body = Arrays.copyOf(dfuse, dfuse.length - DfuSuffixes.LENGTH);
        System.arraycopy(signature.getBytes(StandardCharsets.US_ASCII), 0, body, 0, 5);
        return DfuSuffixes.append(body, DfuSuffix.dfuse(0x0483, 0xDF11));
    }

    @ParameterizedTest
    @ValueSource(strings = {"DfuSX", "dfuse", "DFUSE"})
    void aDfuseSuffixWithABrokenSignatureIsRefusedNotReadAsRaw(String signature) {
        byte[] file = resigned(dfuse(), signature);
        for (String name : List.of("fw.dfu", "fw.bin", "fw")) {
            FirmwareFormatException e = assertThrows(FirmwareFormatException.class,
                    () -> FirmwareFiles.read(name, file, ReadOptions.defaults()), name);
            assertEquals(0, e.offset().getAsLong());
            assertEquals(String.format("%s@0x00000000: the DFU suffix says DfuSe (bcdDFU 0x011a at offset 0x%x) but the file"
                    + " does not start with the \"DfuSe\" signature (it starts with \"%s\", %s): a damaged DfuSe file, not read"
                    + " as raw bytes", name, file.length - 10, signature, hex(signature)), e.getMessage());
        }
        assertEquals(FirmwareFormat.DFUSE, assertDetects(file));
    }

    private static FirmwareFormat assertDetects(byte[] file) {
        try {
            return FirmwareFiles.detect("fw.dfu", file);
        } catch (FirmwareFormatException e) {
            throw new AssertionError(e);
        }
    }

    private static String hex(String ascii) {
        StringBuilder b = new StringBuilder();
        for (byte c : ascii.getBytes(StandardCharsets.US_ASCII)) {
            b.append(b.length() == 0 ? "" : " ").append(String.format("%02x", c));
        }
        return b.toString();
    }

    @Test
    void aRawBodyUnderADfuseSuffixIsRefusedEvenWhenForcedToBinary() {
        byte[] file = DfuSuffixes.append(DATA, DfuSuffix.dfuse(0x0483, 0xDF11));
        FirmwareFormatException auto = assertThrows(FirmwareFormatException.class,
                () -> FirmwareFiles.read("fw.dfu", file, ReadOptions.defaults()));
        assertEquals(0, auto.offset().getAsLong());
        assertEquals("fw.dfu@0x00000000: the DFU suffix says DfuSe (bcdDFU 0x011a at offset 0xe) but the file does not start"
                + " with the \"DfuSe\" signature (it starts with \".P. .\", 00 50 00 20 95): a damaged DfuSe file, not read as"
                + " raw bytes", auto.getMessage());
        FirmwareFormatException forced = assertThrows(FirmwareFormatException.class, () -> FirmwareFiles.read("fw.dfu", file,
                ReadOptions.builder().format(FirmwareFormat.BINARY).baseAddress(0x08000000L).build()));
        assertEquals("fw.dfu@0x0000000e: the DFU suffix says DfuSe (bcdDFU 0x011a); a DfuSe file cannot be read as raw binary",
                forced.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0x0000, 0x0101, 0x0777, 0x011B, 0x0200, 0xFFFF})
    void anUndefinedBcdDfuIsRefused(int bcdDfu) {
        byte[] file = DfuSuffixes.append(DATA, new DfuSuffix(0xFFFF, 0xDF11, 0x0483, bcdDfu));
        for (ReadOptions options : List.of(ReadOptions.defaults(), ReadOptions.builder().format(FirmwareFormat.BINARY).build())) {
            FirmwareFormatException e = assertThrows(FirmwareFormatException.class, () -> FirmwareFiles.read("fw.dfu", file, options));
            assertEquals(String.format("fw.dfu@0x0000000e: DFU suffix bcdDFU 0x%04x is not a DFU file version (DFU files say"
                    + " 0x0100 or 0x0110, DfuSe files 0x011a)", bcdDfu), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {DfuSuffix.BCD_DFU_PLAIN, DfuSuffix.BCD_DFU_1_1})
    void plainDfuFilesOfBothVersionsAreRawBytesAndCarryTheirIds(int bcdDfu) throws Exception {
        DfuSuffix suffix = new DfuSuffix(0x0200, 0x5740, 0x0483, bcdDfu);
        FirmwareImage image = FirmwareFiles.read("fw.dfu", DfuSuffixes.append(DATA, suffix), ReadOptions.defaults());
        assertEquals(List.of(Segment.of(0x08000000L, DATA)), image.segments());
        assertEquals(suffix, image.suffix().orElseThrow());
        assertEquals(0x0483, image.suffix().get().idVendor());
        assertEquals(0x5740, image.suffix().get().idProduct());
        assertEquals(0x0200, image.suffix().get().bcdDevice());
    }

    @Test
    void aDfuseFileCarriesItsSuffixIds() throws Exception {
        byte[] body = Arrays.copyOf(dfuse(), dfuse().length - DfuSuffixes.LENGTH);
        DfuSuffix suffix = new DfuSuffix(0x2200, 0xDF11, 0x0483, DfuSuffix.BCD_DFU_DFUSE);
        FirmwareImage image = FirmwareFiles.read("fw.dfu", DfuSuffixes.append(body, suffix), ReadOptions.defaults());
        assertEquals(suffix, image.suffix().orElseThrow());
    }

    @Test
    void aPlainDfuFileWithABadCrcSaysSoWhateverItsName() {
        byte[] file = DfuSuffixes.append(DATA, new DfuSuffix(0xFFFF, 0xDF11, 0x0483, DfuSuffix.BCD_DFU_PLAIN));
        file[0] ^= 1;
        for (String name : List.of("fw.dfu", "fw.img", "fw.bin")) {
            FirmwareFormatException e = assertThrows(FirmwareFormatException.class,
                    () -> FirmwareFiles.read(name, file, ReadOptions.defaults()), name);
            assertEquals(file.length - 4, e.offset().getAsLong());
            assertEquals(true, e.getMessage().startsWith(name + "@0x00000014: DFU suffix CRC mismatch: dwCRC says 0x"), e.getMessage());
        }
    }

    @Test
    void aByteOrderMarkInFrontOfATextFormatIsNamed() {
        byte[] hex = ":0400000008000000F4\n:00000001FF\n".getBytes(StandardCharsets.US_ASCII);
        byte[] withBom = new byte[hex.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(hex, 0, withBom, 3, hex.length);
        assertEquals(FirmwareFormat.INTEL_HEX, FirmwareFiles.detectByContent(withBom).orElseThrow(),
                "so that FILE@ADDR still refuses a hex file with a BOM");
        for (String name : List.of("fw.hex", "fw.txt")) {
            FirmwareFormatException e = assertThrows(FirmwareFormatException.class,
                    () -> FirmwareFiles.read(name, withBom, ReadOptions.defaults()));
            assertEquals(name + ":1: starts with a UTF-8 byte order mark (bytes ef bb bf at offset 0); Intel HEX is plain ASCII:"
                    + " save the file without the BOM", e.getMessage());
        }
    }

    @Test
    void aStreamIsReadToItsEndAndParsedLikeAFile() throws Exception {
        byte[] file = dfuse();
        FirmwareImage fromStream = FirmwareFiles.read("<stdin>", new ByteArrayInputStream(file), ReadOptions.defaults());
        assertEquals(FirmwareFiles.read("x.dfu", file, ReadOptions.defaults()), fromStream);
        byte[] large = new byte[3 << 20]; // several growing chunks
        Arrays.fill(large, (byte) 0x5A);
        FirmwareFileInfo info = FirmwareFiles.inspect("<stdin>", new ByteArrayInputStream(large),
                ReadOptions.builder().format(FirmwareFormat.BINARY).build());
        assertArrayEquals(large, info.image().segments().get(0).bytes());
    }

    @Test
    void anEndlessStreamStopsAtTheCapNamingItAndTheSource() {
        AtomicLong served = new AtomicLong();
        InputStream zeros = new InputStream() {
            @Override
            public int read() {
                served.incrementAndGet();
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                served.addAndGet(len);
                Arrays.fill(b, off, off + len, (byte) 0);
                return len;
            }
        };
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class, () -> BoundedRead.toEnd("/dev/zero", zeros, 100_000));
        assertEquals("/dev/zero: more than the 100000-byte limit for a firmware file; stopped reading there", e.getMessage());
        assertEquals(true, served.get() < 100_000 + (1 << 20), "read " + served.get() + " bytes past a 100000-byte cap");
        assertEquals("x: file is 2147483648 bytes, more than the 1 GiB (1073741824-byte) limit for a firmware file",
                BoundedRead.tooLarge("x", "file is 2147483648 bytes, ", FirmwareFiles.MAX_FILE_BYTES, "").getMessage());
    }

    @Test
    void aFifoIsReadOnceToItsEnd(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("fw.dfu");
        assumeTrue(mkfifo(fifo), "mkfifo is not available");
        byte[] file = dfuse();
        Thread writer = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                out.write(file);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        FirmwareImage image = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> FirmwareFiles.read(fifo));
        writer.join();
        assertEquals(FirmwareFiles.read("x.dfu", file, ReadOptions.defaults()), image);
    }

    static boolean mkfifo(Path path) {
        try {
            return new ProcessBuilder("mkfifo", path.toString()).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
