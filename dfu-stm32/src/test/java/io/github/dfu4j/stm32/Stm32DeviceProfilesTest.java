package io.github.dfu4j.stm32;

import io.github.dfu4j.sim.BusyBehaviour;
import io.github.dfu4j.stm32.internal.ChipProfile;
import io.github.dfu4j.stm32.internal.FlashTiming;
import io.github.dfu4j.stm32.internal.Stm32Profiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.layout.MemoryLayout;
import io.github.dfu4j.layout.MemoryRegion;
import io.github.dfu4j.ops.LeaveMode;
import io.github.dfu4j.sim.SimulatedDevices;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Stm32DeviceProfilesTest {

    static Stream<ChipProfile> chips() {
        return Stm32Profiles.chips().stream();
    }

    @Test
    void everySimulatedPersonalityHasAProfile() {
        for (SimulatedDevices.Entry e : SimulatedDevices.ids()) {
            if (e.id().startsWith("plain-dfu")) {
                continue; // a generic DFU 1.1 bootloader, not an STM32 profile
            }
            assertTrue(Stm32DeviceProfile.byId(e.id()).isPresent(), e.id());
        }
        assertEquals(Stm32Profiles.chips().size() + Stm32Profiles.mbootBoards().size(), Stm32DeviceProfile.all().size());
    }

    @ParameterizedTest
    @MethodSource("chips")
    void leaveModeAlignmentAndBudgetsComeFromTheTables(ChipProfile c) {
        Stm32DeviceProfile p = Stm32DeviceProfiles.forChip(c);
        LeaveMode expected = c.id().startsWith("stm32h7") ? LeaveMode.RESET_HANDLER : LeaveMode.VECTOR_TABLE;
        assertEquals(expected, p.leaveMode(), c.id());
        assertEquals(c.programming().unitBytes(), p.writeAlignment());
        assertTrue(p.quirks().budgets().massEraseBudget().compareTo(Duration.ofSeconds(35)) >= 0, "mass erase budget >= 35 s");
        assertTrue(p.quirks().budgets().massEraseBudget().compareTo(c.timing().massErase().max()) > 0, "above the table maximum");
        for (FlashTiming.SectorErase e : c.timing().sectorErase()) {
            assertTrue(p.quirks().budgets().eraseBudget().compareTo(e.time().max()) > 0, c.id() + " " + e);
        }
        assertEquals(c.has(RomQuirk.BANK2_ERASE_WEDGE), p.quirks().wedgedErase().recover());
        assertEquals(!c.has(RomQuirk.BANK2_ERASE_WEDGE), p.quirks().clearStatusOnlyInError());
        assertEquals(c.rom().busy() == BusyBehaviour.NAK_UNTIL_DONE, p.earlyPolling());
        assertEquals(p.earlyPolling(), p.quirks().statusHeldWhileBusy());
        assertEquals(c.quirks(), p.romQuirks());
        assertTrue(p.quirks().maxTransferSize().isEmpty(), "wTransferSize is honoured as reported");
    }

    @Test
    void f405MassEraseBudgetIgnoresThe100MsItReports() {
        Stm32DeviceProfile p = Stm32DeviceProfiles.forChip(Stm32Profiles.STM32F405);
        assertEquals(100, Stm32Profiles.STM32F405.rom().polls().massEraseMs());
        assertEquals(Duration.ofSeconds(40), p.quirks().budgets().massEraseBudget(), "1.25 x the 32 s datasheet maximum");
        assertTrue(p.romQuirks().contains(RomQuirk.MASS_ERASE_POLL_UNDERSTATED));
    }

    @Test
    void h743RecoversTheBank2WedgeAfterFiveSeconds() {
        Stm32DeviceProfile p = Stm32DeviceProfiles.forChip(Stm32Profiles.STM32H743);
        assertTrue(p.quirks().wedgedErase().recover());
        assertFalse(p.quirks().clearStatusOnlyInError());
        assertEquals(Duration.ofSeconds(5), p.quirks().budgets().eraseBudget());
        assertEquals(Duration.ofSeconds(60), p.quirks().budgets().massEraseBudget());
        assertEquals(32, p.writeAlignment());
        assertTrue(p.earlyPolling(), "H7 ROMs hold GETSTATUS until a normal operation is done (pydfu on an H753,"
                + " docs/troubleshooting.md 001): poll again at once; only the wedged bank-2 erase answers dfuDNBUSY, and the budget ends it");
        assertTrue(p.quirks().statusHeldWhileBusy());
        // a ROM that stalls CLRSTATUS cannot have the wedge recovery
        Stm32DeviceProfile c5like = p.withRomQuirks(RomQuirk.CLRSTATUS_STALLS_OUTSIDE_ERROR);
        assertFalse(c5like.quirks().wedgedErase().recover());
        assertTrue(c5like.quirks().clearStatusOnlyInError());
    }

    @Test
    void addingTheL4StallQuirkTurnsEarlyPollingOff() {
        Stm32DeviceProfile p = Stm32DeviceProfiles.forChip(Stm32Profiles.STM32F405).withRomQuirks(RomQuirk.STALLS_GETSTATUS_WHILE_ERASING);
        assertTrue(p.quirks().statusStallsWhileBusy());
        assertFalse(p.earlyPolling());
        assertTrue(p.romQuirks().contains(RomQuirk.STALLS_GETSTATUS_WHILE_ERASING));
    }

    @Test
    void mbootProfilesIgnoreTheLeaveAddressAndClipTheOverClaimedFlash() throws Exception {
        Stm32DeviceProfile sf2 = Stm32DeviceProfiles.forBoard(Stm32Profiles.PYBD_SF2);
        assertEquals(LeaveMode.IGNORED_RESETS, sf2.leaveMode());
        assertEquals(4, sf2.writeAlignment());
        MemoryLayout reported = MemoryLayout.parse(Stm32Profiles.PYBD_SF2.layout(), "alt 0");
        assertEquals(0x0810_0000L, reported.regions().get(2).end(), "advertises 1 MB");
        MemoryLayout fixed = sf2.correctLayout(0, reported);
        assertFalse(fixed.contains(0x0808_0000L), "nothing above the real 512 KB");
        assertTrue(fixed.contains(0x0807_FFFFL));
        assertFalse(fixed.regionAt(0x0800_0000L).orElseThrow().access().writable(), "mboot's own sectors are read-only");
        assertFalse(fixed.regionAt(0x0800_7FFFL).orElseThrow().access().erasable());
        assertTrue(fixed.regionAt(0x0800_8000L).orElseThrow().access().writable(), "the application area is writable");
        assertTrue(fixed.regionAt(0x0800_0000L).orElseThrow().access().readable());
        assertEquals(reported.regions().stream().filter(r -> r.start() >= 0x8000_0000L).toList(),
                fixed.regions().stream().filter(r -> r.start() >= 0x8000_0000L).toList(), "SPI zones untouched");
        long internal = fixed.regions().stream().filter(r -> r.start() < 0x8000_0000L).mapToLong(MemoryRegion::size).sum();
        assertEquals(512 * 1024, internal);
        assertEquals(2, sf2.layoutWarnings(0, reported).size());
        assertTrue(sf2.layoutWarnings(0, fixed).isEmpty(), "a corrected layout needs no more correction");

        Stm32DeviceProfile sf6 = Stm32DeviceProfiles.forBoard(Stm32Profiles.PYBD_SF6);
        MemoryLayout sf6Reported = MemoryLayout.parse(Stm32Profiles.PYBD_SF6.layout(), "alt 0");
        assertEquals(1, sf6.layoutWarnings(0, sf6Reported).size(), "F767: real 2 MB, only mboot's sector is protected");
        assertTrue(sf6.correctLayout(0, sf6Reported).contains(0x081F_FFFFL));
    }

    @Test
    void romProfilesLeaveLayoutsAlone() throws Exception {
        Stm32DeviceProfile p = Stm32DeviceProfiles.forChip(Stm32Profiles.STM32H743);
        MemoryLayout l = MemoryLayout.parse(Stm32Profiles.STM32H743.defaultFlashMap().romLayout());
        assertSame(l, p.correctLayout(0, l));
    }

    @Test
    void earlyPollingIsTheDfuApiQuirkAndFollowsIt() {
        Stm32DeviceProfile f405 = Stm32DeviceProfiles.forChip(Stm32Profiles.STM32F405);
        assertTrue(f405.quirks().statusHeldWhileBusy());
        assertFalse(f405.withEarlyPolling(false).quirks().statusHeldWhileBusy());
        // withQuirks: the quirks decide, so a caller editing quirks() keeps early polling ...
        assertTrue(f405.withQuirks(f405.quirks().toBuilder().eraseBudget(Duration.ofSeconds(9)).build()).earlyPolling());
        // ... and one switching it off in the quirks switches it off in the profile
        assertFalse(f405.withQuirks(f405.quirks().toBuilder().statusHeldWhileBusy(false).build()).earlyPolling());
        assertFalse(Stm32DeviceProfile.unknownMboot().quirks().statusHeldWhileBusy());
    }
}
