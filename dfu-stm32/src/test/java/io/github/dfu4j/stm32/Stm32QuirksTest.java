package io.github.dfu4j.stm32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.dfu.DfuQuirks;
import io.github.dfu4j.transport.DeviceInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Stm32QuirksTest {
    private static final DeviceInfo ST = new DeviceInfo(0x0483, 0xDF11, 0x2200, "STMicroelectronics", "STM32  BOOTLOADER",
            "", "sim", true);

    @Test
    void everyQuirkHasExactlyOneRuleWithAScopeAndASource() {
        assertEquals(RomQuirk.values().length, Stm32Quirks.table().size());
        for (RomQuirk q : RomQuirk.values()) {
            QuirkRule r = Stm32Quirks.rule(q);
            assertNotNull(r, q.name());
            assertEquals(q, r.quirk());
            assertEquals(0x0483, r.scope().vendorId());
            assertEquals(0xDF11, r.scope().productId());
            assertFalse(r.source().isEmpty());
            assertFalse(r.scope().describe().isEmpty());
        }
    }

    @Test
    void profiledScopesAreTheProfilesThatListTheQuirk() {
        for (QuirkRule r : Stm32Quirks.table()) {
            for (ChipProfile c : Stm32Profiles.chips()) {
                assertEquals(c.has(r.quirk()), r.scope().profileIds().contains(c.id()), r.quirk() + " " + c.id());
                if (c.has(r.quirk())) {
                    assertEquals(c.line(), r.scope().deviceIds().get(c.deviceId()));
                }
            }
        }
        assertEquals(Set.of("stm32h743"), Stm32Quirks.rule(RomQuirk.BANK2_ERASE_WEDGE).scope().profileIds());
        assertEquals(Set.of("stm32f405", "stm32f429", "stm32f446"),
                Stm32Quirks.rule(RomQuirk.MASS_ERASE_POLL_UNDERSTATED).scope().profileIds());
    }

    @Test
    void applicabilityByProfileAndByDeviceId() {
        DeviceInfo h7 = new DeviceInfo(0x0483, 0xDF11, 0x0200, "STMicroelectronics", "DFU in FS Mode", "", "sim", true);
        assertTrue(Stm32Quirks.applicable(h7, Optional.of(Stm32Profiles.STM32H743), OptionalInt.empty())
                .contains(RomQuirk.BANK2_ERASE_WEDGE));
        assertFalse(Stm32Quirks.applicable(h7, Optional.of(Stm32Profiles.STM32H7A3), OptionalInt.empty())
                .contains(RomQuirk.BANK2_ERASE_WEDGE));
        assertEquals(EnumSet.of(RomQuirk.STALLS_GETSTATUS_WHILE_ERASING),
                Stm32Quirks.applicable(ST, Optional.empty(), OptionalInt.of(0x415)));
        assertEquals(EnumSet.of(RomQuirk.SKIPS_DNBUSY), Stm32Quirks.applicable(ST, Optional.empty(), OptionalInt.of(0x481)));
        assertEquals(EnumSet.of(RomQuirk.LEAVE_NEEDS_SET_ADDRESS), Stm32Quirks.applicable(ST, Optional.empty(), OptionalInt.of(0x493)));
        assertEquals(EnumSet.of(RomQuirk.LARGE_BLOCKS_STALL), Stm32Quirks.applicable(ST, Optional.empty(), OptionalInt.of(0x468)));
        DeviceInfo otherVendor = new DeviceInfo(0x28e9, 0x0189, 0x2200, "", "", "", "sim", true);
        assertTrue(Stm32Quirks.applicable(otherVendor, Optional.empty(), OptionalInt.of(0x415)).isEmpty(), "ST ROMs only");
        assertEquals("STM32G47x/G48x", Stm32Quirks.lineOfDeviceId(0x469).orElseThrow());
        assertEquals("STM32F405/F407/F415/F417", Stm32Quirks.lineOfDeviceId(0x413).orElseThrow());
    }

    @Test
    void effectsChangeTheKnobsTheTableSays() {
        DfuQuirks base = DfuQuirks.defaults().toBuilder().massEraseBudget(Duration.ofSeconds(10)).build();
        assertTrue(Stm32Quirks.apply(base, Set.of(RomQuirk.STALLS_GETSTATUS_WHILE_ERASING)).statusStallsWhileBusy());
        assertTrue(Stm32Quirks.apply(base, Set.of(RomQuirk.LEAVE_NEEDS_SET_ADDRESS)).setAddressBeforeLeave());
        assertEquals(1024, Stm32Quirks.apply(base, Set.of(RomQuirk.LARGE_BLOCKS_STALL)).maxTransferSize().getAsInt());
        assertEquals(Duration.ofSeconds(35), Stm32Quirks.apply(base, Set.of(RomQuirk.MASS_ERASE_POLL_UNDERSTATED)).budgets().massEraseBudget());
        DfuQuirks wedge = Stm32Quirks.apply(base, Set.of(RomQuirk.BANK2_ERASE_WEDGE));
        assertTrue(wedge.wedgedErase().recover());
        assertFalse(wedge.clearStatusOnlyInError());
        assertEquals(base, Stm32Quirks.apply(base, Set.of(RomQuirk.EMPTY_CHECK_BOOT, RomQuirk.LEAVES_BEFORE_MANIFEST_STATUS,
                RomQuirk.CLRSTATUS_OUTSIDE_ERROR_SETS_ERR_UNKNOWN)), "documentation-only rows change nothing");
    }

    static Stream<Long> seeds() {
        long seed = Long.getLong("dfu4j.seed", System.nanoTime());
        System.out.println("Stm32QuirksTest.applyIsOrderIndependentAndIdempotent seed=" + seed);
        SplittableRandom r = new SplittableRandom(seed);
        int n = (int) Math.min(2000, Math.max(50, Long.getLong("dfu4j.fuzz.iterations", 100_000) / 100));
        return LongStream.range(0, n).mapToObj(i -> r.nextLong());
    }

    /** Whatever the subset and the order they come in, the result is the same and applying twice changes nothing. */
    @ParameterizedTest
    @MethodSource("seeds")
    void applyIsOrderIndependentAndIdempotent(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<RomQuirk> chosen = new ArrayList<>();
        for (RomQuirk q : RomQuirk.values()) {
            if (r.nextBoolean()) {
                chosen.add(q);
            }
        }
        DfuQuirks base = DfuQuirks.defaults().toBuilder().massEraseBudget(Duration.ofSeconds(r.nextInt(1, 100))).build();
        DfuQuirks once = Stm32Quirks.apply(base, chosen);
        java.util.Collections.shuffle(chosen, new java.util.Random(r.nextLong()));
        assertEquals(once, Stm32Quirks.apply(base, chosen), "order of " + chosen);
        assertEquals(once, Stm32Quirks.apply(once, chosen), "idempotent for " + chosen);
        if (chosen.contains(RomQuirk.CLRSTATUS_STALLS_OUTSIDE_ERROR)) {
            assertFalse(once.wedgedErase().recover(), "a ROM that stalls CLRSTATUS never gets the CLRSTATUS pair");
        }
    }
}
