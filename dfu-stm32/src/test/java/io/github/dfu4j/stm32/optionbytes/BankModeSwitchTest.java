package io.github.dfu4j.stm32.optionbytes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.ops.DeviceProfile;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.FlashOptions;
import io.github.dfu4j.ops.FlashResult;
import io.github.dfu4j.ops.ProgressListener;
import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.stm32.Stm32Profiles;
import io.github.dfu4j.transport.DfuTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulated F76x ROM takes its flash map from nDBANK at every reset (docs/reference/stm32.md §4.1, §3.3): an
 * option-byte write that flips the bit comes back with the other layout string and sectors.
 */
class BankModeSwitchTest {
    static final long FLASH = 0x0800_0000L;
    static final long BANK2 = 0x0810_0000L;
    static final String SINGLE = Stm32Profiles.STM32F767.flashMap("single").orElseThrow().romLayout();
    static final String DUAL = Stm32Profiles.STM32F767.flashMap("dual").orElseThrow().romLayout();

    final OptionByteProgrammer programmer = new OptionByteProgrammer(DeviceProfile.generic(), Duration.ofSeconds(60));
    final OptionByteLayout layout = OptionByteLayouts.forChip("stm32f767").orElseThrow();

    @TempDir
    Path dir;

    /** Writes {@code nDBANK=value} the way {@code dfu option-bytes set} does; returns a transport reconnected through the port. */
    DfuTransport setBankMode(DfuTransport t, String assignment) throws Exception {
        OptionByteImage now = OptionByteProgrammer.read(DfuDevice.open(t), layout);
        OptionByteImage next = layout.encode(now, layout.parseAssignments(List.of(assignment)));
        OptionByteProgrammer.WriteOutcome w = programmer.write(t, layout, now, next,
                java.util.Set.of(io.github.dfu4j.ops.Confirmation.UNVERIFIED_LAYOUT));
        assertTrue(w.readBackMatches(next), w.toString());
        assertTrue(w.backInDfu(), "the bank-mode change erased the application: the reset comes back in the ROM");
        return t.port().awaitDfu(Duration.ZERO).orElseThrow();
    }

    /** 8 KiB across the bank boundary, flashed and verified through the reopened transport. */
    static FlashResult flashAcrossTheBoundary(SimulatedDevice d, DfuTransport t, int seed) throws Exception {
        byte[] data = new byte[8192];
        new Random(seed).nextBytes(data);
        FirmwareImage image = FirmwareImage.of(Segment.of(BANK2 - 4096, data));
        FlashResult r;
        try (DfuDevice dev = DfuDevice.open(t)) {
            r = dev.download(image, FlashOptions.defaults(), ProgressListener.NONE);
        }
        assertTrue(r.verified());
        assertArrayEquals(data, d.readMemory(BANK2 - 4096, data.length));
        return r;
    }

    static boolean erased(FlashResult r, long start, long end) {
        return r.writes().erased().stream().anyMatch(e -> e.start() == start && e.end() == end);
    }

    @Test
    void singleBankChipComesBackDualBankAfterNDbank0() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f767");
        OptionByteProgrammerTest.installApplication(d);
        DfuTransport t = d.connect();
        assertEquals(SINGLE, t.altSettings().get(0).name());
        assertEquals("single", d.flashMode());

        DfuTransport back = setBankMode(t, "nDBANK=DUAL_BANK");
        assertEquals(DUAL, back.altSettings().get(0).name(), "re-enumerated with the dual-bank string");
        assertEquals("dual", d.flashMode());
        assertTrue(d.isErased(FLASH, 0x200), "[U] model: a bank-mode change erases the flash");
        assertTrue(d.runningApplication().isEmpty());

        FlashResult r = flashAcrossTheBoundary(d, back, 1);
        // dual bank: sector 11 (128 KiB, end of bank 1) and sector 12 (16 KiB, start of bank 2)
        assertTrue(erased(r, 0x080E_0000L, BANK2), r.writes().erased().toString());
        assertTrue(erased(r, BANK2, 0x0810_4000L), r.writes().erased().toString());
    }

    @Test
    void dualBankChipComesBackSingleBankAfterNDbank1() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f767", SimOptions.defaults().withFlashMode("dual"));
        DfuTransport t = d.connect();
        assertEquals(DUAL, t.altSettings().get(0).name());
        d.writeMemory(BANK2, new byte[] {0x12, 0x34});

        DfuTransport back = setBankMode(t, "nDBANK=1");
        assertEquals(SINGLE, back.altSettings().get(0).name());
        assertEquals("single", d.flashMode());
        assertTrue(d.isErased(BANK2, 2), "[U] model: a bank-mode change erases the flash");

        FlashResult r = flashAcrossTheBoundary(d, back, 2);
        // single bank: two 256 KiB sectors meet at 0x08100000
        assertTrue(erased(r, 0x080C_0000L, BANK2), r.writes().erased().toString());
        assertTrue(erased(r, BANK2, 0x0814_0000L), r.writes().erased().toString());
    }

    @Test
    void anUnchangedBankModeKeepsTheFlash() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f767");
        d.writeMemory(BANK2, new byte[] {0x12, 0x34});
        DfuTransport t = d.connect();
        OptionByteImage now = OptionByteProgrammer.read(DfuDevice.open(t), layout);
        OptionByteImage next = layout.encode(now, layout.parseAssignments(List.of("nRST_STOP=0")));
        OptionByteProgrammer.WriteOutcome w = programmer.write(t, layout, now, next,
                java.util.Set.of(io.github.dfu4j.ops.Confirmation.UNVERIFIED_LAYOUT));
        assertTrue(w.readBackMatches(next), w.toString());
        assertEquals(SINGLE, t.port().awaitDfu(Duration.ZERO).orElseThrow().altSettings().get(0).name());
        assertArrayEquals(new byte[] {0x12, 0x34}, d.readMemory(BANK2, 2));
    }

    @Test
    void aSavedStateComesBackInTheModeItsOptionBytesSelect() throws Exception {
        Path state = dir.resolve("f767.sim");
        SimulatedDevice d = SimulatedDevices.create("stm32f767");
        setBankMode(d.connect(), "nDBANK=0");
        d.writeMemory(BANK2, new byte[] {0x56});
        d.save(state);

        SimulatedDevice back = SimulatedDevices.load(state, SimOptions.defaults());
        assertEquals("dual", back.flashMode());
        assertEquals(DUAL, back.connect().altSettings().get(0).name());
        assertArrayEquals(new byte[] {0x56}, back.readMemory(BANK2, 1));

        // and back to single bank in a later session, saved and restored again
        setBankMode(back.connect(), "nDBANK=SINGLE_BANK");
        back.save(state);
        SimulatedDevice third = SimulatedDevices.createOrLoad("stm32f767", state, SimOptions.defaults());
        assertEquals("single", third.flashMode());
        assertEquals(SINGLE, third.connect().altSettings().get(0).name());
    }

    @Test
    void loadingFollowsTheOptionBytesEvenWhenTheyChangedWithoutAReset() throws Exception {
        // option bytes programmed behind the ROM's back (no reset yet): the map in use stays single
        Path state = dir.resolve("poked.sim");
        SimulatedDevice d = SimulatedDevices.create("stm32f767");
        OptionByteImage factory = OptionByteImage.of(d.readMemory(0x1FFF_0000L, 32));
        OptionByteImage dual = layout.encode(factory, layout.parseAssignments(List.of("nDBANK=0")));
        d.writeMemory(0x1FFF_0000L, dual.block(0));
        d.writeMemory(FLASH, new byte[] {0x77});
        assertEquals("single", d.flashMode(), "no reset yet");
        d.save(state);

        // a restored state is a ROM start: the option bytes choose the map, the saved contents stay
        SimulatedDevice back = SimulatedDevices.load(state, SimOptions.defaults());
        assertEquals("dual", back.flashMode());
        assertEquals(DUAL, back.connect().altSettings().get(0).name());
        assertArrayEquals(new byte[] {0x77}, back.readMemory(FLASH, 1));
        assertFalse(back.isErased(FLASH, 1));
    }
}
