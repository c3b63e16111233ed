package io.github.dfu4j.stm32.optionbytes;

import io.github.dfu4j.ops.Confirmation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.ops.DeviceProfile;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.LeaveResult;
import io.github.dfu4j.ops.ProgressListener;
import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.PortState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Reading and writing option bytes and READ_UNPROTECT against the simulated ROMs (virtual time). */
class OptionByteProgrammerTest {
    static final long FLASH = 0x0800_0000L;
    final OptionByteProgrammer programmer = new OptionByteProgrammer(DeviceProfile.generic(), Duration.ofSeconds(60));

    /** A minimal vector table (SP in RAM, Thumb reset handler) and a handler that is not blank. */
    static void installApplication(SimulatedDevice d) {
        long sp = 0x2000_1000L;
        long reset = FLASH + 0x101;
        d.writeMemory(FLASH, new byte[] {(byte) sp, (byte) (sp >> 8), (byte) (sp >> 16), (byte) (sp >> 24),
                (byte) reset, (byte) (reset >> 8), (byte) (reset >> 16), (byte) (reset >> 24)});
        d.writeMemory(FLASH + 0x100, new byte[] {(byte) 0xFE, (byte) 0xE7});
    }

    static OptionByteLayout layout(String chip) {
        return OptionByteLayouts.forChip(chip).orElseThrow();
    }

    @Test
    void readsTheWholeBlockThroughTheOptionByteAlt() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f072");
        DfuDevice dev = DfuDevice.open(d.connect());
        OptionByteLayout l = OptionByteLayouts.forAltSettings(dev.altSettings()).orElseThrow();
        assertEquals(1, OptionByteProgrammer.altHolding(dev, l.address()).getAsInt());
        OptionByteImage read = OptionByteProgrammer.read(dev, l);
        assertEquals(l.factoryDefaults(), read);
        assertArrayEquals(d.readMemory(0x1FFF_F800L, 16), read.block(0));
    }

    @Test
    void f0BootSelClearedKeepsTheChipInTheRomUntilItIsSetAgain() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f072");
        installApplication(d);
        DfuTransport t = d.connect();
        OptionByteLayout l = layout("stm32f072");
        OptionByteImage now = OptionByteProgrammer.read(DfuDevice.open(t), l);
        OptionByteImage trap = l.encode(now, Map.of("BOOT_SEL", 0L, "nBOOT0", 0L));

        // the write gate reviews the block like `option-bytes set`: the boot lock needs its confirmation
        io.github.dfu4j.ops.WriteRefusedException refused = assertThrows(io.github.dfu4j.ops.WriteRefusedException.class,
                () -> programmer.write(t, l, now, trap));
        assertEquals(java.util.Set.of(Confirmation.BOOT_LOCK), refused.missing());
        assertArrayEquals(now.block(0), d.readMemory(0x1FFF_F800L, 16), "nothing written");
        OptionByteProgrammer.WriteOutcome w = programmer.write(t, l, now, trap, java.util.Set.of(Confirmation.BOOT_LOCK));
        assertEquals(List.of(new OptionByteProgrammer.BlockWrite(0, 0x1FFF_F800L, true)), w.writes(), "the ROM reset the chip");
        assertTrue(w.backInDfu(), "system memory selected: back in DFU mode");
        assertTrue(w.readBackMatches(trap), w.toString());
        assertArrayEquals(trap.block(0), d.readMemory(0x1FFF_F800L, 16));

        // leave: the application is fine, but the chip comes back in DFU mode (docs/troubleshooting.md 004)
        // the outcome carries no transport: the caller reconnects through the port
        DfuTransport back = t.port().awaitDfu(Duration.ZERO).orElseThrow();
        DfuDevice dev = DfuDevice.open(back);
        LeaveResult left = dev.leave(OptionalLong.of(FLASH), Duration.ofSeconds(2));
        assertEquals(LeaveResult.Outcome.CAME_BACK_IN_DFU, left.outcome());
        assertTrue(d.runningApplication().isEmpty());

        // the device goes on with its new enumeration; the programmer gets a transport through the port
        OptionByteImage trapped = OptionByteProgrammer.read(dev, l);
        dev.close();
        DfuTransport again = back.port().awaitDfu(Duration.ZERO).orElseThrow();
        OptionByteImage fixed = l.encode(trapped, Map.of("BOOT_SEL", 1L));
        OptionByteProgrammer.WriteOutcome fix = programmer.write(again, l, trapped, fixed);
        assertFalse(fix.backInDfu(), "BOOT0 low, BOOT_SEL=1: the reset starts the application");
        assertTrue(d.runningApplication().isPresent());
        assertEquals(PortState.Mode.OTHER, fix.atPort().orElseThrow().mode(), "the outcome says the application came up: " + fix);
        assertTrue(w.atPort().isEmpty(), "came back in DFU mode: nothing more to say");
    }

    @Test
    void f0WithEmptyFlashComesBackInDfuAfterAnOrdinaryWrite() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f072");
        DfuTransport t = d.connect();
        OptionByteLayout l = layout("stm32f072");
        OptionByteImage now = OptionByteProgrammer.read(DfuDevice.open(t), l);
        OptionByteImage next = l.encode(now, Map.of("DATA0", 0x5AL));
        OptionByteProgrammer.WriteOutcome w = programmer.write(t, l, now, next);
        assertTrue(w.backInDfu());
        assertTrue(w.readBackMatches(next));
        assertEquals(2, d.stats().enumerations());
    }

    @Test
    void rdpLevel1BlocksTheReadBackAndUnprotectMassErasesAndClearsIt() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        byte[] secret = {1, 2, 3, 4, 5, 6, 7, 8};
        d.writeMemory(FLASH, secret);
        DfuTransport t = d.connect();
        OptionByteLayout l = layout("stm32f405");
        OptionByteImage now = OptionByteProgrammer.read(DfuDevice.open(t), l);
        OptionByteImage protect = l.encode(now, l.parseAssignments(List.of("RDP=LEVEL1")));
        OptionByteProgrammer.WriteOutcome w = programmer.write(t, l, now, protect,
                java.util.Set.of(Confirmation.READ_PROTECTION_ON, Confirmation.UNVERIFIED_LAYOUT));
        assertTrue(w.backInDfu());
        assertTrue(w.readBack().isEmpty());
        assertTrue(ReadProtection.isReadProtectionError(w.readBackError().orElseThrow()), "errVENDOR: " + w.readBackError());
        assertArrayEquals(secret, d.readMemory(FLASH, 8), "level 1 keeps the flash");

        DfuTransport back = t.port().awaitDfu(Duration.ZERO).orElseThrow();
        DfuDevice dev = DfuDevice.open(back);
        DfuException refused = assertThrows(DfuException.class, () -> dev.upload(0, FLASH, 8, ProgressListener.NONE));
        assertTrue(ReadProtection.isReadProtectionError(refused));
        // writing option bytes is refused too: only READ_UNPROTECT works under level 1
        DfuException write = assertThrows(DfuException.class, () -> programmer.write(back, l, protect, now,
                java.util.EnumSet.allOf(Confirmation.class)));
        assertTrue(ReadProtection.isReadProtectionError(write), write.getMessage());

        DfuTransport before = d.connect();
        OptionByteProgrammer.UnprotectOutcome u = programmer.readUnprotect(before, Confirmation.MASS_ERASE);
        assertTrue(u.backInDfu());
        assertTrue(d.isErased(FLASH, 8), "mass-erased");
        OptionByteImage after = OptionByteProgrammer.read(DfuDevice.open(before.port().awaitDfu(Duration.ZERO).orElseThrow()), l);
        assertEquals(0, l.decode(after, "read back").rdpLevel());
    }

    @Test
    void f42xWritesEachChangedBlockWithItsOwnReset() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f429");
        DfuTransport t = d.connect();
        OptionByteLayout l = layout("stm32f429");
        OptionByteImage now = OptionByteProgrammer.read(DfuDevice.open(t), l);
        OptionByteImage next = l.encode(now, Map.of("nWRP", 0xFFEL, "nWRP_BANK2", 0x7FFL));
        OptionByteProgrammer.WriteOutcome w = programmer.write(t, l, now, next,
                java.util.Set.of(Confirmation.UNVERIFIED_LAYOUT, Confirmation.BOOT_LOCK));
        assertEquals(List.of(0, 1), w.writes().stream().map(OptionByteProgrammer.BlockWrite::block).toList());
        assertTrue(w.writes().stream().allMatch(OptionByteProgrammer.BlockWrite::resetSeen));
        assertTrue(w.readBackMatches(next));
        assertEquals(3, d.stats().enumerations());
    }

    @Test
    void f7BootAddressIntoTheRomBringsEveryLeaveBackToDfu() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f746");
        installApplication(d);
        DfuTransport t = d.connect();
        OptionByteLayout l = layout("stm32f746");
        OptionByteImage now = OptionByteProgrammer.read(DfuDevice.open(t), l);
        OptionByteImage rom = l.encode(now, Map.of("BOOT_ADD0", 0x0040L));
        OptionByteProgrammer.WriteOutcome w = programmer.write(t, l, now, rom,
                java.util.Set.of(Confirmation.BOOT_LOCK, Confirmation.UNVERIFIED_LAYOUT));
        assertTrue(w.backInDfu());
        LeaveResult left = DfuDevice.open(t.port().awaitDfu(Duration.ZERO).orElseThrow()).leave(OptionalLong.of(FLASH), Duration.ofSeconds(2));
        assertEquals(LeaveResult.Outcome.CAME_BACK_IN_DFU, left.outcome());
    }

    @Test
    void factoryOptionBytesLetTheApplicationStartOnEveryRom() throws Exception {
        for (String id : List.of("stm32f072", "stm32f405", "stm32f746", "stm32f767")) {
            SimulatedDevice d = SimulatedDevices.create(id);
            installApplication(d);
            LeaveResult left = DfuDevice.open(d.connect()).leave(OptionalLong.of(FLASH), Duration.ofSeconds(2));
            assertEquals(LeaveResult.Outcome.LEFT, left.outcome(), id);
            assertTrue(d.runningApplication().isPresent(), id);
        }
        SimulatedDevice high = SimulatedDevices.create("stm32f072", SimOptions.defaults().withBoot0High(true));
        installApplication(high);
        assertEquals(LeaveResult.Outcome.CAME_BACK_IN_DFU,
                DfuDevice.open(high.connect()).leave(OptionalLong.of(FLASH), Duration.ofSeconds(2)).outcome(), "BOOT0 high");
    }
}
