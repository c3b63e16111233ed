package io.github.dfu4j.integration;

import io.github.dfu4j.dfu.internal.DeviceDrivers;
import io.github.dfu4j.dfu.DfuRequest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.sim.Command;
import io.github.dfu4j.dfu.internal.DfuseCommand;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.formats.DfuseTarget;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.ops.Confirmation;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.FlashOptions;
import io.github.dfu4j.ops.FlashResult;
import io.github.dfu4j.ops.ProgressListener;
import io.github.dfu4j.ops.WriteFinding;
import io.github.dfu4j.ops.WriteRefusedException;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.stm32.Identification;
import io.github.dfu4j.stm32.optionbytes.OptionByteImage;
import io.github.dfu4j.stm32.optionbytes.OptionByteLayout;
import io.github.dfu4j.stm32.optionbytes.OptionByteLayouts;
import io.github.dfu4j.transport.DfuTransport;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The write gate through the API on the simulated ROMs (the CLI side is WriteGateCommandTest): every
 * route by which a download used to write option bytes or OTP with no interlock is reviewed like
 * {@code OptionBytePolicy}, refused with typed findings and nothing written, and allowed only with the
 * confirmations that lift exactly those findings.
 */
class WriteGateSimTest {

    private static DfuDevice open(SimulatedDevice d) throws Exception {
        DfuTransport t = d.connect();
        return Identification.identify(t).open(t);
    }

    private static byte[] block(String chip, Map<String, Long> values) {
        OptionByteLayout l = OptionByteLayouts.forChip(chip).orElseThrow();
        OptionByteImage image = l.encode(l.factoryDefaults(), values);
        return image.block(0);
    }

    private static long optionBytes(String chip) {
        return OptionByteLayouts.forChip(chip).orElseThrow().address();
    }

    /** DNLOADs that change memory: data blocks, erases, mass erases, READ_UNPROTECT (SET_ADDRESS only moves the pointer). */
    private static long changes(SimulatedDevice d) {
        return d.trace().stream().filter(e -> e.request().request() == DfuRequest.DNLOAD)
                .map(e -> e.request().command().orElse(null))
                .filter(c -> c instanceof Command.Write || c instanceof Command.Erase || c instanceof Command.MassErase
                        || c instanceof Command.ReadUnprotect).count();
    }

    /** The routes of the audit, as images and options. */
    private static List<Function<byte[], Object[]>> routes(long address) {
        return List.of(
                // a DfuSe file whose target is the option-byte alt setting
                b -> new Object[] {FirmwareImage.of(Segment.of(address, b, new DfuseTarget(1, "Option Bytes"))), FlashOptions.defaults()},
                // FILE@ADDR:1 and --alt 1 --base ADDR: a plain segment sent to alt 1
                b -> new Object[] {FirmwareImage.of(Segment.of(address, b)), FlashOptions.builder().alt(1).build()},
                // a raw write at the option-byte address through alt 0, outside its layout
                b -> new Object[] {FirmwareImage.of(Segment.of(address, b)), FlashOptions.builder().alt(0).confirm(Confirmation.OUTSIDE_LAYOUT).build()});
    }

    private static void assertRefusedUntouched(String chip, Map<String, Long> values, Confirmation expected) throws Exception {
        long address = optionBytes(chip);
        byte[] b = block(chip, values);
        for (Function<byte[], Object[]> route : routes(address)) {
            SimulatedDevice d = SimulatedDevices.create(chip);
            byte[] before = d.readMemory(address, b.length);
            Object[] r = route.apply(b);
            try (DfuDevice dev = open(d)) {
                long changes = changes(d);
                WriteRefusedException e = assertThrows(WriteRefusedException.class,
                        () -> dev.download((FirmwareImage) r[0], (FlashOptions) r[1], ProgressListener.NONE));
                assertTrue(e.missing().contains(expected), chip + ": " + e.getMessage());
                assertTrue(e.blocking().stream().allMatch(f -> f.kind() == WriteFinding.Kind.OPTION_BYTES
                        || f.kind() == WriteFinding.Kind.OUTSIDE_LAYOUT), e.getMessage());
                assertEquals(changes, changes(d), "no write, erase or unlock reached the device (the review only read)");
            }
            assertArrayEquals(before, d.readMemory(address, b.length), chip + ": option bytes untouched");
        }
    }

    @Test
    void rdpLevel2OnAnF405() throws Exception {
        assertRefusedUntouched("stm32f405", Map.of("RDP", 0xCCL), Confirmation.IRREVERSIBLE_RDP_LEVEL_2);
    }

    @Test
    void bootSelAndNBoot0ClearedOnAnF072() throws Exception {
        assertRefusedUntouched("stm32f072", Map.of("BOOT_SEL", 0L, "nBOOT0", 0L), Confirmation.BOOT_LOCK);
    }

    @Test
    void bootAdd0IntoTheRomOnAnF746() throws Exception {
        assertRefusedUntouched("stm32f746", Map.of("BOOT_ADD0", 0x0040L), Confirmation.BOOT_LOCK);
    }

    @Test
    void optsrRdpOnAnH743() throws Exception {
        assertRefusedUntouched("stm32h743", Map.of("RDP", 0xCCL), Confirmation.IRREVERSIBLE_RDP_LEVEL_2);
    }

    @Test
    void aConfirmedOptionByteWriteResetsTheChipAndIsReadBackAfterItComesBack() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f072");
        byte[] data = block("stm32f072", Map.of("DATA0", 0x5AL));
        long address = optionBytes("stm32f072");
        FlashResult r;
        DfuDevice dev = open(d);
        r = dev.download(FirmwareImage.of(Segment.of(address, data)), FlashOptions.builder().alt(1).build(), ProgressListener.NONE);
        assertTrue(r.resetBy().isPresent(), "the ROM reset the chip to load the option bytes");
        assertTrue(r.verified(), "read back after the device came back in DFU mode");
        assertEquals(16, r.verification().verifiedBytes());
        assertArrayEquals(data, d.readMemory(address, 16));
        // the device goes on with the enumeration it came back as
        assertArrayEquals(data, dev.upload(1, address, 16, ProgressListener.NONE));
        dev.close();
    }

    @Test
    void otpNeedsItsOwnConfirmation() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        FirmwareImage z = FirmwareImage.of(Segment.of(0x1FFF7800L, new byte[] {0}));
        try (DfuDevice dev = open(d)) {
            WriteRefusedException e = assertThrows(WriteRefusedException.class,
                    () -> dev.download(z, FlashOptions.builder().alt(2).build(), ProgressListener.NONE));
            assertEquals(Set.of(Confirmation.OTP_WRITE), e.missing());
            assertTrue(dev.download(z, FlashOptions.builder().alt(2).confirm(Confirmation.OTP_WRITE).build(),
                    ProgressListener.NONE).verified());
        }
        assertEquals(0, d.readMemory(0x1FFF7800L, 1)[0]);
    }

    @Test
    void theDriverCannotWriteAroundTheGate() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        try (DfuDevice dev = open(d)) {
            long address = optionBytes("stm32f405");
            assertThrows(IllegalStateException.class, () -> {
                DeviceDrivers.of(dev).command(DfuseCommand.setAddress(address), Phase.WRITE);
                DeviceDrivers.of(dev).downloadBlock(2, block("stm32f405", Map.of("RDP", 0xCCL)), Phase.WRITE, address);
            });
        }
        assertEquals((byte) 0xAA, d.readMemory(optionBytes("stm32f405") + 1, 1)[0], "RDP still level 0");
    }
}
