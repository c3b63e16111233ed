package io.github.dfu4j.stm32.optionbytes;

import io.github.dfu4j.stm32.optionbytes.OptionByteReport.ComplementMismatch;
import io.github.dfu4j.stm32.optionbytes.OptionByteReport.FieldReading;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.stm32.internal.ChipProfile;
import io.github.dfu4j.stm32.Evidence;
import io.github.dfu4j.stm32.internal.Stm32Profiles;
import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DfuTransport;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The option-byte table: coverage of every block, factory contents, identification, parsing. */
class OptionByteLayoutsTest {

    static Stream<OptionByteLayout> layouts() {
        return OptionByteLayouts.all().stream();
    }

    static OptionByteReport decode(OptionByteLayout l, OptionByteImage image) throws OptionByteFormatException {
        return l.decode(image, "test");
    }

    static OptionByteLayout layout(String chip) {
        return OptionByteLayouts.forChip(chip).orElseThrow();
    }

    @Test
    void everyChipProfileHasALayoutWithItsBlocks() {
        for (ChipProfile c : Stm32Profiles.chips()) {
            OptionByteLayout l = OptionByteLayouts.forChip(c.id()).orElseThrow(() -> new AssertionError(c.id()));
            assertEquals(c.optionBytes().blocks().stream().map(a -> new OptionByteLayout.Block(a.name(), a.address(), a.size())).toList(),
                    l.blocks(), c.id());
            assertEquals(c.optionBytes().rdpOffset(), l.rdpField().location().byteOffset() + l.rdpField().location().shift() / 8,
                    c.id() + ": RDP byte where the profile says");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void factoryDefaultsAreUnprotectedConsistentAndBootTheApplication(OptionByteLayout l) throws Exception {
        OptionByteReport r = decode(l, l.factoryDefaults());
        assertEquals(0, r.rdpLevel(), l.chipId());
        assertTrue(r.complementsValid(), r.complementErrors().toString());
        assertEquals(BootTarget.MAIN_FLASH, r.bootTarget(false), l.chipId() + " BOOT0 low");
        assertEquals(BootTarget.SYSTEM_MEMORY, r.bootTarget(true), l.chipId() + " BOOT0 high");
        for (FieldReading f : r.fields()) {
            if (f.field().kind() == FieldKind.WRITE_PROTECTION) {
                assertEquals("no sector write-protected", f.meaning(), f.name());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void everyBitIsAFieldBitAComplementBitOrReservedExactlyOnce(OptionByteLayout l) {
        for (int b = 0; b < l.blocks().size(); b++) {
            for (int i = 0; i < l.blocks().get(b).size(); i++) {
                int fieldBits = 0;
                for (OptionByteField f : l.fields()) {
                    if (f.location().block() == b) {
                        int m = f.location().maskInByte(i);
                        assertEquals(0, fieldBits & m, l.chipId() + " overlap at " + b + "/" + i);
                        fieldBits |= m;
                    }
                }
                final int block = b;
                final int index = i;
                boolean complement = l.complements().stream().anyMatch(c -> c.block() == block && c.complementOffset() == index);
                int reserved = l.reservedMask(b, i);
                if (complement) {
                    assertEquals(0, fieldBits, "complement byte holds no field");
                    assertEquals(0, reserved);
                } else {
                    assertEquals(0xFF, fieldBits | reserved, l.chipId() + " byte " + i);
                    assertEquals(0, fieldBits & reserved);
                }
            }
        }
    }

    @Test
    void f0FactoryValuesAreTheReferenceManualDefaults() throws Exception {
        OptionByteLayout f0 = layout("stm32f072");
        assertEquals("aa55ff00ff00ff00ff00ff00ff00ff00", f0.factoryDefaults().hex(0));
        OptionByteReport r = decode(f0, f0.factoryDefaults());
        for (String flag : List.of("WDG_SW", "nRST_STOP", "nRST_STDBY", "nBOOT0", "nBOOT1", "VDDA_MONITOR", "RAM_PARITY_CHECK",
                "BOOT_SEL")) {
            assertEquals(1, r.value(flag), flag);
        }
        assertEquals(0xFF, r.value("DATA0"));
        assertEquals("LEVEL0: no read protection", r.reading("RDP").orElseThrow().meaning());
        assertEquals("BOOT0_PIN: the BOOT0 pin selects the boot mode", r.reading("boot_sel").orElseThrow().meaning());
    }

    @Test
    void f0DecodesTheSeed004StateAndItsBootConsequence() throws Exception {
        OptionByteLayout f0 = layout("stm32f072");
        // USER 0x77: BOOT_SEL=0, nBOOT0=0, nBOOT1=1, the rest set
        OptionByteImage seed004 = OptionByteImage.of(HexFormat.of().parseHex("aa557788ff00ff00ff00ff00ff00ff00"));
        OptionByteReport r = decode(f0, seed004);
        assertTrue(r.complementsValid());
        assertEquals(0, r.value("BOOT_SEL"));
        assertEquals(0, r.value("nBOOT0"));
        assertEquals(1, r.value("nBOOT1"));
        assertEquals(BootTarget.SYSTEM_MEMORY, r.bootTarget(false), "boots the ROM with BOOT0 low");
        assertEquals(BootTarget.SYSTEM_MEMORY, r.bootTarget(true));
        assertEquals("BOOT_SEL=0, nBOOT0=0, nBOOT1=1; the BOOT0 pin is ignored",
                f0.boot().explain(r, false));
    }

    @Test
    void f0ComplementErrorsAreReportedNotThrown() throws Exception {
        OptionByteLayout f0 = layout("stm32f072");
        OptionByteReport r = decode(f0, OptionByteImage.of(HexFormat.of().parseHex("aa55ff01ff00ff00ff00ff00ff00ff00")));
        assertEquals(1, r.complementErrors().size());
        assertEquals(new ComplementMismatch(0, 2, 0xFF, 0x01), r.complementErrors().get(0));
        assertEquals("block 0 offset 2: 0xFF with complement 0x01 (expected 0x00)", r.complementErrors().get(0).toString());
    }

    @Test
    void f0WriteProtectionBitsAreActiveLow() throws Exception {
        OptionByteLayout f0 = layout("stm32f072");
        OptionByteReport r = decode(f0, f0.encode(f0.factoryDefaults(), Map.of("WRP0", 0xFAL)));
        assertEquals("write-protected (bit = 0): bits 0, 2", r.reading("WRP0").orElseThrow().meaning());
        assertEquals(0x05, r.image().byteAt(0, 9), "complement recomputed");
    }

    @Test
    void f4FieldsSitInTheUserRdpAndNwrpBytes() throws Exception {
        OptionByteLayout f4 = layout("stm32f405");
        assertEquals(Evidence.UNVERIFIED, f4.evidence());
        assertFalse(f4.writesVerified());
        byte[] raw = f4.factoryDefaults().block(0);
        raw[0] = (byte) 0x60; // BOR_LEV 0 (level 3), WDG_SW 1, nRST_STOP 1, nRST_STDBY 0
        raw[1] = (byte) 0x55;
        raw[8] = (byte) 0xFE; // sector 0 write-protected
        OptionByteReport r = decode(f4, OptionByteImage.of(raw));
        assertEquals(0, r.value("BOR_LEV"));
        assertEquals("LEVEL3: brown-out reset at about 2.70 V", r.reading("BOR_LEV").orElseThrow().meaning());
        assertEquals(1, r.value("WDG_SW"));
        assertEquals(0, r.value("nRST_STDBY"));
        assertEquals(1, r.rdpLevel());
        assertEquals(0xFFE, r.value("nWRP"));
        assertTrue(f4.field("BFB2").isEmpty(), "BFB2 is F42x only");
        assertTrue(layout("stm32f429").field("BFB2").isPresent());
    }

    @Test
    void f42xHasTheBank2BlockAndF446OnlyEightSectors() throws Exception {
        OptionByteLayout f429 = layout("stm32f429");
        assertEquals(2, f429.blocks().size());
        OptionByteImage img = f429.encode(f429.factoryDefaults(), Map.of("nWRP_BANK2", 0x7FFL));
        org.junit.jupiter.api.Assertions.assertArrayEquals(f429.factoryDefaults().block(0), img.block(0), "bank 1 untouched");
        assertEquals(0x07, img.byteAt(1, 9) & 0x0F);
        assertEquals(8, layout("stm32f446").field("nWRP").orElseThrow().location().width());
        assertEquals(12, layout("stm32f405").field("nWRP").orElseThrow().location().width());
    }

    @Test
    void f7BootAddressesAreShiftedBy14AndF76xHasTheBankBits() throws Exception {
        OptionByteLayout f767 = layout("stm32f767");
        OptionByteReport r = decode(f767, f767.factoryDefaults());
        assertEquals(0x80, r.value("BOOT_ADD0"));
        assertEquals("boot address 0x00200000", r.reading("BOOT_ADD0").orElseThrow().meaning());
        assertEquals("boot address 0x00100000", r.reading("BOOT_ADD1").orElseThrow().meaning());
        assertEquals(1, r.value("nDBANK"), "single bank by default, as the profile's default flash map");
        assertTrue(layout("stm32f746").field("nDBANK").isEmpty());
        OptionByteReport rom = decode(f767, f767.encode(f767.factoryDefaults(), Map.of("BOOT_ADD0", 0x0040L)));
        assertEquals(BootTarget.SYSTEM_MEMORY, rom.bootTarget(false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"stm32f722", "stm32f746", "stm32f767"})
    void f7IwdgStandbyIsOptcrBit30AndIwdgStopBit31(String id) throws Exception {
        // offset 8 holds FLASH_OPTCR[31:16]: OPTCR bit 30 (IWDG_STDBY) is bit 14 there, bit 31 (IWDG_STOP) bit 15
        OptionByteLayout f7 = layout(id);
        assertEquals(FieldLocation.bits(8, 14, 1), f7.field("IWDG_STDBY").orElseThrow().location());
        assertEquals(FieldLocation.bits(8, 15, 1), f7.field("IWDG_STOP").orElseThrow().location());
        OptionByteImage frozenInStop = f7.encode(f7.factoryDefaults(), Map.of("IWDG_STOP", 0L));
        assertEquals(0x40, frozenInStop.byteAt(0, 9) & 0xC0, "byte 9 bit 7 (OPTCR bit 31) cleared, bit 6 (bit 30) kept");
        OptionByteReport r = decode(f7, frozenInStop);
        assertEquals(0, r.value("IWDG_STOP"));
        assertEquals(1, r.value("IWDG_STDBY"));
    }

    @Test
    void h7WindowIsUnverifiedAndCarriesRdpAndBootAddresses() throws Exception {
        OptionByteLayout h743 = layout("stm32h743");
        assertEquals(Evidence.UNVERIFIED, h743.evidence());
        assertTrue(h743.evidenceNote().contains("0x5200201C"));
        OptionByteReport r = decode(h743, h743.factoryDefaults());
        assertEquals(0xAA, r.rdpByte());
        assertEquals("boot address 0x08000000", r.reading("BOOT_ADD0").orElseThrow().meaning());
        assertEquals("boot address 0x1ff00000", r.reading("BOOT_ADD1").orElseThrow().meaning());
        assertTrue(layout("stm32h723").field("SWAP_BANK_OPT").isEmpty(), "single-bank H72x");
        assertEquals(297, layout("stm32h7a3").blocks().get(0).size());
    }

    @Test
    void decodeRejectsWrongShapesNamingSourceBlockAndOffset() {
        OptionByteLayout f0 = layout("stm32f072");
        OptionByteFormatException e = assertThrows(OptionByteFormatException.class,
                () -> f0.decode(OptionByteImage.of(new byte[12]), "alt 1 of sim:stm32f072"));
        assertEquals("alt 1 of sim:stm32f072: option-byte block 0 at offset 12: stm32f072 expects 16 bytes at 0x1FFFF800, got 12",
                e.getMessage());
        assertEquals(12, e.offset());
        OptionByteFormatException two = assertThrows(OptionByteFormatException.class,
                () -> layout("stm32f429").decode(OptionByteImage.of(new byte[16]), "file x"));
        assertTrue(two.getMessage().contains("stm32f429 has 2 option-byte block(s), got 1"), two.getMessage());
    }

    @Test
    void encodeRejectsUnknownFieldsAndValuesThatDoNotFit() {
        OptionByteLayout f0 = layout("stm32f072");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> f0.encode(f0.factoryDefaults(), Map.of("BFB2", 1L)));
        assertTrue(unknown.getMessage().startsWith("stm32f072 has no option-byte field BFB2; fields: [RDP, WDG_SW"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> f0.encode(f0.factoryDefaults(), Map.of("BOOT_SEL", 2L)));
    }

    @Test
    void assignmentsAcceptNamesHexDecimalAndAnyCase() throws Exception {
        OptionByteLayout f0 = layout("stm32f072");
        Map<String, Long> v = f0.parseAssignments(List.of("rdp=level1", "boot_sel=1", "DATA0=0x5A", "nBOOT0=BOOT0_LOW", "WRP1=254"));
        assertEquals(Map.of("RDP", 0xBBL, "BOOT_SEL", 1L, "DATA0", 0x5AL, "nBOOT0", 1L, "WRP1", 254L), v);
        assertEquals(List.of("RDP", "BOOT_SEL", "DATA0", "nBOOT0", "WRP1"), new ArrayList<>(v.keySet()), "argument order kept");
        assertEquals(0xCC, layout("stm32f405").parseAssignments(List.of("RDP=LEVEL2")).get("RDP"));
        assertEquals(0x55, layout("stm32f405").parseAssignments(List.of("RDP=LEVEL1")).get("RDP"));
        assertEquals(0xAA, layout("stm32f405").parseAssignments(List.of("RDP=0xAA")).get("RDP"));
    }

    @Test
    void badAssignmentsNameTheArgumentAndColumn() throws Exception {
        OptionByteLayout f0 = layout("stm32f072");
        OptionByteFormatException noEq = assertThrows(OptionByteFormatException.class, () -> f0.parseAssignments(List.of("BOOT_SEL")));
        assertEquals("option-byte assignment 1 'BOOT_SEL' (column 1): expected FIELD=VALUE", noEq.getMessage());
        OptionByteFormatException unknown = assertThrows(OptionByteFormatException.class,
                () -> f0.parseAssignments(List.of("RDP=LEVEL0", "nDBANK=1")));
        assertEquals(1, unknown.argumentIndex());
        assertTrue(unknown.getMessage().contains("no field nDBANK in the STM32F0 option bytes; fields: RDP, WDG_SW"), unknown.getMessage());
        OptionByteFormatException wide = assertThrows(OptionByteFormatException.class, () -> f0.parseAssignments(List.of("BOOT_SEL=2")));
        assertEquals("option-byte assignment 1 'BOOT_SEL=2' (column 10): BOOT_SEL is 1 bit(s) wide: 0..1 (0x1)", wide.getMessage());
        assertEquals(9, wide.offset());
        OptionByteFormatException word = assertThrows(OptionByteFormatException.class, () -> f0.parseAssignments(List.of("RDP=LEVEL9")));
        assertTrue(word.getMessage().endsWith("RDP takes a level (0, 1, 2 or LEVEL0, LEVEL1, LEVEL2) or a raw byte written 0xNN,"
                + " not 'LEVEL9'"), word.getMessage());
        // levels, not bytes: RDP=0 is level 0 (0xAA), RDP=2 level 2 (0xCC); raw bytes only as 0xNN
        assertEquals(0xAAL, f0.parseAssignments(List.of("RDP=0")).get("RDP"));
        assertEquals(0xCCL, f0.parseAssignments(List.of("RDP=2")).get("RDP"));
        assertEquals(0xCCL, f0.parseAssignments(List.of("rdp=level2")).get("RDP"));
        assertEquals(0x00L, f0.parseAssignments(List.of("RDP=0x00")).get("RDP"));
        assertNotEquals(0xAAL, f0.parseAssignments(List.of("RDP=1")).get("RDP"));
        assertThrows(OptionByteFormatException.class, () -> f0.parseAssignments(List.of("RDP=170")));
        assertThrows(OptionByteFormatException.class, () -> f0.parseAssignments(List.of("RDP=LEVEL0", "rdp=0xAA")));
    }

    @Test
    void overlappingFieldsAreRejectedWhenTheTableIsBuilt() {
        OptionByteLayout f0 = layout("stm32f072");
        List<OptionByteField> fields = new ArrayList<>(f0.fields());
        fields.add(new OptionByteField("EXTRA", "overlaps USER bit 7", FieldLocation.bits(2, 7, 1), FieldKind.FLAG, List.of(), 0,
                Evidence.UNVERIFIED, ""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OptionByteLayout(f0.chipId(), f0.family(),
                f0.blocks(), fields, f0.complements(), f0.factoryDefaults(), f0.evidence(), f0.evidenceNote(), f0.boot()));
        assertEquals("stm32f072: field EXTRA overlaps another field at byte 2", e.getMessage());
        List<OptionByteLayout.Block> tooSmall = List.of(new OptionByteLayout.Block("ob", 0x1FFF_F800L, 8));
        assertThrows(IllegalArgumentException.class, () -> new OptionByteLayout(f0.chipId(), f0.family(), tooSmall, f0.fields(),
                List.of(), OptionByteImage.of(new byte[8]), f0.evidence(), f0.evidenceNote(), f0.boot()));
    }

    @Test
    void identifiesEverySimulatedRomFromItsAltSettingsAndNotMboot() {
        for (SimulatedDevices.Entry e : SimulatedDevices.ids()) {
            DfuTransport t = SimulatedDevices.create(e.id()).connect();
            var found = OptionByteLayouts.forAltSettings(t.altSettings());
            if (e.id().startsWith("mboot") || e.id().startsWith("plain-dfu")) {
                assertTrue(found.isEmpty(), e.id());
            } else {
                assertEquals(e.id(), found.orElseThrow(() -> new AssertionError(e.id())).chipId());
            }
        }
    }

    @Test
    void identifiesByTheOptionByteZonesWhenTheFlashStringIsUnknown() {
        List<AltSetting> alts = List.of(new AltSetting(0, "@Internal Flash  /0x08000000/032*0002Kg"),
                new AltSetting(1, "@Option Bytes  /0x1FFFC000/01*016 e/0x1FFEC000/01*016 e"));
        assertEquals("stm32f429", OptionByteLayouts.forAltSettings(alts).orElseThrow().chipId());
        assertTrue(OptionByteLayouts.forAltSettings(List.of(new AltSetting(0, "@Option Bytes  /0x40000000/01*016 e"))).isEmpty());
    }

    @Test
    void bitLocationsReadAndWriteAcrossByteBoundaries() {
        FieldLocation l = new FieldLocation(0, 1, 6, 5); // bits 6..10 of the unit at byte 1
        byte[] b = new byte[4];
        l.write(b, 0x1F);
        assertEquals(0xC0, b[1] & 0xFF);
        assertEquals(0x07, b[2] & 0xFF);
        assertEquals(0x1F, l.read(b));
        l.write(b, 0x0A);
        assertEquals(0x0A, l.read(b));
        assertEquals(0x80, b[1] & 0xFF);
        assertEquals(0x02, b[2] & 0xFF);
        assertThrows(IllegalArgumentException.class, () -> l.write(b, 32));
        assertThrows(IllegalArgumentException.class, () -> new FieldLocation(0, 0, 30, 4));
    }
}
