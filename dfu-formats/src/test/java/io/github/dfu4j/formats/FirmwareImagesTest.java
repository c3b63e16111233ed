package io.github.dfu4j.formats;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.github.dfu4j.formats.LittleEndianWriter.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FirmwareImagesTest {
    private static final DfuSuffix ST = DfuSuffix.dfuse(0x0483, 0xDF11);

    @Test
    void mergeJoinsIdenticalOverlapsAndKeepsTheFirstEntryPoint() throws Exception {
        FirmwareImage boot = FirmwareImage.of(Segment.of(0x08000000L, bytes(1, 2, 3, 4))).withEntryPoint(0x08000001L);
        FirmwareImage app = FirmwareImage.of(Segment.of(0x08000002L, bytes(3, 4, 5)), Segment.of(0x08008000L, bytes(7)))
                .withEntryPoint(0x08008001L);
        FirmwareImage merged = FirmwareImages.merge(new NamedImage("boot.hex", boot), new NamedImage("app.hex", app));
        assertEquals(List.of(Segment.of(0x08000000L, bytes(1, 2, 3, 4, 5)), Segment.of(0x08008000L, bytes(7))),
                merged.segments());
        assertEquals(0x08000001L, merged.entryPoint().getAsLong());
    }

    @Test
    void mergeConflictNamesBothInputsAndTheFirstConflictingAddress() {
        FirmwareImage boot = FirmwareImage.of(Segment.of(0x08000000L, bytes(1, 2, 3, 4)));
        FirmwareImage app = FirmwareImage.of(Segment.of(0x08000001L, bytes(2, 9, 9)));
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class,
                () -> FirmwareImages.merge(new NamedImage("boot.hex", boot), new NamedImage("app.srec", app)));
        assertEquals("app.srec: data at 0x08000002 (0x09) conflicts with boot.hex (0x03)", e.getMessage());
    }

    @Test
    void mergeKeepsAgreeingSuffixesAndRefusesFilesForDifferentDevices() throws Exception {
        FirmwareImage a = FirmwareImage.of(Segment.of(0, bytes(1))).withSuffix(ST);
        FirmwareImage b = FirmwareImage.of(Segment.of(8, bytes(1))).withSuffix(ST);
        FirmwareImage c = FirmwareImage.of(Segment.of(16, bytes(1))).withSuffix(new DfuSuffix(1, 2, 3, 0x0100));
        assertEquals(ST, FirmwareImages.merge(new NamedImage("a", a), new NamedImage("b", b)).suffix().orElseThrow());
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class,
                () -> FirmwareImages.merge(new NamedImage("a.dfu", a), new NamedImage("c.dfu", c)));
        assertEquals(String.format("c.dfu: its DFU suffix is for device 0003:0002, a.dfu's for %04x:%04x; files for different"
                + " devices cannot be merged", ST.idVendor(), ST.idProduct()), e.getMessage());
    }

    @Test
    void mergeNarrowsWildcardSuffixesSoThatNoDeviceCheckIsLost() throws Exception {
        FirmwareImage any = FirmwareImage.of(Segment.of(0, bytes(1))).withSuffix(new DfuSuffix(0xFFFF, 0xFFFF, 0xFFFF, 0x0100));
        FirmwareImage vendorOnly = FirmwareImage.of(Segment.of(8, bytes(1))).withSuffix(new DfuSuffix(0x0200, 0xFFFF, 0x1209, 0x0100));
        FirmwareImage product = FirmwareImage.of(Segment.of(16, bytes(1))).withSuffix(new DfuSuffix(0x0300, 0x0001, 0xFFFF, 0x0100));
        FirmwareImage merged = FirmwareImages.merge(new NamedImage("any", any), new NamedImage("v", vendorOnly),
                new NamedImage("p", product));
        assertEquals(new DfuSuffix(0xFFFF, 0x0001, 0x1209, 0x0100), merged.suffix().orElseThrow());
    }

    @Test
    void coalesceJoinsTouchingSegmentsOfTheSameTarget() {
        DfuseTarget t = new DfuseTarget(0, "x");
        FirmwareImage image = FirmwareImage.of(Segment.of(0, bytes(1)), Segment.of(1, bytes(2)), Segment.of(2, bytes(3), t),
                Segment.of(3, bytes(4), t), Segment.of(9, bytes(5))).withEntryPoint(1);
        FirmwareImage joined = FirmwareImages.coalesce(image);
        assertEquals(List.of(Segment.of(0, bytes(1, 2)), Segment.of(2, bytes(3, 4), t), Segment.of(9, bytes(5))),
                joined.segments());
        assertEquals(1, joined.entryPoint().getAsLong());
        FirmwareImage already = FirmwareImage.of(Segment.of(0, bytes(1)), Segment.of(5, bytes(2)));
        assertSame(already, FirmwareImages.coalesce(already));
    }

    @Test
    void withoutTargetsDropsTargetsAndJoins() {
        FirmwareImage image = FirmwareImage.of(Segment.of(0, bytes(1), new DfuseTarget(0, "a")),
                Segment.of(1, bytes(2), new DfuseTarget(1, "b")));
        assertEquals(List.of(Segment.of(0, bytes(1, 2))), FirmwareImages.withoutTargets(image).segments());
    }

    @Test
    void flattenFillsGapsAndClipsToTheRange() {
        FirmwareImage image = FirmwareImage.of(Segment.of(0x10, bytes(1, 2)), Segment.of(0x14, bytes(3)));
        assertArrayEquals(bytes(1, 2, 0xEE, 0xEE, 3), FirmwareImages.flatten(image, 0x10, 0x15, (byte) 0xEE, 100));
        assertArrayEquals(bytes(2, 0, 0), FirmwareImages.flatten(image, 0x11, 0x14, (byte) 0, 100));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FirmwareImages.flatten(image, 0, 0x90000000L, (byte) 0xFF, 1 << 20));
        assertTrue(e.getMessage().contains("write one file per segment"), e.getMessage());
    }
}
