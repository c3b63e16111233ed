package io.github.dfu4j.formats.testing;

import io.github.dfu4j.formats.FirmwareFiles;
import io.github.dfu4j.formats.FirmwareFormat;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.formats.elf.Elf32;
import io.github.dfu4j.formats.internal.SegmentViews;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reading a file lets ELF and raw-binary images share the facade's own file buffer instead of
 * copying it; that must give exactly the image the copying path gives, and a caller's array passed
 * to the byte-array API must never be shared (the image would change under it).
 */
class OwnedBufferReadTest {
    static final long SEED = Seeds.seed();

    @TempDir
    Path dir;

    @BeforeAll
    static void printSeed() {
        System.out.printf("[dfu4j] OwnedBufferReadTest seed=%d (replay with -Ddfu4j.seed=%d)%n", SEED, SEED);
    }

    static Stream<Arguments> cases() {
        return Stream.of(FirmwareFormat.ELF, FirmwareFormat.BINARY)
                .flatMap(format -> IntStream.range(0, 150).mapToObj(i -> Arguments.of(format, i)));
    }

    @ParameterizedTest(name = "{0} #{1}")
    @MethodSource("cases")
    void sharingTheFileBufferGivesTheCopiedImage(FirmwareFormat format, int index) throws Exception {
        SplittableRandom rnd = new SplittableRandom(SEED * 17 + format.ordinal() * 7919L + index);
        GeneratedFile f = FirmwareGenerators.file(rnd, format, index % 4 == 0 ? ImageShape.medium() : ImageShape.small());
        Path file = dir.resolve(f.fileName());
        Files.write(file, f.bytes());
        FirmwareImage copied = FirmwareFiles.read(f.fileName(), f.bytes(), f.readOptions());
        FirmwareImage shared = FirmwareFiles.read(file, f.readOptions());
        assertEquals(copied, shared, () -> "seed " + SEED + ", " + f);
        assertEquals(copied.hashCode(), shared.hashCode());
        for (int i = 0; i < copied.segments().size(); i++) {
            assertArrayEquals(copied.segments().get(i).bytes(), shared.segments().get(i).bytes());
        }
    }

    @Test
    void theByteArrayApiNeverSharesTheCallersArray() throws Exception {
        byte[] elf = Elf32.write(FirmwareImage.of(Segment.of(0x08000000L, new byte[] {1, 2, 3, 4})));
        FirmwareImage image = Elf32.read("app.elf", elf);
        Arrays.fill(elf, (byte) 0x55);
        assertArrayEquals(new byte[] {1, 2, 3, 4}, image.segments().get(0).bytes());

        byte[] again = Elf32.write(FirmwareImage.of(Segment.of(0x08000000L, new byte[] {1, 2, 3, 4})));
        FirmwareImage viaFacade = FirmwareFiles.read("app.elf", again, io.github.dfu4j.formats.ReadOptions.defaults());
        Arrays.fill(again, (byte) 0x55);
        assertArrayEquals(new byte[] {1, 2, 3, 4}, viaFacade.segments().get(0).bytes());
    }

    @Test
    void aViewBehavesLikeTheSegmentOfItsBytes() {
        byte[] buffer = {9, 9, 1, 2, 3, 4, 5, 9};
        Segment view = SegmentViews.view(0x1000, buffer, 2, 5);
        Segment copy = Segment.of(0x1000, new byte[] {1, 2, 3, 4, 5});
        assertEquals(copy, view);
        assertEquals(copy.hashCode(), view.hashCode());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, view.bytes());
        assertEquals(3, view.byteAt(0x1002));
        assertEquals(Segment.of(0x1001, new byte[] {2, 3}), view.slice(0x1001, 0x1003));
        byte[] dst = new byte[2];
        view.copyTo(0x1003, dst, 0, 2);
        assertArrayEquals(new byte[] {4, 5}, dst);
        assertEquals(5, view.buffer().remaining());
        assertEquals(1, view.buffer().get(0));
        assertEquals(view, view.withAddress(0x2000).withAddress(0x1000));
    }
}
