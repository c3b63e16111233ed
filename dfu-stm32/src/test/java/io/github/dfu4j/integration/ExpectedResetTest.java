package io.github.dfu4j.integration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.ops.Confirmation;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.FlashOptions;
import io.github.dfu4j.ops.FlashResult;
import io.github.dfu4j.ops.MemoryRange;
import io.github.dfu4j.ops.ProgressListener;
import io.github.dfu4j.ops.WriteRefusedException;
import io.github.dfu4j.sim.Command;
import io.github.dfu4j.sim.Fault;
import io.github.dfu4j.sim.FaultRule;
import io.github.dfu4j.sim.RequestMatcher;
import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link Confirmation#DEVICE_RESET} (dfu-util's {@code :will-reset}): a write the device profile does not
 * know resets the device. An STM32F405 whose ROM here resets after programming a flash block (a simulator
 * fault: it drops off the bus at the status request that reports the block done, and re-enumerates in DFU
 * mode) fails the flash without the confirmation and, with it, ends as an expected reset that is read back
 * once the device is in DFU mode again. The gate still reviews the write.
 */
class ExpectedResetTest {
    static final long OPTION_BYTES = 0x1FFF_C000L;
    static final long FLASH = 0x0800_0000L;

    private static SimulatedDevice resettingBoard() {
        // the first status request of the write reports dfuDNBUSY, the second would report it done: gone instead
        return SimulatedDevices.create("stm32f405", SimOptions.defaults().withVirtualTime().withFaults(
                FaultRule.nth(2, RequestMatcher.getStatusFor(Command.Write.class), Fault.disconnect())));
    }

    @Test
    void aResetTheProfileDoesNotKnowIsExpectedOnlyWhenConfirmed() throws Exception {
        byte[] app = Firmware.application(FLASH, 0x2002_0000L, 1000, 0x100, 0, 1);
        FirmwareImage image = FirmwareImage.of(Segment.of(FLASH, app));
        FlashOptions options = FlashOptions.builder().reopenTimeout(Duration.ofSeconds(2)).resumeWait(Duration.ZERO).build();
        SimulatedDevice without = resettingBoard();
        try (DfuDevice dev = SimulatedDevicesOpen.stm32(without)) {
            DfuException e = assertThrows(DfuException.class, () -> dev.download(image, options, ProgressListener.NONE),
                    "without the confirmation the reset is a failure");
            assertFalse(e instanceof WriteRefusedException, e.toString());
        }
        SimulatedDevice d = resettingBoard();
        FlashResult r;
        try (DfuDevice dev = SimulatedDevicesOpen.stm32(d)) {
            r = dev.download(image, options.toBuilder().confirm(Confirmation.DEVICE_RESET).build(), ProgressListener.NONE);
        }
        assertEquals(new MemoryRange(0, FLASH, FLASH + app.length), r.resetBy().orElseThrow());
        assertTrue(r.verified(), "came back in DFU mode and read back: " + r);
        assertEquals(2, d.stats().enumerations(), "the device did reset once");
        assertArrayEquals(app, d.readMemory(FLASH, app.length));
    }

    @Test
    void theConfirmationDoesNotLiftTheGate() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405", SimOptions.defaults().withVirtualTime());
        byte[] ob = d.readMemory(OPTION_BYTES, 16);
        ob[1] = (byte) 0xCC; // RDP level 2
        try (DfuDevice dev = SimulatedDevicesOpen.stm32(d)) {
            WriteRefusedException e = assertThrows(WriteRefusedException.class, () -> dev.download(
                    FirmwareImage.of(Segment.of(OPTION_BYTES, ob)),
                    FlashOptions.builder().alt(1).confirm(Confirmation.DEVICE_RESET).build(), ProgressListener.NONE));
            assertTrue(e.missing().contains(Confirmation.IRREVERSIBLE_RDP_LEVEL_2), e.missing().toString());
        }
        assertFalse(d.readMemory(OPTION_BYTES + 1, 1)[0] == (byte) 0xCC, "nothing written");
    }

    /** Opens a simulated board with the profile its identification picks. */
    static final class SimulatedDevicesOpen {
        static DfuDevice stm32(SimulatedDevice d) throws Exception {
            var t = d.connect();
            return io.github.dfu4j.stm32.Identification.identify(t).open(t);
        }
    }
}
