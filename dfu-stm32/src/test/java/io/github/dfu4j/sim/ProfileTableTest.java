package io.github.dfu4j.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.stm32.internal.ChipProfile;
import io.github.dfu4j.stm32.Evidence;
import io.github.dfu4j.stm32.internal.FlashMap;
import io.github.dfu4j.ops.LeaveMode;
import io.github.dfu4j.stm32.internal.MbootBoard;
import io.github.dfu4j.stm32.internal.MemoryArea;
import io.github.dfu4j.stm32.internal.MemoryKind;
import io.github.dfu4j.stm32.internal.RomAltSetting;
import io.github.dfu4j.stm32.RomQuirk;
import io.github.dfu4j.layout.Sector;
import io.github.dfu4j.stm32.internal.Stm32Profiles;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The profile table is consistent with itself and with the key values of docs/reference. (Lives in the
 * sim package to reuse the layout-string reader.)
 */
class ProfileTableTest {

    static Stream<ChipProfile> chips() {
        return Stm32Profiles.chips().stream();
    }

    @ParameterizedTest
    @MethodSource("chips")
    void romLayoutStringsDescribeTheFlashMapsSectorBySector(ChipProfile c) {
        for (FlashMap map : c.flashMaps()) {
            LayoutZones z = LayoutZones.parse(map.romLayout());
            assertEquals(1, z.zones().size());
            assertEquals(map.base(), z.zones().get(0).address());
            int i = 0;
            for (LayoutZones.Run run : z.zones().get(0).runs()) {
                assertEquals(7, run.type(), "flash is 'g' (read/erase/write)");
                for (int k = 0; k < run.count(); k++) {
                    Sector s = map.sectors().get(i++);
                    assertEquals(run.size(), s.size(), c.id() + " " + map.mode() + " " + s);
                }
            }
            assertEquals(map.sectors().size(), i);
            assertEquals(map.end() - map.base(), map.size(), "contiguous");
            String name = z.name();
            assertEquals(c.id().startsWith("stm32h7") ? "Internal Flash   " : "Internal Flash  ", name, "ROM padding");
        }
    }

    @ParameterizedTest
    @MethodSource("chips")
    void everySectorSizeHasAnEraseTimeAndTimesAreOrdered(ChipProfile c) {
        for (FlashMap map : c.flashMaps()) {
            for (Sector s : map.sectors()) {
                assertTrue(c.timing().sectorErase((int) s.size()).isPresent(), c.id() + " " + s);
            }
        }
        assertTrue(c.timing().massErase().typical().compareTo(c.timing().program().typical()) > 0);
    }

    @ParameterizedTest
    @MethodSource("chips")
    void optionByteAltSettingCoversTheOptionByteBlocks(ChipProfile c) {
        RomAltSetting ob = c.rom().extraAltSettings().stream().filter(a -> a.kind() == MemoryKind.OPTION_BYTES).findFirst().orElseThrow();
        LayoutZones z = LayoutZones.parse(ob.layout());
        List<MemoryArea> blocks = c.optionBytes().blocks();
        assertEquals(blocks.size(), z.zones().size());
        for (int i = 0; i < blocks.size(); i++) {
            assertEquals(blocks.get(i).address(), z.zones().get(i).address());
            assertEquals(blocks.get(i).size(), z.zones().get(i).size());
            assertEquals(5, z.zones().get(i).runs().get(0).type(), "option bytes are 'e' (read/write)");
        }
        assertEquals(0, io.github.dfu4j.stm32.internal.OptionBytes.rdpLevel(c.optionBytes().defaults(0)[c.optionBytes().rdpOffset()]));
    }

    @Test
    void identifiersAreUniqueAndMatchTheFactSheet() {
        Set<Integer> ids = new HashSet<>();
        Stm32Profiles.chips().forEach(c -> assertTrue(ids.add(c.deviceId()), c.id()));
        assertEquals(Set.of(0x448, 0x413, 0x419, 0x421, 0x452, 0x449, 0x451, 0x450, 0x480, 0x483), ids);
        assertEquals("stm32f722", Stm32Profiles.byDeviceId(0x452).orElseThrow().id());
    }

    @Test
    void keyRomFactsFromTheFactSheet() {
        ChipProfile f405 = Stm32Profiles.STM32F405;
        assertEquals(2048, f405.rom().transferSize());
        assertEquals(0x2200, f405.rom().usb().bcdDevice());
        assertEquals(100, f405.rom().polls().massEraseMs(), "the F405 mass-erase poll lie");
        assertTrue(f405.timing().massErase().typical().toSeconds() >= 8);
        assertEquals(LeaveMode.VECTOR_TABLE, f405.leave());
        ChipProfile h743 = Stm32Profiles.STM32H743;
        assertEquals(1024, h743.rom().transferSize());
        assertEquals("DFU in FS Mode", h743.rom().usb().product());
        assertEquals(32, h743.programming().unitBytes());
        assertEquals(0x0810_0000L, h743.defaultFlashMap().bankBase(2).orElseThrow());
        assertEquals(LeaveMode.RESET_HANDLER, h743.leave());
        assertTrue(h743.has(RomQuirk.BANK2_ERASE_WEDGE));
        assertEquals(16, Stm32Profiles.STM32H7A3.programming().unitBytes());
        assertEquals(8 * 1024, Stm32Profiles.STM32H7A3.defaultFlashMap().sectors().get(0).size());
        assertEquals("@Internal Flash  /0x08000000/04*016Kg,01*64Kg,03*128Kg", Stm32Profiles.STM32F722.defaultFlashMap().romLayout());
        FlashMap dual = Stm32Profiles.STM32F767.flashMap("dual").orElseThrow();
        assertEquals(12, dual.sectorAt(0x0810_0000L).orElseThrow().index(), "F76x dual bank: bank 2 starts at sector 12");
        assertEquals(256 * 1024, Stm32Profiles.STM32F767.defaultFlashMap().sectorAt(0x0804_0000L).orElseThrow().size());
    }

    @Test
    void unverifiedValuesAreMarked() {
        assertEquals(Evidence.UNVERIFIED, Stm32Profiles.STM32F446.defaultFlashMap().evidence());
        assertEquals(Evidence.UNVERIFIED, Stm32Profiles.STM32H7A3.timing().sectorErase(8192).orElseThrow().evidence());
        assertEquals(Evidence.OBSERVED, Stm32Profiles.STM32F405.defaultFlashMap().evidence());
        assertEquals("[U]", Evidence.UNVERIFIED.tag());
    }

    @Test
    void mbootBoardsMatchTheirLayoutStrings() {
        for (MbootBoard b : Stm32Profiles.mbootBoards()) {
            LayoutZones z = LayoutZones.parse(b.layout());
            assertEquals(1 + b.spiFlash().size(), z.zones().size(), b.id());
            assertEquals(0x0800_0000L, z.zones().get(0).address());
            assertTrue(b.internalFlashEnd() <= z.zones().get(0).end(), "mboot's table ends at or before what it advertises");
            for (int i = 0; i < b.spiFlash().size(); i++) {
                assertEquals(b.spiFlash().get(i).address(), z.zones().get(i + 1).address());
                assertEquals(b.spiFlash().get(i).size(), z.zones().get(i + 1).size());
                assertEquals(b.spiFlash().get(i).layoutPageSize(), z.zones().get(i + 1).runs().get(0).size());
            }
            assertEquals(b == Stm32Profiles.F769DISC ? 0x0802_0000L : 0x0800_8000L, b.appBase(), b.id());
            assertEquals(2048, b.transferSize());
        }
        // STM32F769DISC: mboot's one SPI flash is the 64 MiB QSPI at 0x90000000, 512 x 128 KB (reference/mboot.md §5.5)
        assertEquals(64L << 20, Stm32Profiles.F769DISC.spiFlash().get(0).size());
        assertEquals(0x9000_0000L, Stm32Profiles.F769DISC.spiFlash().get(0).address());
        assertEquals(128 * 1024, Stm32Profiles.F769DISC.spiFlash().get(0).eraseBytes());
        assertEquals(0x0808_0000L, Stm32Profiles.PYBD_SF2.internalFlashEnd());
        assertEquals(0x10_0000L, LayoutZones.parse(Stm32Profiles.PYBD_SF2.layout()).zones().get(0).size(), "advertises 1 MB");
    }

    @Test
    void registryListsEveryPersonalityOnce() {
        List<String> ids = SimulatedDevices.ids().stream().map(SimulatedDevices.Entry::id).toList();
        assertEquals(List.of("stm32f072", "stm32f405", "stm32f429", "stm32f446", "stm32f722", "stm32f746", "stm32f767",
                "stm32h743", "stm32h7a3", "stm32h723", "mboot-pybd-sf2", "mboot-pybd-sf3", "mboot-pybd-sf6", "mboot-f769disc",
                "plain-dfu", "plain-dfu-nomt", "plain-dfu-nodetach", "plain-dfu-nomt-nodetach"), ids);
        SimulatedDevices.ids().forEach(e -> assertTrue(!e.description().isBlank() && !e.description().contains("\n")));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SimulatedDevices.create("stm32f999"));
        assertTrue(e.getMessage().contains("stm32f405"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SimulatedDevices.create("stm32f405", SimOptions.defaults().withFlashMode("dual")));
    }

    @Test
    void layoutReaderRejectsMalformedStrings() {
        for (String bad : new String[] {"Internal", "@x", "@x/0x0800/", "@x/08000000/01*4Kg", "@x/0x0/01*4Kz", "@x/0x0/4Kg"}) {
            org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> LayoutZones.parse(bad), bad);
        }
        assertEquals(528, LayoutZones.parse("@OTP Memory /0x1FF07800/01*528e").zones().get(0).size());
    }
}
