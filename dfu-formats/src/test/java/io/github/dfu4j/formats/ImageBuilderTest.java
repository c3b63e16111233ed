package io.github.dfu4j.formats;

import io.github.dfu4j.formats.internal.DataConflictException;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.github.dfu4j.formats.LittleEndianWriter.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImageBuilderTest {
    @Test
    void consecutivePutsBecomeOneSegment() throws Exception {
        ImageBuilder b = new ImageBuilder();
        for (int i = 0; i < 100; i++) {
            b.put(0x1000 + i * 3L, bytes(i, i + 1, i + 2), 0, 3, i);
        }
        FirmwareImage image = b.build();
        assertEquals(1, image.segments().size());
        assertEquals(300, image.segments().get(0).length());
        assertEquals((byte) 99, image.segments().get(0).byteAt(0x1000 + 297));
        assertEquals(300, b.totalBytes());
    }

    @Test
    void outOfOrderTouchingRunsAreJoinedAndGapsKept() throws Exception {
        ImageBuilder b = new ImageBuilder();
        b.put(0x10, bytes(3, 4), 0, 2, 1);
        b.put(0x00, bytes(0, 1), 0, 2, 2);
        b.put(0x0E, bytes(1, 2), 0, 2, 3);
        assertEquals(List.of(Segment.of(0x00, bytes(0, 1)), Segment.of(0x0E, bytes(1, 2, 3, 4))), b.build().segments());
    }

    @Test
    void identicalOverlapIsAccepted() throws Exception {
        ImageBuilder b = new ImageBuilder();
        b.put(0x100, bytes(1, 2, 3, 4), 0, 4, 1);
        b.put(0x102, bytes(3, 4, 5), 0, 3, 2);
        b.put(0x101, bytes(2), 0, 1, 3);
        assertEquals(List.of(Segment.of(0x100, bytes(1, 2, 3, 4, 5))), b.build().segments());
    }

    @Test
    void conflictReportsTheLowestDifferingAddressAndBothOrigins() {
        ImageBuilder b = new ImageBuilder();
        b.put(0x100, bytes(1, 2, 3, 4, 5, 6), 0, 6, 10);
        b.put(0x104, bytes(5, 9), 0, 2, 20);      // differs at 0x105
        b.put(0x102, bytes(3, 7), 0, 2, 30);      // differs at 0x103, lower
        DataConflictException e = assertThrows(DataConflictException.class, b::build);
        assertEquals(0x103, e.address());
        assertEquals(10, e.firstOrigin());
        assertEquals(30, e.secondOrigin());
        assertEquals("0x04", e.firstValue());
        assertEquals("0x07", e.secondValue());
    }

    @Test
    void overlapAcrossTargetsIsAConflictButTouchingIsNot() throws Exception {
        DfuseTarget a = new DfuseTarget(0, "a");
        DfuseTarget c = new DfuseTarget(1, "c");
        ImageBuilder touching = new ImageBuilder();
        touching.put(0, bytes(1, 2), 0, 2, a, 1);
        touching.put(2, bytes(3), 0, 1, c, 2);
        assertEquals(List.of(Segment.of(0, bytes(1, 2), a), Segment.of(2, bytes(3), c)), touching.build().segments());
        ImageBuilder overlapping = new ImageBuilder();
        overlapping.put(0, bytes(1, 2), 0, 2, a, 1);
        overlapping.put(1, bytes(2), 0, 1, c, 2);
        DataConflictException e = assertThrows(DataConflictException.class, overlapping::build);
        assertEquals("alt 0 'a'", e.firstValue());
        assertEquals("alt 1 'c'", e.secondValue());
    }

    @Test
    void addressesBeyondThirtyTwoBitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ImageBuilder().put(0xFFFFFFFFL, bytes(1, 2), 0, 2, 0));
    }

    @Test
    void hintedBufferWithSpareRoomBehavesLikeAnExactSegment() throws Exception {
        byte[] chunk = new byte[10];
        ImageBuilder b = new ImageBuilder().expect(1030);
        for (int i = 0; i < 100; i++) {
            java.util.Arrays.fill(chunk, (byte) i);
            b.put(0x2000 + 10L * i, chunk, 0, 10, i);
        }
        b.put(0x9000, chunk, 0, 3, 100); // a second run: the hint is used once
        Segment built = b.build().segments().get(0);
        byte[] exact = new byte[1000];
        for (int i = 0; i < 1000; i++) {
            exact[i] = (byte) (i / 10);
        }
        Segment expected = Segment.of(0x2000, exact);
        assertEquals(expected, built);
        assertEquals(built, expected);
        assertEquals(expected.hashCode(), built.hashCode());
        assertEquals(1000, built.length());
        assertEquals(1000, built.bytes().length);
        assertEquals(1000, built.buffer().remaining());
        assertEquals(0x2000 + 1000, built.end());
        assertEquals(expected, built.withAddress(0x2000).withTarget(null));
        assertEquals(Segment.of(0x2010, java.util.Arrays.copyOfRange(exact, 16, 20)), built.slice(0x2010, 0x2014));
    }

    @Test
    void putCopiesTheCallersBytes() throws Exception {
        byte[] src = bytes(1, 2, 3);
        ImageBuilder b = new ImageBuilder().put(0, src, 0, 3, 0);
        src[0] = 9;
        assertEquals((byte) 1, b.build().segments().get(0).byteAt(0));
    }
}
