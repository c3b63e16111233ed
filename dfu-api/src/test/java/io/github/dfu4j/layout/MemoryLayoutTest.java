package io.github.dfu4j.layout;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryLayoutTest {
    private static final SectorAccess REW = SectorAccess.READ_ERASE_WRITE;
    private static final SectorAccess RW = SectorAccess.READ_WRITE;

    @Test
    void parsesTheStm32F4RomFlashString() throws Exception {
        MemoryLayout l = MemoryLayout.parse("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg", "alt 0");
        assertEquals("Internal Flash  ", l.name());
        assertEquals("Internal Flash", l.trimmedName());
        assertEquals(List.of(new MemoryRegion(0x08000000L, 4, 16384, REW), new MemoryRegion(0x08010000L, 1, 65536, REW),
                new MemoryRegion(0x08020000L, 7, 131072, REW)), l.regions());
        assertEquals(1 << 20, l.totalSize());
        assertEquals(12, l.sectorCount());
        assertEquals(new Sector(4, 0x08010000L, 65536, REW), l.sectorAt(0x08010000L).orElseThrow());
        assertEquals(new Sector(11, 0x080E0000L, 131072, REW), l.sectorAt(0x080FFFFFL).orElseThrow());
        assertEquals(new Sector(5, 0x08020000L, 131072, REW), l.sectorAt(0x0803FFFFL).orElseThrow());
        assertTrue(l.sectorAt(0x08100000L).isEmpty());
        assertTrue(l.sectorAt(0x07FFFFFFL).isEmpty());
    }

    @Test
    void acceptsTheOddSpellingsRomsUse() throws Exception {
        // F72x: no zero pad, no space before the type, space as byte multiplier
        assertEquals(List.of(new MemoryRegion(0x08000000L, 4, 16384, REW), new MemoryRegion(0x08010000L, 1, 65536, REW),
                        new MemoryRegion(0x08020000L, 3, 131072, REW)),
                MemoryLayout.parse("@Internal Flash  /0x08000000/04*016Kg,01*64Kg,03*128Kg").regions());
        assertEquals(List.of(new MemoryRegion(0x1FF07800L, 1, 528, RW)), MemoryLayout.parse("@OTP Memory /0x1FF07800/01*528e").regions());
        assertEquals(List.of(new MemoryRegion(0x1FFF0000L, 1, 48, RW)), MemoryLayout.parse("@Option Bytes  /0x1FFF0000/01*048 e").regions());
        assertEquals(List.of(new MemoryRegion(0xFFFF0000L, 1, 4, RW)), MemoryLayout.parse("@Device Feature/0xFFFF0000/01*004 e").regions());
        assertEquals(List.of(new MemoryRegion(0x08000000L, 2, 1 << 20, REW)), MemoryLayout.parse("@X/0x08000000/2*1Mg").regions());
        assertEquals(List.of(new MemoryRegion(0x20000000L, 1, 96, SectorAccess.fromBits(3))),
                MemoryLayout.parse("@RAM /0x20000000/1*96Bc").regions());
        // odd spacing between tokens, lower-case hex, trailing blanks and NULs
        MemoryLayout spaced = MemoryLayout.parse("@Flash/ 0x0800abcd / 2 * 1 K g , 1*2Kg  \0\0");
        assertEquals(List.of(new MemoryRegion(0x0800ABCDL, 2, 1024, REW), new MemoryRegion(0x0800B3CDL, 1, 2048, REW)),
                spaced.regions());
    }

    @Test
    void parsesSeveralZonesInAnyOrder() throws Exception {
        MemoryLayout ob = MemoryLayout.parse("@Option Bytes  /0x1FFFC000/01*016 e/0x1FFEC000/01*016 e");
        assertEquals(List.of(new MemoryRegion(0x1FFFC000L, 1, 16, RW), new MemoryRegion(0x1FFEC000L, 1, 16, RW)), ob.regions());
        assertEquals(0x1FFEC000L, ob.start());
        assertEquals(1, ob.sectorAt(0x1FFEC00FL).orElseThrow().index());

        MemoryLayout mboot = MemoryLayout.parse(
                "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg/0x80000000/64*32Kg/0x90000000/64*32Kg");
        assertEquals(5, mboot.regions().size());
        Sector qspi = mboot.sectorAt(0x90012345L).orElseThrow();
        assertEquals(12 + 64 + 2, qspi.index());
        assertEquals(0x90010000L, qspi.start());
        assertTrue(mboot.sectorAt(0x88000000L).isEmpty());
    }

    @Test
    void acceptsCountsInTheThousands() throws Exception {
        MemoryLayout l = MemoryLayout.parse("@Internal Flash  /0x08000000/04*032Kg,01*128Kg,07*256Kg/0x80000000/2048*4Kg/0x90000000/16384*4Kg");
        assertEquals(2048 * 4096L, l.regions().get(3).size());
        assertEquals(16384, l.regions().get(4).count());
        Sector last = l.sectorAt(0x90000000L + 16384L * 4096 - 1).orElseThrow();
        assertEquals(12 + 2048 + 16383, last.index());
    }

    @Test
    void sectorsInListsOverlappingSectorsInAddressOrder() throws Exception {
        MemoryLayout l = MemoryLayout.parse("@Option Bytes  /0x1FFFC000/01*016 e/0x1FFEC000/01*016 e/0x08000000/04*016Kg,01*064Kg");
        List<Sector> s = l.sectorsIn(0x08003FFFL, 0x08010001L);
        assertEquals(List.of(0, 1, 2, 3, 4), s.stream().map(x -> x.index() - 2).toList());
        assertEquals(0x08000000L, s.get(0).start());
        assertEquals(List.of(), l.sectorsIn(0x08014000L + 0x10000, 0x09000000L));
        assertEquals(2, l.sectorsIn(0, 1L << 32).stream().filter(x -> x.size() == 16).count());
        assertTrue(l.covers(0x08000000L, 0x08020000L));
        assertFalse(l.covers(0x08000000L, 0x08020001L));
    }

    @Test
    void formatIsCanonicalAndRoundTrips() throws Exception {
        MemoryLayout l = MemoryLayout.parse("@Option Bytes  /0x1FFFC000/01*016 e/0x1FFEC000/01*016 e");
        assertEquals("@Option Bytes  /0x1FFFC000/1*16Be/0x1FFEC000/1*16Be", l.format());
        assertEquals(l, MemoryLayout.parse(l.format()));
        MemoryLayout f4 = MemoryLayout.parse("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg/0x90000000/1*1Mg");
        assertEquals("@Internal Flash  /0x08000000/4*16Kg,1*64Kg,7*128Kg/0x90000000/1*1Mg", f4.format());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Internal Flash/0x08000000/04*016Kg            | 0  | starts with '@'",
            "@Internal Flash                               | 15 | no '/0x<address>/' zone",
            "@F/08000000/04*016Kg                          | 3  | expected a zone address",
            "@F/0x/04*016Kg                                | 5  | expected hex digits",
            "@F/0x123456789/04*016Kg                       | 3  | more than 8 hex digits",
            "@F/0x08000000 04*016Kg                        | 14 | expected '/' after the zone address",
            "@F/0x08000000/*016Kg                          | 14 | expected a decimal sector count",
            "@F/0x08000000/04x016Kg                        | 16 | expected '*'",
            "@F/0x08000000/04*016Qg                        | 20 | expected a multiplier B/K/M or a type letter",
            "@F/0x08000000/04*016K                         | 21 | found the end",
            "@F/0x08000000/04*016Kh                        | 21 | type letter a..g",
            "@F/0x08000000/00*016Kg                        | 14 | sector count is 0",
            "@F/0x08000000/04*000Kg                        | 17 | sector size is 0",
            "@F/0x08000000/04*016Kg,                       | 23 | expected a decimal sector count",
            "@F/0x08000000/04*016Kgx                       | 22 | expected ',' or '/0x<address>/'",
            "@F/0xFFFFF000/2*4Kg                           | 14 | end beyond the 32-bit address space",
            "@F/0x00000000/4097*1Mg                        | 14 | end beyond the 32-bit address space",
            "@F/0x0/1*99999999999999999999Kg               | 9  | sector size is too large",
            "@F/0x0/1*4194304Mg                            | 9  | sector size exceeds 4 GiB",
            "@F/0x08000000/4*16Kg/0x08004000/1*16Kg        | 32 | overlaps",
    })
    void rejectsBadStringsWithTheOffset(String text, int offset, String fragment) {
        LayoutFormatException e = assertThrows(LayoutFormatException.class, () -> MemoryLayout.parse(text, "alt 3"));
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertTrue(e.getMessage().startsWith("alt 3@" + offset + ": "), e.getMessage());
        assertEquals("alt 3", e.source());
    }

    @Test
    void typeLettersAreTheAccessBitField() {
        assertEquals(SectorAccess.READ_ONLY, SectorAccess.fromTypeLetter('a'));
        assertEquals(new SectorAccess(false, true, false), SectorAccess.fromTypeLetter('b'));
        assertEquals(new SectorAccess(false, false, true), SectorAccess.fromTypeLetter('d'));
        assertEquals(RW, SectorAccess.fromTypeLetter('e'));
        assertEquals(REW, SectorAccess.fromTypeLetter('g'));
        for (char c = 'a'; c <= 'g'; c++) {
            assertEquals(c, SectorAccess.fromTypeLetter(c).typeLetter());
        }
        assertEquals("r-w", RW.toString());
    }
}
